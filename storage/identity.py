"""Who is talking: from a platform account to a Person, on every channel.

A turn names the sender as (channel, tenant, user id, email). The first time, the person is
found by email/UPN (case-insensitive, active persons of the tenant's school) and the link is
cached as a ``ChannelAccount``; later turns find the link directly. Every inbound turn stores
the channel's conversation reference on the account, so notifications can reach the person.

The terminal channel has no tenant: its user is found by email in any school. In demo mode an
unknown tenant maps to the demo school, and an unknown user may pick a demo identity.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from storage.db import core
from storage.dialog_state import StoredState
from storage.models import (
    ChannelAccount,
    DialogState,
    Enrolment,
    Mentorship,
    Person,
    PersonKind,
    Round,
    RoundGroup,
    RoundState,
    School,
    Share,
    TeachingAssignment,
)

DEMO_ROLES = ("teacher", "mentor", "student", "organizer")


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


_PERSON_COLUMNS = (
    Person.__table__.c.id,
    Person.__table__.c.school_id,
    Person.__table__.c.kind,
    Person.__table__.c.display_name,
    Person.__table__.c.email,
    Person.__table__.c.language,
    Person.__table__.c.is_organizer,
    Person.__table__.c.active,
)
_SCHOOL_COLUMNS = (
    School.__table__.c.id,
    School.__table__.c.name,
    School.__table__.c.time_zone,
    School.__table__.c.language,
    School.__table__.c.settings,
    School.__table__.c.demo,
)
_P, _S = len(_PERSON_COLUMNS), len(_PERSON_COLUMNS) + len(_SCHOOL_COLUMNS)

# Built once: every turn runs it, so it should not be rebuilt every time. A Core statement of
# plain columns: the person, their school, the account's stored conversation and the person's
# dialog state, in one row.
_LINKED = (
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
    row = (
        core(session)
        .execute(_LINKED, {"channel": channel, "tenant": tenant, "external_id": user_id})
        .first()
    )
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


def link_account(
    session: Session,
    *,
    person: Person | PersonView,
    channel: str,
    tenant: str,
    user_id: str,
    now: datetime,
    conversation: Mapping[str, Any] | None = None,
) -> ChannelAccount:
    """Create or re-point the account link of (channel, tenant, user id) to ``person``."""
    account = session.scalars(
        select(ChannelAccount).where(
            ChannelAccount.channel == channel,
            ChannelAccount.tenant == tenant,
            ChannelAccount.external_id == user_id,
        )
    ).first()
    if account is None:
        account = _insert_or_find(
            session, person_id=person.id, channel=channel, tenant=tenant, user_id=user_id, now=now
        )
    account.person_id = person.id
    account.unreachable_reason = None
    account.updated_at = now
    if conversation:
        account.conversation = dict(conversation)
    session.flush()
    return account


def _insert_or_find(
    session: Session, *, person_id: int, channel: str, tenant: str, user_id: str, now: datetime
) -> ChannelAccount:
    """Insert the link unless a concurrent turn just did; either way return the row.

    A new user's first two turns can arrive at once (Teams does this): both miss the link and
    both insert. ``ON CONFLICT DO NOTHING`` on the unique key lets the second one wait for the
    first and then find its row, instead of failing with an IntegrityError.
    """
    values = {
        "person_id": person_id,
        "channel": channel,
        "tenant": tenant,
        "external_id": user_id,
        "updated_at": now,
    }
    keys = ["channel", "tenant", "external_id"]
    dialect = session.get_bind().dialect.name
    stmt: Any
    if dialect == "postgresql":
        stmt = postgresql.insert(ChannelAccount).on_conflict_do_nothing(index_elements=keys)
    elif dialect == "sqlite":
        stmt = sqlite.insert(ChannelAccount).on_conflict_do_nothing(index_elements=keys)
    else:  # pragma: no cover - only the two supported backends
        stmt = insert(ChannelAccount)
    session.execute(stmt.values(values))
    return session.scalars(
        select(ChannelAccount)
        .where(
            ChannelAccount.channel == channel,
            ChannelAccount.tenant == tenant,
            ChannelAccount.external_id == user_id,
        )
        .execution_options(populate_existing=True)
    ).one()


def demo_person(session: Session, *, school_id: int, role: str) -> Person | None:
    """A person of the demo school who can play ``role``: preferably one with work to do."""
    active = (Person.school_id == school_id, Person.active.is_(True))
    candidates: list[Any]
    if role == "organizer":
        candidates = [select(Person).where(*active, Person.is_organizer.is_(True))]
    elif role == "mentor":
        candidates = [
            select(Person).where(
                *active, exists().where(Mentorship.mentor_id == Person.id, Mentorship.active)
            )
        ]
    elif role == "teacher":
        cls = aliased(Enrolment)
        open_class = (
            select(cls.student_id)
            .join(RoundGroup, RoundGroup.group_id == cls.group_id)
            .join(Round, Round.id == RoundGroup.round_id)
            .where(Round.school_id == school_id, Round.state == RoundState.OPEN)
        )
        teaches_open = exists().where(
            TeachingAssignment.teacher_id == Person.id,
            TeachingAssignment.group_id == Enrolment.group_id,
            Enrolment.student_id.in_(open_class),
        )
        teaches = exists().where(TeachingAssignment.teacher_id == Person.id)
        candidates = [
            select(Person).where(*active, teaches_open),
            select(Person).where(*active, teaches),
        ]
    elif role == "student":
        candidates = [
            select(Person).where(*active, exists().where(Share.student_id == Person.id)),
            select(Person).where(*active, Person.kind == PersonKind.STUDENT),
        ]
    else:
        return None
    for query in candidates:
        person = session.scalars(query.order_by(Person.id)).first()
        if person is not None:
            return person
    return None
