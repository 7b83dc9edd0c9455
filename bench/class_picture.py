"""The mentor's class picture at the size of a large school: 67 classes of 30 (2,010
students), 14 subjects, a closed earlier round and a closed current round, half of each class
shared with, some read, plans and agreements. Prints the time and the statements of one
mentor's picture (30 mentees x 14 subjects), of every mentor's picture for the digests at close,
and of the organizer's follow-through; ``counts(classes)`` gives the statement counts alone, so
a smoke test can show they do not grow with the school.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from bench.mentor_digest import NOW, build, counting
from dialogs.mentor.picture import picture_table
from storage.db import make_engine, make_session_factory, unit_of_work, upgrade
from storage.mentoring.picture import class_picture, class_pictures_for_round
from storage.models import ActionPlan, Agreement, PlanState, Share
from storage.rounds.follow import follow_through

CLASSES, PER_CLASS, SUBJECTS = 67, 30, 14
SMOKE = {"CLASSES": 2}  # sizes of a smoke run (bench.__main__)


def follow_up(s: Session, big: dict[str, Any]) -> None:
    """Shares for every other student; of those every other one read, some planned, a few
    agreed."""
    rid, mentor = big["round"], big["mentor"]
    shared = big["students"][::2]
    s.execute(
        insert(Share),
        [
            dict(
                round_id=rid,
                student_id=st,
                mentor_id=mentor,
                shared_at=NOW,
                read_at=NOW if i % 2 == 0 else None,
            )
            for i, st in enumerate(shared)
        ],
    )
    planned = shared[::4]
    plans = [
        dict(
            round_id=rid,
            student_id=st,
            answers={},
            state=PlanState.SUBMITTED if i % 2 else PlanState.DRAFT,
            started_at=NOW,
            updated_at=NOW,
        )
        for i, st in enumerate(planned)
    ]
    if plans:
        s.execute(insert(ActionPlan), plans)
    agreed = [
        dict(round_id=rid, student_id=st, mentor_id=mentor, text="x", recorded_at=NOW)
        for st in planned[1::4]
    ]
    if agreed:  # an empty list would insert one row of defaults
        s.execute(insert(Agreement), agreed)


def measure(classes: int, per_class: int = PER_CLASS) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        out: dict[str, Any] = {}
        started = time.perf_counter()
        with unit_of_work(factory) as s:
            big = build(s, classes, per_class=per_class, subjects=SUBJECTS)
            follow_up(s, big)
        out["build"] = time.perf_counter() - started
        out["students"] = len(big["students"])
        for name, fn in (
            ("picture", lambda s: class_picture(s, mentor_id=big["mentor"], round_id=big["round"])),
            ("digests", lambda s: class_pictures_for_round(s, round_id=big["round"])),
            ("follow", lambda s: follow_through(s, round_id=big["round"])),
        ):
            with unit_of_work(factory) as s, counting(engine) as seen:
                started = time.perf_counter()
                result = fn(s)
                out[name] = (time.perf_counter() - started, len(seen), result)
        engine.dispose()
        return out


def counts(classes: int, per_class: int = PER_CLASS) -> dict[str, int]:
    """The statements of each read at this size (for the smoke test)."""
    m = measure(classes, per_class)
    return {k: m[k][1] for k in ("picture", "digests", "follow")}


def run() -> list[tuple[str, str]]:
    m = measure(CLASSES)
    took, n, picture = m["picture"]
    table = picture_table("nl", picture)
    rows = [
        (f"build {m['students']:,} students, {SUBJECTS} subjects", f"{m['build']:.1f} s"),
        (
            f"class_picture ({len(picture.rows)} mentees x {len(picture.subjects)} subjects)",
            f"{took * 1000:.0f} ms, {n} statements",
        ),
        ("  table", f"{len(table.rows)} rows x {len(table.columns)} columns"),
    ]
    took, n, pictures = m["digests"]
    rows.append(
        (
            f"class_pictures_for_round ({len(pictures)} mentors, digests at close)",
            f"{took * 1000:.0f} ms, {n} statements",
        )
    )
    took, n, follow = m["follow"]
    rows.append(
        (
            f"follow_through ({len(follow.classes)} classes)",
            f"{took * 1000:.0f} ms, {n} statements",
        )
    )
    small = counts(2)
    rows.append(
        (
            "statements at 60 students (picture/digests/follow)",
            f"{small['picture']}/{small['digests']}/{small['follow']}",
        )
    )
    return rows
