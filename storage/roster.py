"""Roster import: bring the database in line with a School Data Sync v2.1 export.

``import_roster(session, directory)`` reads the export (``storage.roster_plan``, which documents
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

Speed: each table is read once per school, the differences are computed in memory and written
with executemany inserts and primary-key updates, so the number of statements does not grow
with the size of the school.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, update
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
from storage.roster_csv import Rejected, RosterFileError
from storage.roster_plan import SchoolPlan, read_export

__all__ = ["KINDS", "ImportReport", "KindCounts", "Rejected", "RosterFileError", "import_roster"]

KINDS = (
    "students",
    "teachers",
    "staff",
    "groups",
    "enrolments",
    "teaching_assignments",
    "mentorships",
)
_PERSON_KIND = {
    PersonKind.STUDENT: "students",
    PersonKind.TEACHER: "teachers",
    PersonKind.STAFF: "staff",
}
_PERSON_FIELDS = ("kind", "given_name", "family_name", "display_name", "email", "is_organizer")
_GROUP_FIELDS = ("title", "kind", "subject", "grade")


@dataclass(frozen=True)
class KindCounts:
    created: int = 0
    updated: int = 0  # a field changed, or an inactive row came back
    deactivated: int = 0
    active: int = 0  # in the export after this import


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


class _Tally:
    def __init__(self) -> None:
        self.n: dict[str, dict[str, int]] = {
            k: {"created": 0, "updated": 0, "deactivated": 0, "active": 0} for k in KINDS
        }

    def add(self, kind: str, what: str, count: int = 1) -> None:
        self.n[kind][what] += count

    def freeze(self) -> dict[str, KindCounts]:
        return {k: KindCounts(**v) for k, v in self.n.items()}


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
    tally = _Tally()
    created = 0
    for school_plan in plans:
        school_id, new = _school(session, school_plan)
        created += new
        _apply(session, school_id, school_plan, tally)
    return ImportReport(
        schools=tuple(p.name for p in plans),
        schools_created=created,
        counts=tally.freeze(),
        rejected=tuple(plan.rejected),
        warnings=tuple(plan.warnings),
    )


def _school(session: Session, plan: SchoolPlan) -> tuple[int, bool]:
    row = session.scalar(select(School).where(School.roster_id == plan.roster_id))
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


def _apply(session: Session, school_id: int, plan: SchoolPlan, tally: _Tally) -> None:
    people = _sync_entities(
        session,
        Person,
        school_id,
        _PERSON_FIELDS,
        {rid: {f: getattr(s, f) for f in _PERSON_FIELDS} for rid, s in plan.persons.items()},
        lambda values: _PERSON_KIND[values["kind"]],
        tally,
    )
    groups = _sync_entities(
        session,
        Group,
        school_id,
        _GROUP_FIELDS,
        {rid: {f: getattr(s, f) for f in _GROUP_FIELDS} for rid, s in plan.groups.items()},
        lambda _values: "groups",
        tally,
    )
    _sync_links(
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
    _sync_links(
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
    _sync_links(
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


def _sync_entities(
    session: Session,
    model: type[Person] | type[Group],
    school_id: int,
    fields: tuple[str, ...],
    wanted: dict[str, dict[str, Any]],
    kind_of: Any,
    tally: _Tally,
) -> dict[str, int]:
    """Create, update, deactivate and reactivate rows keyed by roster id; return roster id -> id."""
    columns = [model.id, model.roster_id, model.active, *(getattr(model, f) for f in fields)]
    existing = {
        r.roster_id: r
        for r in session.execute(select(*columns).where(model.school_id == school_id))
    }
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for rid, values in wanted.items():
        kind = kind_of(values)
        tally.add(kind, "active")
        current = existing.get(rid)
        if current is None:
            inserts.append({"school_id": school_id, "roster_id": rid, "active": True, **values})
            tally.add(kind, "created")
        elif not current.active or any(getattr(current, f) != values[f] for f in fields):
            updates.append({"id": current.id, "active": True, **values})
            tally.add(kind, "updated")
    gone = [r for rid, r in existing.items() if r.active and rid not in wanted]
    for r in gone:
        tally.add(kind_of(r._mapping), "deactivated")
    updates.extend(
        {"id": r.id, "active": False, **{f: getattr(r, f) for f in fields}} for r in gone
    )
    if inserts:
        session.execute(insert(model), inserts)
    if updates:
        session.execute(update(model), updates)
    if not inserts:
        return {rid: r.id for rid, r in existing.items()}
    return dict(
        session.execute(  # type: ignore[arg-type]
            select(model.roster_id, model.id).where(model.school_id == school_id)
        )
        .tuples()
        .all()
    )


def _sync_links(
    session: Session,
    model: type[Enrolment] | type[TeachingAssignment] | type[Mentorship],
    left: Any,
    right: Any,
    existing_query: Any,
    wanted: Iterable[tuple[int, int]],
    kind: str,
    tally: _Tally,
) -> None:
    """Same as :func:`_sync_entities` for a link table keyed by its two ids."""
    existing = {(r[1], r[2]): (r[0], r[3]) for r in session.execute(existing_query)}
    wanted = set(wanted)
    tally.add(kind, "active", len(wanted))
    inserts = [
        {left.key: a, right.key: b, "active": True} for a, b in wanted if (a, b) not in existing
    ]
    updates = [
        {"id": existing[pair][0], "active": True}
        for pair in wanted
        if pair in existing and not existing[pair][1]
    ]
    off = [
        {"id": row_id, "active": False}
        for pair, (row_id, active) in existing.items()
        if active and pair not in wanted
    ]
    tally.add(kind, "created", len(inserts))
    tally.add(kind, "updated", len(updates))
    tally.add(kind, "deactivated", len(off))
    if inserts:
        session.execute(insert(model), inserts)
    if updates or off:
        session.execute(update(model), updates + off)
