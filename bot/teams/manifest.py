"""The Teams app package: ``manifest.json`` with the ids filled in, plus the two icons, zipped.

The template lives in ``manifest/teams/``. ``--app-id`` is the bot's Microsoft App ID (Azure
Bot registration); it is also used as the Teams app id unless another is given. With Graph
in use, ``webApplicationInfo`` names the same app registration so Teams can install the app
for users (see ``bot.teams.graph``). ``validDomains`` lists the bot's public host when given.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "manifest" / "teams"
ICONS = ("color.png", "outline.png")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$")
_DOMAIN = re.compile(r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")


class ManifestError(ValueError):
    pass


def _fill(node: Any, subs: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {k: _fill(v, subs) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, subs) for v in node]
    if isinstance(node, str):
        for key, value in subs.items():
            node = node.replace("{{" + key + "}}", value)
    return node


def build_manifest(
    *,
    app_id: str,
    teams_app_id: str | None = None,
    domain: str | None = None,
    graph: bool = False,
    version: str | None = None,
    template_dir: Path = TEMPLATE_DIR,
) -> dict[str, Any]:
    """The filled manifest; ``ManifestError`` for an id or domain that Teams would refuse."""
    teams_id = teams_app_id or app_id
    for label, value in (("app id", app_id), ("Teams app id", teams_id)):
        if not _GUID.match(value or ""):
            raise ManifestError(f"{label} must be a GUID like 00000000-0000-0000-0000-000000000000")
    template = json.loads((template_dir / "manifest.json").read_text(encoding="utf-8"))
    manifest: dict[str, Any] = _fill(template, {"TEAMS_APP_ID": teams_id, "BOT_ID": app_id})
    if domain:
        host = domain.strip().lower().removeprefix("https://").rstrip("/")
        if not _DOMAIN.match(host):
            raise ManifestError(f"not a domain name: {domain!r}")
        manifest["validDomains"] = [host]
    if graph:
        resource = f"api://{domain}/{app_id}" if domain else f"api://botid-{app_id}"
        manifest["webApplicationInfo"] = {"id": app_id, "resource": resource}
    if version:
        manifest["version"] = version
    return manifest


def write_package(
    manifest: dict[str, Any], out: Path, *, template_dir: Path = TEMPLATE_DIR
) -> Path:
    """Write the zip Teams takes for "Upload a custom app" / the admin center."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        for icon in ICONS:
            z.write(template_dir / icon, icon)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return out
