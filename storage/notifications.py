"""Writing to the notification outbox, in the caller's transaction.

A notification is identified by its idempotency key ``kind:round:recipient:occasion``; writing
the same one twice (a job run twice, two processes racing) inserts nothing the second time.
Delivery is ``schedules``' business.

Kinds in use:
``round_opened`` (teacher invitation), ``deadline_reminder`` (occasion: offset),
``deadline_reached`` (organizer, when not auto-closing), ``mentor_digest``,
``colleagues_visible`` (teachers at close), ``feedback_shared`` (student),
``plan_reminder`` (student), ``plan_submitted`` (mentor).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from storage.models import Notification, NotificationStatus, utcnow

KINDS = frozenset(
    {
        "round_opened",
        "deadline_reminder",
        "deadline_reached",
        "mentor_digest",
        "colleagues_visible",
        "feedback_shared",
        "plan_reminder",
        "plan_submitted",
    }
)


def idempotency_key(kind: str, round_id: int | None, recipient_id: int, occasion: str = "") -> str:
    return f"{kind}:{round_id or '-'}:{recipient_id}:{occasion}"


def enqueue(
    session: Session,
    *,
    school_id: int,
    recipient_id: int,
    kind: str,
    round_id: int | None = None,
    occasion: str = "",
    payload: dict[str, Any] | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Add one notification unless it already exists; True when a row was inserted."""
    return (
        enqueue_many(
            session,
            [
                dict(
                    school_id=school_id,
                    recipient_id=recipient_id,
                    kind=kind,
                    round_id=round_id,
                    occasion=occasion,
                    payload=payload or {},
                    not_before=not_before,
                )
            ],
        )
        == 1
    )


def enqueue_many(session: Session, items: list[dict[str, Any]]) -> int:
    """Bulk form of ``enqueue`` (one statement); returns how many rows were new."""
    if not items:
        return 0
    now = utcnow()
    rows = []
    for it in items:
        if it["kind"] not in KINDS:
            raise ValueError(f"unknown notification kind {it['kind']!r}")
        rows.append(
            {
                "school_id": it["school_id"],
                "recipient_id": it["recipient_id"],
                "round_id": it.get("round_id"),
                "kind": it["kind"],
                "occasion": it.get("occasion", ""),
                "idempotency_key": idempotency_key(
                    it["kind"], it.get("round_id"), it["recipient_id"], it.get("occasion", "")
                ),
                "payload": it.get("payload") or {},
                "status": NotificationStatus.PENDING,
                "attempts": 0,
                "next_attempt_at": it.get("not_before") or now,
                "created_at": now,
            }
        )
    dialect = session.get_bind().dialect.name
    stmt: Any
    if dialect == "postgresql":
        stmt = postgresql.insert(Notification).on_conflict_do_nothing(
            index_elements=["idempotency_key"]
        )
    elif dialect == "sqlite":
        stmt = sqlite.insert(Notification).on_conflict_do_nothing(
            index_elements=["idempotency_key"]
        )
    else:  # pragma: no cover - only the two supported backends
        stmt = insert(Notification)
    result = session.execute(stmt.returning(Notification.id), rows)
    return len(result.all())
