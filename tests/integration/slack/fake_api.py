"""A fake Slack Web API on loopback: answers the methods Stoplicht calls and records each call.

Point the app at it with ``STOPLICHT_SLACK_API_URL`` (``base_url``). ``users`` maps a user id
to an email; ``fail`` queues a (status, body, headers) answer for a method; ``wait_for`` waits
until a method has been called ``count`` times. File uploads work as Slack's:
``files.getUploadURLExternal`` gives a loopback URL, the bytes posted there are kept in
``uploads`` (file id -> bytes), ``files.completeUploadExternal`` shares them; a queued failure
for the method ``upload`` makes the URL answer that status.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestServer


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    token: str | None
    result: dict[str, Any] = field(default_factory=dict)
    at: float = field(default_factory=time.perf_counter)


@dataclass
class FakeSlack:
    users: dict[str, str] = field(default_factory=dict)
    teams_by_code: dict[str, str] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)
    fail: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = field(default_factory=dict)
    # A method whose answers wait until its event is set; ``held`` records each call waiting.
    hold: dict[str, asyncio.Event] = field(default_factory=dict)
    held: list[str] = field(default_factory=list)
    server: TestServer | None = None
    _ts: Any = field(default_factory=lambda: itertools.count(1))
    _changed: asyncio.Event | None = None
    _updates: dict[str, asyncio.Future[Call]] = field(default_factory=dict)
    _posts: dict[str, asyncio.Future[Call]] = field(default_factory=dict)
    socket_acks: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, bytes] = field(default_factory=dict)
    _files: Any = field(default_factory=lambda: itertools.count(1))
    locales: dict[str, str] = field(default_factory=dict)  # user id -> Slack locale
    # Token rotation as Slack does it: each refresh token works once, and a rotation gives a
    # new bot token and a new refresh token (the old one is then ``invalid_refresh_token``).
    refresh_token: str = "xoxe-1-refresh"
    rotations: int = 0
    _socket: web.WebSocketResponse | None = None
    _socket_ready: asyncio.Event | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        return str(self.server.make_url("/api/"))

    async def start(self) -> FakeSlack:
        app = web.Application()
        app.router.add_post("/api/{method}", self._handle)
        app.router.add_get("/api/{method}", self._handle)
        app.router.add_get("/ws", self._socket_handler)
        app.router.add_post("/upload/{file_id}", self._upload)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        self._changed = asyncio.Event()
        self._socket_ready = asyncio.Event()
        return self

    async def _socket_handler(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then record the client's envelope acks."""
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_json(
            {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A1"}}
        )
        self._socket = ws
        assert self._socket_ready is not None
        self._socket_ready.set()
        async for msg in ws:
            if msg.type == web.WSMsgType.TEXT:
                self.socket_acks.append(json.loads(msg.data))
                assert self._changed is not None
                self._changed.set()
        return ws

    async def socket_send(self, envelope: dict[str, Any]) -> None:
        assert self._socket_ready is not None
        await asyncio.wait_for(self._socket_ready.wait(), 10)
        assert self._socket is not None
        await self._socket.send_json(envelope)

    async def wait_for_acks(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        async def _wait() -> list[dict[str, Any]]:
            while len(self.socket_acks) < count:
                assert self._changed is not None
                self._changed.clear()
                await self._changed.wait()
            return self.socket_acks

        return await asyncio.wait_for(_wait(), timeout)

    async def close(self) -> None:
        if self.server is not None:
            await self.server.close()

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        async def _wait() -> list[Call]:
            while len(self.of(method)) < count:
                assert self._changed is not None
                self._changed.clear()
                await self._changed.wait()
            return self.of(method)

        return await asyncio.wait_for(_wait(), timeout)

    def expect_update(self, ts: str) -> asyncio.Future[Call]:
        """A future for the ``chat.update`` of message ``ts`` (register before it can arrive)."""
        future: asyncio.Future[Call] = asyncio.get_running_loop().create_future()
        self._updates[ts] = future
        return future

    def expect_post(self, channel: str) -> asyncio.Future[Call]:
        """A future for the next ``chat.postMessage`` to ``channel``."""
        future: asyncio.Future[Call] = asyncio.get_running_loop().create_future()
        self._posts[channel] = future
        return future

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        data = await request.read()
        self.calls.append(
            Call(method="upload", params={"file_id": file_id, "size": len(data)}, token=None)
        )
        queued = self.fail.get("upload")
        assert self._changed is not None
        self._changed.set()
        if queued:
            status, body, headers = queued.pop(0)
            return web.json_response(body, status=status, headers=headers)
        self.uploads[file_id] = data
        return web.Response(text="OK - " + str(len(data)))

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.method == "GET":
            pass
        elif request.content_type == "application/json":
            params = await request.json()
        else:
            params.update(await request.post())
        for key in ("blocks", "view"):
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ") or params.get("token")
        call = Call(method=method, params=params, token=token)
        if method in self.hold:
            self.held.append(method)
            await self.hold[method].wait()
        queued = self.fail.get(method)
        if queued:
            status, body, headers = queued.pop(0)
            response = web.json_response(body, status=status, headers=headers)
        else:
            call.result = self._answer(method, params)
            response = web.json_response(call.result)
        self.calls.append(call)
        waiter = self._updates.pop(str(params.get("ts")), None) if method == "chat.update" else None
        if method == "chat.postMessage":
            waiter = self._posts.pop(str(params.get("channel")), None)
        if waiter is not None and not waiter.done():
            waiter.set_result(call)
        assert self._changed is not None
        self._changed.set()
        return response

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        ok: dict[str, Any] = {"ok": True}
        if method == "apps.connections.open":
            assert self.server is not None
            return {**ok, "url": str(self.server.make_url("/ws")).replace("http", "ws", 1)}
        if method == "auth.test":
            return {**ok, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "team": "Test"}
        if method == "users.info":
            user = str(p.get("user"))
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            profile = {"email": self.users[user], "real_name": user}
            locale = self.locales.get(user, "nl-NL")
            return {**ok, "user": {"id": user, "name": user, "locale": locale, "profile": profile}}
        if method == "conversations.open":
            return {**ok, "channel": {"id": f"D{p.get('users')}"}}
        if method in ("chat.postMessage", "chat.update"):
            ts = p.get("ts") or f"1700000000.{next(self._ts):06d}"
            return {**ok, "channel": p.get("channel"), "ts": ts}
        if method == "files.getUploadURLExternal":
            assert self.server is not None
            file_id = f"F{next(self._files):04d}"
            url = str(self.server.make_url(f"/upload/{file_id}"))
            return {**ok, "upload_url": url, "file_id": file_id}
        if method == "files.completeUploadExternal":
            files = p.get("files")
            listed = json.loads(files) if isinstance(files, str) else files or []
            if any(f.get("id") not in self.uploads for f in listed):
                return {"ok": False, "error": "file_not_found"}
            return {**ok, "files": [{"id": f["id"], "title": f.get("title")} for f in listed]}
        if method in ("views.open", "views.update", "views.publish"):
            return {**ok, "view": {"id": p.get("view_id") or "V1", "hash": "h1"}}
        if method == "oauth.v2.access" and p.get("grant_type") == "refresh_token":
            if p.get("refresh_token") != self.refresh_token:
                return {"ok": False, "error": "invalid_refresh_token"}
            self.rotations += 1
            suffix = "" if self.rotations == 1 else f"-{self.rotations}"
            self.refresh_token = f"xoxe-1-refresh-{self.rotations + 1}"
            return {
                **ok,
                "token_type": "bot",
                "access_token": f"xoxb-rotated{suffix}",
                "refresh_token": self.refresh_token,
                "expires_in": 43200,
                "team": {"id": "T1"},
            }
        if method == "oauth.v2.access":
            team = self.teams_by_code.get(str(p.get("code")))
            if team is None:
                return {"ok": False, "error": "invalid_code"}
            return {
                **ok,
                "app_id": "A1",
                "authed_user": {"id": f"U{team}"},
                "scope": "chat:write,commands",
                "token_type": "bot",
                "access_token": f"xoxb-{team}-secret",
                "bot_user_id": "UBOT",
                "team": {"id": team, "name": f"School {team}"},
                "enterprise": None,
                "is_enterprise_install": False,
            }
        return {"ok": False, "error": "unknown_method"}
