"""What channels, dialogs and jobs share, built by the composition root (``bot.app``).

A module of its own so that the channels (``bot.teams``, ``bot.slack``) can name the type
without importing the composition root that mounts them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """What channels, dialogs and jobs share. ``senders`` maps a channel name to its sender
    for the outbox (see ``schedules``)."""

    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Callable[[], datetime] = utc_now
    senders: dict[str, Any] = field(default_factory=dict)
    handler: Any = None  # dialogs.types.TurnHandler: the dialogs every channel talks to
