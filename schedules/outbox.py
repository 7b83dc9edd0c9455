"""The dispatcher's database side: claiming due rows with a lease and recording outcomes.

A claim is one ``UPDATE ... WHERE id IN (SELECT ... FOR UPDATE SKIP LOCKED LIMIT n)
RETURNING id`` on PostgreSQL (two processes never claim the same row, neither waits for the
other); on SQLite the same single statement runs under SQLite's one-writer lock. A row is due
when it is pending, its ``next_attempt_at`` has come and nobody holds an unexpired lease on it,
so rows claimed by a process that died are taken over once the lease runs out.

Each outcome is its own transaction, written right after the attempt; a delivered row is
marked in a commit of its own, so after a crash at most the sends in flight at that moment can
be repeated (each carries its idempotency key), and a row recorded as delivered is never sent
again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from dialogs.types import Reply
from schedules.composer import Composer
from schedules.delivery import Target
from storage.db import unit_of_work
from storage.mentoring.service import record_digest_reads
from storage.models import ChannelAccount, Notification, NotificationStatus

CHANNEL_PREFERENCE = ("teams", "slack", "terminal")


@dataclass(frozen=True)
class Job:
    """One claimed row, composed and routed, ready for a sender."""

    id: int
    key: str
    kind: str
    school_id: int
    round_id: int | None
    recipient_id: int
    attempts: int
    language: str
    replies: tuple[Reply, ...]
    target: Target | None = None  # None: no account on a channel this process can send to
    account_id: int | None = None
    channels: tuple[str, ...] = field(default=())  # the recipient's channels (for the error)
    mentees: int = 0  # mentor_digest: how many mentees it shows (for the audit log)
    error: str | None = None  # composing failed: recorded as a permanent failure


def claim(
    factory: sessionmaker[Session], *, worker: str, now: datetime, lease: float, limit: int
) -> list[int]:
    with unit_of_work(factory) as session:
        due = (
            select(Notification.id)
            .where(
                Notification.status == NotificationStatus.PENDING,
                Notification.next_attempt_at <= now,
                or_(Notification.claimed_until.is_(None), Notification.claimed_until < now),
            )
            .order_by(Notification.next_attempt_at, Notification.id)
            .limit(limit)
        )
        if session.get_bind().dialect.name == "postgresql":
            due = due.with_for_update(skip_locked=True)
        stmt = (
            update(Notification)
            .where(Notification.id.in_(due.scalar_subquery()))
            .values(claimed_by=worker, claimed_until=now + timedelta(seconds=lease))
            .returning(Notification.id)
            .execution_options(synchronize_session=False)
        )
        return sorted(session.scalars(stmt).all())


def release_others(factory: sessionmaker[Session], *, worker: str) -> int:
    """Free the pending rows another worker holds, for a worker that has just become the
    leader. Only the leader claims rows, so a row held by someone else was claimed by a leader
    that has lost its lock (dead, or its database session ended): waiting out its lease would
    only delay those notifications. A send that was in flight at that moment may be repeated,
    with the same idempotency key, as after any crash. Returns how many rows were freed."""
    with unit_of_work(factory) as session:
        freed = session.scalars(
            update(Notification)
            .where(
                Notification.status == NotificationStatus.PENDING,
                Notification.claimed_by.is_not(None),
                Notification.claimed_by != worker,
            )
            .values(claimed_by=None, claimed_until=None)
            .returning(Notification.id)
            .execution_options(synchronize_session=False)
        ).all()
        return len(freed)


def renew(
    factory: sessionmaker[Session], *, worker: str, ids: Sequence[int], until: datetime
) -> None:
    if not ids:
        return
    with unit_of_work(factory) as session:
        session.execute(
            update(Notification)
            .where(
                Notification.id.in_(list(ids)),
                Notification.claimed_by == worker,
                Notification.status == NotificationStatus.PENDING,
            )
            .values(claimed_until=until)
            .execution_options(synchronize_session=False)
        )


def _pick(accounts: Sequence[ChannelAccount], channels: Sequence[str]) -> ChannelAccount | None:
    usable = [a for a in accounts if a.channel in channels]

    def rank(a: ChannelAccount) -> tuple[int, int, int]:
        pref = CHANNEL_PREFERENCE.index(a.channel) if a.channel in CHANNEL_PREFERENCE else 99
        return (a.unreachable_reason is not None, not a.conversation, pref)

    return min(usable, key=rank) if usable else None


def prepare(
    factory: sessionmaker[Session], *, ids: Sequence[int], channels: Sequence[str]
) -> list[Job]:
    """Load claimed rows, compose them in the recipient's language and pick the account."""
    with factory() as session:
        rows = list(
            session.scalars(
                select(Notification).where(Notification.id.in_(list(ids))).order_by(Notification.id)
            )
        )
        recipients = sorted({r.recipient_id for r in rows})
        accounts: dict[int, list[ChannelAccount]] = {}
        for a in session.scalars(
            select(ChannelAccount).where(ChannelAccount.person_id.in_(recipients))
        ):
            accounts.setdefault(a.person_id, []).append(a)
        chosen_of = {rid: _pick(accounts.get(rid, []), channels) for rid in recipients}
        locales = {  # the platform locale of the account reached, kept with its reference
            rid: str((a.conversation or {}).get("locale") or "") or None
            for rid, a in chosen_of.items()
            if a is not None
        }
        composer = Composer(session)
        langs = composer.languages(recipients, locales)
        jobs = []
        for r in rows:
            lang = langs.get(r.recipient_id, "nl")
            error, mentees, replies = None, 0, []
            try:
                replies = composer.replies(
                    kind=r.kind,
                    payload=r.payload or {},
                    lang=lang,
                    round_id=r.round_id,
                    recipient_id=r.recipient_id,
                )
                if r.kind == "mentor_digest" and r.round_id is not None:
                    mentees = len(composer.mentees(r.round_id, r.recipient_id))
            except Exception as exc:  # a row that cannot be composed must not stop the batch
                error = f"cannot compose: {exc.__class__.__name__}: {exc}"
            mine = accounts.get(r.recipient_id, [])
            chosen = chosen_of[r.recipient_id]
            target = None
            if chosen is not None:
                target = Target(
                    person_id=r.recipient_id,
                    channel=chosen.channel,
                    tenant=chosen.tenant,
                    external_id=chosen.external_id,
                    conversation=dict(chosen.conversation or {}),
                    language=lang,
                )
            jobs.append(
                Job(
                    id=r.id,
                    key=r.idempotency_key,
                    kind=r.kind,
                    school_id=r.school_id,
                    round_id=r.round_id,
                    recipient_id=r.recipient_id,
                    attempts=r.attempts,
                    language=lang,
                    replies=tuple(replies),
                    target=target,
                    account_id=chosen.id if chosen else None,
                    channels=tuple(sorted({a.channel for a in mine})),
                    mentees=mentees,
                    error=error,
                )
            )
        return jobs


