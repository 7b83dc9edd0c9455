"""Statements per teacher turn, at two school sizes: they must be the same number.

Builds two schools (200 and 2,000 students; classes of 25, ten subject groups per class) with
bulk inserts, opens a round over every class with about 40% of the feedback filled in, and
counts the SQL statements (``before_cursor_execute``) that one turn of the teacher dialog
issues: listing the next student with the progress, and recording one feedback (new and
revised). Runs on SQLite and, when a server can be had, on PostgreSQL. Prints timings too;
asserts nothing about them.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert, literal, select, text
from sqlalchemy.orm import Session

from storage.cohort import expected_entries
from storage.db import make_engine, make_session_factory, unit_of_work, upgrade
from storage.feedback.entries import next_open_entry, progress, record_feedback
from storage.models import (
    Enrolment,
    Feedback,
    Group,
    GroupKind,
    Light,
    LightType,
    Person,
    PersonKind,
    School,
    TeachingAssignment,
    UTCDateTime,
)
from storage.rounds.lifecycle import create_round
from storage.rounds.status import round_status

SIZES = (200, 2000)
CLASS_SIZE = 25
SUBJECTS = ["ne", "en", "wi", "fa", "du", "gs", "bi", "ak", "na", "ec"]
NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
REPEAT = 20
POSTGRES = True  # also on PostgreSQL when a server can be had
# sizes of a smoke run (bench.__main__): SQLite only, the statements are the same on both
SMOKE = {"SIZES": (50, 100), "REPEAT": 2, "POSTGRES": False}


class Counter:
    def __init__(self, engine: Engine) -> None:
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._on)

    def _on(self, *_args: Any) -> None:
        self.n += 1

    @contextmanager
    def counting(self) -> Iterator[list[int]]:
        box = [0]
        start = self.n
        yield box
        box[0] = self.n - start


def build(session: Session, students: int) -> dict[str, int]:
    """A school of ``students`` students; returns ids the measurements use."""
    school = School(name=f"Bench {students}", roster_id=f"bench-{students}")
    session.add(school)
    session.flush()
    sid = school.id
    n_classes = students // CLASS_SIZE
    people = [
        dict(
            school_id=sid,
            roster_id=f"s{i}",
            kind=PersonKind.STUDENT,
            given_name=f"Leerling{i}",
            family_name=f"Achternaam{i % 97}",
            display_name=f"Leerling{i}",
            email=f"s{i}@b.ex",
            is_organizer=False,
            active=True,
            created_at=NOW,
        )
        for i in range(students)
    ]
    people += [
        dict(
            school_id=sid,
            roster_id=f"t{i}",
            kind=PersonKind.TEACHER,
            given_name=f"Docent{i}",
            family_name="Bench",
            display_name=f"Docent{i}",
            email=f"t{i}@b.ex",
            is_organizer=False,
            active=True,
            created_at=NOW,
        )
        for i in range(n_classes)
    ]
    session.execute(insert(Person), people)
    pid = {
        r: i
        for r, i in session.execute(
            select(Person.roster_id, Person.id).where(Person.school_id == sid)
        )
    }
    groups = [
        dict(
            school_id=sid,
            roster_id=f"c{c}",
            title=f"K{c:03d}",
            kind=GroupKind.CLASS,
            subject=None,
            active=True,
        )
        for c in range(n_classes)
    ]
    groups += [
        dict(
            school_id=sid,
            roster_id=f"c{c}-{s}",
            title=f"K{c:03d} {s}",
            kind=GroupKind.TEACHING,
            subject=s,
            active=True,
        )
        for c in range(n_classes)
        for s in SUBJECTS
    ]
    session.execute(insert(Group), groups)
    gid = {
        r: i
        for r, i in session.execute(select(Group.roster_id, Group.id).where(Group.school_id == sid))
    }
    enrol, teach = [], []
    for c in range(n_classes):
        members = range(c * CLASS_SIZE, (c + 1) * CLASS_SIZE)
        enrol += [
            dict(group_id=gid[f"c{c}"], student_id=pid[f"s{i}"], active=True) for i in members
        ]
        for k, s in enumerate(SUBJECTS):
            g = gid[f"c{c}-{s}"]
            enrol += [dict(group_id=g, student_id=pid[f"s{i}"], active=True) for i in members]
            # Each teacher teaches one subject in ten classes: same load at every size.
            teach.append(dict(group_id=g, teacher_id=pid[f"t{(c + k) % n_classes}"], active=True))
    session.execute(insert(Enrolment), enrol)
    session.execute(insert(TeachingAssignment), teach)
    session.flush()
    if session.get_bind().dialect.name == "sqlite":
        # A bulk load wants fresh planner statistics, as after a roster import.
        session.execute(text("ANALYZE"))
    else:
        for table in ("person", "school_group", "enrolment", "teaching_assignment"):
            session.execute(text(f"ANALYZE {table}"))
    rnd = create_round(
        session,
        school_id=sid,
        actor_id=None,
        name="Bench",
        group_ids=[gid[f"c{c}"] for c in range(n_classes)],
        deadline=NOW + timedelta(days=7),
        now=NOW,
        open_now=True,
    )
    e = expected_entries(rnd.id).subquery()
    fill = select(
        literal(rnd.id),
        e.c.student_id,
        e.c.group_id,
        e.c.teacher_id,
        e.c.subject,
        literal(Light.GA_ZO_DOOR, LightType()),
        literal(1),
        literal(NOW, UTCDateTime()),
        literal(NOW, UTCDateTime()),
    ).where((e.c.student_id + e.c.group_id) % 5 < 2)
    session.execute(
        insert(Feedback).from_select(
            [
                "round_id",
                "student_id",
                "group_id",
                "teacher_id",
                "subject",
                "light",
                "version",
                "created_at",
                "updated_at",
            ],
            fill,
        )
    )
    session.execute(
        text("ANALYZE" if session.get_bind().dialect.name == "sqlite" else "ANALYZE feedback")
    )
    return {"round": rnd.id, "teacher": pid["t0"]}


def measure(engine: Engine, students: int) -> dict[str, float]:
    factory = make_session_factory(engine)
    counter = Counter(engine)
    t0 = time.perf_counter()
    with unit_of_work(factory) as s:
        ids = build(s, students)
    out: dict[str, float] = {"build_s": time.perf_counter() - t0}
    rid, tid = ids["round"], ids["teacher"]

    def timed(fn: Callable[[Session], object]) -> tuple[int, float]:
        counts, times = [], []
        for _ in range(REPEAT):
            with unit_of_work(factory) as s, counter.counting() as box:
                start = time.perf_counter()
                fn(s)
                times.append(time.perf_counter() - start)
            counts.append(box[0])
        assert len(set(counts)) == 1, counts  # the same turn always costs the same
        return counts[0], statistics.median(times) * 1000

    def turn(s: Session) -> None:
        next_open_entry(s, round_id=rid, teacher_id=tid)
        progress(s, round_id=rid, teacher_id=tid)

    def write_new(s: Session) -> None:
        entry = next_open_entry(s, round_id=rid, teacher_id=tid)
        assert entry is not None
        with counter.counting() as box:
            record_feedback(
                s,
                actor_id=tid,
                round_id=rid,
                student_id=entry.student_id,
                group_id=entry.group_id,
                light=Light.LET_OP,
                remark=None,
                action="Laat me je planning zien.",
                now=NOW,
                channel="bench",
            )
        writes.append(box[0])

    def revise(s: Session) -> None:
        fb = s.scalars(
            select(Feedback).where(Feedback.round_id == rid, Feedback.teacher_id == tid).limit(1)
        ).one()
        with counter.counting() as box:
            record_feedback(
                s,
                actor_id=tid,
                round_id=rid,
                student_id=fb.student_id,
                group_id=fb.group_id,
                light=Light(5 - fb.light),
                remark="Herzien",
                action="Herzien",
                now=NOW,
                channel="bench",
            )
        writes.append(box[0])

    out["turn_n"], out["turn_ms"] = timed(turn)
    writes: list[int] = []
    _, out["write_ms"] = timed(write_new)
    assert len(set(writes)) == 1, writes
    out["write_n"] = writes[0]
    writes.clear()
    _, out["revise_ms"] = timed(revise)
    out["revise_n"] = writes[0]
    out["status_n"], out["status_ms"] = timed(lambda s: round_status(s, round_id=rid))
    return out


@contextmanager
def backends() -> Iterator[list[tuple[str, Callable[[], str]]]]:
    """(name, factory of a fresh empty database URL) for SQLite and, if possible, PostgreSQL."""
    tmp = Path(tempfile.mkdtemp(prefix="stoplicht-bench-"))
    made = iter(range(100))
    found: list[tuple[str, Callable[[], str]]] = [
        ("sqlite", lambda: f"sqlite:///{tmp}/b{next(made)}.sqlite")
    ]
    cluster = None
    admin = os.environ.get("STOPLICHT_TEST_PG_URL") if POSTGRES else None
    if not admin and POSTGRES:
        try:
            from tests.support import pg

            cluster = pg.start_cluster()
            admin = cluster.url
        except Exception:  # no server binaries: report SQLite only
            admin = None
    if admin:
        admin_engine = make_engine(admin, isolation_level="AUTOCOMMIT")

        def fresh_pg() -> str:
            name = f"bench_{next(made)}_{os.getpid()}"
            with admin_engine.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                c.execute(text(f'CREATE DATABASE "{name}"'))
            return admin.rsplit("/", 1)[0] + f"/{name}"

        found.append(("postgresql", fresh_pg))
    try:
        yield found
    finally:
        if cluster is not None:
            cluster.stop()


def run() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with backends() as found:
        for name, fresh in found:
            results = []
            for size in SIZES:
                url = fresh()
                upgrade(url)
                engine = make_engine(url)
                try:
                    results.append(measure(engine, size))
                finally:
                    engine.dispose()
            a, b = results
            sizes = f"{SIZES[0]} / {SIZES[1]} students"

            def pair(key: str, fmt: str = "{:.0f}", a: dict = a, b: dict = b) -> str:
                return f"{fmt.format(a[key])} / {fmt.format(b[key])}"

            rows += [
                (f"{name}: statements, next student + progress ({sizes})", pair("turn_n")),
                (f"{name}: statements, record_feedback new", pair("write_n")),
                (f"{name}: statements, record_feedback revise", pair("revise_n")),
                (f"{name}: statements, round_status", pair("status_n")),
                (
                    f"{name}: statements equal at both sizes",
                    "yes"
                    if all(a[k] == b[k] for k in ("turn_n", "write_n", "revise_n", "status_n"))
                    else "NO",
                ),
                (f"{name}: ms median, next student + progress", pair("turn_ms", "{:.1f}")),
                (f"{name}: ms median, record_feedback (new)", pair("write_ms", "{:.1f}")),
                (f"{name}: ms median, record_feedback (revise)", pair("revise_ms", "{:.1f}")),
                (f"{name}: ms median, round_status", pair("status_ms", "{:.1f}")),
                (f"{name}: s, building the school", pair("build_s", "{:.1f}")),
            ]
    return rows


if __name__ == "__main__":
    for figure, value in run():
        print(f"{figure:<70} {value}")
