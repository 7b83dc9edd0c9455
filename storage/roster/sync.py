"""Writing one school's part of a roster plan: per table, create, update, (de)activate.

Used by ``storage.roster.importer`` (which documents the behaviour). Each function reads the
school's rows of one table once, compares in memory and writes with executemany inserts
and primary-key updates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from storage.models import Enrolment, Group, Mentorship, Person, TeachingAssignment
from storage.roster.ids import lost_zero_matches

KINDS = (
    "students",
    "teachers",
    "staff",
    "groups",
    "enrolments",
    "teaching_assignments",
    "mentorships",
)


@dataclass(frozen=True)
class KindCounts:
    created: int = 0
    updated: int = 0  # a field changed, or an inactive row came back
    deactivated: int = 0
    active: int = 0  # in the export after this import


class Tally:
    """Counts per kind of row, and warnings about ids matched across lost zeros."""

    def __init__(self) -> None:
        self.n: dict[str, dict[str, int]] = {
            k: {"created": 0, "updated": 0, "deactivated": 0, "active": 0} for k in KINDS
        }
        self.warnings: list[str] = []

    def zeros(self, what: str, matches: Mapping[str, str]) -> None:
        if matches:
            new, old = next(iter(matches.items()))
            self.warnings.append(
                f"{len(matches)} {what} id(s) differ from the database only in leading zeros "
                f"(e.g. {new!r} and {old!r}; Excel removes them): matched, keeping the zeros"
            )

    def add(self, kind: str, what: str, count: int = 1) -> None:
        self.n[kind][what] += count

    def freeze(self) -> dict[str, KindCounts]:
        return {k: KindCounts(**v) for k, v in self.n.items()}


def sync_entities(
    session: Session,
    model: type[Person] | type[Group],
    school_id: int,
    fields: tuple[str, ...],
    wanted: dict[str, dict[str, Any]],
    kind_of: Any,
    tally: Tally,
) -> dict[str, int]:
    """Create, update, deactivate and reactivate rows keyed by roster id; return roster id -> id."""
    columns = [model.id, model.roster_id, model.active, *(getattr(model, f) for f in fields)]
    existing = {
        r.roster_id: r
        for r in session.execute(select(*columns).where(model.school_id == school_id))
    }
    zeros = lost_zero_matches(
        [rid for rid in wanted if rid not in existing],
        [rid for rid, r in existing.items() if r.active and rid not in wanted],
    )
    tally.zeros("person" if model is Person else "group", zeros)
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for rid, values in wanted.items():
        kind = kind_of(values)
        tally.add(kind, "active")
        current = existing.get(zeros.get(rid, rid))
        if current is None:
            inserts.append({"school_id": school_id, "roster_id": rid, "active": True, **values})
            tally.add(kind, "created")
            continue
        keep = max(current.roster_id, rid, key=len)
        if (
            not current.active
            or keep != current.roster_id
            or any(getattr(current, f) != values[f] for f in fields)
        ):
            updates.append({"id": current.id, "roster_id": keep, "active": True, **values})
            tally.add(kind, "updated")
    matched = set(zeros.values())
    gone = [
        r for rid, r in existing.items() if r.active and rid not in wanted and rid not in matched
    ]
    for r in gone:
        tally.add(kind_of(r._mapping), "deactivated")
    updates.extend(
        {
            "id": r.id,
            "roster_id": r.roster_id,
            "active": False,
            **{f: getattr(r, f) for f in fields},
        }
        for r in gone
    )
    if inserts:
        session.execute(insert(model), inserts)
    if updates:
        session.execute(update(model), updates)
    ids: dict[str, int] = {rid: r.id for rid, r in existing.items()}
    if inserts:
        ids = dict(
            session.execute(  # type: ignore[arg-type]
                select(model.roster_id, model.id).where(model.school_id == school_id)
            )
            .tuples()
            .all()
        )
    for new, old in zeros.items():
        ids.setdefault(new, existing[old].id)
    return ids


def sync_links(
    session: Session,
    model: type[Enrolment] | type[TeachingAssignment] | type[Mentorship],
    left: Any,
    right: Any,
    existing_query: Any,
    wanted: Iterable[tuple[int, int]],
    kind: str,
    tally: Tally,
) -> None:
    """Same as :func:`sync_entities` for a link table keyed by its two ids."""
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
