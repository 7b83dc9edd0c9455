"""The running Teams app with auth on, against a fake Bot Framework on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import requests
from sqlalchemy.orm import Session, sessionmaker

from bot.app import Services, build_services, build_web_app
from bot.settings import Settings
from tests.integration.teams.activities import load
from tests.support.bot_framework import FakeBotFramework, ServerThread
from tests.unit.dialogs.school import NOW, SmallSchool, build

TENANT = "tenant-1"


@dataclass
class TeamsUser:
    key: str  # roster id, also the email's local part
    user_id: str  # Teams' 29:... id
    aad_id: str
    name: str
    conversation_id: str

    @property
    def email(self) -> str:
        return f"{self.key}@school.example"


WIM = TeamsUser("t.wis", "29:1wimWiskunde", "aad-0001-wis", "Wim Wiskunde", "a:1convWim")
ELS = TeamsUser("t.eng", "29:1elsEngels", "aad-0002-eng", "Els Engels", "a:1convEls")
STRANGER = TeamsUser("x.nobody", "29:1stranger", "aad-9999", "Nobody", "a:1convX")


@dataclass
class Channel:
    fake: FakeBotFramework
    server: ServerThread
    services: Services
    school: SmallSchool

    @property
    def url(self) -> str:
        return f"{self.server.url}/api/messages"

    def activity(self, name: str, user: TeamsUser = WIM, **subs: Any) -> dict[str, Any]:
        base = {
            "SERVICE_URL": self.fake.service_url,
            "USER_ID": user.user_id,
            "USER_NAME": user.name,
            "AAD_ID": user.aad_id,
            "TENANT": TENANT,
            "CONVERSATION_ID": user.conversation_id,
            "APP_ID": self.fake.app_id,
        }
        base.update(subs)
        return load(name, **base)

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
    url: str, fake: FakeBotFramework, **settings: Any
) -> tuple[Services, ServerThread]:
    s = Settings(STOPLICHT_DATABASE_URL=url, **fake.env(), **settings)
    services = build_services(s, clock=lambda: NOW)
    server = ServerThread(build_web_app(services)).start()
    return services, server


@pytest.fixture
def channel(sqlite_url: str, fake: FakeBotFramework) -> Iterator[Channel]:
    services, server = make_channel(sqlite_url, fake)
    school = build(services.session_factory)
    yield Channel(fake=fake, server=server, services=services, school=school)
    server.stop()


def snapshot(sf: sessionmaker[Session]) -> dict[str, list[tuple[Any, ...]]]:
    """Everything a turn could change, to prove that a rejected request changed nothing."""
    from sqlalchemy import select

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
