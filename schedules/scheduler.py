"""One scheduler and one dispatcher per deployment, whichever processes run.

``BackgroundService`` runs inside ``stoplicht serve`` and ``stoplicht worker``. It first becomes
the *leader*: on PostgreSQL by taking a session-level advisory lock (``pg_try_advisory_lock``)
on a dedicated connection that it keeps open; the lock goes with the connection, so when the
leader dies (even by SIGKILL) the server releases it and a waiting process takes over at its
next poll. On SQLite there is one server process, and it leads.

The leader runs APScheduler 3's ``AsyncIOScheduler`` with a ``SQLAlchemyJobStore`` on the
project's database (table ``apscheduler_jobs``, not part of the Alembic schema): the jobs of
``schedules.jobs`` referenced by name, with ids as arguments, plus a periodic ``sweep`` that
(re)plans open rounds and a daily ``housekeeping`` (retention purge, old event claims).
Next to it the outbox ``Dispatcher`` delivers. A process that loses the lock (its connection
broke) stops both at once and goes back to waiting.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from schedules import job_context, jobs, outbox
from schedules.delivery import Sender
from schedules.dispatcher import DeliveryPolicy, Dispatcher, default_worker_id
from storage.db import make_engine

log = logging.getLogger(__name__)

LOCK_KEY = 0x5370_6C63  # "Splc": the advisory lock that elects the leader
MISFIRE_GRACE = 3600  # a job missed by less than an hour still runs; sweep catches the rest
HOUSEKEEPING_HOUR = 3  # UTC: retention purge and old event claims, once a day at night


def _utcnow() -> datetime:
    return datetime.now(UTC)


class APSchedulerQueue:
    """``schedules.job_context.JobQueue`` on an APScheduler scheduler (date-triggered jobs)."""

    def __init__(self, scheduler: AsyncIOScheduler) -> None:
        self._scheduler = scheduler

    def at(self, job_id: str, func: str, run_at: datetime, args: tuple[object, ...]) -> None:
        existing = self._scheduler.get_job(job_id)
        if (
            existing is not None
            and existing.next_run_time == run_at
            and tuple(existing.args) == tuple(args)
        ):
            return  # unchanged: no write on every sweep
        self._scheduler.add_job(
            func,
            trigger="date",
            run_date=run_at,
            args=list(args),
            id=job_id,
            replace_existing=True,
            misfire_grace_time=MISFIRE_GRACE,
            coalesce=True,
        )

    def cancel(self, prefix: str, keep: frozenset[str] = frozenset()) -> None:
        for job in self._scheduler.get_jobs():
            if job.id.startswith(prefix) and job.id not in keep:
                with contextlib.suppress(Exception):  # removed by someone else meanwhile
                    job.remove()


class Leadership:
    """Who may run the scheduler. PostgreSQL: an advisory lock held by one connection."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None
        self.postgres = engine.dialect.name == "postgresql"

    def try_acquire(self) -> bool:
        if not self.postgres:
            return True
        try:
            if self._conn is None:
                self._conn = self._engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            got = bool(
                self._conn.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": LOCK_KEY}
                ).scalar()
            )
        except Exception:
            log.warning("leader election: database not reachable", exc_info=True)
            self.release()
            return False
        if not got:
            self.release()
        return got

    def still_held(self) -> bool:
        if not self.postgres:
            return True
        if self._conn is None:
            return False
        try:
            self._conn.execute(text("SELECT 1"))
            return True
        except Exception:
            self.release()
            return False

    def release(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(Exception):  # at once; the server ends the session later
                self._conn.execute(text("SELECT pg_advisory_unlock_all()"))
            # Ending the database session releases the lock; invalidate so that a pooled
            # engine closes the connection instead of keeping it (and the lock) in the pool.
            with contextlib.suppress(Exception):
                self._conn.invalidate()
            with contextlib.suppress(Exception):
                self._conn.close()
            self._conn = None


class BackgroundService:
    """The scheduler and the dispatcher, run by whichever process leads."""

    def __init__(
        self,
        *,
        database_url: str,
        session_factory: sessionmaker[Session],
        senders: Mapping[str, Sender],
        fallback: Sender | None = None,
        policy: DeliveryPolicy | None = None,
        clock: Callable[[], datetime] = _utcnow,
        poll_interval: float = 2.0,
        sweep_interval: float = 60.0,
        worker_id: str | None = None,
    ) -> None:
        self._url = database_url
        self._session_factory = session_factory
        self._senders = senders
        self._fallback = fallback
        self._policy = policy or DeliveryPolicy()
        self._clock = clock
        self._poll = poll_interval
        self._sweep = sweep_interval
        self.worker_id = worker_id or default_worker_id()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.leading = asyncio.Event()

    async def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="stoplicht-background")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        close = getattr(self._fallback, "close", None)
        if close is not None:
            await close()

    async def run(self) -> None:
        lock_engine = make_engine(self._url, poolclass=NullPool)
        leadership = Leadership(lock_engine)
        try:
            while not self._stop.is_set():
                if await asyncio.to_thread(leadership.try_acquire):
                    log.info("%s: leading (scheduler and dispatcher)", self.worker_id)
                    await self._lead(leadership)
                    log.info("%s: no longer leading", self.worker_id)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=self._poll)
        finally:
            leadership.release()
            lock_engine.dispose()

    async def _lead(self, leadership: Leadership) -> None:
        # The previous leader's claimed rows: its lock is gone, so its lease need not run out.
        freed = await asyncio.to_thread(
            outbox.release_others, self._session_factory, worker=self.worker_id
        )
        if freed:
            log.info("%s: took over %d notifications of the previous leader", self.worker_id, freed)
        store_engine = make_engine(self._url)
        scheduler = AsyncIOScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=store_engine)}, timezone=UTC
        )
        job_context.install(
            job_context.JobContext(
                session_factory=self._session_factory,
                queue=APSchedulerQueue(scheduler),
                clock=self._clock,
            )
        )
        stop_leading = asyncio.Event()
        dispatcher = Dispatcher(
            session_factory=self._session_factory,
            senders=self._senders,
            fallback=self._fallback,
            policy=self._policy,
            worker_id=self.worker_id,
            clock=self._clock,
        )
        scheduler.start()
        scheduler.add_job(
            jobs.JOB_PREFIX + "sweep",
            trigger="interval",
            seconds=self._sweep,
            id="sweep",
            replace_existing=True,
            next_run_time=self._clock() + timedelta(seconds=1),
            coalesce=True,
            max_instances=1,
        )
        scheduler.add_job(
            jobs.JOB_PREFIX + "housekeeping",
            trigger="cron",
            hour=HOUSEKEEPING_HOUR,
            minute=17,
            id="housekeeping",
            replace_existing=True,
            misfire_grace_time=MISFIRE_GRACE,
            coalesce=True,
            max_instances=1,
        )
        delivering = asyncio.create_task(dispatcher.run_forever(stop_leading))
        self.leading.set()
        try:
            while not self._stop.is_set():
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stop.wait(), timeout=self._poll)
                if not await asyncio.to_thread(leadership.still_held):
                    log.warning("%s: lost the leader lock", self.worker_id)
                    break
        finally:
            self.leading.clear()
            stop_leading.set()
            with contextlib.suppress(Exception):
                await delivering
            scheduler.shutdown(wait=False)
            job_context.install(None)
            store_engine.dispose()


