"""Who is talking: from a platform account to a Person, on every channel.

A turn names the sender as (channel, tenant, user id, email). The first time, the person is
found by email/UPN (case-insensitive, active persons of the tenant's school) and the link is
cached as a ``ChannelAccount``; later turns find the link directly. Every inbound turn stores
the channel's conversation reference on the account, so notifications can reach the person.

The terminal channel has no tenant: its user is found by email in any school. In demo mode an
unknown tenant maps to the demo school, and an unknown user may pick a demo identity
(``storage.demo.roles``). The link itself is made in ``storage.people.accounts``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from storage.conversation.state import StoredState
from storage.db import core
from storage.frozen import Frozen
from storage.models import ChannelAccount, DialogState, Person, PersonKind, School
from storage.people.accounts import link_account


@dataclass(frozen=True)
class PersonView:
    """Who is talking, as a turn needs them: plain values read with the account's link (no ORM
    object is loaded on a turn; writes go through storage functions with the id)."""

    id: int
    school_id: int
    kind: PersonKind
    display_name: str
    email: str | None
    language: str | None
    is_organizer: bool
    active: bool

    @classmethod
    def of(cls, person: Person) -> PersonView:
        return cls(*(getattr(person, c.key) for c in _PERSON_COLUMNS))


@dataclass(frozen=True)
class SchoolView:
    """The talking person's school, as a turn needs it."""

    id: int
    name: str
    time_zone: str
    language: str
    settings: dict[str, Any]
    demo: bool

    @classmethod
    def of(cls, school: School) -> SchoolView:
        return cls(*(getattr(school, c.key) for c in _SCHOOL_COLUMNS))


# The views' fields are their table's columns, in the same order.
_PERSON_COLUMNS = tuple(Person.__table__.c[f.name] for f in fields(PersonView))
_SCHOOL_COLUMNS = tuple(School.__table__.c[f.name] for f in fields(SchoolView))
_P, _S = len(_PERSON_COLUMNS), len(_PERSON_COLUMNS) + len(_SCHOOL_COLUMNS)

# Built once and compiled once per dialect (``storage.frozen``): every turn runs it. A Core
# statement of plain columns: the person, their school, the account's stored conversation and
# the person's dialog state, in one row.
_LINKED = Frozen(
    select(
        *_PERSON_COLUMNS,
        *(c.label(f"school_{c.key}") for c in _SCHOOL_COLUMNS),
        ChannelAccount.id,
        ChannelAccount.conversation,
        DialogState.person_id.label("state_owner"),
        DialogState.state,
        DialogState.version,
    )
    .select_from(ChannelAccount)
    .join(Person, Person.id == ChannelAccount.person_id)
    .join(School, School.id == Person.school_id)
    .outerjoin(DialogState, DialogState.person_id == Person.id)
    .where(
        ChannelAccount.channel == bindparam("channel"),
        ChannelAccount.tenant == bindparam("tenant"),
        ChannelAccount.external_id == bindparam("external_id"),
    )
)
_CONVERSATION = (
    update(ChannelAccount)
    .where(ChannelAccount.id == bindparam("account_id"))
    .values(
        conversation=bindparam("b_conversation", type_=ChannelAccount.conversation.type),
        unreachable_reason=None,
        updated_at=bindparam("b_updated_at", type_=ChannelAccount.updated_at.type),
    )
)


def school_for(session: Session, *, channel: str, tenant: str, demo: bool) -> School | None:
    """The school of a Teams tenant or Slack workspace; in demo mode unknown maps to the demo."""
    school: School | None = None
    if channel == "teams":
        school = session.scalars(select(School).where(School.teams_tenant_id == tenant)).first()
    elif channel == "slack":
        school = session.scalars(select(School).where(School.slack_team_id == tenant)).first()
    if school is None and demo:
        school = session.scalars(select(School).where(School.demo.is_(True))).first()
    return school


@dataclass(frozen=True)
class Resolved:
    """The person behind an account and their school, with their dialog state when it came
    along: a linked account's lookup reads it in the same statement (``state_known`` then says
    whether ``state`` is final, None meaning the person has none yet)."""

    person: PersonView
    school: SchoolView
    state: StoredState | None = None
    state_known: bool = False

    @classmethod
    def of(cls, person: Person) -> Resolved:
        return cls(PersonView.of(person), SchoolView.of(person.school))


def resolve_turn(
    session: Session,
    *,
    channel: str,
    tenant: str,
    user_id: str,
    email: str | None,
    demo: bool,
    now: datetime,
    conversation: Mapping[str, Any] | None = None,
) -> Resolved | None:
    """``resolve_person``, with the person's dialog state when the account was linked."""
    params = {"channel": channel, "tenant": tenant, "external_id": user_id}
    row = _LINKED.execute(core(session), params).first()
    if row is not None:
        person = PersonView(*row[:_P])
        if not person.active:
            return None
        school = SchoolView(*row[_P:_S])
        account_id, stored_conversation, state_owner, state, version = row[_S:]
        # Written only when it changed, so a turn's statements stay constant and few.
        if conversation and stored_conversation != dict(conversation):
            session.execute(
                _CONVERSATION,
                {
                    "account_id": account_id,
                    "b_conversation": dict(conversation),
                    "b_updated_at": now,
                },
            )
        stored = StoredState(state or {}, version or 0) if state_owner is not None else None
        return Resolved(person, school, stored, True)
    matched = _match_email(session, channel=channel, tenant=tenant, email=email, demo=demo)
    if matched is None:
        return None
    link_account(
        session,
        person=matched,
        channel=channel,
        tenant=tenant,
        user_id=user_id,
        now=now,
        conversation=conversation,
    )
    return Resolved.of(matched)


def resolve_person(
    session: Session,
    *,
    channel: str,
    tenant: str,
    user_id: str,
    email: str | None,
    demo: bool,
    now: datetime,
    conversation: Mapping[str, Any] | None = None,
) -> PersonView | None:
    """The active person behind a platform account, or None when nobody matches."""
    resolved = resolve_turn(
        session,
        channel=channel,
        tenant=tenant,
        user_id=user_id,
        email=email,
        demo=demo,
        now=now,
        conversation=conversation,
    )
    return resolved.person if resolved is not None else None


def _match_email(
    session: Session, *, channel: str, tenant: str, email: str | None, demo: bool
) -> Person | None:
    if not email or not email.strip():
        return None
    query = select(Person).where(
        func.lower(Person.email) == email.strip().lower(), Person.active.is_(True)
    )
    if channel != "terminal":
        school = school_for(session, channel=channel, tenant=tenant, demo=demo)
        if school is None:
            return None
        query = query.where(Person.school_id == school.id)
    return session.scalars(query.order_by(Person.id)).first()
