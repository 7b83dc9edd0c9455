"""Teams: latency of a teacher's card submit through ``/api/messages`` (auth on) until the next
card reaches the Bot Connector, on a 2,000-student school, at concurrency 1 and 32.

Side by side, in the same run, a bare botbuilder echo bot on the same adapter and auth (same
JWT validation, same token and connector calls, no database): the ratio shows what the
dialogs and storage add to the Bot Framework's own cost. The Bot Framework is the loopback
fake of the channel tests (``tests/support/bot_framework.py``).
"""

from __future__ import annotations

import itertools
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import requests
from aiohttp import web

from bench.support.echo_server import EchoBot
from bot.app import build_services, build_web_app
from bot.settings import Settings
from bot.teams.adapter import build_adapter
from storage.db import make_engine, make_session_factory, unit_of_work, upgrade
from storage.models import (
    Enrolment,
    Group,
    GroupKind,
    Person,
    PersonKind,
    Round,
    RoundGroup,
    RoundState,
    School,
    TeachingAssignment,
)
from tests.integration.teams.activities import load
from tests.support.bot_framework import FakeBotFramework, ServerThread

TENANT = "bench-tenant"
NOW = datetime(2026, 11, 20, 10, tzinfo=UTC)
CLASSES, PER_CLASS, SUBJECTS = 80, 25, 8
TEACHERS = 64
CONCURRENCY = 32  # teachers pressing at the same time, each in their own chat
REMARK = "Ik zie dat je in de les goed meedoet en vragen stelt als iets niet lukt."
ACTION = "Maak de komende twee weken elke dag tien sommen en laat ze mij op vrijdag zien."
SUBMITS_C1, SUBMITS_C32 = 20, 8  # a teaching group has 25 students
SMOKE = {  # sizes of a smoke run (bench.__main__): 4 teachers with one group of 4 each
    "CLASSES": 1,
    "PER_CLASS": 4,
    "SUBJECTS": 4,
    "TEACHERS": 4,
    "CONCURRENCY": 2,
    "SUBMITS_C1": 2,
    "SUBMITS_C32": 2,
}


def build_school(
    url: str, *, now: datetime = NOW, deadline: datetime | None = None, small: bool = False
) -> list[str]:
    """2,000 students in 80 classes (200 in 8 when ``small``), 8 subjects, 64 teachers; one
    round open since the day before ``now``. Returns the teachers' emails."""
    classes_n = 8 if small else CLASSES
    upgrade(url)
    engine = make_engine(url)
    emails = [f"docent{t}@bench.example" for t in range(TEACHERS)]
    with unit_of_work(make_session_factory(engine)) as s:
        school = School(name="Benchschool", teams_tenant_id=TENANT, settings={})
        s.add(school)
        s.flush()
        teachers = [
            Person(
                school_id=school.id,
                roster_id=f"t{t}",
                kind=PersonKind.TEACHER,
                given_name="Docent",
                family_name=str(t),
                display_name=f"Docent {t}",
                email=emails[t],
            )
            for t in range(TEACHERS)
        ]
        organizer = Person(
            school_id=school.id,
            roster_id="org",
            kind=PersonKind.STAFF,
            given_name="Olga",
            family_name="Organisator",
            display_name="Olga Organisator",
            email="org@bench.example",
            is_organizer=True,
        )
        s.add_all([*teachers, organizer])
        classes, groups = [], []
        for c in range(classes_n):
            cls = Group(school_id=school.id, roster_id=f"K{c}", title=f"K{c}", kind=GroupKind.CLASS)
            classes.append(cls)
            for j in range(SUBJECTS):
                groups.append(
                    (
                        c,
                        j,
                        Group(
                            school_id=school.id,
                            roster_id=f"K{c}-{j}",
                            title=f"K{c} vak{j}",
                            kind=GroupKind.TEACHING,
                            subject=f"vak{j}",
                        ),
                    )
                )
        s.add_all(classes + [g for _, _, g in groups])
        students = [
            Person(
                school_id=school.id,
                roster_id=f"s{i}",
                kind=PersonKind.STUDENT,
                given_name=f"Leerling{i}",
                family_name=f"Achternaam{i}",
                display_name=f"Leerling{i} Achternaam{i}",
                email=f"s{i}@bench.example",
            )
            for i in range(classes_n * PER_CLASS)
        ]
        s.add_all(students)
        s.flush()
        for i, st in enumerate(students):
            c = i // PER_CLASS
            s.add(Enrolment(group_id=classes[c].id, student_id=st.id))
            for j in range(SUBJECTS):
                s.add(Enrolment(group_id=groups[c * SUBJECTS + j][2].id, student_id=st.id))
        for k, (_c, _j, g) in enumerate(groups):
            s.add(TeachingAssignment(group_id=g.id, teacher_id=teachers[k % TEACHERS].id))
        rnd = Round(
            school_id=school.id,
            name="Periode 2",
            deadline=deadline or now + timedelta(days=7),
            state=RoundState.OPEN,
            organizer_id=organizer.id,
            opened_at=now - timedelta(days=1),
        )
        s.add(rnd)
        s.flush()
        for cls in classes:
            s.add(RoundGroup(round_id=rnd.id, group_id=cls.id))
    engine.dispose()
    return emails


