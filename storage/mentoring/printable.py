"""One student's round for the three-way meeting (driehoeksgesprek): what a printed report holds.

``printable_report`` asks ``decide(READ_REPORT)`` first (the mentor; the student themself once
the feedback is shared), then reads the report through ``student_report`` (each row, the note,
the plan and the agreements by their own rule, audited there) and adds the header: the school,
the student's class and mentor(s). Handing out the report is audited as one ``export`` row, also
when the student takes their own. Every refusal is one ``NotAllowed`` (an unknown student, a
round of another school, feedback not shared, somebody else's report): the caller answers all of
them with the same sentence, so nothing is revealed about which it was.

Statements per report are constant in the school's size: the case, the report's reads and one
header query.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from storage.errors import DomainError, NotAllowed
from storage.mentoring.case import gather
from storage.mentoring.report import StudentReport, student_report
from storage.models import Enrolment, Group, GroupKind, Mentorship, Person, School
from storage.permissions import Action, decide


@dataclass(frozen=True)
class PrintableReport:
    school_name: str
    class_title: str | None
    mentor_names: tuple[str, ...]
    for_student: bool  # asked by the student themself
    report: StudentReport


def printable_report(
    session: Session, *, actor_id: int, round_id: int, student_id: int, channel: str
) -> PrintableReport:
    """The report as ``actor_id`` may print it; ``NotAllowed`` for every refusal."""
    try:
        case = gather(session, actor_id=actor_id, student_id=student_id, round_id=round_id)
    except DomainError:  # unknown student or round, a round of another school: not yours
        raise NotAllowed("report refused") from None
    if not decide(Action.READ_REPORT, case.facts):
        raise NotAllowed("report refused")
    try:
        report = student_report(
            session, actor_id=actor_id, round_id=round_id, student_id=student_id, channel=channel
        )
    except DomainError:
        raise NotAllowed("report refused") from None
    school_name, class_title, mentors = _header(session, student_id)
    case.audit(session, actor_id=actor_id, operation="export", entity="report", channel=channel)
    return PrintableReport(
        school_name=school_name,
        class_title=class_title,
        mentor_names=mentors,
        for_student=case.facts.is_self,
        report=report,
    )


def _header(session: Session, student_id: int) -> tuple[str, str | None, tuple[str, ...]]:
    """The school's name, the student's class(es) and active mentors, in one statement."""
    student = aliased(Person)
    mentor = aliased(Person)
    rows = session.execute(
        select(School.name, Group.title, mentor.display_name)
        .select_from(student)
        .join(School, School.id == student.school_id)
        .outerjoin(Enrolment, (Enrolment.student_id == student.id) & Enrolment.active.is_(True))
        .outerjoin(
            Group,
            (Group.id == Enrolment.group_id)
            & (Group.kind == GroupKind.CLASS)
            & Group.active.is_(True),
        )
        .outerjoin(Mentorship, (Mentorship.student_id == student.id) & Mentorship.active.is_(True))
        .outerjoin(mentor, (mentor.id == Mentorship.mentor_id) & mentor.active.is_(True))
        .where(student.id == student_id)
    ).all()
    school = rows[0][0] if rows else ""
    classes = sorted({r[1] for r in rows if r[1]}, key=str.casefold)
    mentors = tuple(sorted({r[2] for r in rows if r[2]}, key=str.casefold))
    return school, (", ".join(classes) or None), mentors
