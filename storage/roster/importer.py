"""Roster import: bring the database in line with a School Data Sync v2.1 export.

``import_roster(session, directory)`` reads the export (``storage.roster.plan``, which documents
the files and the mapping rules) and applies it school by school, in the caller's transaction:

- people, groups, enrolments, teaching assignments and mentorships in the export are created,
  or updated when a field differs (names, email, kind, organizer flag, title, subject...);
- those of an imported school that are missing from the export become inactive
  (``active=False``), so their history (feedback, notes, plans) is kept; when they reappear in a
  later export they are active again;
- a re-import of the same export changes nothing: no row is written.

Schools are matched on ``School.roster_id`` (the org's sourcedId). A school that does not exist
yet adopts an existing school with no roster id and the same name (e.g. one created when the app
was installed), else it is created. Schools not in the export, or not picked with ``school=``,
are never touched.

Ids that lost their leading zeros in Excel: when a school, person or group of the export is not
found by its id but exactly one (active) one is whose id differs only in leading zeros (``123``
and ``00123``), that one is taken, with a warning, and keeps the longer id (Excel only ever
removes zeros). So opening every file of an export in Excel does not detach anybody's history.

Speed: each table is read once per school, the differences are computed in memory and written
with executemany inserts and primary-key updates, so the number of statements does not grow
with the size of the school.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import (
    Enrolment,
    Group,
    Mentorship,
    Person,
    PersonKind,
    School,
    TeachingAssignment,
)
from storage.roster.csv_table import Rejected, RosterFileError
from storage.roster.ids import lost_zero_matches
from storage.roster.plan import SchoolPlan, read_export
from storage.roster.sync import KINDS, KindCounts, Tally, sync_entities, sync_links

__all__ = ["KINDS", "ImportReport", "KindCounts", "Rejected", "RosterFileError", "import_roster"]

_PERSON_KIND = {
    PersonKind.STUDENT: "students",
    PersonKind.TEACHER: "teachers",
    PersonKind.STAFF: "staff",
}
_PERSON_FIELDS = ("kind", "given_name", "family_name", "display_name", "email", "is_organizer")
_GROUP_FIELDS = ("title", "kind", "subject", "grade")


@dataclass(frozen=True)
class ImportReport:
    schools: tuple[str, ...]
    schools_created: int
    counts: Mapping[str, KindCounts]
    rejected: tuple[Rejected, ...]
    warnings: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return self.schools_created > 0 or any(
            c.created or c.updated or c.deactivated for c in self.counts.values()
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schools": list(self.schools),
            "schools_created": self.schools_created,
            "counts": {k: asdict(self.counts[k]) for k in KINDS},
            "rejected": [asdict(r) for r in self.rejected],
            "warnings": list(self.warnings),
        }


def import_roster(session: Session, directory: Path, *, school: str | None = None) -> ImportReport:
    """Apply the export in ``directory``; ``school`` (org name or sourcedId) limits it to one.

    Raises :class:`RosterFileError` for a missing directory, file or column, or an unknown
    ``school``; bad rows never raise, they are listed in the report.
    """
    plan = read_export(Path(directory))
    plans = list(plan.schools.values())
    if not plans:
        raise RosterFileError("orgs.csv: the export contains no school")
    if school is not None:
        wanted = school.strip().casefold()
        plans = [p for p in plans if wanted in (p.roster_id.casefold(), p.name.casefold())]
        if not plans:
            names = ", ".join(sorted(p.name for p in plan.schools.values()))
            raise RosterFileError(f"no school {school!r} in the export (it has: {names})")
    tally = Tally()
    created = 0
    for school_plan in plans:
        school_id, new = _school(session, school_plan, tally)
        created += new
        _apply(session, school_id, school_plan, tally)
    return ImportReport(
        schools=tuple(p.name for p in plans),
        schools_created=created,
        counts=tally.freeze(),
        rejected=tuple(plan.rejected),
        warnings=(*plan.warnings, *tally.warnings),
    )


def _school(session: Session, plan: SchoolPlan, tally: Tally) -> tuple[int, bool]:
    row = session.scalar(select(School).where(School.roster_id == plan.roster_id))
    if row is None:
        others = session.scalars(select(School.roster_id).where(School.roster_id.is_not(None)))
        match = lost_zero_matches([plan.roster_id], [r for r in others if r])
        if match:
            tally.zeros("school", match)
            row = session.scalar(select(School).where(School.roster_id == match[plan.roster_id]))
            assert row is not None
            row.roster_id = max(row.roster_id or "", plan.roster_id, key=len)
    if row is None:
        row = session.scalar(
            select(School)
            .where(School.roster_id.is_(None), func.lower(School.name) == plan.name.lower())
            .order_by(School.id)
            .limit(1)
        )
        if row is not None:
            row.roster_id = plan.roster_id
    new = row is None
    if row is None:
        row = School(name=plan.name, roster_id=plan.roster_id)
        session.add(row)
    elif row.name != plan.name:
        row.name = plan.name
    session.flush()
    return row.id, new


def _apply(session: Session, school_id: int, plan: SchoolPlan, tally: Tally) -> None:
    people = sync_entities(
        session,
        Person,
        school_id,
        _PERSON_FIELDS,
        {rid: {f: getattr(s, f) for f in _PERSON_FIELDS} for rid, s in plan.persons.items()},
        lambda values: _PERSON_KIND[values["kind"]],
        tally,
    )
    groups = sync_entities(
        session,
        Group,
        school_id,
        _GROUP_FIELDS,
        {rid: {f: getattr(s, f) for f in _GROUP_FIELDS} for rid, s in plan.groups.items()},
        lambda _values: "groups",
        tally,
    )
    sync_links(
        session,
        Enrolment,
        Enrolment.group_id,
        Enrolment.student_id,
        select(Enrolment.id, Enrolment.group_id, Enrolment.student_id, Enrolment.active)
        .join(Group, Group.id == Enrolment.group_id)
        .where(Group.school_id == school_id),
        {(groups[g], people[s]) for g, s in plan.enrolments},
        "enrolments",
        tally,
    )
    sync_links(
        session,
        TeachingAssignment,
        TeachingAssignment.group_id,
        TeachingAssignment.teacher_id,
        select(
            TeachingAssignment.id,
            TeachingAssignment.group_id,
            TeachingAssignment.teacher_id,
            TeachingAssignment.active,
        )
        .join(Group, Group.id == TeachingAssignment.group_id)
        .where(Group.school_id == school_id),
        {(groups[g], people[t]) for g, t in plan.assignments},
        "teaching_assignments",
        tally,
    )
    sync_links(
        session,
        Mentorship,
        Mentorship.mentor_id,
        Mentorship.student_id,
        select(Mentorship.id, Mentorship.mentor_id, Mentorship.student_id, Mentorship.active)
        .join(Person, Person.id == Mentorship.student_id)
        .where(Person.school_id == school_id),
        {(people[m], people[s]) for m, s in plan.mentorships},
        "mentorships",
        tally,
    )
