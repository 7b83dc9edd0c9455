"""Composing every mentor digest at close, on a school of 2,000 students and 80 mentors.

80 classes of 25, 13 subject groups per class (26,000 expected entries), one mentor per
class, feedback for every entry in a previous closed round and in the round being closed
(lights spread so some mentees need attention, remarks on the worrying ones). Figures: the
close itself (state change + outbox rows) and composing all 80 digests (summaries read in a
constant number of statements, then one card per mentor). SQLite on a temp file.
"""

from __future__ import annotations

import random
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from schedules.composer import compose_digests
from storage.db import make_engine, make_session_factory, unit_of_work, upgrade
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
from storage.rounds.lifecycle import close_round

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
CLASSES, PER_CLASS, SUBJECTS = 80, 25, 13
SMOKE = {"CLASSES": 2, "PER_CLASS": 3, "SUBJECTS": 2}  # sizes of a smoke run (bench.__main__)
LIGHTS = [Light.GA_ZO_DOOR] * 12 + [Light.EXCELLENT] * 3 + [Light.LET_OP] * 3 + [Light.PAS_OP]


def build(sf: sessionmaker[Session]) -> int:
    """The school with two rounds (previous closed, current open); returns the current id."""
    rng = random.Random(7)
    with sf.begin() as s:
        school = School(name="Bench digest", roster_id="bench-digest")
        s.add(school)
        s.flush()
        sid = school.id

        def person(key: str, kind: PersonKind, name: str) -> dict[str, Any]:
            return dict(
                school_id=sid,
                roster_id=key,
                kind=kind,
                display_name=name,
                given_name=name,
                family_name=name,
                active=True,
                is_organizer=False,
            )

        people = [
            person(f"s{n}", PersonKind.STUDENT, f"Student {n:04d}")
            for n in range(CLASSES * PER_CLASS)
        ]
        people += [person(f"m{c}", PersonKind.TEACHER, f"Mentor {c:02d}") for c in range(CLASSES)]
        people += [person(f"t{t}", PersonKind.TEACHER, f"Docent {t:03d}") for t in range(160)]
        s.execute(insert(Person), people)
        ids = {
            r[0]: r[1]
            for r in s.execute(select(Person.roster_id, Person.id).where(Person.school_id == sid))
        }
        groups = [
            dict(
                school_id=sid,
                roster_id=f"c{c}",
                title=f"K{c:02d}",
                kind=GroupKind.CLASS,
                subject=None,
                active=True,
            )
            for c in range(CLASSES)
        ]
        groups += [
            dict(
                school_id=sid,
                roster_id=f"c{c}-{j}",
                title=f"K{c:02d} v{j}",
                kind=GroupKind.TEACHING,
                subject=f"vak{j}",
                active=True,
            )
            for c in range(CLASSES)
            for j in range(SUBJECTS)
        ]
        s.execute(insert(Group), groups)
        gids = {
            r[0]: r[1]
            for r in s.execute(select(Group.roster_id, Group.id).where(Group.school_id == sid))
        }
        enrol, teach, mentor, entries = [], [], [], []
        for c in range(CLASSES):
            teach += [
                dict(
                    group_id=gids[f"c{c}-{j}"],
                    teacher_id=ids[f"t{(c * SUBJECTS + j) % 160}"],
                    active=True,
                )
                for j in range(SUBJECTS)
            ]
            for i in range(PER_CLASS):
                st = ids[f"s{c * PER_CLASS + i}"]
                mentor.append(dict(mentor_id=ids[f"m{c}"], student_id=st, active=True))
                enrol.append(dict(group_id=gids[f"c{c}"], student_id=st, active=True))
                for j in range(SUBJECTS):
                    enrol.append(dict(group_id=gids[f"c{c}-{j}"], student_id=st, active=True))
                    entries.append(
                        (st, gids[f"c{c}-{j}"], ids[f"t{(c * SUBJECTS + j) % 160}"], f"vak{j}")
                    )
        s.execute(insert(Enrolment), enrol)
        s.execute(insert(TeachingAssignment), teach)
        s.execute(insert(Mentorship), mentor)
        round_ids = []
        for k, state in enumerate((RoundState.CLOSED, RoundState.OPEN)):
            rnd = Round(
                school_id=sid,
                name=f"Ronde {k + 1}",
                state=state,
                deadline=NOW - timedelta(days=100 - k * 99),
                opened_at=NOW - timedelta(days=120 - k * 99),
                closed_at=NOW - timedelta(days=100) if k == 0 else None,
            )
            s.add(rnd)
            s.flush()
            round_ids.append(rnd.id)
            s.execute(
                insert(RoundGroup),
                [dict(round_id=rnd.id, group_id=gids[f"c{c}"]) for c in range(CLASSES)],
            )
            rows = []
            for st, g, t, subject in entries:
                light = rng.choice(LIGHTS)
                remark = (
                    "Ik merk dat je je huiswerk vaak niet af hebt; laten we een planning "
                    "maken voor de komende weken."
                    if light >= Light.LET_OP
                    else None
                )
                rows.append(
                    dict(
                        round_id=rnd.id,
                        student_id=st,
                        group_id=g,
                        teacher_id=t,
                        subject=subject,
                        light=light,
                        remark=remark,
                        action=None,
                        version=1,
                        created_at=NOW,
                        updated_at=NOW,
                    )
                )
            s.execute(insert(Feedback), rows)
        return round_ids[1]


def run() -> list[tuple[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'digest.sqlite'}"
        upgrade(url)
        engine = make_engine(url)
        sf = make_session_factory(engine)
        round_id = build(sf)
        t0 = time.perf_counter()
        with unit_of_work(sf) as s:
            close_round(s, round_id=round_id, actor_id=None, now=NOW)
        t_close = time.perf_counter() - t0
        t0 = time.perf_counter()
        with sf() as s:
            digests = compose_digests(s, round_id=round_id)
        t_compose = time.perf_counter() - t0
        t0 = time.perf_counter()  # again, with statements compiled and pages cached
        with sf() as s:
            compose_digests(s, round_id=round_id)
        t_warm = time.perf_counter() - t0
        sections = sum(len(r[0].card.sections) for r in digests.values() if r[0].card)
        engine.dispose()
    return [
        (
            "school",
            f"{CLASSES * PER_CLASS} students, {CLASSES} mentors, "
            f"{CLASSES * PER_CLASS * SUBJECTS} entries/round (SQLite)",
        ),
        ("close_round (state + outbox)", f"{t_close * 1000:.0f} ms"),
        ("compose all mentor digests", f"{t_compose * 1000:.0f} ms (target < 1000 ms)"),
        ("  the same, warm", f"{t_warm * 1000:.0f} ms"),
        ("digests / sections", f"{len(digests)} / {sections}"),
    ]


if __name__ == "__main__":
    for name, value in run():
        print(f"{name}: {value}")
