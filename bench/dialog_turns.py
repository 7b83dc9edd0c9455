"""In-process teacher turns per second (save a light + show the next student) on SQLite, and
the SQL statements one such turn issues, for a small and a large school (they must be equal).

The large school: 2,000 students in 80 classes of 25, 13 subjects, 160 teachers (each teaching
6-7 groups), one open round over every class, built with bulk inserts.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event, insert, select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.engine import DialogEngine
from dialogs.types import Card, Incoming, IncomingKind, Reply, UserRef
from storage.db import make_engine, make_session_factory, upgrade
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

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
SUBJECTS = ("ne", "en", "wi", "du", "fa", "gs", "ak", "bi", "na", "sk", "ec", "lo", "kv")


def build_school(sf: sessionmaker[Session], *, classes: int, per_class: int, teachers: int) -> None:
    """Bulk-insert a school: ``classes`` x ``per_class`` students, 13 subject groups per class."""
    with sf.begin() as s:
        school = School(name="Bench", roster_id=f"bench-{classes}")
        s.add(school)
        s.flush()
        sid = school.id
        people: list[dict[str, Any]] = []
        for c in range(classes):
            for i in range(per_class):
                n = c * per_class + i
                people.append(_person(sid, f"s{n}", PersonKind.STUDENT, f"Student{n:05d}"))
        for t in range(teachers):
            people.append(_person(sid, f"t{t}", PersonKind.TEACHER, f"Teacher{t:04d}"))
        s.execute(insert(Person), people)
        ids = {
            r[0]: r[1]
            for r in s.execute(select(Person.roster_id, Person.id).where(Person.school_id == sid))
        }
        groups: list[dict[str, Any]] = []
        for c in range(classes):
            groups.append(_group(sid, f"c{c}", f"K{c:03d}", None))
            for subj in SUBJECTS:
                groups.append(_group(sid, f"c{c}-{subj}", f"K{c:03d} {subj}", subj))
        s.execute(insert(Group), groups)
        gids = {
            r[0]: r[1]
            for r in s.execute(select(Group.roster_id, Group.id).where(Group.school_id == sid))
        }
        enrol: list[dict[str, Any]] = []
        teach: list[dict[str, Any]] = []
        k = 0
        for c in range(classes):
            members = [ids[f"s{c * per_class + i}"] for i in range(per_class)]
            for key in [f"c{c}"] + [f"c{c}-{subj}" for subj in SUBJECTS]:
                enrol += [{"group_id": gids[key], "student_id": m, "active": True} for m in members]
                if key != f"c{c}":
                    teach.append(
                        {
                            "group_id": gids[key],
                            "teacher_id": ids[f"t{k % teachers}"],
                            "active": True,
                        }
                    )
                    k += 1
        s.execute(insert(Enrolment), enrol)
        s.execute(insert(TeachingAssignment), teach)
        rnd = Round(
            school_id=sid,
            name="Bench round",
            deadline=NOW + timedelta(days=7),
            state=RoundState.OPEN,
            opened_at=NOW,
        )
        s.add(rnd)
        s.flush()
        s.execute(
            insert(RoundGroup),
            [{"round_id": rnd.id, "group_id": gids[f"c{c}"]} for c in range(classes)],
        )


def _person(sid: int, key: str, kind: PersonKind, family: str) -> dict[str, Any]:
    return {
        "school_id": sid,
        "roster_id": key,
        "kind": kind,
        "given_name": key,
        "family_name": family,
        "display_name": f"{key} {family}",
        "email": f"{key}@bench.example",
        "active": True,
        "is_organizer": False,
        "created_at": NOW,
    }


def _group(sid: int, key: str, title: str, subject: str | None) -> dict[str, Any]:
    kind = GroupKind.TEACHING if subject else GroupKind.CLASS
    return {
        "school_id": sid,
        "roster_id": key,
        "title": title,
        "kind": kind,
        "subject": subject,
        "active": True,
    }


class Timed:
    """Wraps a storage operation to see how much of a turn it takes."""

    def __init__(self, module: Any, name: str) -> None:
        self.module, self.name = module, name
        self.original = getattr(module, name)
        self.seconds: list[float] = []

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return self.original(*args, **kwargs)
            finally:
                self.seconds.append(time.perf_counter() - started)

        setattr(module, name, wrapper)

    def restore(self) -> None:
        setattr(self.module, self.name, self.original)


class StatementCounter:
    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._on)

    def _on(self, *args: Any) -> None:
        self.count += 1


def _card(replies: list[Reply]) -> Card:
    return [r.card for r in replies if r.card is not None][-1]


def _save_turns(
    engine: DialogEngine,
    email: str,
    turns: int,
    counter: StatementCounter,
    cpu: list[float] | None = None,
) -> tuple[list[float], list[int]]:
    """Walk one teacher's first group: ``turns`` saves (each shows the next student)."""
    user = UserRef(channel="terminal", tenant="local", user_id=email, email=email)
    card = _card(engine.handle(Incoming(user=user, text="feedback")))
    while card.kind in ("pick_round", "pick_group"):
        first = card.choices[0]
        inc = Incoming(
            user=user,
            kind=IncomingKind.ACTION,
            action=first.action,
            args=dict(first.args),
            version=card.version,
        )
        card = _card(engine.handle(inc))
    per_turn: list[int] = []
    seconds: list[float] = []
    for _ in range(turns):
        if card.kind != "student":
            break
        inc = Incoming(
            user=user,
            kind=IncomingKind.ACTION,
            action="t_save",
            args={"light": "2"},
            values={"remark": "Ik zie dat je goed meedoet in de les.", "action": ""},
            version=card.version,
        )
        before = counter.count
        started, cpu_started = time.perf_counter(), time.process_time()
        replies = engine.handle(inc)
        seconds.append(time.perf_counter() - started)
        if cpu is not None:
            cpu.append(time.process_time() - cpu_started)
        per_turn.append(counter.count - before)
        card = _card(replies)
    return seconds, per_turn


