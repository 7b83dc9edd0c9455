"""The time-driven jobs: each one unit of work, taking ids only, safe to run twice.

A job opens its own transaction, reads the round as it is *now*, and writes notifications with
``storage.notifications.enqueue_many``; the idempotency key (kind, round, recipient, occasion)
means a job run twice, or by two processes, never creates a second notification. The reminder
occasion carries the deadline (``24h@2026-11-19T15:00Z``), so an extended deadline gets its own
reminders and a stale job for the old deadline finds nothing to do.

The scheduler references these functions by name (``schedules.jobs:send_reminders``) with
plain ids as arguments, and keeps those references in its job store: a job that is planned
must stay here under its name. The process that runs them installs a ``JobContext`` once
(``schedules.job_context.install``). Tests pass ``ctx=`` directly. The students' plan nudges
that ``sweep`` sends are in ``schedules.nudges``.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schedules import planning
from schedules.job_context import JobContext, current
from schedules.nudges import plan_nudges
from storage import privacy
from storage.cohort import expected_entries, feedback_join
from storage.conversation import claims as event_claims
from storage.conversation import inbox
from storage.db import unit_of_work
from storage.models import Feedback, Person, Round, RoundState, School
from storage.notifications import enqueue_many
from storage.rounds.lifecycle import close_round
from storage.school_settings import SchoolSettings

log = logging.getLogger(__name__)

JOB_PREFIX = "schedules.jobs:"


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
    c = current(ctx)
    now = c.clock()
    prefix = round_job_prefix(round_id)
    with unit_of_work(c.session_factory) as session:
        rnd = session.get(Round, round_id)
        if rnd is None or rnd.state is not RoundState.OPEN:
            c.queue.cancel(prefix)
            return []
        school, settings = _settings(session, rnd.school_id)
        deadline, opened = rnd.deadline, rnd.opened_at
        # A change of offsets or quiet hours applies from that moment: what the new plan would
        # have sent before it is not sent late as a missed reminder.
        changed = settings.reminders_changed_at
        if changed is not None and (opened is None or changed > opened):
            opened = changed
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
    c = current(ctx)
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
    c = current(ctx)
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


def sweep(*, ctx: JobContext | None = None) -> int:
    """Periodic safety net: re-plan every open round (new, extended, or planned before a
    restart), handle deadlines that passed while nobody ran, and send due plan nudges.
    Returns the number of open rounds seen."""
    c = current(ctx)
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
    c = current(ctx)
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
    forgotten += inbox.forget_before(
        c.session_factory, before=now - timedelta(days=EVENT_CLAIM_DAYS)
    )  # requests done (the turn and its text are stored elsewhere, or were refused)
    log.info("housekeeping: purged %s, forgot %d event claim(s)", purged, forgotten)
    return purged
