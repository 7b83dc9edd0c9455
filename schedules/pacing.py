"""Send pacing: a token bucket per tenant and a minimum interval per conversation.

Both are in-process: exactly one process dispatches at a time (see ``schedules.scheduler``),
so one process's view of the rates is the deployment's. Both wait with ``asyncio.sleep`` and
use ``time.monotonic`` so a wall-clock change never bursts or stalls them.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class TokenBucket:
    """``rate`` sends per second on average, at most ``capacity`` at once.

    A capacity of 1 spaces sends evenly (what a platform's sliding-window limit likes best).
    ``pause(seconds)`` holds everyone back, e.g. after a 429 with ``Retry-After``.
    """

    def __init__(
        self, rate: float, *, capacity: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.capacity = max(1.0, capacity)
        self._clock = clock
        self._tokens = self.capacity
        self._last = clock()
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    async def acquire(self) -> None:
        async with self._lock:
            while True:
                now = self._clock()
                if now < self._paused_until:
                    await asyncio.sleep(self._paused_until - now)
                    continue
                self._tokens = min(self.capacity, self._tokens + (now - self._last) * self.rate)
                self._last = now
                if self._tokens >= 1.0:
                    self._tokens -= 1.0
                    return
                await asyncio.sleep((1.0 - self._tokens) / self.rate)


class Pacer:
    """At most one send per ``interval`` seconds per key (a conversation)."""

    def __init__(self, interval: float, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.interval = interval
        self._clock = clock
        self._last: dict[str, float] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def wait(self, key: str) -> None:
        lock = self._locks.setdefault(key, asyncio.Lock())
        async with lock:
            earliest = self._last.get(key, float("-inf")) + self.interval
            now = self._clock()
            if earliest > now:
                await asyncio.sleep(earliest - now)
            self._last[key] = self._clock()

    def forget_idle(self) -> None:
        """Drop keys not used within the interval (keeps memory flat over a long run)."""
        cutoff = self._clock() - self.interval
        for key in [k for k, at in self._last.items() if at < cutoff]:
            lock = self._locks.get(key)
            if lock is None or not lock.locked():
                self._last.pop(key, None)
                self._locks.pop(key, None)
