"""The Slack app manifest (``manifest/slack/manifest.yml``) and the scopes the code needs.

``METHOD_SCOPES`` names, for every Web API method this package calls, the bot scope that method
needs (None: no scope). A test scans ``bot/slack`` for ``client.<method>(`` calls and checks
that each is listed here and covered by the manifest, and that every manifest scope is used.
``FEATURE_SCOPES`` are the scopes needed by what the manifest subscribes to, not by a call.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

import manifest as manifest_package

PATH = Path(manifest_package.__file__).parent / "slack" / "manifest.yml"
PLACEHOLDER = "https://HOST"

METHOD_SCOPES: dict[str, tuple[str, ...]] = {
    "chat.postMessage": ("chat:write",),
    "chat.update": ("chat:write",),
    "conversations.open": ("im:write",),
    # the report PDF: files.getUploadURLExternal + files.completeUploadExternal
    "files.upload.v2": ("files:write",),
    "users.info": ("users:read", "users:read.email"),  # the email links the roster
    "views.open": (),
    "views.update": (),
    "views.publish": (),
    "auth.test": (),
    "oauth.v2.access": (),
}
FEATURE_SCOPES: dict[str, tuple[str, ...]] = {
    "slash command /stoplicht": ("commands",),
    "event message.im": ("im:history",),
    "event app_home_opened": (),
    "event app_uninstalled": (),  # OAuth: the workspace's tokens are deleted
    "event tokens_revoked": (),
}


@cache
def load() -> dict[str, Any]:
    data = yaml.safe_load(PATH.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def bot_scopes() -> list[str]:
    return list(load()["oauth_config"]["scopes"]["bot"])


def render(url: str) -> str:
    """The manifest with ``https://HOST`` replaced by ``url`` (no trailing slash)."""
    base = url.rstrip("/")
    if not base.startswith("https://"):
        raise ValueError("the URL must start with https://")
    return PATH.read_text(encoding="utf-8").replace(PLACEHOLDER, base)
