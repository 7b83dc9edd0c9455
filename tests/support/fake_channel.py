"""A fake channel server on loopback for delivery tests: it answers each POST according to a
script per idempotency key (429 with Retry-After, 500, a hang past the client's timeout, 403,
400, or 200) and can enforce a rate limit like a platform does. It records every request with
its arrival time (``time.monotonic``) so tests can check ordering, pacing and duplicates."""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from aiohttp import web


@dataclass
class Hit:
    key: str
    at: float
    status: int
    retry_after: float | None = None


@dataclass
class FakeChannel:
    scripts: dict[str, list[str]] = field(default_factory=dict)  # key -> ["429:1", "500", ...]
    rate: float | None = None  # requests per second it accepts (token bucket, burst = rate)
    hang_seconds: float = 5.0
    hits: list[Hit] = field(default_factory=list)
    _used: Counter[str] = field(default_factory=Counter)
    _tokens: float = 0.0
    _last: float = field(default_factory=time.monotonic)
    runner: web.AppRunner | None = None
    url: str = ""

    def _limited(self) -> bool:
        if self.rate is None:
            return False
        now = time.monotonic()
        self._tokens = min(self.rate, self._tokens + (now - self._last) * self.rate)
        self._last = now
        if self._tokens >= 1:
            self._tokens -= 1
            return False
        return True

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        key = request.headers.get("Idempotency-Key") or body["key"]
        now = time.monotonic()
        if self._limited():
            self.hits.append(Hit(key, now, 429, 1.0))
            return web.Response(status=429, headers={"Retry-After": "1"})
        script = self.scripts.get(key, [])
        step = script[self._used[key]] if self._used[key] < len(script) else "200"
        self._used[key] += 1
        if step == "hang":
            self.hits.append(Hit(key, now, 0))
            await asyncio.sleep(self.hang_seconds)
            return web.Response(status=200)  # too late: the client gave up
        code, _, after = step.partition(":")
        retry_after = float(after) if after else None
        self.hits.append(Hit(key, now, int(code), retry_after))
        headers = {"Retry-After": after} if after else {}
        return web.Response(status=int(code), headers=headers)

    async def stats(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "accepted": dict(self.delivered()),
                "throttled": sum(1 for h in self.hits if h.status == 429),
            }
        )

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/deliver", self.handle)
        app.router.add_get("/stats", self.stats)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/deliver"
        return self.url

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()

    def delivered(self) -> Counter[str]:
        """Accepted (2xx) requests per key: 1 each means nothing lost, nothing twice."""
        return Counter(h.key for h in self.hits if 200 <= h.status < 300)

    def by_key(self) -> dict[str, list[Hit]]:
        out: dict[str, list[Hit]] = defaultdict(list)
        for h in self.hits:
            out[h.key].append(h)
        return out


async def _serve(rate: float | None) -> None:
    channel = FakeChannel(rate=rate)
    print(await channel.start(), flush=True)
    await asyncio.Event().wait()


if (
    __name__ == "__main__"
):  # a connector in its own process: python -m tests.support.fake_channel 25
    import sys

    asyncio.run(_serve(float(sys.argv[1]) if len(sys.argv) > 1 else None))
