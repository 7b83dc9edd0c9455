"""A fake Bot Framework on loopback: OpenID metadata + JWKS, a token endpoint, a Bot Connector.

It runs on its own thread and event loop, because botbuilder fetches signing keys and tokens
with blocking ``requests`` calls from the bot's loop. Tokens are signed with an RSA key made
here; the bot under test is pointed at these endpoints through botbuilder's configuration
names (``ToBotFromChannelOpenIdMetadataUrl``, ``ToChannelFromBotLoginUrl``).

The connector records every activity the bot sends (``sent``), updates (``updated``) and
member lookups, and can be told to fail the next calls (``fail_next``) with a status and an
optional ``Retry-After``. ``upload_url(name)`` stands for the OneDrive upload URL a file consent
gives: the bytes ``PUT`` there are kept in ``uploads`` (with their ``Content-Range``), and
``upload_status`` makes it answer another status.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

ISSUER = "https://api.botframework.com"
KID = "stoplicht-test-key"


@dataclass
class Recorded:
    method: str
    conversation_id: str
    activity_id: str | None
    body: dict[str, Any]
    authorization: str


@dataclass
class FakeBotFramework:
    app_id: str = "00000000-0000-0000-0000-0000000000b0"
    app_password: str = "s3cret"
    members: dict[str, dict[str, Any]] = field(default_factory=dict)
    sent: list[Recorded] = field(default_factory=list)
    updated: list[Recorded] = field(default_factory=list)
    token_requests: list[dict[str, str]] = field(default_factory=list)
    member_lookups: list[str] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    upload_ranges: dict[str, str] = field(default_factory=dict)
    upload_status: int = 201
    # Called with each activity sent, as it is recorded (the load bench: whose card arrived)
    on_sent: Callable[[Recorded], None] | None = None

    def __post_init__(self) -> None:
        self.instance = uuid.uuid4().hex
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._failures: deque[tuple[int, float | None]] = deque()
        self._ids = itertools.count(1)
        self._issued: set[str] = set()
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.cond = threading.Condition()

    # -- addresses ------------------------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def service_url(self) -> str:
        return f"{self.base}/connector/"

    @property
    def openid_url(self) -> str:
        # Unique per instance: botbuilder caches signing keys per metadata URL for the whole
        # process, and a later fake may get the same port with a new key.
        return f"{self.base}/{self.instance}/openid"

    @property
    def login_url(self) -> str:
        return f"{self.base}/{self.instance}/botframework.com"

    def env(self, sdk: str = "botbuilder") -> dict[str, str]:
        """Settings for the bot under test: the app registration by the names of ``sdk``'s
        documentation (botbuilder's ``MicrosoftAppId``..., the Agents SDK's
        ``CONNECTIONS__SERVICE_CONNECTION__SETTINGS__*``), the endpoints by botbuilder's
        configuration names (which both backends read)."""
        if sdk == "agents":
            prefix = "CONNECTIONS__SERVICE_CONNECTION__SETTINGS__"
            app = {f"{prefix}CLIENTID": self.app_id, f"{prefix}CLIENTSECRET": self.app_password}
        else:
            app = {"MicrosoftAppId": self.app_id, "MicrosoftAppPassword": self.app_password}
        return {
            **app,
            "ToBotFromChannelOpenIdMetadataUrl": self.openid_url,
            "ToBotFromEmulatorOpenIdMetadataUrl": self.openid_url,
            "ToChannelFromBotLoginUrl": self.login_url,
        }

    # -- tokens ---------------------------------------------------------------------------------

    def token(self, *, key: Any = None, kid: str = KID, **overrides: Any) -> str:
        """A channel→bot JWT as the Bot Framework signs it (override any claim; None drops it)."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "serviceurl": self.service_url,
            "nbf": now - 10,
            "exp": now + 3600,
            "iss": ISSUER,
            "aud": self.app_id,
        }
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, key or self.key, algorithm="RS256", headers={"kid": kid})

    def fail_next(self, status: int, *, times: int = 1, retry_after: float | None = None) -> None:
        with self._lock:
            for _ in range(times):
                self._failures.append((status, retry_after))

    def wait_for_sent(self, count: int, timeout: float = 10.0) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.sent) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"connector got {len(self.sent)} of {count} activities")
                self.cond.wait(left)
            return list(self.sent)

    # -- the server -----------------------------------------------------------------------------

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(f"/{self.instance}/openid", self._openid)
        app.router.add_get(f"/{self.instance}/jwks", self._jwks)
        app.router.add_post(f"/{self.instance}/botframework.com/oauth2/v2.0/token", self._token)
        c = "/connector/v3/conversations/{cid}"
        app.router.add_post(c + "/activities", self._post)
        app.router.add_post(c + "/activities/{aid}", self._post)
        app.router.add_put(c + "/activities/{aid}", self._put)
        app.router.add_get(c + "/members/{mid}", self._member)
        app.router.add_put("/onedrive/{name}", self._upload)
        return app

    def upload_url(self, name: str) -> str:
        return f"{self.base}/onedrive/{name}"

    async def _upload(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        data = await request.read()
        if self.upload_status >= 300:
            return web.json_response({"error": {"code": "fake"}}, status=self.upload_status)
        with self.cond:
            self.uploads[name] = data
            self.upload_ranges[name] = request.headers.get("Content-Range", "")
            self.cond.notify_all()
        return web.json_response({"id": name, "name": name, "size": len(data)}, status=201)

    async def _openid(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": ISSUER,
                "authorization_endpoint": f"{self.base}/authorize",
                "jwks_uri": f"{self.base}/{self.instance}/jwks",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _jwks(self, request: web.Request) -> web.Response:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": KID, "use": "sig", "endorsements": ["msteams", "emulator"]})
        return web.json_response({"keys": [jwk]})

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.token_requests.append({k: str(v) for k, v in form.items()})
        if form.get("client_id") != self.app_id or form.get("client_secret") != self.app_password:
            return web.json_response({"error": "invalid_client"}, status=401)
        token = f"bot-token-{next(self._ids)}"
        self._issued.add(token)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3600, "access_token": token}
        )

    def _authorised(self, request: web.Request) -> bool:
        header = request.headers.get("Authorization", "")
        return header.startswith("Bearer ") and header[7:] in self._issued

    def _failure(self) -> web.Response | None:
        with self._lock:
            if not self._failures:
                return None
            status, retry_after = self._failures.popleft()
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        return web.json_response(
            {"error": {"code": "Throttled" if status == 429 else "Failed", "message": "fake"}},
            status=status,
            headers=headers,
        )

    async def _post(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"error": {"code": "Unauthorized"}}, status=401)
        failed = self._failure()
        if failed is not None:
            return failed
        body = await request.json()
        rec = Recorded(
            "POST",
            request.match_info["cid"],
            request.match_info.get("aid"),
            body,
            request.headers.get("Authorization", ""),
        )
        with self.cond:
            self.sent.append(rec)
            if self.on_sent is not None:
                self.on_sent(rec)
            self.cond.notify_all()
        return web.json_response({"id": f"sent-{next(self._ids)}"})

    async def _put(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"error": {"code": "Unauthorized"}}, status=401)
        failed = self._failure()
        if failed is not None:
            return failed
        body = await request.json()
        rec = Recorded(
            "PUT",
            request.match_info["cid"],
            request.match_info["aid"],
            body,
            request.headers.get("Authorization", ""),
        )
        with self.cond:
            self.updated.append(rec)
            self.cond.notify_all()
        return web.json_response({"id": request.match_info["aid"]})

    async def _member(self, request: web.Request) -> web.Response:
        if not self._authorised(request):
            return web.json_response({"error": {"code": "Unauthorized"}}, status=401)
        mid = request.match_info["mid"]
        self.member_lookups.append(mid)
        member = self.members.get(mid)
        if member is None:
            return web.json_response({"error": {"code": "NotFound"}}, status=404)
        return web.json_response(member)

    # -- lifecycle ------------------------------------------------------------------------------

    def start(self) -> FakeBotFramework:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            self._runner = web.AppRunner(self._app(), access_log=None)
            loop.run_until_complete(self._runner.setup())
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            loop.run_forever()
            loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name="fake-bot-framework", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the fake Bot Framework did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)


class ServerThread:
    """Runs an aiohttp application on 127.0.0.1 in its own thread and loop."""

    def __init__(self, app: web.Application, *, ssl_context: Any = None) -> None:
        self.app = app
        self.ssl = ssl_context
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        ready = threading.Event()

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            runner = web.AppRunner(self.app, access_log=None)
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=self.ssl)
            loop.run_until_complete(site.start())
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()
            loop.run_forever()
            loop.run_until_complete(runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name="bot-server", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("the server did not start")
        return self

    def call(self, coro: Any, timeout: float = 30) -> Any:
        """Run ``coro`` on the server's loop and wait for its result."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout)

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