def _measure(
    path: Path,
    *,
    classes: int,
    per_class: int,
    teachers: int,
    max_turns: int,
    cpu: list[float] | None = None,
) -> tuple[list[float], list[int]]:
    url = f"sqlite:///{path}"
    upgrade(url)
    eng = make_engine(url)
    sf = make_session_factory(eng)
    build_school(sf, classes=classes, per_class=per_class, teachers=teachers)
    counter = StatementCounter(eng)
    engine = DialogEngine(session_factory=sf, clock=lambda: NOW)
    seconds: list[float] = []
    per_turn: list[int] = []
    for t in range(teachers):
        if len(seconds) >= max_turns:
            break
        # the last save of a group ends in the review list: count only save + next student
        secs, counts = _save_turns(engine, f"t{t}@bench.example", per_class - 1, counter, cpu)
        seconds += secs
        per_turn += counts
    eng.dispose()
    return seconds, per_turn


BATCHES, BATCH = 5, 480  # turns are timed in batches: a busy moment on the box hits one batch
LARGE = {"classes": 80, "per_class": 25, "teachers": 160}  # 2,000 students
SMOKE = {  # sizes of a smoke run (bench.__main__)
    "BATCHES": 2,
    "BATCH": 3,
    "LARGE": {"classes": 1, "per_class": 5, "teachers": 13},
}


def run() -> list[tuple[str, str]]:
    from storage.feedback import entries as feedback

    with tempfile.TemporaryDirectory() as tmp:
        small = _measure(
            Path(tmp) / "small.sqlite", classes=2, per_class=10, teachers=4, max_turns=30
        )
        timed = [Timed(feedback, "record_and_look_ahead"), Timed(feedback, "subject_history")]
        cpu: list[float] = []  # CPU time of this process: steadier than wall time on a busy box
        try:
            large = _measure(
                Path(tmp) / "large.sqlite",
                **LARGE,
                max_turns=BATCHES * BATCH,
                cpu=cpu,
            )
        finally:
            for t in timed:
                t.restore()
    seconds, per_turn = large
    seconds, cpu = seconds[: BATCHES * BATCH], cpu[: BATCHES * BATCH]
    rates = [
        BATCH / sum(seconds[b * BATCH : (b + 1) * BATCH]) for b in range(len(seconds) // BATCH)
    ]
    small_counts = Counter(small[1])
    inside = sum(sum(t.seconds) for t in timed)  # includes the few calls at each walk's start
    rest = max(sum(seconds) - inside, 0.0) / max(len(seconds), 1) * 1000
    large_counts = Counter(per_turn)
    return [
        ("teacher turns (save + next), 2,000 students", f"{len(seconds)}"),
        (
            f"turns per second (SQLite, in-process), median of {len(rates)} batches",
            f"{statistics.median(rates):.0f}",
        ),
        ("turns per second, slowest batch", f"{min(rates):.0f}"),
        ("median turn", f"{statistics.median(seconds) * 1000:.2f} ms"),
        ("p95 turn", f"{statistics.quantiles(seconds, n=20)[-1] * 1000:.2f} ms"),
        ("turns per CPU second (this process)", f"{len(cpu) / max(sum(cpu), 1e-9):.0f}"),
        ("median turn, CPU time", f"{_median_ms(cpu)} ms"),
        *(
            (f"of which storage.feedback.entries.{t.name}, median", f"{_median_ms(t.seconds)} ms")
            for t in timed
        ),
        ("rest of the turn (engine, identity, state, listing), mean", f"{rest:.2f} ms"),
        ("SQL statements per turn, small school", _spread(small_counts)),
        ("SQL statements per turn, 2,000 students", _spread(large_counts)),
        (
            "constant statements per turn",
            "yes" if set(large_counts) == set(small_counts) and len(small_counts) == 1 else "NO",
        ),
    ]


def _median_ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:.2f}" if seconds else "-"


def _spread(c: Counter[int]) -> str:
    return ", ".join(f"{k} ({v} turns)" for k, v in sorted(c.items()))


if __name__ == "__main__":
    for figure, value in run():
        print(f"{figure}: {value}")
