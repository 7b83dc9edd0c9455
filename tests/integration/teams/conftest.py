"""The running Teams app with auth on, against a fake Bot Framework on loopback."""

from __future__ import annotations

import itertools
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.app import Services, build_services, build_web_app
from bot.settings import Settings
from storage.db import make_engine, make_session_factory, unit_of_work
from storage.demo.seed import DEMO_MENTOR_EMAIL, DEMO_TEACHER_EMAIL, seed_demo
from storage.models import Feedback, Round, RoundState
from tests.integration.teams.activities import load
from tests.support.bot_framework import FakeBotFramework, ServerThread

TENANT = "tenant-1"
_ACTIVITY_IDS = itertools.count(1763632801000)  # every activity Teams sends has its own id
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class DemoSchool:
    school_id: int
    open_round_id: int


def seed_school(url: str) -> DemoSchool:
    """The demo school, its tenant linked to ``TENANT`` (production mode: no demo fallback)."""
    engine = make_engine(url)
    try:
        with unit_of_work(make_session_factory(engine)) as s:
            school = seed_demo(s, now=NOW)
            school.teams_tenant_id = TENANT
            s.flush()
            rid = s.scalars(
                select(Round.id).where(Round.school_id == school.id, Round.state == RoundState.OPEN)
            ).one()
            return DemoSchool(school.id, rid)
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def demo_template(
    sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, DemoSchool]:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    shutil.copy(sqlite_template, path)
    return path, seed_school(f"sqlite:///{path}")


@pytest.fixture
def demo_url(demo_template: tuple[Path, DemoSchool], tmp_path: Path) -> tuple[str, DemoSchool]:
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_template[0], path)
    return f"sqlite:///{path}", demo_template[1]


@dataclass
class TeamsUser:
    email: str
    user_id: str  # Teams' 29:... id
    aad_id: str
    name: str
    conversation_id: str


# The demo school's wiskunde teacher and the mentor of 3A.
WIM = TeamsUser(
    DEMO_TEACHER_EMAIL, "29:1jeroenVisser", "aad-0001-vis", "Jeroen Visser", "a:1convJV"
)
ELS = TeamsUser(
    DEMO_MENTOR_EMAIL, "29:1estherDeGroot", "aad-0002-grt", "Esther de Groot", "a:1convEG"
)
STRANGER = TeamsUser("x.nobody@elders.example", "29:1stranger", "aad-9999", "Nobody", "a:1convX")


@dataclass
class Channel:
    fake: FakeBotFramework
    server: ServerThread
    services: Services
    school: DemoSchool

    @property
    def url(self) -> str:
        return f"{self.server.url}/api/messages"

    def activity(
        self, name: str, user: TeamsUser = WIM, text: str | None = None, **subs: Any
    ) -> dict[str, Any]:
        """Fixture ``name`` with the test's ids filled in; ``text`` replaces a message's text."""
        base = {
            "SERVICE_URL": self.fake.service_url,
            "USER_ID": user.user_id,
            "USER_NAME": user.name,
            "AAD_ID": user.aad_id,
            "TENANT": TENANT,
            "CONVERSATION_ID": user.conversation_id,
            "APP_ID": self.fake.app_id,
            "ACTIVITY_ID": str(next(_ACTIVITY_IDS)),
        }
        base.update(subs)
        body = load(name, **base)
        if text is not None:
            body["text"] = text
        return body

    def post(
        self, body: Any, *, token: str | None = "valid", headers: dict[str, str] | None = None
    ) -> requests.Response:
        h = {"Content-Type": "application/json"}
        if token == "valid":
            token = self.fake.token()
        if token:
            h["Authorization"] = f"Bearer {token}"
        h.update(headers or {})
        data = body if isinstance(body, str | bytes) else __import__("json").dumps(body)
        return requests.post(self.url, data=data, headers=h, timeout=30)

    @property
    def session_factory(self) -> sessionmaker[Session]:
        return self.services.session_factory


def _member(user: TeamsUser) -> dict[str, Any]:
    return {
        "id": user.user_id,
        "name": user.name,
        "aadObjectId": user.aad_id,
        "email": user.email,
        "userPrincipalName": user.email,
        "tenantId": TENANT,
        "userRole": "user",
    }


@pytest.fixture
def fake() -> Iterator[FakeBotFramework]:
    fb = FakeBotFramework(members={u.user_id: _member(u) for u in (WIM, ELS)}).start()
    yield fb
    fb.stop()


def make_channel(
    url: str, fake: FakeBotFramework, teams_sdk: str = "botbuilder", **settings: Any
) -> tuple[Services, ServerThread]:
    s = Settings(
        STOPLICHT_DATABASE_URL=url, STOPLICHT_TEAMS_SDK=teams_sdk, **fake.env(teams_sdk), **settings
    )
    services = build_services(s, clock=lambda: NOW)
    server = ServerThread(build_web_app(services)).start()
    return services, server