@dataclass
class Teacher:
    email: str
    user_id: str
    aad_id: str
    conversation_id: str


class Rig:
    def __init__(self, fake: FakeBotFramework, url: str) -> None:
        self.fake = fake
        self.token = fake.token()
        self.url = url
        self.http = threading.local()
        self.ids = itertools.count(1763632801000)

    def _session(self) -> requests.Session:
        if not hasattr(self.http, "s"):
            self.http.s = requests.Session()
        return self.http.s

    def activity(self, name: str, t: Teacher, **subs: Any) -> dict[str, Any]:
        return load(
            name,
            SERVICE_URL=self.fake.service_url,
            USER_ID=t.user_id,
            USER_NAME=t.email,
            AAD_ID=t.aad_id,
            TENANT=TENANT,
            CONVERSATION_ID=t.conversation_id,
            APP_ID=self.fake.app_id,
            ACTIVITY_ID=str(next(self.ids)),  # each its own: a repeated activity is ignored
            **subs,
        )

    def post(self, path: str, body: dict[str, Any]) -> requests.Response:
        r = self._session().post(
            self.url + path,
            json=body,
            headers={"Authorization": f"Bearer {self.token}"},
            timeout=60,
        )
        r.raise_for_status()
        return r

    def cards_for(self, t: Teacher) -> list[dict[str, Any]]:
        return [
            a["content"]
            for rec in list(self.fake.sent)
            if rec.conversation_id == t.conversation_id
            for a in rec.body.get("attachments") or []
        ]

    def wait_card(self, t: Teacher, count: int) -> dict[str, Any]:
        deadline = time.monotonic() + 30
        while True:
            got = self.cards_for(t)
            if len(got) > count:
                return got[-1]
            if time.monotonic() > deadline:
                raise TimeoutError(t.email)
            with self.fake.cond:
                self.fake.cond.wait(0.05)


def _actions(card: dict[str, Any]) -> list[dict[str, Any]]:
    return [a for b in card.get("body", []) if b.get("type") == "ActionSet" for a in b["actions"]]


def _press(rig: Rig, path: str, t: Teacher, button: dict[str, Any], **inputs: str) -> None:
    data = dict(button["data"], **inputs)
    rig.post(
        path, rig.activity("invoke_execute", t, VERB=button["verb"], DATA=data, REPLY_TO_ID="x")
    )


def _open_card(rig: Rig, t: Teacher) -> dict[str, Any]:
    n = len(rig.cards_for(t))
    rig.post("/api/messages", rig.activity("message", t, text="feedback"))
    card = rig.wait_card(t, n)
    group = [a for a in _actions(card) if a["data"]["stoplicht"]["action"] == "t_group"]
    if group:
        n = len(rig.cards_for(t))
        _press(rig, "/api/messages", t, group[0])
        card = rig.wait_card(t, n)
    return card


