"""A school's reminder settings changed during an open round apply from that moment: the next
plan follows the new offsets, and a reminder whose time passed before the change is not sent
late as a "missed" one."""

from __future__ import annotations

from datetime import timedelta

import time_machine

from schedules import job_context, jobs
from storage.db import unit_of_work
from storage.models import School
from storage.school_config import set_settings
from tests.support.job_queue import RecordingQueue
from tests.unit.schedules.test_jobs import ams, notes, setup_round

OPENED = ams(2026, 11, 16, 10, 0)  # Monday
DEADLINE = ams(2026, 11, 20, 16, 0)  # Friday
CHANGED = ams(2026, 11, 18, 10, 0)  # Wednesday, after the 72h reminder (Tuesday 16:00)


def _change(factory, school_id: int, offsets: str) -> None:
    with unit_of_work(factory) as s:
        set_settings(
            s,
            school=s.get_one(School, school_id),
            changes=[("reminder_offsets_hours", offsets)],
            actor_id=None,
            channel="cli",
            now=CHANGED,
        )


def _occasions(factory) -> list[str]:
    return [n.occasion.split("@")[0] for n in notes(factory, "deadline_reminder")]


def test_new_offsets_are_planned_from_the_moment_of_the_change(sqlite_session_factory) -> None:
    f, queue = sqlite_session_factory, RecordingQueue()
    ctx = job_context.JobContext(session_factory=f, queue=queue)
    with time_machine.travel(OPENED, tick=False):
        t, rid = setup_round(f, now=OPENED, deadline=DEADLINE)
        jobs.plan_round(rid, ctx=ctx)
    queue.run_until(CHANGED - timedelta(minutes=1), ctx)
    assert set(_occasions(f)) == {"72h"}  # Tuesday 16:00, to both teachers
    # Wednesday 10:00: 60h would have been Wednesday 04:00 (quiet until 07:00): already past.
    _change(f, t.school_id, "60,6")
    with time_machine.travel(CHANGED, tick=False):
        planned = jobs.plan_round(rid, ctx=ctx)  # what the scheduler's sweep does each minute
    assert [p.split(":")[3] for p in planned if ":reminder:" in p] == ["6h@2026-11-20T15"]
    assert set(_occasions(f)) == {"72h"}  # the past 60h is not sent late as "missed"
    ran = queue.run_until(DEADLINE + timedelta(hours=1), ctx)
    sent = [at.astimezone(DEADLINE.tzinfo) for at, fn, _ in ran if fn.endswith("send_reminders")]
    assert sent == [ams(2026, 11, 20, 10, 0)]  # Friday 10:00, six hours before
    assert sorted(set(_occasions(f))) == ["6h", "72h"]  # the old 24h and 3h are gone


def test_a_restart_after_the_change_still_catches_up_a_missed_new_reminder(
    sqlite_session_factory,
) -> None:
    f, queue = sqlite_session_factory, RecordingQueue()
    ctx = job_context.JobContext(session_factory=f, queue=queue)
    with time_machine.travel(OPENED, tick=False):
        t, rid = setup_round(f, now=OPENED, deadline=DEADLINE)
        jobs.plan_round(rid, ctx=ctx)
    _change(f, t.school_id, "48")  # Wednesday 16:00, after the change
    down_until = ams(2026, 11, 18, 18, 0)  # nobody ran from before 16:00 until 18:00
    with time_machine.travel(down_until, tick=False):
        jobs.plan_round(rid, ctx=ctx)
    assert "48h" in _occasions(f)
