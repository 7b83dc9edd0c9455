"""Small lookups of people and groups by what a user types: an email, a roster id, a title.

Emails are stored lower-cased (see ``Person.email``); lookups lower-case the input, so
"Sanne.deVries@School.nl" finds her. A reference that matches nothing raises ``NotFound``
naming it, so the command line and the dialogs can say exactly what was not understood.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from storage.errors import InvalidInput, NotFound
from storage.models import Group, Person, School

MAX_ID = 2**63 - 1  # the largest id either database can hold (BIGINT)


def parse_id(text: str | None) -> int | None:
    """A record id typed or sent as text: ASCII digits only, within the database's range.

    ``str.isdigit`` also accepts "²" and other digits ``int`` refuses, and a number too large
    for the database would fail inside the driver; both are "not an id" here.
    """
    if text is None:
        return None
    ref = text.strip()
    if not (ref.isascii() and ref.isdigit()):
        return None
    value = int(ref)
    return value if value <= MAX_ID else None


def set_language(session: Session, *, person_id: int, language: str | None) -> None:
    """Store the person's chosen language (None: follow the channel and the school)."""
    session.execute(update(Person).where(Person.id == person_id).values(language=language))


def person_by_email(session: Session, *, school_id: int, email: str) -> Person | None:
    """The school's person with this email or UPN (case-insensitive), or None."""
    key = email.strip().lower()
    if not key:
        return None
    return session.scalars(
        select(Person)
        .where(Person.school_id == school_id, func.lower(Person.email) == key)
        .order_by(Person.active.desc(), Person.id)
        .limit(1)
    ).first()


def person_by_roster_or_email(
    session: Session, *, school_id: int | None = None, key: str
) -> Person:
    """The person whose roster id is ``key`` or whose email is ``key`` (case-insensitive).

    Without ``school_id`` every school is searched; a key that matches people of more than
    one school is refused as ambiguous rather than guessed.
    """
    ref = key.strip()
    if not ref:
        raise InvalidInput("empty person reference", field="person")
    stmt = select(Person).where(
        or_(Person.roster_id == ref, func.lower(Person.email) == ref.lower())
    )
    if school_id is not None:
        stmt = stmt.where(Person.school_id == school_id)
    found = list(session.scalars(stmt.order_by(Person.active.desc(), Person.id)))
    if not found:
        raise NotFound(f"no person with roster id or email {ref!r}", what="person", ref=ref)
    if len({p.school_id for p in found}) > 1:
        raise InvalidInput(
            f"{ref!r} matches people in several schools; name the school", field="person"
        )
    exact = [p for p in found if p.roster_id == ref]
    return (exact or found)[0]


def groups_by_title_or_id(session: Session, *, school_id: int, refs: Sequence[str]) -> list[Group]:
    """The school's groups for ``refs`` (a title such as "3B" or a numeric id), in order.

    Titles match case-insensitively; a number matches a group id first, then a title.
    """
    wanted = [r.strip() for r in refs if r.strip()]
    if not wanted:
        raise InvalidInput("no group given", field="groups")
    ids = [i for i in map(parse_id, wanted) if i is not None]
    rows = list(
        session.scalars(
            select(Group).where(
                Group.school_id == school_id,
                or_(Group.id.in_(ids), func.lower(Group.title).in_([r.lower() for r in wanted])),
            )
        )
    )
    by_id = {g.id: g for g in rows}
    by_title: dict[str, list[Group]] = {}
    for g in rows:
        by_title.setdefault(g.title.lower(), []).append(g)
    out: list[Group] = []
    for r in wanted:
        gid = parse_id(r)
        if gid is not None and gid in by_id:
            g = by_id[gid]
        else:
            matches = by_title.get(r.lower(), [])
            if not matches:
                raise NotFound(f"unknown group {r!r}", what="group", ref=r)
            active = [m for m in matches if m.active] or matches
            if len(active) > 1:
                raise InvalidInput(f"group title {r!r} is ambiguous; use its id", field="groups")
            g = active[0]
        if g not in out:
            out.append(g)
    return out


def only_school(session: Session) -> School:
    """The one school of a single-school deployment (the command line's default)."""
    schools = list(session.scalars(select(School).order_by(School.id).limit(2)))
    if not schools:
        raise NotFound("no school in the database; import a roster or run `stoplicht demo`")
    if len(schools) > 1:
        raise InvalidInput("several schools in the database; this command needs one")
    return schools[0]
