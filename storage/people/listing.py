"""Who is in a school, for the school's administrator: roles, groups, and whether Stoplicht can
reach them on Teams or Slack (and why not).

A person can be reached on a platform when the school is bound to that platform's tenant or
workspace and the person has used Stoplicht there (a linked account with a conversation the
notifications can use) without the last delivery saying they cannot be reached. Everything is
read in a fixed number of statements, whatever the school's size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.models import (
    ChannelAccount,
    Enrolment,
    Group,
    GroupKind,
    Mentorship,
    Person,
    PersonKind,
    Round,
    RoundState,
    School,
    TeachingAssignment,
)

ROLES = ("teacher", "mentor", "student", "organizer")
PLATFORMS = ("teams", "slack")
_PLURAL = {
    PersonKind.STUDENT: "students",
    PersonKind.TEACHER: "teachers",
    PersonKind.STAFF: "staff",
}


@dataclass(frozen=True)
class Reach:
    platform: str
    reachable: bool
    why_not: str = ""  # empty when reachable

    def to_json(self) -> dict[str, Any]:
        return {"reachable": self.reachable, "why_not": self.why_not or None}


@dataclass(frozen=True)
class PersonRow:
    id: int
    name: str
    email: str | None
    kind: str
    active: bool
    roles: tuple[str, ...]
    groups: tuple[str, ...]
    reach: tuple[Reach, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "email": self.email,
            "kind": self.kind,
            "active": self.active,
            "roles": list(self.roles),
            "groups": list(self.groups),
            "reach": {r.platform: r.to_json() for r in self.reach},
        }


def people(
    session: Session, *, school: School, role: str | None = None, group_id: int | None = None
) -> list[PersonRow]:
    """The school's people by name, with roles, groups and reach; ``role`` and ``group_id``
    narrow the list (a group keeps its students and its teachers)."""
    persons = list(
        session.scalars(
            select(Person)
            .where(Person.school_id == school.id)
            .order_by(Person.family_name, Person.given_name, Person.id)
        )
    )
    ids = select(Person.id).where(Person.school_id == school.id)
    titles = dict(
        session.execute(select(Group.id, Group.title).where(Group.school_id == school.id)).all()
    )
    groups: dict[int, set[int]] = defaultdict(set)
    teaches: set[int] = set()
    for gid, pid in session.execute(
        select(Enrolment.group_id, Enrolment.student_id).where(
            Enrolment.student_id.in_(ids), Enrolment.active.is_(True)
        )
    ):
        groups[pid].add(gid)
    for gid, pid in session.execute(
        select(TeachingAssignment.group_id, TeachingAssignment.teacher_id).where(
            TeachingAssignment.teacher_id.in_(ids), TeachingAssignment.active.is_(True)
        )
    ):
        groups[pid].add(gid)
        teaches.add(pid)
    mentors = set(
        session.scalars(
            select(Mentorship.mentor_id).where(
                Mentorship.mentor_id.in_(ids), Mentorship.active.is_(True)
            )
        )
    )
    accounts: dict[int, list[ChannelAccount]] = defaultdict(list)
    for account in session.scalars(select(ChannelAccount).where(ChannelAccount.person_id.in_(ids))):
        accounts[account.person_id].append(account)
    rows: list[PersonRow] = []
    for p in persons:
        roles = tuple(
            r
            for r, has in (
                ("teacher", p.id in teaches),
                ("mentor", p.id in mentors),
                ("student", p.kind == PersonKind.STUDENT),
                ("organizer", p.is_organizer),
            )
            if has
        )
        if role is not None and role not in roles:
            continue
        if group_id is not None and group_id not in groups[p.id]:
            continue
        rows.append(
            PersonRow(
                id=p.id,
                name=p.display_name,
                email=p.email,
                kind=p.kind.value,
                active=p.active,
                roles=roles,
                groups=tuple(sorted(titles[g] for g in groups[p.id] if g in titles)),
                reach=tuple(_reach(school, p, accounts[p.id], pf) for pf in PLATFORMS),
            )
        )
    return rows


def _reach(school: School, p: Person, accounts: list[ChannelAccount], platform: str) -> Reach:
    tenant = school.teams_tenant_id if platform == "teams" else school.slack_team_id
    if not p.active:
        return Reach(platform, False, "inactive in the roster")
    if tenant is None:
        return Reach(platform, False, f"school not bound to {platform.capitalize()}")
    mine = [a for a in accounts if a.channel == platform and a.tenant == tenant]
    if not mine:
        if not p.email:
            return Reach(platform, False, "no email in the roster, so never recognised")
        return Reach(platform, False, f"has not used Stoplicht on {platform.capitalize()} yet")
    usable = [a for a in mine if a.conversation and a.unreachable_reason is None]
    if usable:
        return Reach(platform, True)
    blocked = [a.unreachable_reason for a in mine if a.unreachable_reason]
    if blocked:
        return Reach(platform, False, f"last delivery failed: {blocked[0]}")
    return Reach(platform, False, "no conversation with Stoplicht yet")


def counts(session: Session, *, school_id: int) -> dict[str, int]:
    """Active people per kind, organizers, active groups per kind, rounds per state."""
    out: dict[str, int] = {
        **{_PLURAL[k]: 0 for k in PersonKind},
        "organizers": 0,
        "classes": 0,
        "teaching_groups": 0,
        **{f"rounds_{s.value}": 0 for s in RoundState},
    }
    for kind, n in session.execute(
        select(Person.kind, func.count())
        .where(Person.school_id == school_id, Person.active.is_(True))
        .group_by(Person.kind)
    ):
        out[_PLURAL[PersonKind(kind)]] = int(n)
    out["organizers"] = int(
        session.scalar(
            select(func.count()).where(
                Person.school_id == school_id,
                Person.active.is_(True),
                Person.is_organizer.is_(True),
            )
        )
        or 0
    )
    for group_kind, n in session.execute(
        select(Group.kind, func.count())
        .where(Group.school_id == school_id, Group.active.is_(True))
        .group_by(Group.kind)
    ):
        label = "classes" if GroupKind(group_kind) == GroupKind.CLASS else "teaching_groups"
        out[label] = int(n)
    for state, n in session.execute(
        select(Round.state, func.count()).where(Round.school_id == school_id).group_by(Round.state)
    ):
        out[f"rounds_{RoundState(state).value}"] = int(n)
    return out
