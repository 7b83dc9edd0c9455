"""Nudging students to start their action plan, a while after their feedback was shared.

Run by ``schedules.jobs.sweep``; idempotent like every job (one notification per student and
round, by the outbox's key).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from schedules import planning
from schedules.job_context import JobContext, current
from storage.db import unit_of_work
from storage.models import ActionPlan, Person, Round, School, Share
from storage.notifications import enqueue_many
from storage.school_settings import SchoolSettings


def plan_nudges(*, ctx: JobContext | None = None) -> int:
    """Remind students whose feedback was shared ``plan_reminder_days`` ago and who have not
    started their action plan; one who has not even opened the feedback is asked to read it
    first (``read`` in the payload). Once per student and round; not during the school's quiet
    hours (the next run after them sends it). Returns how many were new."""
    c = current(ctx)
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
                select(Share.student_id, Share.round_id, Round.name, Share.read_at)
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
                        payload={"round": name, "round_id": round_id, "read": read_at is not None},
                    )
                    for student_id, round_id, name, read_at in rows
                ],
            )
    return total
