"""The rules of the cycle: who may see or change what, in one pure function.

Every read and write path gathers the ``Facts`` of its case (relations between the actor and
the record, the round's state, whether the feedback was shared) and asks ``decide``. Nothing
else in the code base re-states a rule; the dialogs ask through the storage operations.

The rules (from the brief and the teacher manual):
- A teacher writes feedback only for a student they teach in a group of an open round, and may
  revise it until the round closes.
- Until close a teacher sees only their own feedback; after close, subject teachers also see
  colleagues' feedback, only for students they teach. Earlier rounds are closed, so a teacher
  always sees the history of the students they teach.
- Mentors see all feedback of their mentees, live during the round; they write a mentor note
  and share with the student once the round is closed (full package only).
- Students see nothing before sharing, then their own feedback and the mentor note only; they
  write an action plan, editable until the agreements are recorded; a submitted plan is visible
  to their mentor and subject teachers. Mentors record the agreements after sharing.
- Opening the shared feedback records that the student read it (only the student, only what
  they may see). How far the follow-through is (shared, read, plan, agreements) is seen by the
  mentor for their mentees and by organizers as counts; never by subject teachers.
- The printable report of a student's round (for the three-way meeting) is for the mentor and,
  once the feedback is shared, for the student themself; each part of it is read by the rules
  above.
- Organizers create, open, extend and close rounds and see completion, not content.
- Another school's data is never visible; an inactive person may do nothing.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from storage.errors import InvalidTransition, NotAllowed, RoundClosed, RoundNotOpen
from storage.models import RoundState


class Action(enum.StrEnum):
    READ_FEEDBACK = "read_feedback"
    WRITE_FEEDBACK = "write_feedback"
    READ_MENTOR_NOTE = "read_mentor_note"
    WRITE_MENTOR_NOTE = "write_mentor_note"
    SHARE = "share"
    READ_PLAN = "read_plan"
    WRITE_PLAN = "write_plan"
    READ_AGREEMENTS = "read_agreements"
    READ_REPORT = "read_report"  # the printable report for the three-way meeting
    WRITE_AGREEMENTS = "write_agreements"
    MANAGE_ROUND = "manage_round"
    READ_ROUND_STATUS = "read_round_status"
    MARK_READ = "mark_read"
    READ_FOLLOW_THROUGH = "read_follow_through"


class Reason(enum.StrEnum):
    OK = "ok"
    INACTIVE = "inactive"
    OTHER_SCHOOL = "other_school"
    NOT_RELATED = "not_related"
    ROUND_NOT_OPEN = "round_not_open"
    ROUND_CLOSED = "round_closed"
    ROUND_NOT_CLOSED = "round_not_closed"
    NOT_SHARED = "not_shared"
    PLAN_NOT_SUBMITTED = "plan_not_submitted"
    AGREEMENTS_RECORDED = "agreements_recorded"
    FEATURE_OFF = "feature_off"
    NOT_ORGANIZER = "not_organizer"


@dataclass(frozen=True, kw_only=True)
class Facts:
    """What the rule needs to know about one (actor, record) case.

    ``is_author``: the actor wrote this feedback. ``teaches_group``: the actor teaches the
    record's group and the student is in it (the right to write). ``teaches_student``: the actor
    teaches the student in any group. ``is_mentor``: the actor mentors the student.
    ``is_self``: the actor is the student.
    """

    same_school: bool = True
    actor_active: bool = True
    is_organizer: bool = False
    is_author: bool = False
    teaches_group: bool = False
    teaches_student: bool = False
    is_mentor: bool = False
    is_self: bool = False
    round_state: RoundState = RoundState.OPEN
    shared: bool = False
    plan_submitted: bool = False
    agreements_recorded: bool = False
    full_package: bool = True


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: Reason

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Decision(True, Reason.OK)


def _deny(reason: Reason) -> Decision:
    return Decision(False, reason)


def decide(action: Action, f: Facts) -> Decision:
    """Whether the actor of ``f`` may do ``action``; the reason names the rule that says no."""
    if not f.same_school:
        return _deny(Reason.OTHER_SCHOOL)
    if not f.actor_active:
        return _deny(Reason.INACTIVE)
    state = f.round_state
    closed = state is RoundState.CLOSED
    student_sees = f.is_self and f.full_package and f.shared and closed

    match action:
        case Action.MANAGE_ROUND | Action.READ_ROUND_STATUS:
            return ALLOW if f.is_organizer else _deny(Reason.NOT_ORGANIZER)

        case Action.WRITE_FEEDBACK:
            if not f.teaches_group:
                return _deny(Reason.NOT_RELATED)
            if state is RoundState.DRAFT:
                return _deny(Reason.ROUND_NOT_OPEN)
            if closed:
                return _deny(Reason.ROUND_CLOSED)
            return ALLOW

        case Action.READ_FEEDBACK:
            if f.is_author or f.is_mentor or (f.teaches_student and closed):
                return ALLOW
            if f.is_self:
                return ALLOW if student_sees else _deny(_student_reason(f))
            if f.teaches_student:
                return _deny(Reason.ROUND_NOT_CLOSED)
            return _deny(Reason.NOT_RELATED)

        case Action.READ_MENTOR_NOTE:
            if f.is_mentor:
                return ALLOW
            if f.is_self:
                return ALLOW if student_sees else _deny(_student_reason(f))
            return _deny(Reason.NOT_RELATED)

        case Action.WRITE_MENTOR_NOTE:
            if not f.is_mentor:
                return _deny(Reason.NOT_RELATED)
            if state is RoundState.DRAFT:
                return _deny(Reason.ROUND_NOT_OPEN)
            return ALLOW

        case Action.SHARE:
            if not f.is_mentor:
                return _deny(Reason.NOT_RELATED)
            if not f.full_package:
                return _deny(Reason.FEATURE_OFF)
            if not closed:
                return _deny(Reason.ROUND_NOT_CLOSED)
            return ALLOW

        case Action.READ_PLAN:
            if f.is_self:
                return ALLOW if student_sees else _deny(_student_reason(f))
            if f.is_mentor or f.teaches_student:
                if not f.full_package:
                    return _deny(Reason.FEATURE_OFF)
                return ALLOW if f.plan_submitted else _deny(Reason.PLAN_NOT_SUBMITTED)
            return _deny(Reason.NOT_RELATED)

        case Action.WRITE_PLAN:
            if not f.is_self:
                return _deny(Reason.NOT_RELATED)
            if not student_sees:
                return _deny(_student_reason(f))
            if f.agreements_recorded:
                return _deny(Reason.AGREEMENTS_RECORDED)
            return ALLOW

        case Action.READ_AGREEMENTS:
            if f.is_mentor:
                return ALLOW
            if f.is_self:
                return ALLOW if student_sees else _deny(_student_reason(f))
            return _deny(Reason.NOT_RELATED)

        case Action.MARK_READ:
            if not f.is_self:
                return _deny(Reason.NOT_RELATED)
            return ALLOW if student_sees else _deny(_student_reason(f))

        case Action.READ_FOLLOW_THROUGH:
            if f.is_mentor or f.is_organizer:
                return ALLOW
            return _deny(Reason.NOT_RELATED)

        case Action.READ_REPORT:
            if f.is_mentor:
                return ALLOW
            if f.is_self:
                return ALLOW if student_sees else _deny(_student_reason(f))
            return _deny(Reason.NOT_RELATED)

        case Action.WRITE_AGREEMENTS:
            if not f.is_mentor:
                return _deny(Reason.NOT_RELATED)
            if not f.full_package:
                return _deny(Reason.FEATURE_OFF)
            if not (closed and f.shared):
                return _deny(Reason.NOT_SHARED)
            return ALLOW
    raise ValueError(f"unknown action {action!r}")  # pragma: no cover - exhaustive match


def _student_reason(f: Facts) -> Reason:
    if not f.full_package:
        return Reason.FEATURE_OFF
    return Reason.NOT_SHARED


def require(action: Action, facts: Facts) -> None:
    """Raise the domain error that matches ``decide``'s refusal; return when allowed."""
    d = decide(action, facts)
    if d.allowed:
        return
    if d.reason is Reason.ROUND_CLOSED:
        raise RoundClosed(reason=d.reason)
    if d.reason is Reason.ROUND_NOT_OPEN:
        raise RoundNotOpen(reason=d.reason)
    if d.reason is Reason.ROUND_NOT_CLOSED and action is Action.SHARE:
        raise InvalidTransition("round not closed", reason=d.reason)
    raise NotAllowed(str(d.reason), reason=d.reason)
