"""A hypothesis state machine of the round lifecycle on SQLite, through the real storage API.

Rules create, open, extend and close rounds, record feedback as any teacher (inactive and
other-school ones included) for any student and subject group, share, write and submit plans
and record agreements, valid or not. A small model predicts which calls succeed; a refused
call must raise a domain error and change nothing (each step is one unit of work).

Invariants: the database holds exactly the feedback the model holds, so a closed round never
gains or changes feedback; every feedback row is by a teacher of that group for a student of
the round; the outbox has no duplicate key; a round's state only ever moved draft → open →
closed.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from sqlalchemy import select
from sqlalchemy.pool import StaticPool

from storage.db import make_engine, make_session_factory, unit_of_work
from storage.errors import DomainError
from storage.feedback.entries import record_feedback
from storage.mentoring.plans import save_plan, submit_plan
from storage.mentoring.service import record_agreements, share_with_student
from storage.models import Base, Feedback, Light, Notification, Round, RoundState
from storage.rounds.lifecycle import close_round, create_round, extend_round, open_round
from tests.support.builders import tiny_school

T0 = datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
CLASSES = ("2A", "2B", "3C")
SUBJECT_GROUPS = ("2A wi", "2B wi", "2-du", "2A ne", "3C wi")
STUDENTS = ("anna", "bram", "cas", "dewi", "eva", "fenna")
TEACHERS = ("wim", "dora", "ivo", "mia", "other")
MEMBERS = {
    "2A": {"anna", "bram", "cas"},
    "2B": {"dewi", "eva"},
    "3C": {"fenna"},
    "2A wi": {"anna", "bram", "cas"},
    "2B wi": {"dewi", "eva"},
    "2-du": {"anna", "bram", "dewi"},
    "2A ne": {"anna", "bram", "cas"},
    "3C wi": {"fenna"},
}
TEACHES = {"wim": {"2A wi", "2B wi", "3C wi"}, "dora": {"2-du", "2A ne"}}  # ivo is inactive
MENTEES = {"anna", "bram", "cas"}  # Mia mentors 2A
VALID = [
    (teacher, student, group)
    for teacher, groups in TEACHES.items()
    for group in sorted(groups)
    for student in sorted(MEMBERS[group])
]
# Mostly entries a teacher may write (given an open round of the right class), some not.
entries = st.one_of(
    st.sampled_from(VALID),
    st.tuples(
        st.sampled_from(TEACHERS), st.sampled_from(STUDENTS), st.sampled_from(SUBJECT_GROUPS)
    ),
)
students = st.one_of(st.sampled_from(sorted(MENTEES)), st.sampled_from(STUDENTS))
NEXT = {RoundState.DRAFT: RoundState.OPEN, RoundState.OPEN: RoundState.CLOSED}


class RoundLifecycle(RuleBasedStateMachine):
    @initialize()
    def school(self) -> None:
        self.engine = make_engine("sqlite://", poolclass=StaticPool)
        Base.metadata.create_all(self.engine)
        self.factory = make_session_factory(self.engine)
        with unit_of_work(self.factory) as s:
            self.tiny = tiny_school(s)
            other = tiny_school(s, name="Other", prefix="o")
        self.ids = dict(self.tiny.people)
        self.ids["other"] = other.people["wim"]
        self.state: dict[int, RoundState] = {}
        self.seen: dict[int, list[RoundState]] = {}
        self.classes: dict[int, set[str]] = {}
        self.feedback: dict[tuple[int, str, str, str], tuple[Light, str]] = {}
        self.shared: set[tuple[int, str]] = set()
        self.agreed: set[tuple[int, str]] = set()
        self.planned: set[tuple[int, str]] = set()

    def teardown(self) -> None:
        engine = getattr(self, "engine", None)
        if engine is not None:
            engine.dispose()

    def _try(self, expect_ok: bool, fn) -> object:  # type: ignore[no-untyped-def]
        try:
            with unit_of_work(self.factory) as s:
                result = fn(s)
        except DomainError:
            assert not expect_ok, "a valid call was refused"
            return None
        assert expect_ok, "an invalid call was accepted"
        return result

    def _round(self, data: st.DataObject, prefer: RoundState) -> int:
        """A round, usually one in the state where the rule does something."""
        wanted = sorted(r for r, state in self.state.items() if state is prefer)
        if wanted and data.draw(st.integers(0, 3), label="prefer") > 0:
            return data.draw(st.sampled_from(wanted), label="round")
        return data.draw(st.sampled_from(sorted(self.state)), label="round")

    @precondition(lambda self: len(self.state) < 3)
    @rule(
        classes=st.sets(st.sampled_from(CLASSES), min_size=1, max_size=2),
        open_now=st.booleans(),
    )
    def create(self, classes: set[str], open_now: bool) -> None:
        groups = [self.tiny.groups[c] for c in sorted(classes)]
        with unit_of_work(self.factory) as s:
            rnd = create_round(
                s,
                school_id=self.tiny.school_id,
                actor_id=self.ids["olga"],
                name="R",
                group_ids=groups,
                deadline=T0 + timedelta(days=7),
                now=T0,
                open_now=open_now,
            )
            rid = rnd.id
        self.state[rid] = RoundState.OPEN if open_now else RoundState.DRAFT
        self.seen[rid] = [RoundState.DRAFT] + ([RoundState.OPEN] if open_now else [])
        self.classes[rid] = classes

    def _move(self, rid: int, fn, target: RoundState) -> None:  # type: ignore[no-untyped-def]
        ok = NEXT.get(self.state[rid]) is target
        self._try(ok, lambda s: fn(s, round_id=rid, actor_id=self.ids["olga"], now=T0))
        if ok:
            self.state[rid] = target
            self.seen[rid].append(target)

    @precondition(lambda self: self.state)
    @rule(data=st.data())
    def open(self, data: st.DataObject) -> None:
        self._move(self._round(data, RoundState.DRAFT), open_round, RoundState.OPEN)

    @precondition(lambda self: self.state)
    @rule(data=st.data())
    def close(self, data: st.DataObject) -> None:
        self._move(self._round(data, RoundState.OPEN), close_round, RoundState.CLOSED)

    @precondition(lambda self: self.state)
    @rule(data=st.data(), days=st.integers(min_value=-1, max_value=20))
    def extend(self, data: st.DataObject, days: int) -> None:
        rid = self._round(data, RoundState.OPEN)
        ok = self.state[rid] is not RoundState.CLOSED and days > 0
        self._try(
            ok,
            lambda s: extend_round(
                s,
                round_id=rid,
                actor_id=self.ids["olga"],
                deadline=T0 + timedelta(days=days),
                now=T0,
            ),
        )

    def _in_round(self, rid: int, student: str) -> bool:
        return any(student in MEMBERS[c] for c in self.classes[rid])

    @precondition(lambda self: self.state)
    @rule(
        data=st.data(),
        light=st.sampled_from(list(Light)),
        text=st.sampled_from(["Ik zie dat je oefent", "Ik merk dat je vragen stelt"]),
    )
    def give_feedback(self, data: st.DataObject, light: Light, text: str) -> None:
        rid = self._round(data, RoundState.OPEN)
        fitting = [e for e in VALID if self._in_round(rid, e[1])]
        valid = data.draw(st.booleans(), label="valid entry") and fitting
        entry = data.draw(st.sampled_from(fitting) if valid else entries, label="entry")
        teacher, student, group = entry
        ok = (
            self.state[rid] is RoundState.OPEN
            and group in TEACHES.get(teacher, set())
            and student in MEMBERS[group]
            and self._in_round(rid, student)
        )
        self._try(
            ok,
            lambda s: record_feedback(
                s,
                actor_id=self.ids[teacher],
                round_id=rid,
                student_id=self.ids[student],
                group_id=self.tiny.groups[group],
                light=light,
                remark=text,
                action=text,
                now=T0,
                channel="cli",
            ),
        )
        if ok:
            self.feedback[(rid, student, group, teacher)] = (light, text)

    @precondition(lambda self: self.state)
    @rule(data=st.data(), student=students)
    def share(self, data: st.DataObject, student: str) -> None:
        rid = self._round(data, RoundState.CLOSED)
        ok = self.state[rid] is RoundState.CLOSED and student in MENTEES
        result = self._try(
            ok,
            lambda s: share_with_student(
                s, actor_id=self.ids["mia"], round_id=rid, student_id=self.ids[student], now=T0
            ),
        )
        if ok:
            assert result == ((rid, student) not in self.shared)
            self.shared.add((rid, student))

    @precondition(lambda self: self.state)
    @rule(data=st.data(), student=students, submit=st.booleans())
    def plan(self, data: st.DataObject, student: str, submit: bool) -> None:
        rid = self._round(data, RoundState.CLOSED)
        if self.shared and data.draw(st.booleans(), label="a shared one"):
            rid, student = data.draw(st.sampled_from(sorted(self.shared)), label="shared")
        ok = (rid, student) in self.shared and (rid, student) not in self.agreed

        def write(s):  # type: ignore[no-untyped-def]
            save_plan(
                s, actor_id=self.ids[student], round_id=rid, now=T0, answers={"went_well": "Lezen"}
            )
            return (
                submit_plan(s, actor_id=self.ids[student], round_id=rid, now=T0) if submit else None
            )

        self._try(ok, write)
        if ok:
            self.planned.add((rid, student))

    @precondition(lambda self: self.state)
    @rule(data=st.data(), student=students)
    def agree(self, data: st.DataObject, student: str) -> None:
        rid = self._round(data, RoundState.CLOSED)
        ok = (rid, student) in self.shared
        self._try(
            ok,
            lambda s: record_agreements(
                s,
                actor_id=self.ids["mia"],
                round_id=rid,
                student_id=self.ids[student],
                text="Elke week",
                now=T0,
            ),
        )
        if ok:
            self.agreed.add((rid, student))

    # ------------------------------------------------------------------ invariants

    @invariant()
    def feedback_is_exactly_what_was_accepted(self) -> None:
        if not hasattr(self, "factory"):
            return
        names = {v: k for k, v in self.ids.items()}
        groups = {v: k for k, v in self.tiny.groups.items()}
        with unit_of_work(self.factory) as s:
            rows = s.scalars(select(Feedback)).all()
            found = {
                (f.round_id, names[f.student_id], groups[f.group_id], names[f.teacher_id]): (
                    f.light,
                    f.remark,
                )
                for f in rows
            }
        assert found == self.feedback
        for rid, student, group, teacher in found:
            assert group in TEACHES.get(teacher, set()) and student in MEMBERS[group]
            assert self._in_round(rid, student)

    @invariant()
    def outbox_has_no_duplicates(self) -> None:
        if not hasattr(self, "factory"):
            return
        with unit_of_work(self.factory) as s:
            keys = s.execute(
                select(
                    Notification.kind,
                    Notification.round_id,
                    Notification.recipient_id,
                    Notification.occasion,
                    Notification.idempotency_key,
                )
            ).all()
        assert not [k for k, n in Counter(keys).items() if n > 1]
        assert len({k[-1] for k in keys}) == len(keys)

    @invariant()
    def states_only_move_forward(self) -> None:
        if not hasattr(self, "factory"):
            return
        with unit_of_work(self.factory) as s:
            db = dict(s.execute(select(Round.id, Round.state)).all())
        for rid, seen in self.seen.items():
            assert db[rid] is self.state[rid] is seen[-1]
            assert seen == [RoundState.DRAFT, RoundState.OPEN, RoundState.CLOSED][: len(seen)]


RoundLifecycle.TestCase.settings = settings(max_examples=12, stateful_step_count=25, deadline=None)
TestRoundLifecycle = RoundLifecycle.TestCase
