"""A sender that POSTs each notification as JSON to one URL: a relay of the school's own.

Set ``STOPLICHT_DELIVERY_WEBHOOK`` and every notification is delivered to that URL instead of
through Teams or Slack (the school's relay forwards it, e.g. to its own portal); the
multi-process delivery tests use it with a loopback server. The body is
``{"key", "person_id", "channel", "language", "text", "replies"}`` and the ``Idempotency-Key``
header carries the notification's key, so the receiver can drop a repeat after a crash.

Outcomes follow ``schedules.delivery``: 2xx delivered; 429 (``Retry-After`` honoured), 408,
412, 5xx, timeouts and connection errors ``RetryLater``; 403, 404, 410 ``Unreachable``;
anything else ``PermanentFailure``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

import aiohttp

from dialogs.types import Reply
from schedules.delivery import PermanentFailure, RetryLater, Target, Unreachable
from schedules.log_sender import as_text


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None  # an HTTP date: the backoff applies


class WebhookSender:
    channel = "webhook"

    def __init__(self, *, url: str, timeout: float = 10.0) -> None:
        self.url = url
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def send(self, target: Target, replies: Sequence[Reply], *, key: str) -> None:
        body: dict[str, Any] = {
            "key": key,
            "person_id": target.person_id,
            "channel": target.channel,
            "language": target.language,
            "text": as_text(replies),
            "replies": [asdict(r) for r in replies],
        }
        try:
            async with self._client().post(
                self.url, json=body, headers={"Idempotency-Key": key}
            ) as resp:
                status = resp.status
                retry_after = retry_after_seconds(resp.headers.get("Retry-After"))
                await resp.read()
        except TimeoutError as exc:
            raise RetryLater("timeout") from exc
        except aiohttp.ClientError as exc:
            raise RetryLater(f"connection: {exc.__class__.__name__}") from exc
        if 200 <= status < 300:
            return
        if status == 429:
            raise RetryLater("429 throttled", retry_after=retry_after)
        if status in (408, 412) or status >= 500:
            raise RetryLater(f"HTTP {status}", retry_after=retry_after)
        if status in (403, 404, 410):
            raise Unreachable(f"HTTP {status}")
        raise PermanentFailure(f"HTTP {status}")