@pytest.fixture
def channel(
    demo_url: tuple[str, DemoSchool], fake: FakeBotFramework, teams_sdk: str
) -> Iterator[Channel]:
    url, school = demo_url
    services, server = make_channel(url, fake, teams_sdk)
    yield Channel(fake=fake, server=server, services=services, school=school)
    server.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db(
    request: pytest.FixtureRequest, demo_template: tuple[Path, DemoSchool], tmp_path: Path
) -> tuple[str, DemoSchool]:
    """The demo school on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "demo.sqlite"
        shutil.copy(demo_template[0], path)
        return f"sqlite:///{path}", demo_template[1]
    url = str(request.getfixturevalue("pg_url"))
    return url, seed_school(url)


def snapshot(sf: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a turn could change, to prove that a rejected request changed nothing."""
    from storage.models import ChannelAccount, DialogState, Feedback

    with sf() as s:
        return {
            "feedback": [
                (f.id, f.student_id, f.teacher_id, int(f.light), f.remark, f.action, f.version)
                for f in s.scalars(select(Feedback).order_by(Feedback.id))
            ],
            "accounts": [
                (a.id, a.external_id, a.conversation is not None)
                for a in s.scalars(select(ChannelAccount).order_by(ChannelAccount.id))
            ],
            "dialogs": [(d.person_id, d.version) for d in s.scalars(select(DialogState))],
        }


def cards(recorded: Any) -> list[dict[str, Any]]:
    """The Adaptive Cards in recorded activities, in order."""
    out = []
    for rec in recorded:
        for att in rec.body.get("attachments") or []:
            if att.get("contentType") == "application/vnd.microsoft.card.adaptive":
                out.append(att["content"])
    return out


def actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if str(node.get("type", "")).startswith("Action."):
                found.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card.get("body", []))
    return found


def light_action(card: dict[str, Any], light: int) -> dict[str, Any]:
    for a in actions(card):
        press = a.get("data", {}).get("stoplicht", {})
        if press.get("args", {}).get("light") == str(light):
            return a
    raise AssertionError(f"no action for light {light} on the card")


def texts(card: dict[str, Any]) -> str:
    """All visible text of a card, joined (for asserting what a user sees)."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key in ("text", "title", "value", "label"):
                if isinstance(node.get(key), str):
                    parts.append(node[key])
            for v in node.values():
                if isinstance(v, dict | list):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card.get("body", []))
    return "\n".join(parts)


def execute(
    channel: Channel, action: dict[str, Any], user: TeamsUser = WIM, **inputs: str
) -> requests.Response:
    """Press an ``Action.Execute`` button the way Teams does (an ``adaptiveCard/action`` invoke)."""
    data = dict(action["data"], **inputs)
    return channel.post(
        channel.activity(
            "invoke_execute", user=user, VERB=action["verb"], DATA=data, REPLY_TO_ID="sent-1"
        )
    )


def press(
    channel: Channel, card: dict[str, Any], name: str, user: TeamsUser = WIM
) -> dict[str, Any]:
    """Press the first button whose action is ``name``; return the card posted next."""
    act = next(a for a in actions(card) if a["data"]["stoplicht"]["action"] == name)
    count = len(channel.fake.sent)
    r = execute(channel, act, user)
    assert r.status_code == 200, r.text
    return cards(channel.fake.wait_for_sent(count + 1))[-1]


def open_student_card(channel: Channel, user: TeamsUser = WIM) -> dict[str, Any]:
    """Type "feedback", pick the first group if asked: the first student's card."""
    count = len(channel.fake.sent)
    r = channel.post(channel.activity("message", user=user, text="feedback"))
    assert r.status_code == 201, r.text
    card = cards(channel.fake.wait_for_sent(count + 1))[-1]
    if any(a["data"]["stoplicht"]["action"] == "t_group" for a in actions(card)):
        card = press(channel, card, "t_group", user)
    return card


def open_feedback(channel: Channel) -> dict[tuple[int, int], tuple[int, str | None, str | None]]:
    """The open round's feedback: (student, teacher) → (light, remark, action)."""
    with channel.session_factory() as s:
        rows = s.scalars(select(Feedback).where(Feedback.round_id == channel.school.open_round_id))
        return {(f.student_id, f.teacher_id): (int(f.light), f.remark, f.action) for f in rows}


def post_together(calls: list[tuple[Channel, dict[str, Any]]]) -> list[requests.Response]:
    """Post every body to its server at the same moment; the responses in order."""
    barrier = threading.Barrier(len(calls))
    out: list[requests.Response | None] = [None] * len(calls)

    def run(i: int, channel: Channel, body: dict[str, Any]) -> None:
        barrier.wait()
        out[i] = channel.post(body)

    threads = [threading.Thread(target=run, args=(i, *c)) for i, c in enumerate(calls)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert all(r is not None for r in out)
    return [r for r in out if r is not None]
