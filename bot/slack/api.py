"""The Slack Web API as a turn uses it (``bot.slack.turns``): every call logs an API error
instead of raising it (``call``), replies are posted or update the acted message (``post``), the
acted message is shown answered (``show_answered``), and each user's profile and DM channel
are looked up once and cached (``People``).

A reply with a file (the printable report) is uploaded to the same DM with the reply's text as
its comment (``files_upload_v2``: ``files.getUploadURLExternal``, the bytes to the URL it gives,
``files.completeUploadExternal``; scope ``files:write``). When the upload fails, the user is
told so in the DM (``File.failed``) instead of hearing nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack import render, translate
from bot.slack.translate import Profile
from dialogs.texts import language, t
from dialogs.types import Fact, Reply

log = logging.getLogger(__name__)

PROFILE_TTL = 3600.0


async def call(awaitable: Any) -> Any:
    """One Web API call; an API error is logged (without tokens) and yields None."""
    try:
        return await awaitable
    except SlackApiError as exc:
        log.warning("slack api error: %s", exc.response.get("error") if exc.response else exc)
        return None


async def post(
    client: AsyncWebClient,
    channel: str | None,
    replies: Sequence[Reply],
    ts: str | None = None,
) -> None:
    """Post the replies; with ``ts`` (the acted message), a first reply marked ``replace``
    (the dialogs' answered state, or the same card again with the reason) updates that
    message instead (``chat.update``) and the rest are posted."""
    if not channel:
        return
    files = [r for r in replies if r.file is not None]
    replies = [r for r in replies if r.file is None]
    messages = render.replies_messages(replies)
    if ts and replies and replies[0].replace:
        answer = render.reply_messages(replies[0])
        messages = answer[1:] + render.replies_messages(replies[1:])
        if answer:
            await call(
                client.chat_update(
                    channel=channel, ts=ts, text=answer[0].text, blocks=list(answer[0].blocks)
                )
            )
    for message in messages:
        await call(
            client.chat_postMessage(channel=channel, text=message.text, blocks=list(message.blocks))
        )
    for reply in files:
        await upload(client, channel, reply)


async def upload(client: AsyncWebClient, channel: str, reply: Reply) -> bool:
    """Upload the reply's file to ``channel`` with the reply's text; on failure say so."""
    file = reply.file
    assert file is not None
    try:
        await client.files_upload_v2(
            channel=channel,
            file=file.content,
            filename=file.name,
            title=file.name,
            initial_comment=render.fallback(reply.text or file.description),
        )
        return True
    except Exception as exc:  # an API error or a failed transfer: the user hears of it
        error = exc.response.get("error") if isinstance(exc, SlackApiError) else type(exc).__name__
        log.warning("slack: file upload failed: %s", error)
    await call(client.chat_postMessage(channel=channel, text=render.fallback(file.failed)))
    return False


SLACK_HOOKS = "https://hooks.slack.com/"


async def respond(client: AsyncWebClient, response_url: Any, text: str) -> None:
    """An ephemeral line to the user where they typed a slash command (its ``response_url``:
    Slack's hooks, or the configured Web API's host, e.g. the loopback fake in tests)."""
    url = str(response_url or "")
    own = client.base_url.split("/api/")[0].rstrip("/") + "/"
    if not (url.startswith(SLACK_HOOKS) or url.startswith(own)):
        log.warning("slack: ignored a response_url that is not Slack's")
        return
    try:
        await AsyncWebhookClient(url).send(text=text, response_type="ephemeral")
    except Exception as exc:  # the answers still reach the DM
        log.warning("slack: response_url failed: %s", exc.__class__.__name__)


async def show_answered(
    client: AsyncWebClient,
    channel: str | None,
    ts: str | None,
    blocks: Sequence[dict[str, Any]],
    label: str,
    profile: Profile,
    typed: Sequence[Fact] = (),
) -> None:
    """Update the acted message (``chat.update``, idempotent) to its answered state: no buttons,
    what was chosen (``label``) and the texts typed in a modal (``typed``)."""
    if not channel or not ts:
        return
    lang = language(profile.locale)
    answered = render.answered_blocks(blocks, label, lang, typed)
    text = render.fallback(t(lang, "slack.answered", label=label))
    await call(client.chat_update(channel=channel, ts=ts, text=text, blocks=answered))


class People:
    """Each user's profile (``users.info``, for ``PROFILE_TTL`` seconds) and DM channel, per
    (team, user), for the life of the process."""

    def __init__(self) -> None:
        self._profiles: dict[tuple[str, str], tuple[float, Profile]] = {}
        self._dms: dict[tuple[str, str], str] = {}

    def cached(self, body: dict[str, Any]) -> Profile | None:
        """The profile already known for the body's user, without a call."""
        cached = self._profiles.get((translate.team_of(body), translate.user_of(body)))
        return cached[1] if cached else None

    async def profile(self, client: AsyncWebClient, body: dict[str, Any]) -> Profile:
        """Email, name and locale from ``users.info`` (scope ``users:read.email``), cached."""
        key = (translate.team_of(body), translate.user_of(body))
        cached = self._profiles.get(key)
        now = time.monotonic()
        if cached is not None and now - cached[0] < PROFILE_TTL:
            return cached[1]
        response = await call(client.users_info(user=key[1], include_locale=True))
        user = (response or {}).get("user") or {}
        profile = Profile(
            email=(user.get("profile") or {}).get("email"),
            name=user.get("real_name") or user.get("name"),
            locale=user.get("locale"),
        )
        if response is not None:
            self._profiles[key] = (now, profile)
        return profile

    async def dm(self, client: AsyncWebClient, body: dict[str, Any]) -> str | None:
        """The user's DM channel with the app (``conversations.open``), cached."""
        key = (translate.team_of(body), translate.user_of(body))
        if key not in self._dms:
            response = await call(client.conversations_open(users=key[1]))
            if response is None:
                return None
            self._dms[key] = str(response["channel"]["id"])
        return self._dms[key]
