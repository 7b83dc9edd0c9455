"""People of the small school on Teams, each in their own Microsoft 365 Agents Playground.

The Playground's personal chat belongs to its ``currentUser``, so each person runs one
Playground (npm ``@microsoft/m365agentsplayground``, pinned; no browser) with a
``.m365agentsplayground.yml`` that makes them the current user and lists the rest of the
school as the tenant's other users. A person is driven through the HTTP API the Playground's
web client uses (``/_conversation/v1/conversations/{id}/messages`` for typed text,
``/_conversation/v1/invoke`` for ``Action.Execute``, ``/_conversation/v1/submit`` for
``Action.Submit``), and what they see is read from the client's WebSocket stream
(``createMessage`` and ``updateMessage``): ``messages`` holds each message as it is shown now.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from typing import Any

import aiohttp

from tests.journeys.term import EMAILS, NAMES
from tests.support.npm import package_dir

CARD = "application/vnd.microsoft.card.adaptive"
TENANT = "00000000-0000-0000-0000-0000000000001"
QUIET = 0.4  # a turn is over when its messages have stopped coming for this long


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _user(n: int, who: str) -> str:
    given, family = NAMES[who].split(" ", 1)
    return (
        f"  id: user-{who}\n"
        f"  name: {NAMES[who]}\n"
        f"  userPrincipleName: {EMAILS[who]}\n"
        f"  aadObjectId: 00000000-0000-0000-0000-0000000001{n:02d}\n"
        f"  givenName: {given}\n"
        f"  surname: {family}\n"
        f"  email: {EMAILS[who]}\n"
    )


def write_config(folder: Path, who: str) -> None:
    """The Playground's configuration: ``who`` is the current user, five more people of the
    school the tenant's other users (the Playground takes at most five)."""
    everyone = list(EMAILS)
    others = "".join(
        "  -" + _user(everyone.index(o), o)[1:].replace("\n  ", "\n    ")
        for o in [o for o in everyone if o != who][:5]
    )
    (folder / ".m365agentsplayground.yml").write_text(
        'version: "0.1.1"\n'
        f"tenantId: {TENANT}\n"
        "bot:\n  id: 00000000-0000-0000-0000-00000000000011\n  name: Stoplicht\n"
        "currentUser:\n"
        + _user(everyone.index(who), who)
        + "users:\n"
        + others
        + f"personalChat:\n  id: chat-{who}\n"
        f"groupChat:\n  id: group-{who}\n  name: Group Chat\n"
        "team:\n  id: team-id\n  name: School\n"
        "  aadGroupId: 00000000-0000-0000-0000-000000000031\n"
        "  channels:\n    - id: channel-general-id\n      name: General\n",
        encoding="utf-8",
    )


class Playground:
    """One Playground process for one person."""

    def __init__(self, who: str, endpoint: str, folder: Path) -> None:
        self.who = who
        folder.mkdir(parents=True, exist_ok=True)
        write_config(folder, who)
        cli = package_dir("@microsoft/m365agentsplayground") / "cli.js"
        node = shutil.which("node")
        assert node, "node is needed for the Agents Playground"
        self.port = _free_port()
        env = dict(os.environ, TEAMSAPPTESTER_BROWSER="none", TEAMSAPPTESTER_PORT=str(self.port))
        self.log_path = folder / "playground.log"
        self._log = open(self.log_path, "w")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [node, str(cli), "start", "-e", endpoint, "-c", "msteams"]
            + ["-p", str(self.port), "--disable-telemetry"],
            cwd=folder,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"

    def wait_ready(self) -> None:
        deadline = time.monotonic() + 90
        log = self.log_path.parent / "devTools" / "m365agentsplayground.log"
        while "Listening on" not in self.log_path.read_text() or not self._answers():
            assert self.proc.poll() is None, log.read_text() if log.exists() else ""
            assert time.monotonic() < deadline, f"the Playground of {self.who} did not start"
            time.sleep(0.2)
        # The port asked for, or another one when it was taken meanwhile.
        port = self.log_path.read_text().split("Listening on", 1)[1].split()[0]
        self.url = f"http://127.0.0.1:{int(port)}"

    def _answers(self) -> bool:
        text = self.log_path.read_text()
        if "Listening on" not in text:
            return False
        port = int(text.split("Listening on", 1)[1].split()[0])
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", port)) == 0

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self._log.close()


def card_text(message: dict[str, Any]) -> str:
    return json.dumps(
        [a.get("content") for a in message.get("attachments") or []] + [message.get("text")],
        ensure_ascii=False,
    )


def _card_nodes(message: dict[str, Any], wanted: Any) -> list[dict[str, Any]]:
    """Every element of the message's Adaptive Cards, at any depth, for which ``wanted``."""
    out: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if wanted(node):
                out.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    for a in message.get("attachments") or []:
        if a.get("contentType") == CARD:
            walk(a["content"])
    return out


def buttons(message: dict[str, Any]) -> list[dict[str, Any]]:
    return _card_nodes(message, lambda n: n.get("type") in ("Action.Execute", "Action.Submit"))


