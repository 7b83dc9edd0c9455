"""Mentor overview, student report, note, share and agreements on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.db import unit_of_work
from storage.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound, TextTooLong
from storage.mentoring.service import (
    Concern,
    concern,
    mentee_summaries_for_round,
    mentor_overview,
    record_agreements,
    set_mentor_note,
    share_with_student,
    student_report,
)
from storage.models import AuditEntry, Light, Notification, RoundState, Share
from tests.support.small_school import NOW, build, set_state


def test_overview_sorts_by_concern_then_name(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s)
        items = mentor_overview(s, mentor_id=ids.mia, round_id=ids.round)
    assert [i.name for i in items] == ["Bram", "Anna", "Cor"]
    assert [i.concern for i in items] == [
        Concern.PAS_OP,
        Concern.TWO_LET_OP,
        Concern.WORSE_THAN_BEFORE,
    ]
    bram, anna, cor = items
    assert bram.counts[Light.PAS_OP] == 1 and bram.given == 1
    assert anna.counts[Light.LET_OP] == 2 and anna.class_title == "3A"
    assert (
        cor.worse_than_previous and cor.previous is not None and cor.previous.worst is Light.LET_OP
    )
    assert bram.remarks[0].text == "Ik maak me zorgen"
    with unit_of_work(session_factory) as s:
        audits = s.scalars(select(AuditEntry).where(AuditEntry.entity == "mentor_overview")).all()
        assert [(a.actor_id, a.count) for a in audits] == [(ids.mia, 3)]


def test_concern_is_one_ordering() -> None:
    assert concern({Light.PAS_OP: 1}, None) is Concern.PAS_OP
    assert concern({Light.LET_OP: 1, Light.EXCELLENT: 3}, None) is Concern.NONE
    assert concern({}, None) is Concern.NONE


def test_overview_of_other_school_mentor_is_refused(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s)
        with pytest.raises(NotAllowed):
            mentor_overview(s, mentor_id=ids.other_mentor, round_id=ids.round)
        with pytest.raises(NotFound):
            mentor_overview(s, mentor_id=ids.mia, round_id=999_999)


def test_summaries_for_every_mentor(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s)
        before = s.scalar(select(func.count()).select_from(AuditEntry))
        result = mentee_summaries_for_round(s, round_id=ids.round)
        assert set(result) == {ids.mia}
        assert [m.name for m in result[ids.mia]] == ["Bram", "Anna", "Cor"]
        assert all(len(m.remarks) <= 2 for m in result[ids.mia])
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == before


def test_mentor_sees_everything_live_and_is_audited(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s)
        rep = student_report(
            s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, channel="teams"
        )
        assert [(ln.subject, ln.light) for ln in rep.lines] == [
            ("engels", Light.LET_OP),
            ("wiskunde", Light.LET_OP),
        ]
        assert rep.lines[1].history[0].round_name == "Periode 1"
        assert rep.lines[1].history[0].teacher_name == "Wim"
        audit = s.scalars(select(AuditEntry).where(AuditEntry.entity == "student_report")).one()
        assert (audit.actor_id, audit.student_id, audit.count, audit.channel) == (
            ids.mia,
            ids.anna,
            4,
            "teams",
        )


def test_teacher_sees_own_while_open_and_colleagues_after_close(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s)
        rep = student_report(s, actor_id=ids.wim, round_id=ids.round, student_id=ids.anna)
        assert [ln.subject for ln in rep.lines] == ["wiskunde"]
        assert rep.mentor_note is None and rep.plan_answers is None
        # history of closed rounds is visible, colleagues' included (closed round)
        assert rep.lines[0].history[0].light is Light.GA_ZO_DOOR
        set_state(s, ids.round, RoundState.CLOSED)
        rep = student_report(s, actor_id=ids.wim, round_id=ids.round, student_id=ids.anna)
        assert [ln.subject for ln in rep.lines] == ["engels", "wiskunde"]
        reads = s.scalars(
            select(AuditEntry).where(AuditEntry.actor_id == ids.wim).order_by(AuditEntry.id)
        ).all()
        # before close: only colleagues' history of the closed round (1 row: engels);
        # after close also Els's current engels entry (2 rows). His own rows are not counted.
        assert [(a.operation, a.student_id, a.count) for a in reads] == [
            ("read", ids.anna, 1),
            ("read", ids.anna, 2),
        ]


def test_mentor_sees_pending_subjects(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s)
        rep = student_report(s, actor_id=ids.mia, round_id=ids.round, student_id=ids.bram)
        assert [(ln.subject, ln.teacher_name, ln.light) for ln in rep.lines] == [
            ("engels", "Els", None),
            ("wiskunde", "Wim", Light.PAS_OP),
        ]


def test_student_sees_nothing_before_share_then_own(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s, state=RoundState.CLOSED)
        with pytest.raises(NotAllowed):
            student_report(s, actor_id=ids.anna, round_id=ids.round, student_id=ids.anna)
        with pytest.raises(NotAllowed):
            student_report(s, actor_id=ids.anna, round_id=ids.round, student_id=ids.bram)
        set_mentor_note(
            s,
            actor_id=ids.mia,
            round_id=ids.round,
            student_id=ids.anna,
            text="Goed gesprek gehad",
            now=NOW,
        )
        assert share_with_student(
            s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, now=NOW
        )
        rep = student_report(s, actor_id=ids.anna, round_id=ids.round, student_id=ids.anna)
        assert rep.shared and rep.mentor_note == "Goed gesprek gehad"
        assert len(rep.lines) == 2
        # earlier round was never shared with her: no history shown to her
        assert all(ln.history == () for ln in rep.lines)
        with pytest.raises(NotAllowed):
            student_report(s, actor_id=ids.anna, round_id=ids.round, student_id=ids.bram)


def test_tenant_isolation(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s, state=RoundState.CLOSED)
        with pytest.raises(NotAllowed):
            student_report(s, actor_id=ids.other_mentor, round_id=ids.round, student_id=ids.anna)
        with pytest.raises(NotAllowed):
            share_with_student(
                s, actor_id=ids.other_mentor, round_id=ids.round, student_id=ids.anna, now=NOW
            )
        with pytest.raises(NotFound):  # a round of school A for school B's student
            student_report(s, actor_id=ids.mia, round_id=ids.round, student_id=ids.other_student)
        with pytest.raises(NotAllowed):
            student_report(
                s, actor_id=ids.mia, round_id=ids.other_round, student_id=ids.other_student
            )
        with pytest.raises(NotFound):
            student_report(s, actor_id=ids.mia, round_id=ids.round, student_id=987_654)
        with pytest.raises(NotFound):  # a teacher is not a student
            student_report(s, actor_id=ids.mia, round_id=ids.round, student_id=ids.wim)
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == 0


def test_organizer_reads_no_content(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s, state=RoundState.CLOSED)
        with pytest.raises(NotAllowed):
            student_report(s, actor_id=ids.organizer, round_id=ids.round, student_id=ids.anna)


def test_share_is_idempotent_and_notifies_once(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s)
        with pytest.raises(InvalidTransition):  # not before close
            share_with_student(
                s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, now=NOW
            )
        with pytest.raises(NotAllowed):  # a teacher is no mentor
            set_mentor_note(
                s, actor_id=ids.wim, round_id=ids.round, student_id=ids.anna, text="x", now=NOW
            )
        set_state(s, ids.round, RoundState.CLOSED)
        assert share_with_student(
            s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, now=NOW
        )
        assert not share_with_student(
            s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, now=NOW
        )
    with unit_of_work(session_factory) as s:
        notes = s.scalars(select(Notification)).all()
        assert [(n.kind, n.recipient_id) for n in notes] == [("feedback_shared", ids.anna)]
        assert s.scalar(select(func.count()).select_from(Share)) == 1


def test_share_off_without_full_package(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s, state=RoundState.CLOSED, settings={"full_package": False})
        with pytest.raises(NotAllowed):
            share_with_student(
                s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, now=NOW
            )


def test_note_and_agreements_bad_input(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s, state=RoundState.CLOSED, settings={"max_text_length": 20})
        with pytest.raises(TextTooLong):
            set_mentor_note(
                s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, text="x" * 21, now=NOW
            )
        assert set_mentor_note(
            s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, text=" kort ", now=NOW
        )
        assert not set_mentor_note(
            s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, text=" ", now=NOW
        )
        with pytest.raises(NotAllowed):  # agreements before share
            record_agreements(
                s,
                actor_id=ids.mia,
                round_id=ids.round,
                student_id=ids.anna,
                text="Afspraak",
                now=NOW,
            )
        share_with_student(s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, now=NOW)
        with pytest.raises(InvalidInput):
            record_agreements(
                s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, text="  ", now=NOW
            )
        with pytest.raises(TextTooLong):
            record_agreements(
                s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, text="y" * 30, now=NOW
            )
        record_agreements(
            s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, text="Elke week", now=NOW
        )
        record_agreements(
            s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, text="Elke dag", now=NOW
        )
        rep = student_report(s, actor_id=ids.anna, round_id=ids.round, student_id=ids.anna)
        assert rep.agreements == "Elke dag" and rep.mentor_note is None


def test_two_mentors_sharing_at_once_notify_once(pg_url) -> None:
    """PostgreSQL: the second share waits on the first one's row and then does nothing."""
    import threading

    from storage.db import make_engine, make_session_factory

    engine = make_engine(pg_url)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as s:
        ids = build(s, state=RoundState.CLOSED)
    results: list[bool] = []
    first = factory()
    try:
        assert share_with_student(
            first, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, now=NOW
        )

        def second() -> None:
            with unit_of_work(factory) as s:
                results.append(
                    share_with_student(
                        s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, now=NOW
                    )
                )

        thread = threading.Thread(target=second)
        thread.start()
        thread.join(timeout=0.5)
        assert thread.is_alive()  # waiting on the first transaction's share row
        first.commit()
        thread.join(timeout=10)
    finally:
        first.close()
    assert results == [False]
    with unit_of_work(factory) as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == 1
        assert s.scalar(select(func.count()).select_from(Share)) == 1
    engine.dispose()
