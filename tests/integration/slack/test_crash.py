"""An acknowledged Slack save survives ``kill -9`` of a real ``stoplicht serve`` between the ack
and the commit, and is stored exactly once after the restart.

The teacher's modal is opened in the test's own app; the submission goes to a ``stoplicht
serve`` process whose first call after the ack (``users.info``: its cache is new) the fake Slack
API holds, so the process has acknowledged and not yet committed when it is killed. A second
``serve`` on the same database runs the kept request again: the feedback is stored once, the
message shows its answered state, and the request is done.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
from sqlalchemy import func, select

from storage.models import AuditEntry, Feedback, InboxEntry, Round
from tests.integration.slack.conftest import SECRET, Slack, sample, signed
from tests.integration.slack.test_teacher_walk import _open_modal

STOPLICHT = str(Path(sys.executable).with_name("stoplicht"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _serve(url: str, api: str, port: int) -> subprocess.Popen[bytes]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "Microsoft", "STOPLICHT_"))
    }
    env.update(
        STOPLICHT_DATABASE_URL=url,
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_BOT_TOKEN="xoxb-test-token",
        STOPLICHT_SLACK_API_URL=api,
        STOPLICHT_SCHEDULER="0",
        STOPLICHT_INBOX_GRACE="0.2",
        STOPLICHT_INBOX_SWEEP="0.2",
    )
    return subprocess.Popen(
        [STOPLICHT, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _until(check, what: str, seconds: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    end = loop.time() + seconds
    while not await check():
        assert loop.time() < end, f"still waiting for {what}"
        await asyncio.sleep(0.1)


async def _healthy(port: int) -> bool:
    try:
        async with (
            aiohttp.ClientSession() as http,
            http.get(f"http://127.0.0.1:{port}/healthz") as r,
        ):
            return r.status == 200
    except aiohttp.ClientError:
        return False


def _count(slack: Slack, what) -> int:  # type: ignore[no-untyped-def]
    with slack.sf() as s:
        return int(s.scalar(select(func.count()).select_from(what)) or 0)


async def test_an_acknowledged_save_survives_kill_9_between_ack_and_commit(
    slack: Slack, sqlite_url: str
) -> None:
    view = await _open_modal(slack, "Let op")
    with slack.sf.begin() as s:  # the round takes feedback whatever today's date is
        for rnd in s.scalars(select(Round)):
            rnd.deadline = rnd.deadline.replace(year=2999)
    entries, writes = _count(slack, Feedback), _count(slack, AuditEntry)
    p = sample("view_submission.json")
    p["user"]["id"] = "UWIS"
    p["trigger_id"] = "sub-crash-1"
    p["view"].update(
        blocks=view["blocks"],
        private_metadata=view["private_metadata"],
        callback_id=view["callback_id"],
        state={
            "values": {
                k: {"value": {"type": "plain_text_input", "value": v}}
                for k, v in {"remark": "Je werkt hard.", "action": "Plan je week."}.items()
            }
        },
    )
    body = urlencode({"payload": json.dumps(p)})
    fake = slack.fake
    fake.hold["users.info"] = asyncio.Event()

    port = _free_port()
    first = _serve(sqlite_url, fake.url, port)
    try:
        await _until(lambda: _healthy(port), "the first server")
        headers = {"Content-Type": "application/x-www-form-urlencoded", **signed(body)}
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as r,
        ):
            assert r.status == 200  # Slack is told: received

        async def held() -> bool:
            return "users.info" in fake.held

        await _until(held, "the turn after the ack")
        assert _count(slack, Feedback) == entries  # acknowledged, not yet committed
        assert _count(slack, InboxEntry) >= 1
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=60)
    fake.hold.pop("users.info").set()
    assert _count(slack, Feedback) == entries

    updates = len(fake.of("chat.update"))
    port = _free_port()
    second = _serve(sqlite_url, fake.url, port)
    try:

        async def stored() -> bool:
            return _count(slack, Feedback) == entries + 1

        await _until(stored, "the save after the restart")
        await _until(lambda: _healthy(port), "the second server")

        async def answered() -> bool:  # the acted message, once the save is stored
            return len(fake.of("chat.update")) > updates

        await _until(answered, "the answered message")
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=60)
    with slack.sf() as s:
        rid = slack.school.ids["round"]
        saved = s.scalars(select(Feedback).where(Feedback.round_id == rid)).all()
        assert [(f.remark, f.action) for f in saved if f.remark == "Je werkt hard."] == [
            ("Je werkt hard.", "Plan je week.")
        ]
        assert _count(slack, AuditEntry) == writes + 1  # once
        kept = s.scalars(select(InboxEntry).where(InboxEntry.key == "tr:sub-crash-1")).one()
        assert kept.done_at is not None
