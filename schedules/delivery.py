"""The contract between the outbox dispatcher and the channel senders.

A sender delivers one notification (already composed into ``Reply`` values) to one person on
one channel. It makes one attempt and classifies the outcome by raising:

- ``RetryLater`` — throttled (429, with ``retry_after`` seconds when the platform said so) or a
  transient failure (412, 5xx, timeout, connection error); the dispatcher retries with
  exponential backoff and jitter, never before ``retry_after``.
- ``Unreachable`` — no stored conversation, the user blocked the bot (403), deactivated user,
  revoked token: recorded on the notification and the account, not retried.
- ``PermanentFailure`` — anything else that a retry cannot fix (400 with a bad payload).

Retrying lives in one place (the dispatcher, and ``backoff_delay`` for in-turn retries), so a
retry is never doubled up.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from dialogs.types import Reply


@dataclass(frozen=True)
class Target:
    """Where to deliver: the person's ChannelAccount on one channel."""

    person_id: int
    channel: str
    tenant: str
    external_id: str
    conversation: Mapping[str, Any] = field(default_factory=dict)
    language: str = "nl"


class DeliveryError(Exception):
    pass


class RetryLater(DeliveryError):
    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class Unreachable(DeliveryError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PermanentFailure(DeliveryError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Sender(Protocol):
    channel: str

    async def send(self, target: Target, replies: Sequence[Reply], *, key: str) -> None:
        """Deliver ``replies`` to ``target``; ``key`` is the notification's idempotency key
        (a sender may pass it to the platform to suppress a duplicate)."""
        ...


def backoff_delay(
    attempt: int,
    *,
    retry_after: float | None = None,
    base: float = 1.0,
    cap: float = 300.0,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based): full-jitter exponential
    backoff, but never less than ``retry_after``."""
    r = rng or random
    exp = min(cap, base * (2 ** max(0, attempt - 1)))
    delay = r.uniform(exp / 2, exp)
    if retry_after is not None:
        delay = max(delay, float(retry_after))
    return delay
