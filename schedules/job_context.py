"""Where a job runs: the queue that plans future jobs and the context a job call uses.

The scheduler calls the jobs of ``schedules.jobs`` by name with plain ids, so the process that
runs them installs a ``JobContext`` once (``install``: the session factory, the queue, the
clock); a job takes the installed one unless a caller (a test, ``sweep``) passes ``ctx=``
(``current``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from sqlalchemy.orm import Session, sessionmaker


class JobQueue(Protocol):
    """Where ``plan_round`` puts future work (APScheduler in production)."""

    def at(self, job_id: str, func: str, run_at: datetime, args: tuple[object, ...]) -> None:
        """Run ``func`` (``module:name``) with ``args`` at ``run_at``; replaces ``job_id``."""
        ...

    def cancel(self, prefix: str, keep: frozenset[str] = frozenset()) -> None:
        """Remove jobs whose id starts with ``prefix``, except those in ``keep``."""
        ...


class NoQueue:
    """A queue that plans nothing (a process without a scheduler)."""

    def at(self, job_id: str, func: str, run_at: datetime, args: tuple[object, ...]) -> None:
        return None

    def cancel(self, prefix: str, keep: frozenset[str] = frozenset()) -> None:
        return None


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class JobContext:
    session_factory: sessionmaker[Session]
    queue: JobQueue
    clock: Callable[[], datetime] = _utcnow


_installed: JobContext | None = None


def install(ctx: JobContext | None) -> None:
    """Set (or clear) the context the scheduler's job calls use in this process."""
    global _installed
    _installed = ctx


def current(ctx: JobContext | None) -> JobContext:
    """``ctx`` when given, else the context installed in this process."""
    if ctx is not None:
        return ctx
    if _installed is None:
        raise RuntimeError("schedules.jobs: no JobContext installed in this process")
    return _installed
