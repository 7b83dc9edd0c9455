"""The outbox's Slack sender: a direct message to one person, one attempt per call.

Delivery: the DM channel stored on the account by the person's last turn, else
``conversations.open``; then one ``chat.postMessage`` per rendered message. The outcome follows
``schedules.delivery``: 429 → ``RetryLater(retry_after)`` from the ``Retry-After`` header, 5xx
and transport errors → ``RetryLater``, a deactivated user or a revoked/invalid token →
``Unreachable``, anything else → ``PermanentFailure``.

The client has no retry handlers on purpose: slack_sdk's rate-limit handler would sleep and
retry inside the call while the dispatcher also retries with backoff; one place retries.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

import aiohttp
from slack_sdk.errors import SlackApiError, SlackTokenRotationError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack.render import replies_messages
from dialogs.types import Reply
from schedules.delivery import PermanentFailure, RetryLater, Target, Unreachable

UNREACHABLE = frozenset(
    {
        "user_not_found",
        "account_inactive",
        "user_disabled",
        "token_revoked",
        "token_expired",
        "invalid_auth",
        "not_authed",
        "cannot_dm_bot",
        "user_not_visible",
        "channel_not_found",
        "is_archived",
        "team_access_not_granted",
        "missing_scope",
        "app_uninstalled",
        "invalid_refresh_token",
    }
)
TRANSIENT = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


class TokenSource(Protocol):
    async def token(self, team_id: str) -> str | None: ...


class SlackSender:
    channel = "slack"

    def __init__(self, *, base_url: str, tokens: TokenSource, timeout: int = 15) -> None:
        self._base_url = base_url if base_url.endswith("/") else base_url + "/"
        self._tokens = tokens
        self._timeout = timeout

    async def send(self, target: Target, replies: Sequence[Reply], *, key: str) -> None:
        try:
            token = await self._tokens.token(target.tenant)
        except SlackTokenRotationError as exc:
            raise classify(exc.api_error) from None
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise RetryLater(f"transport: {type(exc).__name__}") from None
        if not token:
            raise Unreachable("no_installation")
        client = AsyncWebClient(
            token=token, base_url=self._base_url, timeout=self._timeout, retry_handlers=[]
        )
        try:
            channel = str((target.conversation or {}).get("channel") or "")
            if not channel:
                opened = await client.conversations_open(users=target.external_id)
                channel = str(opened["channel"]["id"])
            for message in replies_messages(replies):
                await client.chat_postMessage(
                    channel=channel, text=message.text, blocks=list(message.blocks)
                )
        except SlackApiError as exc:
            raise classify(exc) from None
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise RetryLater(f"transport: {type(exc).__name__}") from None


def classify(exc: SlackApiError) -> Exception:
    response: Any = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    error = str((response.get("error") if response is not None else "") or "")
    if status == 429 or error == "ratelimited":
        return RetryLater("ratelimited", retry_after=_retry_after(response))
    if status >= 500 or error in TRANSIENT:
        return RetryLater(error or f"http_{status}")
    if error in UNREACHABLE:
        return Unreachable(error)
    return PermanentFailure(error or f"http_{status}")


def _retry_after(response: Any) -> float | None:
    headers = getattr(response, "headers", None) or {}
    for name, value in dict(headers).items():
        if name.lower() == "retry-after":
            try:
                return float(value if not isinstance(value, list) else value[0])
            except (TypeError, ValueError):
                return None
    return None