def _finish(session: Session, job: Job, worker: str | None, **values: Any) -> int:
    stmt = update(Notification).where(
        Notification.id == job.id, Notification.status == NotificationStatus.PENDING
    )
    if worker is not None:  # only while we still hold the lease
        stmt = stmt.where(Notification.claimed_by == worker)
    result = session.execute(
        stmt.values(claimed_by=None, claimed_until=None, **values).execution_options(
            synchronize_session=False
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def mark_delivered(
    factory: sessionmaker[Session], sent: Sequence[tuple[Job, str]], *, now: datetime
) -> None:
    """Record sends that succeeded, in one commit right after them (the dispatcher's group
    commit: whatever finished while the previous commit ran). Whoever holds the lease by now,
    these *were* sent. ``sent`` is (job, channel) pairs."""
    if not sent:
        return
    with unit_of_work(factory) as session:
        by_channel: dict[str, list[int]] = {}
        for job, channel in sent:
            by_channel.setdefault(channel, []).append(job.id)
        changed: set[int] = set()
        for channel, ids in by_channel.items():
            result = session.execute(
                update(Notification)
                .where(Notification.id.in_(ids), Notification.status == NotificationStatus.PENDING)
                .values(
                    status=NotificationStatus.DELIVERED,
                    delivered_at=now,
                    channel=channel,
                    attempts=Notification.attempts + 1,
                    last_error=None,
                    claimed_by=None,
                    claimed_until=None,
                )
                .returning(Notification.id)
                .execution_options(synchronize_session=False)
            )
            changed.update(result.scalars().all())
        for job, channel in sent:
            if job.id in changed and job.kind == "mentor_digest" and job.round_id is not None:
                record_digest_reads(
                    session,
                    school_id=job.school_id,
                    round_id=job.round_id,
                    digests=[(job.recipient_id, job.mentees)],
                    channel=channel,
                )


def mark_retry(
    factory: sessionmaker[Session], job: Job, *, worker: str, at: datetime, error: str
) -> None:
    with unit_of_work(factory) as session:
        _finish(
            session,
            job,
            worker,
            attempts=job.attempts + 1,
            next_attempt_at=at,
            last_error=error[:500],
        )


def mark_failed(
    factory: sessionmaker[Session],
    job: Job,
    *,
    worker: str,
    status: NotificationStatus,
    error: str,
    channel: str | None = None,
) -> None:
    """Permanent failure or unreachable; an unreachable reason is also kept on the account."""
    with unit_of_work(factory) as session:
        _finish(
            session,
            job,
            worker,
            status=status,
            attempts=job.attempts + 1,
            last_error=error[:500],
            channel=channel,
        )
        if status is NotificationStatus.UNREACHABLE and job.account_id is not None:
            account = session.get(ChannelAccount, job.account_id)
            if account is not None:
                account.unreachable_reason = error[:200]
