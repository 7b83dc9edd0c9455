"""The school term a journey lives through: its clock, its scheduler and its outbox.

``Term`` sets the process's wall clock (time-machine, ticking) to the journey's first day and
moves it forward between steps, so everything that reads the time (the dialogs, the jobs, the
outbox, the notifications' rows) sees the journey's day. The scheduler is a recording queue:
``sweep`` plans what the running scheduler would plan (``schedules.jobs.sweep``), ``to`` moves
the clock and runs each job that fell due on the way at its own time, and ``deliver`` runs the
real outbox dispatcher with the channel's real senders until nothing is due.

The school is the small school of the dialog tests (``tests.unit.dialogs.school``): organizer
Olaf, teachers Wim (wiskunde) and Els (engels), mentor Mia, students Anna, Bram, Cas and Dewi
in class 3A, and a closed earlier round, without an open round: the journeys open it in chat.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from schedules import jobs
from schedules.delivery import Sender
from schedules.dispatcher import DeliveryPolicy, Dispatcher
from schedules.job_context import JobContext
from storage.models import Feedback, Notification, Person, Round
from tests.support.job_queue import RecordingQueue
from tests.unit.dialogs.school import SmallSchool, build

# Monday 16 November 2026, 08:00 in Amsterdam: the first day of the journeys' term.
MONDAY = datetime(2026, 11, 16, 7, 0, tzinfo=UTC)
FAST = DeliveryPolicy(conversation_interval=0.0, idle_sleep=0.0, backoff_base=0.0)

EMAILS = {
    "olaf": "o.rg@school.example",
    "wim": "t.wis@school.example",
    "els": "t.eng@school.example",
    "mia": "m.ent@school.example",
    "anna": "s0@school.example",
    "bram": "s1@school.example",
    "cas": "s2@school.example",
    "dewi": "s3@school.example",
}
NAMES = {
    "olaf": "Olaf Organisator",
    "wim": "Wim Wiskunde",
    "els": "Els Engels",
    "mia": "Mia Mentor",
    "anna": "Anna Aalders",
    "bram": "Bram Bakker",
    "cas": "Cas de Clercq",
    "dewi": "Dewi Dijkstra",
}


def small_school(sf: sessionmaker[Session], *, auto_close: bool) -> SmallSchool:
    return build(sf, open_round=False, settings={"auto_close": auto_close})


@dataclass
class Term:
    session_factory: sessionmaker[Session]
    start: datetime = MONDAY

    def __post_init__(self) -> None:
        self._travel = time_machine.travel(self.start, tick=True)
        self._coords: Any = self._travel.start()
        self.queue = RecordingQueue()
        self.ctx = JobContext(session_factory=self.session_factory, queue=self.queue)
        self.ran: list[tuple[datetime, str, Any]] = []

    def stop(self) -> None:
        if self._coords is not None:
            self._travel.stop()
            self._coords = None

    def now(self) -> datetime:
        return datetime.now(UTC)

    def sweep(self) -> None:
        """What the scheduler's periodic sweep does now (plans new rounds' jobs)."""
        jobs.sweep(ctx=self.ctx)

    def to(self, moment: datetime) -> list[str]:
        """Move the clock to ``moment``, running each job that falls due on the way at its own
        time; returns the names of the jobs that ran."""
        assert moment >= self.now() - timedelta(seconds=5), "a term only moves forward"
        names = []
        while True:
            due = [p for p in self.queue.ordered() if p.run_at <= moment]
            if not due:
                break
            p = due[0]
            del self.queue.jobs[p.job_id]
            if p.run_at > self.now():
                self._coords.move_to(p.run_at)
            module, name = p.func.split(":")
            result = getattr(importlib.import_module(module), name)(*p.args, ctx=self.ctx)
            self.ran.append((p.run_at, p.func, result))
            names.append(name)
        self._coords.move_to(moment)
        return names

    def days(self, n: float, *, hour: int | None = None) -> list[str]:
        """``n`` days later (at ``hour`` UTC when given)."""
        moment = self.now() + timedelta(days=n)
        if hour is not None:
            moment = moment.replace(hour=hour, minute=0, second=0, microsecond=0)
        return self.to(moment)

    async def deliver(self, senders: Mapping[str, Sender]) -> int:
        """Deliver every due notification through ``senders``; returns how many were tried."""
        dispatcher = Dispatcher(
            session_factory=self.session_factory, senders=dict(senders), policy=FAST
        )
        total = 0
        while n := await dispatcher.run_once():
            total += n
            await asyncio.sleep(0)
        return total


def person_id(sf: sessionmaker[Session], who: str) -> int:
    with sf() as s:
        return int(s.scalars(select(Person.id).where(Person.email == EMAILS[who])).one())


def feedback_of(sf: sessionmaker[Session], round_id: int, who: str) -> dict[str, tuple]:
    """The stored feedback of teacher ``who`` in the round: student's given name ->
    (light, remark, action)."""
    with sf() as s:
        rows = s.execute(
            select(Person.given_name, Feedback.light, Feedback.remark, Feedback.action)
            .join(Person, Person.id == Feedback.student_id)
            .where(Feedback.round_id == round_id, Feedback.teacher_id == person_id(sf, who))
        ).all()
    return {g: (int(light), remark, action) for g, light, remark, action in rows}


def round_named(sf: sessionmaker[Session], name: str) -> Round:
    with sf() as s:
        rnd = s.scalars(select(Round).where(Round.name == name)).one()
        s.expunge(rnd)
        return rnd


def round_exists(sf: sessionmaker[Session], name: str) -> bool:
    with sf() as s:
        return s.scalars(select(Round.id).where(Round.name == name)).first() is not None


# The organizer's explanation of the round (optional), which the invitations show.
EXPLANATION = "Let vooral op de werkhouding na de toetsweek."


def notifications(sf: sessionmaker[Session], kind: str) -> list[Notification]:
    with sf() as s:
        rows = list(s.scalars(select(Notification).where(Notification.kind == kind)))
        for r in rows:
            s.expunge(r)
        return rows


class Steps:
    """What a journey expects at each step. A journey goes on after a step that is not as
    expected (so one fault does not hide the next ones) and fails at its end, naming every
    such step; what makes going on impossible is asserted directly."""

    def __init__(self) -> None:
        self.failed: list[str] = []

    def expect(self, ok: object, step: str, seen: object = "") -> bool:
        if not ok:
            detail = str(seen)
            self.failed.append(f"{step}" + (f"\n    saw: {detail[:600]}" if detail else ""))
        return bool(ok)

    def done(self) -> None:
        assert not self.failed, "steps not as expected:\n- " + "\n- ".join(self.failed)
