"""Calls to the Bot Connector: classify failures, retry in-turn sends.

Both backends' failures are classified here: botbuilder's msrest ``HttpOperationError`` and the
Agents SDK's ``aiohttp.ClientResponseError`` carry the status and ``Retry-After`` alike.

Teams throttles per conversation (about 7 messages a second) and per tenant; it answers 429
(often with ``Retry-After``), and 412/502/504 for transient conditions. ``classify`` maps any
failure of a connector call onto the delivery contract (``schedules.delivery``);
``with_retries`` retries what is transient a few times inside a turn, waiting
``backoff_delay`` (exponential with jitter, never less than ``Retry-After``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiohttp
from msrest.exceptions import ClientRequestError, HttpOperationError

from schedules.delivery import (
    DeliveryError,
    PermanentFailure,
    RetryLater,
    Unreachable,
    backoff_delay,
)

log = logging.getLogger(__name__)
T = TypeVar("T")
TRANSIENT = frozenset({408, 412, 429, 500, 502, 503, 504})
IN_TURN_ATTEMPTS = 4


def _retry_after(headers: Any) -> float | None:
    raw = headers.get("Retry-After") if hasattr(headers, "get") else None
    if raw is None:
        return None
    try:
        return max(0.0, float(raw))
    except (TypeError, ValueError):
        return None


def _status(exc: BaseException) -> tuple[int | None, float | None]:
    response: Any = getattr(exc, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    headers = getattr(response, "headers", None) or {}
    return (int(status) if status is not None else None), _retry_after(headers)


def classify(exc: BaseException) -> DeliveryError:
    """The delivery outcome of a failed connector call."""
    if isinstance(exc, DeliveryError):
        return exc
    if isinstance(exc, HttpOperationError | aiohttp.ClientResponseError):
        status: int | None
        if isinstance(exc, aiohttp.ClientResponseError):  # the Agents SDK's connector client
            status, retry_after = exc.status, _retry_after(exc.headers)
        else:
            status, retry_after = _status(exc)
        if status in TRANSIENT or (status is not None and status >= 500):
            return RetryLater(f"connector answered {status}", retry_after=retry_after)
        if status == 403:
            return Unreachable("the user blocked or removed the bot (403)")
        if status == 404:
            return Unreachable("the conversation no longer exists (404)")
        if status == 401:
            return PermanentFailure("the connector refused our credentials (401)")
        return PermanentFailure(f"connector answered {status}")
    if isinstance(
        exc, asyncio.TimeoutError | aiohttp.ClientError | ClientRequestError | ConnectionError
    ):
        return RetryLater(f"connector unreachable: {exc.__class__.__name__}")
    if isinstance(exc, PermissionError):
        return PermanentFailure(f"token: {exc}")
    return PermanentFailure(f"{exc.__class__.__name__}: {exc}")


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    attempts: int = IN_TURN_ATTEMPTS,
    base: float = 0.5,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Run ``call``; on a transient failure wait and try again, up to ``attempts`` times.
    Raises the classified ``DeliveryError`` when it gives up."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except Exception as exc:
            outcome = classify(exc)
            if not isinstance(outcome, RetryLater) or attempt == attempts:
                raise outcome from exc
            delay = backoff_delay(attempt, retry_after=outcome.retry_after, base=base, cap=30)
            log.info("connector: %s; retry %d in %.2fs", outcome.reason, attempt, delay)
            await sleep(delay)
    raise AssertionError("unreachable")
