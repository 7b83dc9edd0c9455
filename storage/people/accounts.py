"""Linking a platform account to a person: the ``ChannelAccount`` of (channel, tenant, user id).

``storage.people.identity`` links an account the first time it finds the person by email; the demo
links the account to the identity the user picked. Two first turns of a new user at once
(Teams does this) both insert; the unique key and ``ON CONFLICT DO NOTHING`` let the second
find the first one's row.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import ChannelAccount


class Identified(Protocol):
    """A person as an ORM row or as ``storage.people.identity.PersonView``: only the id is
    needed, so this module does not import the identity module that uses it."""

    @property
    def id(self) -> int: ...


def link_account(
    session: Session,
    *,
    person: Identified,
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
