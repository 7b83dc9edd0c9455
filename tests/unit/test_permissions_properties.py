"""Property tests of ``storage.permissions.decide`` against an oracle written from the rules.

The oracle below is written from the stated rules (the module docstring of
``storage.permissions`` and the product brief), one small predicate per action, without
looking at how ``decide`` orders its checks. Cases are drawn over every action, every round
state and all booleans of ``Facts``, with one constraint from reality: a student (``is_self``)
holds no teacher relation to themself. The targeted invariants at the end hold for *all*
boolean combinations, impossible ones included.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storage.errors import DomainError, RoundClosed, RoundNotOpen
from storage.models import RoundState
from storage.permissions import Action, Facts, Reason, decide, require

READS = (
    Action.READ_FEEDBACK,
    Action.READ_MENTOR_NOTE,
    Action.READ_PLAN,
    Action.READ_AGREEMENTS,
    Action.READ_REPORT,
)
WRITES = (
    Action.WRITE_FEEDBACK,
    Action.WRITE_MENTOR_NOTE,
    Action.SHARE,
    Action.WRITE_PLAN,
    Action.WRITE_AGREEMENTS,
)

any_facts = st.builds(
    Facts,
    same_school=st.booleans(),
    actor_active=st.booleans(),
    is_organizer=st.booleans(),
    is_author=st.booleans(),
    teaches_group=st.booleans(),
    teaches_student=st.booleans(),
    is_mentor=st.booleans(),
    is_self=st.booleans(),
    round_state=st.sampled_from(list(RoundState)),
    shared=st.booleans(),
    plan_submitted=st.booleans(),
    agreements_recorded=st.booleans(),
    full_package=st.booleans(),
)


@st.composite
def real_facts(draw: st.DrawFn) -> Facts:
    """Facts that can occur: a student is only themself; teaching a group of the student
    means teaching the student."""
    f = draw(any_facts)
    if f.is_self:
        return Facts(
            same_school=f.same_school,
            actor_active=f.actor_active,
            is_self=True,
            round_state=f.round_state,
            shared=f.shared,
            plan_submitted=f.plan_submitted,
            agreements_recorded=f.agreements_recorded,
            full_package=f.full_package,
        )
    return Facts(**{**f.__dict__, "teaches_student": f.teaches_student or f.teaches_group})


# ---------------------------------------------------------------- the oracle, from the rules


def student_may_see(f: Facts) -> bool:
    """Students see their own records only once the mentor shared a closed round's feedback,
    and only in schools with the full package (sharing exists only there)."""
    return f.is_self and f.full_package and f.shared and f.round_state == RoundState.CLOSED


def oracle(action: Action, f: Facts) -> bool:
    if not f.same_school or not f.actor_active:
        return False
    closed = f.round_state == RoundState.CLOSED
    is_open = f.round_state == RoundState.OPEN
    rules = {
        # organizers manage rounds and see completion, not content
        Action.MANAGE_ROUND: f.is_organizer,
        Action.READ_ROUND_STATUS: f.is_organizer,
        # a teacher writes for students they teach in a group of an open round
        Action.WRITE_FEEDBACK: f.teaches_group and is_open,
        # own feedback always; the mentor live; subject teachers after close; the student
        # after sharing
        Action.READ_FEEDBACK: f.is_author
        or f.is_mentor
        or (f.teaches_student and closed)
        or student_may_see(f),
        Action.READ_MENTOR_NOTE: f.is_mentor or student_may_see(f),
        # the mentor writes the note once the round runs (live overview), before sharing
        Action.WRITE_MENTOR_NOTE: f.is_mentor and f.round_state != RoundState.DRAFT,
        Action.SHARE: f.is_mentor and f.full_package and closed,
        # a submitted plan is visible to the mentor and subject teachers; the student sees
        # their own plan like their feedback
        Action.READ_PLAN: student_may_see(f)
        or ((f.is_mentor or f.teaches_student) and f.full_package and f.plan_submitted),
        Action.WRITE_PLAN: student_may_see(f) and not f.agreements_recorded,
        Action.READ_AGREEMENTS: f.is_mentor or student_may_see(f),
        Action.WRITE_AGREEMENTS: f.is_mentor and f.full_package and closed and f.shared,
        # read receipts: only the student, only feedback they may see
        Action.MARK_READ: student_may_see(f),
        # how far the follow-through is: the mentor for mentees, organizers as counts
        Action.READ_FOLLOW_THROUGH: f.is_mentor or f.is_organizer,
        # the printable report: the mentor, and the student once it is shared with them
        Action.READ_REPORT: f.is_mentor or student_may_see(f),
    }
    return rules[action]


@settings(max_examples=600)
@given(action=st.sampled_from(list(Action)), f=real_facts())
def test_decide_matches_the_rules(action: Action, f: Facts) -> None:
    assert decide(action, f).allowed == oracle(action, f)


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("state", list(RoundState))
def test_every_action_and_state_is_decided(action: Action, state: RoundState) -> None:
    """Exhaustive over the enum pairs: decide never raises and a mentor-only relation case
    agrees with the oracle."""
    for f in (Facts(round_state=state), Facts(round_state=state, is_mentor=True, shared=True)):
        assert decide(action, f).allowed == oracle(action, f)


FLAGS = [name for name in Facts.__dataclass_fields__ if name != "round_state"]


def test_all_cases_exhaustively() -> None:
    """Every boolean combination x every state x every action (about 135,000 cases).

    Real cases agree with the oracle exactly. In impossible ones (a student holding a
    teacher relation to themself) ``decide`` may only be stricter than the oracle.
    """
    for values in itertools.product((False, True), repeat=len(FLAGS)):
        flags = dict(zip(FLAGS, values, strict=True))
        impossible = flags["is_self"] and any(
            flags[k] for k in ("is_author", "teaches_group", "teaches_student", "is_mentor")
        )
        for state in RoundState:
            f = Facts(**flags, round_state=state)
            for action in Action:
                got, want = decide(action, f).allowed, oracle(action, f)
                if impossible:
                    assert want or not got, (action, f)
                else:
                    assert got == want, (action, f)


# ---------------------------------------------------------------- targeted invariants


@given(action=st.sampled_from(list(Action)), f=any_facts)
def test_tenant_isolation_comes_first(action: Action, f: Facts) -> None:
    f = Facts(**{**f.__dict__, "same_school": False})
    assert decide(action, f).reason is Reason.OTHER_SCHOOL


@given(action=st.sampled_from(list(Action)), f=any_facts)
def test_inactive_actor_may_do_nothing(action: Action, f: Facts) -> None:
    f = Facts(**{**f.__dict__, "same_school": True, "actor_active": False})
    assert decide(action, f).reason is Reason.INACTIVE


@given(action=st.sampled_from(READS + WRITES), f=real_facts())
def test_student_never_sees_anything_unshared(action: Action, f: Facts) -> None:
    if f.is_self and decide(action, f):
        assert f.shared and f.full_package and f.round_state is RoundState.CLOSED


@given(f=any_facts)
def test_no_colleague_feedback_before_close_unless_mentor(f: Facts) -> None:
    if f.round_state is not RoundState.CLOSED and not (f.is_author or f.is_mentor):
        assert not decide(Action.READ_FEEDBACK, f)


@given(action=st.sampled_from(READS + WRITES), f=any_facts)
def test_organizer_alone_reads_and_writes_no_content(action: Action, f: Facts) -> None:
    organizer_only = Facts(
        same_school=f.same_school,
        actor_active=f.actor_active,
        is_organizer=True,
        round_state=f.round_state,
        shared=f.shared,
        plan_submitted=f.plan_submitted,
        agreements_recorded=f.agreements_recorded,
        full_package=f.full_package,
    )
    assert not decide(action, organizer_only)


@given(f=any_facts)
def test_only_the_student_records_a_read_and_only_of_what_was_shared(f: Facts) -> None:
    if decide(Action.MARK_READ, f):
        assert f.is_self and f.shared and f.full_package and f.round_state is RoundState.CLOSED


@given(f=any_facts)
def test_subject_teachers_and_students_never_see_the_follow_through(f: Facts) -> None:
    """The class picture's status column and the organizer's counts: a teacher relation or
    being the student gives no view of it; the mentor or an organizer does."""
    if not (f.is_mentor or f.is_organizer):
        assert not decide(Action.READ_FOLLOW_THROUGH, f)


@given(f=any_facts)
def test_closed_round_takes_no_feedback(f: Facts) -> None:
    if f.round_state is RoundState.CLOSED:
        assert not decide(Action.WRITE_FEEDBACK, f)


@given(f=any_facts)
def test_plans_and_sharing_need_the_full_package(f: Facts) -> None:
    if not f.full_package:
        for action in (Action.SHARE, Action.WRITE_PLAN, Action.READ_PLAN, Action.WRITE_AGREEMENTS):
            assert not decide(action, f)


@given(action=st.sampled_from(list(Action)), f=any_facts)
def test_require_agrees_with_decide(action: Action, f: Facts) -> None:
    d = decide(action, f)
    if d.allowed:
        require(action, f)
        return
    with pytest.raises(DomainError) as err:
        require(action, f)
    assert err.value.params["reason"] is d.reason
    if d.reason is Reason.ROUND_CLOSED:
        assert isinstance(err.value, RoundClosed)
    if d.reason is Reason.ROUND_NOT_OPEN:
        assert isinstance(err.value, RoundNotOpen)
