"""Who could not be reached in a round, and why: for the organizer's ``round status``.

Reads the outbox rows of the round that ended ``unreachable`` (no conversation, the user
blocked or removed the bot, a deactivated account) or ``failed`` (given up after the retries,
or refused by the platform), one line per person and notification kind. One statement.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import Notification, NotificationStatus, Person


@dataclass(frozen=True)
class NotReached:
    person_id: int
    name: str
    kind: str  # the notification kind, e.g. round_opened, deadline_reminder
    status: str  # unreachable | failed
    reason: str
    channel: str | None

    def to_json(self) -> dict[str, object]:
        return {
            "person_id": self.person_id,
            "name": self.name,
            "kind": self.kind,
            "status": self.status,
            "reason": self.reason,
            "channel": self.channel,
        }


def unreachable_report(session: Session, *, round_id: int) -> list[NotReached]:
    """Everyone the round's notifications did not reach, by name, then kind."""
    rows = session.execute(
        select(
            Person.id,
            Person.display_name,
            Notification.kind,
            Notification.status,
            Notification.last_error,
            Notification.channel,
        )
        .join(Person, Person.id == Notification.recipient_id)
        .where(
            Notification.round_id == round_id,
            Notification.status.in_([NotificationStatus.UNREACHABLE, NotificationStatus.FAILED]),
        )
        .order_by(
            Person.family_name, Person.given_name, Person.id, Notification.kind, Notification.id
        )
    ).all()
    seen: dict[tuple[int, str], NotReached] = {}
    for pid, name, kind, status, error, channel in rows:
        seen[(pid, kind)] = NotReached(
            person_id=pid,
            name=name,
            kind=kind,
            status=str(status.value if hasattr(status, "value") else status),
            reason=error or "",
            channel=channel,
        )
    return list(seen.values())


def format_report(items: list[NotReached]) -> str:
    """Plain lines for the command line: ``name — kind: reason (status)``."""
    return "\n".join(f"{i.name} — {i.kind}: {i.reason or '?'} ({i.status})" for i in items)