def _submit(rig: Rig, t: Teacher, card: dict[str, Any]) -> tuple[float, dict[str, Any]]:
    save = [a for a in _actions(card) if a["data"]["stoplicht"].get("args", {}).get("light") == "2"]
    if not save:
        raise RuntimeError(f"not a student card: {str(card)[:600]}")
    n = len(rig.cards_for(t))
    start = time.perf_counter()
    _press(rig, "/api/messages", t, save[0], remark=REMARK, action=ACTION)
    nxt = rig.wait_card(t, n)
    return time.perf_counter() - start, nxt


def _echo(rig: Rig, t: Teacher) -> float:
    n = len(rig.cards_for(t))
    start = time.perf_counter()
    button = {
        "verb": "t_save",
        "data": {"stoplicht": {"action": "t_save", "args": {"light": "2"}, "version": 1}},
    }
    _press(rig, "/api/echo", t, button, remark=REMARK, action=ACTION)
    rig.wait_card(t, n)
    return time.perf_counter() - start


def _pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(p / 100 * (len(xs) - 1)))] * 1000


def run() -> list[tuple[str, str]]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-teams-"))
    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    emails = build_school(url)
    teachers = [
        Teacher(e, f"29:bench{i}", f"aad-bench-{i}", f"a:bench{i}") for i, e in enumerate(emails)
    ]
    fake = FakeBotFramework(
        members={
            t.user_id: {"id": t.user_id, "email": t.email, "userPrincipalName": t.email}
            for t in teachers
        }
    ).start()
    settings = Settings(STOPLICHT_DATABASE_URL=url, **fake.env())  # type: ignore[call-arg]
    services = build_services(settings, clock=lambda: NOW)
    app = build_web_app(services)
    echo_adapter, echo_bot = build_adapter(settings), EchoBot()

    async def echo(request: web.Request) -> web.StreamResponse:
        return await echo_adapter.process(request, echo_bot) or web.Response(status=201)

    app.router.add_post("/api/echo", echo)
    server = ServerThread(app).start()
    rig = Rig(fake, server.url)
    rows: list[tuple[str, str]] = []
    try:
        # Concurrency 1: teacher 0; concurrency 32: the last 32 teachers, each in their own chat.
        walkers = {1: teachers[:1], CONCURRENCY: teachers[TEACHERS - CONCURRENCY :]}
        current = {t.email: _open_card(rig, t) for t in walkers[1] + walkers[CONCURRENCY]}
        for t in teachers[:2]:  # warm up both paths
            _echo(rig, t)
        for conc in (1, CONCURRENCY):
            group = walkers[conc]
            per = SUBMITS_C1 if conc == 1 else SUBMITS_C32
            bot_times: list[float] = []
            echo_times: list[float] = []

            def walk(t: Teacher, per: int = per, out: tuple = (bot_times, echo_times)) -> None:
                for _ in range(per):
                    took, nxt = _submit(rig, t, current[t.email])
                    current[t.email] = nxt
                    out[0].append(took)  # list.append is atomic
                    out[1].append(_echo(rig, t))

            with ThreadPoolExecutor(conc) as pool:
                list(pool.map(walk, group))
            b50, e50 = _pct(bot_times, 50), _pct(echo_times, 50)
            rows += [
                (f"teams submit→next card c={conc} p50", f"{b50:.1f} ms"),
                (f"teams submit→next card c={conc} p99", f"{_pct(bot_times, 99):.1f} ms"),
                (f"teams echo bot c={conc} p50", f"{e50:.1f} ms"),
                (f"teams echo bot c={conc} p99", f"{_pct(echo_times, 99):.1f} ms"),
                (f"teams p50 ratio bot/echo c={conc}", f"{b50 / e50:.2f}x (n={len(bot_times)})"),
            ]
        rows.append(("teams bench school", f"{CLASSES * PER_CLASS} students, {TEACHERS} teachers"))
        rows.append(("teams median all samples", f"{statistics.median(bot_times) * 1000:.1f} ms"))
    finally:
        server.stop()
        fake.stop()
    return rows


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:45s} {value}")
