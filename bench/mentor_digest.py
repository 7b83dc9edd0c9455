"""Mentor side at the size of a large school: 2,000 students in 80 classes, 13 subjects,
160 teachers, 80 mentors, a closed earlier round and a closed current round (52,000 feedback
rows). Prints the time to compose every mentor's summaries at close, and the statements
issued by the overview, the report and the privacy operations (constant in number).
"""

from __future__ import annotations

import random
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert, select
from sqlalchemy.orm import Session

from storage.db import make_engine, make_session_factory, unit_of_work, upgrade
from storage.mentoring.service import mentee_summaries_for_round, mentor_overview, student_report
from storage.models import (
    Enrolment,
    Feedback,
    Group,
    GroupKind,
    Light,
    Mentorship,
    Person,
    PersonKind,
    Round,
    RoundGroup,
    RoundState,
    School,
    TeachingAssignment,
)
from storage.privacy import erase_student, export_student

CLASSES, PER_CLASS, SUBJECTS, TEACHERS = 80, 25, 13, 160
SMOKE = {"CLASSES": 2, "PER_CLASS": 4, "SUBJECTS": 2, "TEACHERS": 4}  # a smoke run's sizes
NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _ids(s: Session, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    return list(s.scalars(insert(model).returning(model.id), rows))


def build(
    s: Session,
    classes: int | None = None,
    *,
    per_class: int | None = None,
    subjects: int | None = None,
) -> dict[str, Any]:
    """The school; sizes default to the module's constants (as they are at call time)."""
    classes = CLASSES if classes is None else classes
    per_class = PER_CLASS if per_class is None else per_class
    subjects = SUBJECTS if subjects is None else subjects
    rnd = random.Random(7)
    school = School(name="Groot")
    s.add(school)
    s.flush()
    sid = school.id

    def people(kind: PersonKind, n: int, prefix: str) -> list[int]:
        rows = [
            dict(
                school_id=sid,
                roster_id=f"{prefix}{i}",
                kind=kind,
                display_name=f"{prefix} {i}",
                email=f"{prefix}{i}@groot.example",
                given_name="",
                family_name="",
                is_organizer=False,
                active=True,
                created_at=NOW,
            )
            for i in range(n)
        ]
        return _ids(s, Person, rows)

    students = people(PersonKind.STUDENT, classes * per_class, "s")
    teachers = people(PersonKind.TEACHER, TEACHERS, "t")

    def group(roster: str, kind: GroupKind, subject: str | None) -> dict[str, Any]:
        return dict(
            school_id=sid, roster_id=roster, title=roster, kind=kind, subject=subject, active=True
        )

    class_ids = _ids(s, Group, [group(f"k{c}", GroupKind.CLASS, None) for c in range(classes)])
    subj_ids = _ids(
        s,
        Group,
        [
            group(f"k{c}-v{v}", GroupKind.TEACHING, f"vak{v}")
            for c in range(classes)
            for v in range(subjects)
        ],
    )
    enrol, assign, mentors = [], [], []
    for c in range(classes):
        members = students[c * per_class : (c + 1) * per_class]
        groups = [class_ids[c]] + subj_ids[c * subjects : (c + 1) * subjects]
        enrol += [dict(group_id=g, student_id=st, active=True) for g in groups for st in members]
        mentors += [dict(mentor_id=teachers[c], student_id=st, active=True) for st in members]
        assign += [
            dict(group_id=g, teacher_id=teachers[(c * 7 + v) % TEACHERS], active=True)
            for v, g in enumerate(groups[1:])
        ]
    s.execute(insert(Enrolment), enrol)
    s.execute(insert(TeachingAssignment), assign)
    s.execute(insert(Mentorship), mentors)
    rounds = _ids(
        s,
        Round,
        [
            dict(
                school_id=sid,
                name=name,
                deadline=NOW - timedelta(days=days),
                state=RoundState.CLOSED,
                created_at=NOW,
                closed_at=NOW - timedelta(days=days),
            )
            for name, days in (("P1", 100), ("P2", 1))
        ],
    )
    s.execute(insert(RoundGroup), [dict(round_id=r, group_id=g) for r in rounds for g in class_ids])
    fb = []
    for r in rounds:
        for c in range(classes):
            for v in range(subjects):
                g = subj_ids[c * subjects + v]
                t = teachers[(c * 7 + v) % TEACHERS]
                for st in students[c * per_class : (c + 1) * per_class]:
                    light = Light(rnd.choices([1, 2, 3, 4], weights=[2, 10, 3, 1])[0])
                    fb.append(
                        dict(
                            round_id=r,
                            student_id=st,
                            group_id=g,
                            teacher_id=t,
                            subject=f"vak{v}",
                            light=light,
                            remark="Ik zie dat je " * 4,
                            action=None,
                            version=1,
                            created_at=NOW,
                            updated_at=NOW,
                        )
                    )
    s.execute(insert(Feedback), fb)
    return {
        "round": rounds[1],
        "mentor": teachers[0],
        "student": students[0],
        "students": students,
        "feedback": len(fb),
    }


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    out = fn()
    return time.perf_counter() - started, out


def run() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with unit_of_work(factory) as s:
            took, big = _timed(lambda: build(s))
        rows.append(("build 2,000 students, 52,000 feedback", f"{took:.1f} s"))
        with unit_of_work(factory) as s, counting(engine) as seen:
            took, digests = _timed(lambda: mentee_summaries_for_round(s, round_id=big["round"]))
        rows.append(("mentee_summaries_for_round (80 mentors)", f"{took * 1000:.0f} ms"))
        rows.append(("  statements", str(len(seen))))
        rows.append(("  mentees summarised", str(sum(len(v) for v in digests.values()))))
        with unit_of_work(factory) as s, counting(engine) as seen:
            took, _ = _timed(
                lambda: mentor_overview(s, mentor_id=big["mentor"], round_id=big["round"])
            )
        rows.append(
            ("mentor_overview (25 mentees)", f"{took * 1000:.0f} ms, {len(seen)} statements")
        )
        with unit_of_work(factory) as s, counting(engine) as seen:
            took, rep = _timed(
                lambda: student_report(
                    s, actor_id=big["mentor"], round_id=big["round"], student_id=big["student"]
                )
            )
        rows.append(
            (
                "student_report (mentor, 13 subjects)",
                f"{took * 1000:.0f} ms, {len(seen)} statements, {len(rep.lines)} lines",
            )
        )
        with unit_of_work(factory) as s, counting(engine) as seen:
            took, _ = _timed(lambda: export_student(s, school_id=None, key="s1"))
        rows.append(("export_student", f"{took * 1000:.0f} ms, {len(seen)} statements"))
        with unit_of_work(factory) as s, counting(engine) as seen:
            took, _ = _timed(lambda: erase_student(s, school_id=None, key="s2"))
        rows.append(("erase_student", f"{took * 1000:.0f} ms, {len(seen)} statements"))
        with unit_of_work(factory) as s:
            left = s.scalar(select(Person.id).where(Person.roster_id == "s2"))
        rows.append(("  erased student left", "none" if left is None else "STILL THERE"))
        engine.dispose()
    return rows
