"""The outbox dispatcher: delivers due notifications through the channel senders.

One loop per process that holds the scheduler lock (``schedules.scheduler``). Each round it
claims a batch of due rows with a lease (``schedules.outbox.claim``), composes them, and sends
them concurrently, paced per conversation (one message per ``conversation_interval``) and per
tenant (a token bucket, default 25 per second). The outcome of each attempt (the sender's
exception, see ``schedules.delivery``) is written at once, in its own transaction:

- success: ``delivered``, committed right after the send (a group commit of the sends that
  finished meanwhile), so a crash never sends it again;
- ``RetryLater``/timeout/unexpected error: back to pending with exponential backoff and full
  jitter, never before ``retry_after`` (the tenant's bucket pauses that long too); after
  ``max_attempts`` attempts: ``failed``;
- ``Unreachable``: ``unreachable``, and the reason is kept on the person's channel account;
- ``PermanentFailure`` or a row that cannot be composed: ``failed``.

Routing: the recipient's channel account on a channel this process has a sender for (an
account with a conversation and no recorded problem first, Teams before Slack). No account at
all: ``unreachable`` with reason "no conversation", unless a ``fallback`` sender is set (the
demo's log, or a delivery webhook), which then gets it. An account only on a channel this
process cannot send to stays pending (retried later), so a misconfigured worker loses nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import random
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from schedules import outbox
from schedules.delivery import (
    PermanentFailure,
    RetryLater,
    Sender,
    Target,
    Unreachable,
    backoff_delay,
)
from schedules.pacing import Pacer, TokenBucket
from storage.models import NotificationStatus

log = logging.getLogger(__name__)


def _utcnow() -> datetime:
    return datetime.now(UTC)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:64]


@dataclass(frozen=True)
class DeliveryPolicy:
    lease_seconds: float = 120.0
    batch_size: int = 200
    pipelines: int = 2
    concurrency: int = 64
    max_attempts: int = 8
    send_timeout: float = 30.0
    conversation_interval: float = 1.0
    tenant_rates: Mapping[str, float] = field(default_factory=lambda: {"teams": 25.0})
    default_rate: float = 25.0
    backoff_base: float = 2.0
    backoff_cap: float = 600.0
    idle_sleep: float = 1.0


@dataclass
class Dispatcher:
    session_factory: sessionmaker[Session]
    senders: Mapping[str, Sender]
    fallback: Sender | None = None
    policy: DeliveryPolicy = field(default_factory=DeliveryPolicy)
    worker_id: str = field(default_factory=default_worker_id)
    clock: Callable[[], datetime] = _utcnow
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self._buckets: dict[tuple[str, str], TokenBucket] = {}
        self._pacer = Pacer(self.policy.conversation_interval)
        self._in_flight: set[int] = set()
        self._delivered: list[tuple[outbox.Job, str, asyncio.Future[None]]] = []
        self._writer: asyncio.Task[None] | None = None

    def _bucket(self, channel: str, tenant: str) -> TokenBucket:
        key = (channel, tenant)
        if key not in self._buckets:
            rate = self.policy.tenant_rates.get(channel, self.policy.default_rate)
            # A tenth of a second of burst: lets a late wake-up catch up without bursting.
            self._buckets[key] = TokenBucket(rate, capacity=max(1.0, rate / 10))
        return self._buckets[key]

    async def run_once(self) -> int:
        """Claim and deliver one batch; returns how many rows were attempted."""
        p = self.policy
        ids = await asyncio.to_thread(
            outbox.claim,
            self.session_factory,
            worker=self.worker_id,
            now=self.clock(),
            lease=p.lease_seconds,
            limit=p.batch_size,
        )
        if not ids:
            return 0
        jobs = await asyncio.to_thread(
            outbox.prepare, self.session_factory, ids=ids, channels=list(self.senders)
        )
        self._in_flight.update(ids)
        semaphore = asyncio.Semaphore(p.concurrency)
        renewer = asyncio.create_task(self._renew_leases())

        async def one(job: outbox.Job) -> None:
            async with semaphore:
                try:
                    await self._deliver(job)
                except Exception:  # recording the outcome failed: the lease will expire
                    log.exception("notification %s: recording the outcome failed", job.id)
                finally:
                    self._in_flight.discard(job.id)

        try:
            await asyncio.gather(*(one(j) for j in jobs))
        finally:
            renewer.cancel()
            self._pacer.forget_idle()
        return len(jobs)

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Deliver until ``stop`` is set. ``policy.pipelines`` batches are in flight at once
        (each claims its own rows), so composing the next batch overlaps with sending this
        one; pacing and rates are shared, so the limits hold across them."""

        async def pipeline() -> None:
            while not stop.is_set():
                try:
                    n = await self.run_once()
                except Exception:
                    log.exception("dispatcher: batch failed")
                    n = 0
                if n == 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=self.policy.idle_sleep)

        await asyncio.gather(*(pipeline() for _ in range(max(1, self.policy.pipelines))))

    async def _renew_leases(self) -> None:
        lease = self.policy.lease_seconds
        while True:
            await asyncio.sleep(lease / 3)
            until = self.clock() + timedelta(seconds=lease)
            await asyncio.to_thread(
                outbox.renew,
                self.session_factory,
                worker=self.worker_id,
                ids=sorted(self._in_flight),
                until=until,
            )

    def _route(self, job: outbox.Job) -> tuple[Sender, Target] | str:
        if job.target is not None:
            return self.senders[job.target.channel], job.target
        if self.fallback is not None:
            return self.fallback, Target(
                person_id=job.recipient_id,
                channel=self.fallback.channel,
                tenant="-",
                external_id=str(job.recipient_id),
                language=job.language,
            )
        if job.channels:
            return f"no sender configured for {', '.join(job.channels)}"
        return ""

    async def _deliver(self, job: outbox.Job) -> None:
        f, w = self.session_factory, self.worker_id
        if job.error is not None:
            await asyncio.to_thread(
                outbox.mark_failed,
                f,
                job,
                worker=w,
                status=NotificationStatus.FAILED,
                error=job.error,
            )
            return
        route = self._route(job)
        if isinstance(route, str):
            if route:  # an account on a channel this process cannot serve: keep it pending
                await self._retry(job, RetryLater(route))
            else:
                await asyncio.to_thread(
                    outbox.mark_failed,
                    f,
                    job,
                    worker=w,
                    status=NotificationStatus.UNREACHABLE,
                    error="no conversation",
                )
            return
        sender, target = route
        bucket = self._bucket(target.channel, target.tenant)
        await bucket.acquire()
        # Last before the send, so the conversation's interval is measured between sends.
        await self._pacer.wait(f"{target.channel}:{target.tenant}:{target.external_id}")
        try:
            await asyncio.wait_for(
                sender.send(target, job.replies, key=job.key), timeout=self.policy.send_timeout
            )
        except RetryLater as exc:
            if exc.retry_after:
                bucket.pause(exc.retry_after)
            await self._retry(job, exc)
        except TimeoutError:
            await self._retry(job, RetryLater("timeout"))
        except Unreachable as exc:
            await asyncio.to_thread(
                outbox.mark_failed,
                f,
                job,
                worker=w,
                status=NotificationStatus.UNREACHABLE,
                error=exc.reason,
                channel=target.channel,
            )
        except PermanentFailure as exc:
            await asyncio.to_thread(
                outbox.mark_failed,
                f,
                job,
                worker=w,
                status=NotificationStatus.FAILED,
                error=exc.reason,
                channel=target.channel,
            )
        except Exception as exc:  # a sender bug or an unclassified error: retry, bounded
            log.warning("notification %s: unexpected send error %r", job.id, exc)
            await self._retry(job, RetryLater(f"{exc.__class__.__name__}: {exc}"))
        else:
            await self._record_delivered(job, target.channel)

    async def _record_delivered(self, job: outbox.Job, channel: str) -> None:
        """Group commit: a send waits until the commit that marks it delivered is done; sends
        that finish while a commit runs go together in the next one."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._delivered.append((job, channel, done))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_delivered())
        await done

    async def _write_delivered(self) -> None:
        while self._delivered:
            batch, self._delivered = self._delivered, []
            try:
                await asyncio.to_thread(
                    outbox.mark_delivered,
                    self.session_factory,
                    [(j, c) for j, c, _ in batch],
                    now=self.clock(),
                )
            except Exception as exc:
                for _, _, fut in batch:
                    fut.set_exception(exc)
            else:
                for _, _, fut in batch:
                    fut.set_result(None)

    async def _retry(self, job: outbox.Job, exc: RetryLater) -> None:
        attempt = job.attempts + 1
        if attempt >= self.policy.max_attempts:
            await asyncio.to_thread(
                outbox.mark_failed,
                self.session_factory,
                job,
                worker=self.worker_id,
                status=NotificationStatus.FAILED,
                error=f"gave up after {attempt} attempts: {exc.reason}",
            )
            return
        delay = backoff_delay(
            attempt,
            retry_after=exc.retry_after,
            base=self.policy.backoff_base,
            cap=self.policy.backoff_cap,
            rng=self.rng,
        )
        await asyncio.to_thread(
            outbox.mark_retry,
            self.session_factory,
            job,
            worker=self.worker_id,
            at=self.clock() + timedelta(seconds=delay),
            error=exc.reason,
        )