def inputs(message: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = _card_nodes(message, lambda n: str(n.get("type", "")).startswith("Input."))
    return {node["id"]: node for node in found}


class TeamsPerson:
    """A person in their Playground's personal chat, as its web client drives it."""

    def __init__(self, session: aiohttp.ClientSession, playground: Playground, mode: str) -> None:
        self.s, self.pg, self.mode, self.who = session, playground, mode, playground.who
        self.base = playground.url
        self.order: list[str] = []  # message ids, oldest first
        self.messages: dict[str, dict[str, Any]] = {}
        self.events = 0

    async def start(self) -> None:
        cfg = await (await self.s.get(f"{self.base}/_internal/v1/config")).json()
        self.cid = cfg["config"]["personalChat"]["id"]
        self.uid = cfg["config"]["currentUser"]["id"]
        self.ws = await self.s.ws_connect(f"{self.base}/_ws_conversation/v1/conversations/stream")
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for msg in self.ws:
            event = json.loads(msg.data)
            message = event.get("message") or {}
            mid = message.get("messageId")
            if event.get("action") == "createMessage" and mid:
                if mid not in self.messages:
                    self.order.append(mid)
                self.messages[mid] = message
                self.events += 1
            elif event.get("action") == "updateMessage" and mid:
                self.messages[mid] = {**self.messages.get(mid, {}), **message}
                self.events += 1

    async def close(self) -> None:
        self.reader.cancel()
        await self.ws.close()

    async def settle(self, before: int, timeout: float = 30) -> None:
        """Wait until something new came and then nothing more for ``QUIET`` seconds."""
        deadline = time.monotonic() + timeout
        while self.events <= before:
            assert time.monotonic() < deadline, f"{self.who} was shown nothing"
            await asyncio.sleep(0.05)
        seen = self.events
        quiet_since = time.monotonic()
        while time.monotonic() - quiet_since < QUIET:
            await asyncio.sleep(0.05)
            if self.events != seen:
                seen, quiet_since = self.events, time.monotonic()

    def shown(self, since: int = 0) -> list[dict[str, Any]]:
        return [self.messages[m] for m in self.order[since:]]

    def seen(self, since: int = 0) -> str:
        return "\n".join(card_text(m) for m in self.shown(since))

    def last(self) -> dict[str, Any]:
        return self.messages[self.order[-1]]

    def find(self, needle: str) -> dict[str, Any]:
        for mid in reversed(self.order):
            if needle in card_text(self.messages[mid]):
                return self.messages[mid]
        raise AssertionError(f"{self.who} was never shown {needle!r}")

    async def arrives(self, needle: str, timeout: float = 30) -> dict[str, Any]:
        """The last message containing ``needle``, once the Playground has pushed it (a
        proactive message reaches the client's stream a moment after it was sent)."""
        deadline = time.monotonic() + timeout
        while not any(needle in card_text(self.messages[m]) for m in self.order):
            assert time.monotonic() < deadline, f"{self.who} was never shown {needle!r}"
            await asyncio.sleep(0.05)
        return self.find(needle)

    async def install(self) -> None:
        before = self.events
        r = await self.s.post(f"{self.base}/_debug/conversation/{self.cid}/installation", json={})
        assert r.status == 200
        await self.settle(before)

    async def say(self, text: str) -> list[dict[str, Any]]:
        n, before = len(self.order), self.events
        r = await self.s.post(
            f"{self.base}/_conversation/v1/conversations/{self.cid}/messages",
            json={"from": {"id": self.uid}, "text": text, "textFormat": "plain"},
        )
        assert r.status == 200, await r.text()
        await self.settle(before)
        return self.shown(n)

    def button(self, message: dict[str, Any], label: str) -> dict[str, Any]:
        """A button by its title, or by its action as ``action:<id>``."""
        for b in buttons(message):
            press = b["data"]["stoplicht"]
            if label.startswith("action:"):
                if press["action"] == label.removeprefix("action:"):
                    return b
            elif label in b["title"]:
                return b
        raise AssertionError(
            f"no button {label!r} in {[b['title'] for b in buttons(message)]} of {self.who}"
        )

    async def press(
        self, message: dict[str, Any], label: str, **typed: str
    ) -> tuple[Any, list[dict[str, Any]]]:
        """Press a button of a message shown in the chat, with the card's inputs as shown
        (their ``value``) unless typed; returns the invoke's answer (execute mode) and what
        was shown since."""
        b = self.button(message, label)
        values = {k: str(v.get("value", "")) for k, v in inputs(message).items()}
        if b.get("associatedInputs") == "none":
            values = {}
        values.update(typed)
        n, before = len(self.order), self.events
        data = dict(b["data"], **values)
        answer: Any = None
        if b["type"] == "Action.Execute":
            body = {
                "name": "adaptiveCard/action",
                "value": {
                    "action": {"type": "Action.Execute", "verb": b["verb"], "data": data},
                    "trigger": "manual",
                },
                "from": {"id": self.uid},
                "conversation": {"id": self.cid},
                "replyToId": message["messageId"],
            }
            r = await self.s.post(f"{self.base}/_conversation/v1/invoke", json=body)
            assert r.status == 200, await r.text()
            answer = await r.json()
            value = (answer or {}).get("value") or {}
            # A card answer is shown in place; a message answer (a card that keeps its
            # content) leaves the card as it was.
            if isinstance(value, dict) and value.get("type") == "AdaptiveCard":
                shown = self.messages[message["messageId"]]
                shown["attachments"] = [{"contentType": CARD, "content": value}]
                self.events += 1
        else:
            body = {
                "conversation": {"id": self.cid},
                "from": {"id": self.uid},
                "replyToId": message["messageId"],
                "value": data,
            }
            r = await self.s.post(f"{self.base}/_conversation/v1/submit", json=body)
            assert r.status == 200, await r.text()
        await self.settle(before)
        return answer, self.shown(n)
