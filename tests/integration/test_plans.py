"""The student's action plan on both backends: steps, draft, submit, visibility, bad input."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dialogs.texts import t
from storage.db import unit_of_work
from storage.errors import InvalidInput, NotAllowed, NotFound, TextTooLong
from storage.mentoring.plans import PlanStep, get_plan, plan_steps, save_plan, submit_plan
from storage.mentoring.service import record_agreements, share_with_student, student_report
from storage.models import ActionPlan, Light, Notification, PlanState, RoundState
from tests.support.small_school import NOW, build


def _shared(s, **kw):
    ids = build(s, state=RoundState.CLOSED, **kw)
    share_with_student(s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, now=NOW)
    return ids


def test_steps_are_subjects_with_let_op_or_pas_op(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s)
        assert plan_steps(s, student_id=ids.anna, round_id=ids.round) == [
            PlanStep("engels", Light.LET_OP),
            PlanStep("wiskunde", Light.LET_OP),
        ]
        assert plan_steps(s, student_id=ids.bram, round_id=ids.round) == [
            PlanStep("wiskunde", Light.PAS_OP)
        ]
        assert plan_steps(s, student_id=ids.anna, round_id=ids.previous_round) == []


def test_plan_cycle(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = _shared(s)
        v = save_plan(
            s,
            actor_id=ids.anna,
            round_id=ids.round,
            now=NOW,
            answers={"went_well": " Engels lezen ", "subjects": {"wiskunde": "Oefenen"}},
        )
        # stored exactly as typed, surrounding spaces too (the rule for all free text)
        assert v.state is PlanState.DRAFT and v.answers["went_well"] == " Engels lezen "
        with pytest.raises(NotAllowed):  # a draft is the student's own
            get_plan(s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna)
        v = save_plan(
            s,
            actor_id=ids.anna,
            round_id=ids.round,
            now=NOW,
            answers={"subjects": {"engels": "Woordjes"}, "help": "Bijles"},
        )
        assert v.answers == {
            "went_well": " Engels lezen ",
            "help": "Bijles",
            "subjects": {"wiskunde": "Oefenen", "engels": "Woordjes"},
        }
        assert submit_plan(s, actor_id=ids.anna, round_id=ids.round, now=NOW)
        assert not submit_plan(s, actor_id=ids.anna, round_id=ids.round, now=NOW)
        seen = get_plan(s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna)
        assert seen is not None and seen.state is PlanState.SUBMITTED
        assert get_plan(s, actor_id=ids.wim, round_id=ids.round, student_id=ids.anna) is not None
        with pytest.raises(NotAllowed):
            get_plan(s, actor_id=ids.organizer, round_id=ids.round, student_id=ids.anna)
        with pytest.raises(NotAllowed):
            get_plan(s, actor_id=ids.other_mentor, round_id=ids.round, student_id=ids.anna)
        assert (
            student_report(
                s, actor_id=ids.wim, round_id=ids.round, student_id=ids.anna
            ).plan_answers
            is not None
        )
        record_agreements(
            s,
            actor_id=ids.mia,
            round_id=ids.round,
            student_id=ids.anna,
            text="Elke week bijles",
            now=NOW,
        )
        with pytest.raises(NotAllowed):  # closed for edits once agreements exist
            save_plan(s, actor_id=ids.anna, round_id=ids.round, now=NOW, answers={"other": "x"})
    with unit_of_work(session_factory) as s:
        sent = s.scalars(select(Notification).where(Notification.kind == "plan_submitted")).all()
        assert [n.recipient_id for n in sent] == [ids.mia]


def test_plan_before_share_is_refused(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s, state=RoundState.CLOSED)
        with pytest.raises(NotAllowed):
            save_plan(s, actor_id=ids.anna, round_id=ids.round, now=NOW, answers={"other": "x"})
        with pytest.raises(NotAllowed):
            submit_plan(s, actor_id=ids.anna, round_id=ids.round, now=NOW)
        with pytest.raises(NotFound):  # a teacher has no plan of their own
            save_plan(s, actor_id=ids.mia, round_id=ids.round, now=NOW, answers={})
        assert s.scalar(select(ActionPlan)) is None


@pytest.mark.parametrize(
    ("answers", "error"),
    [
        ({"went_well": "x" * 31}, TextTooLong),
        ({"subjects": {"wiskunde": "y" * 31}}, TextTooLong),
        ({"subjects": {"biologie": "geen stap"}}, InvalidInput),
        ({"subjects": ["wiskunde"]}, InvalidInput),
        ({"went_well": 3}, InvalidInput),
        ({"hack": "x"}, InvalidInput),
        (["went_well"], InvalidInput),
    ],
)
def test_bad_answers_change_nothing(sqlite_session_factory, answers, error) -> None:
    with unit_of_work(sqlite_session_factory) as s:
        ids = _shared(s, settings={"max_text_length": 30})
        save_plan(s, actor_id=ids.anna, round_id=ids.round, now=NOW, answers={"other": "eerst"})
        with pytest.raises(error) as err:
            save_plan(s, actor_id=ids.anna, round_id=ids.round, now=NOW, answers=answers)
        for lang in ("nl", "en"):  # the edge can show it in the user's language
            assert t(lang, err.value.key, **err.value.params)
        plan = s.scalar(select(ActionPlan))
        assert plan is not None and plan.answers == {"other": "eerst"}


def test_empty_plan_cannot_be_submitted(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = _shared(s)
        with pytest.raises(InvalidInput):
            submit_plan(s, actor_id=ids.anna, round_id=ids.round, now=NOW)