def settings_policy(settings: Any) -> DeliveryPolicy:
    """The delivery policy from ``bot.settings.Settings`` (duck-typed: schedules never
    imports ``bot``)."""
    return DeliveryPolicy(
        lease_seconds=float(getattr(settings, "delivery_lease_seconds", 120.0)),
        tenant_rates={"teams": float(getattr(settings, "teams_rate", 25.0))},
        default_rate=float(getattr(settings, "teams_rate", 25.0)),
    )


def build_background(
    *,
    settings: Any,
    session_factory: sessionmaker[Session],
    senders: Mapping[str, Sender],
    clock: Callable[[], datetime] = _utcnow,
) -> BackgroundService:
    """The service as the settings ask: with ``delivery_webhook`` every notification goes to
    that relay; in demo mode (or with ``notify_log``) recipients without a reachable account
    are shown in the log; otherwise the channel senders deliver."""
    from pathlib import Path

    from schedules.log_sender import LogSender
    from schedules.webhook_sender import WebhookSender

    fallback: Sender | None = None
    if getattr(settings, "delivery_webhook", ""):
        senders = {}
        fallback = WebhookSender(url=settings.delivery_webhook)
    elif getattr(settings, "demo", False) or getattr(settings, "notify_log", ""):
        path = Path(settings.notify_log) if getattr(settings, "notify_log", "") else None
        fallback = LogSender(path=path)
    return BackgroundService(
        database_url=settings.database_url,
        session_factory=session_factory,
        senders=dict(senders),
        fallback=fallback,
        policy=settings_policy(settings),
        clock=clock,
        poll_interval=float(getattr(settings, "leader_poll_seconds", 2.0)),
        sweep_interval=float(getattr(settings, "sweep_seconds", 60.0)),
    )
