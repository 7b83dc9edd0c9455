"""The time-driven jobs: each one unit of work, taking ids only, safe to run twice.

A job opens its own transaction, reads the round as it is *now*, and writes notifications with
``storage.notifications.enqueue_many``; the idempotency key (kind, round, recipient, occasion)
means a job run twice, or by two processes, never creates a second notification. The reminder
occasion carries the deadline (``24h@2026-11-19T15:00Z``), so an extended deadline gets its own
reminders and a stale job for the old deadline finds nothing to do.

The scheduler references these functions by name (``schedules.jobs:send_reminders``) with
plain ids as arguments; the process that runs them installs a ``JobContext`` once
(``install``). Tests pass ``ctx=`` directly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from schedules import planning
from storage import event_claims, privacy
from storage.cohort import expected_entries, feedback_join
from storage.db import unit_of_work
from storage.models import (
    ActionPlan,
    Feedback,
    Person,
    Round,
    RoundState,
    School,
    Share,
)
from storage.notifications import enqueue_many
from storage.rounds import close_round
from storage.school_settings import SchoolSettings

log = logging.getLogger(__name__)

JOB_PREFIX = "schedules.jobs:"


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


def _ctx(ctx: JobContext | None) -> JobContext:
    if ctx is not None:
        return ctx
    if _installed is None:
        raise RuntimeError("schedules.jobs: no JobContext installed in this process")
    return _installed


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%MZ")


def _settings(session: Session, school_id: int) -> tuple[School, SchoolSettings]:
    school = session.get(School, school_id)
    assert school is not None
    return school, SchoolSettings.from_json(school.settings)


def round_job_prefix(round_id: int) -> str:
    return f"round:{round_id}:"


def plan_round(round_id: int, *, ctx: JobContext | None = None) -> list[str]:
    """(Re)plan the reminder and deadline jobs of an open round; returns the planned job ids.

    Called after open and extend, and by ``sweep`` for every open round (so a restart or a
    deadline changed elsewhere is picked up). A closed or missing round loses its jobs.
    """
    c = _ctx(ctx)
    now = c.clock()
    prefix = round_job_prefix(round_id)
    with unit_of_work(c.session_factory) as session:
        rnd = session.get(Round, round_id)
        if rnd is None or rnd.state is not RoundState.OPEN:
            c.queue.cancel(prefix)
            return []
        school, settings = _settings(session, rnd.school_id)
        deadline, opened = rnd.deadline, rnd.opened_at
    reminders = planning.reminder_times(
        deadline=deadline,
        offsets_hours=settings.reminder_offsets_hours,
        quiet=planning.quiet_from_settings(
            settings.quiet_start, settings.quiet_end, settings.quiet_weekends
        ),
        tz=planning.zone(school.time_zone),
        not_before=opened,
    )
    planned: list[str] = []
    missed: planning.PlannedReminder | None = None
    for r in reminders:
        occasion = f"{r.occasion}@{stamp(deadline)}"
        if r.at <= now:
            missed = r  # the most recent one whose time passed (e.g. while nobody ran)
            continue
        job_id = f"{prefix}reminder:{occasion}"
        c.queue.at(job_id, JOB_PREFIX + "send_reminders", r.at, (round_id, occasion))
        planned.append(job_id)
    deadline_job = f"{prefix}deadline:{stamp(deadline)}"
    c.queue.at(deadline_job, JOB_PREFIX + "deadline_reached", max(deadline, now), (round_id,))
    planned.append(deadline_job)
    c.queue.cancel(prefix, keep=frozenset(planned))
    if missed is not None and now < deadline:
        send_reminders(round_id, f"{missed.occasion}@{stamp(deadline)}", ctx=c)
    return planned


def teachers_with_work_left(session: Session, round_id: int) -> list[tuple[int, int, int]]:
    """(teacher id, done, total) for each teacher with entries still open; one statement."""
    e = expected_entries(round_id).subquery()
    rows = session.execute(
        select(e.c.teacher_id, func.count(Feedback.id), func.count())
        .select_from(e)
        .outerjoin(Feedback, feedback_join(round_id, e))
        .group_by(e.c.teacher_id)
        .having(func.count(Feedback.id) < func.count())
        .order_by(e.c.teacher_id)
    ).all()
    return [(int(t), int(d), int(n)) for t, d, n in rows]


def send_reminders(round_id: int, occasion: str, *, ctx: JobContext | None = None) -> int:
    """Remind every teacher with work left in an open round; returns how many were new.

    Nothing happens once the round is closed or its deadline has passed, or when the occasion
    belongs to an earlier deadline (the round was extended and re-planned).
    """
    c = _ctx(ctx)
    now = c.clock()
    with unit_of_work(c.session_factory) as session:
        rnd = session.get(Round, round_id)
        if rnd is None or rnd.state is not RoundState.OPEN or now >= rnd.deadline:
            return 0
        if not occasion.endswith("@" + stamp(rnd.deadline)):
            return 0
        school, _ = _settings(session, rnd.school_id)
        deadline_local = rnd.deadline.astimezone(planning.zone(school.time_zone)).isoformat()
        items = [
            dict(
                school_id=rnd.school_id,
                recipient_id=teacher_id,
                kind="deadline_reminder",
                round_id=rnd.id,
                occasion=occasion,
                payload={
                    "round": rnd.name,
                    "round_id": rnd.id,
                    "deadline": deadline_local,
                    "done": done,
                    "total": total,
                },
            )
            for teacher_id, done, total in teachers_with_work_left(session, rnd.id)
        ]
        n = enqueue_many(session, items)
    log.info("round %s reminder %s: %d new notification(s)", round_id, occasion, n)
    return n


def deadline_reached(round_id: int, *, ctx: JobContext | None = None) -> str:
    """At the deadline: auto-close if the school chose it, else tell the organizer.

    Returns what happened: ``closed``, ``notified``, or ``nothing`` (closed already, extended,
    not yet due).
    """
    c = _ctx(ctx)
    now = c.clock()
    with unit_of_work(c.session_factory) as session:
        rnd = session.get(Round, round_id)
        if rnd is None or rnd.state is not RoundState.OPEN or now < rnd.deadline:
            return "nothing"
        school, settings = _settings(session, rnd.school_id)
        if settings.auto_close:
            close_round(session, round_id=rnd.id, actor_id=None, now=now)
            log.info("round %s closed at its deadline (auto-close)", round_id)
            return "closed"
        e = expected_entries(rnd.id).subquery()
        done, total, teachers = session.execute(
            select(func.count(Feedback.id), func.count(), func.count(e.c.teacher_id.distinct()))
            .select_from(e)
            .outerjoin(Feedback, feedback_join(rnd.id, e))
        ).one()
        behind = len(teachers_with_work_left(session, rnd.id))
        organizers = (
            [rnd.organizer_id]
            if rnd.organizer_id is not None
            else list(
                session.scalars(
                    select(Person.id).where(
                        Person.school_id == rnd.school_id,
                        Person.is_organizer.is_(True),
                        Person.active.is_(True),
                    )
                )
            )
        )
        payload = {
            "round": rnd.name,
            "round_id": rnd.id,
            "deadline": rnd.deadline.astimezone(planning.zone(school.time_zone)).isoformat(),
            "done": int(done),
            "total": int(total),
            "teachers": int(teachers),
            "teachers_behind": behind,
        }
        enqueue_many(
            session,
            [
                dict(
                    school_id=rnd.school_id,
                    recipient_id=o,
                    kind="deadline_reached",
                    round_id=rnd.id,
                    occasion=stamp(rnd.deadline),
                    payload=payload,
                )
                for o in organizers
            ],
        )
    return "notified"


def plan_nudges(*, ctx: JobContext | None = None) -> int:
    """Remind students whose feedback was shared ``plan_reminder_days`` ago and who have not
    started their action plan. Once per student and round; not during the school's quiet
    hours (the next run after them sends it). Returns how many were new."""
    c = _ctx(ctx)
    now = c.clock()
    total = 0
    with unit_of_work(c.session_factory) as session:
        for school in session.scalars(select(School).order_by(School.id)):
            settings = SchoolSettings.from_json(school.settings)
            if not settings.full_package or settings.plan_reminder_days <= 0:
                continue
            quiet = planning.quiet_from_settings(
                settings.quiet_start, settings.quiet_end, settings.quiet_weekends
            )
            if planning.is_quiet(now, quiet, planning.zone(school.time_zone)):
                continue
            cutoff = now - timedelta(days=settings.plan_reminder_days)
            rows = session.execute(
                select(Share.student_id, Share.round_id, Round.name)
                .join(Round, Round.id == Share.round_id)
                .join(Person, Person.id == Share.student_id)
                .outerjoin(
                    ActionPlan,
                    (ActionPlan.round_id == Share.round_id)
                    & (ActionPlan.student_id == Share.student_id),
                )
                .where(
                    Round.school_id == school.id,
                    Person.active.is_(True),
                    Share.shared_at <= cutoff,
                    ActionPlan.id.is_(None),
                )
            ).all()
            total += enqueue_many(
                session,
                [
                    dict(
                        school_id=school.id,
                        recipient_id=student_id,
                        kind="plan_reminder",
                        round_id=round_id,
                        payload={"round": name, "round_id": round_id},
                    )
                    for student_id, round_id, name in rows
                ],
            )
    return total


def sweep(*, ctx: JobContext | None = None) -> int:
    """Periodic safety net: re-plan every open round (new, extended, or planned before a
    restart), handle deadlines that passed while nobody ran, and send due plan nudges.
    Returns the number of open rounds seen."""
    c = _ctx(ctx)
    with c.session_factory() as session:
        open_ids = select(Round.id).where(Round.state == RoundState.OPEN).order_by(Round.id)
        ids = list(session.scalars(open_ids))
    for round_id in ids:
        try:
            plan_round(round_id, ctx=c)
            deadline_reached(round_id, ctx=c)
        except Exception:  # one broken round must not stop the others
            log.exception("sweep: round %s failed", round_id)
    plan_nudges(ctx=c)
    return len(ids)


EVENT_CLAIM_DAYS = 2  # platforms retry a delivery for minutes; two days is ample


def housekeeping(*, ctx: JobContext | None = None) -> dict[int, int]:
    """Daily: purge every school's data older than its ``retention_days``
    (``storage.privacy.purge_older_than``), then forget processed Slack/Teams event ids older
    than ``EVENT_CLAIM_DAYS``. One transaction per school, so one school's failure leaves the
    others purged; running it twice deletes nothing more. Returns records purged per school.
    """
    c = _ctx(ctx)
    now = c.clock()
    with c.session_factory() as session:
        school_ids = list(session.scalars(select(School.id).order_by(School.id)))
    purged: dict[int, int] = {}
    for school_id in school_ids:
        try:
            with unit_of_work(c.session_factory) as session:
                counts = privacy.purge_older_than(
                    session, school_id=school_id, now=now, channel="scheduler"
                )
            purged[school_id] = sum(counts.values())
        except Exception:  # one broken school must not stop the others
            log.exception("housekeeping: school %s failed", school_id)
    forgotten = event_claims.forget_before(
        c.session_factory, before=now - timedelta(days=EVENT_CLAIM_DAYS)
    )
    log.info("housekeeping: purged %s, forgot %d event claim(s)", purged, forgotten)
    return purged
