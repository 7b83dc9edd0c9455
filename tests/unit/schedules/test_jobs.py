"""The jobs under a controlled clock: reminders at local times across the October change,
only to teachers with work left, nothing after close, auto-close, organizer notice, nudges."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import select

from schedules import job_context, jobs, nudges
from schedules.planning import localize, zone
from storage.db import unit_of_work
from storage.models import (
    ActionPlan,
    Feedback,
    Light,
    Notification,
    Round,
    RoundState,
    School,
    Share,
)
from storage.rounds.lifecycle import close_round, create_round, extend_round
from tests.support.builders import tiny_school
from tests.support.job_queue import RecordingQueue

AMS = zone("Europe/Amsterdam")


def ams(*a: int) -> datetime:
    return localize(datetime(*a), AMS)


def setup_round(factory, *, now: datetime, deadline: datetime, settings: dict | None = None):
    with unit_of_work(factory) as s:
        t = tiny_school(s)
        if settings:
            s.get(School, t.school_id).settings = settings
        rnd = create_round(
            s,
            school_id=t.school_id,
            actor_id=t.people["olga"],
            name="Herfst",
            group_ids=[t.groups["2A"], t.groups["2B"]],
            deadline=deadline,
            now=now,
            open_now=True,
        )
        return t, rnd.id


def give_all_feedback(factory, round_id: int, teacher_id: int) -> None:
    from storage.cohort import expected_entries

    with unit_of_work(factory) as s:
        e = expected_entries(round_id, teacher_id=teacher_id).subquery()
        for st, g, subject in s.execute(select(e.c.student_id, e.c.group_id, e.c.subject)):
            s.add(
                Feedback(
                    round_id=round_id,
                    student_id=st,
                    group_id=g,
                    teacher_id=teacher_id,
                    subject=subject,
                    light=Light.GA_ZO_DOOR,
                )
            )


def notes(factory, kind: str) -> list[Notification]:
    with factory() as s:
        return list(
            s.scalars(
                select(Notification).where(Notification.kind == kind).order_by(Notification.id)
            )
        )


@pytest.fixture
def queue() -> RecordingQueue:
    return RecordingQueue()


@pytest.fixture
def ctx(sqlite_session_factory, queue):
    return job_context.JobContext(session_factory=sqlite_session_factory, queue=queue)


def test_reminders_at_local_times_across_the_october_change(sqlite_session_factory, queue, ctx):
    f = sqlite_session_factory
    opened = ams(2026, 10, 21, 10, 0)  # Wednesday, summer time
    deadline = ams(2026, 10, 27, 17, 0)  # Tuesday after the change, winter time
    with time_machine.travel(opened, tick=False):
        t, rid = setup_round(f, now=opened, deadline=deadline)
        planned = jobs.plan_round(rid, ctx=ctx)
    assert len(planned) == 4
    ran = queue.run_until(deadline + timedelta(hours=1), ctx)
    local = [(at.astimezone(AMS).strftime("%a %H:%M %Z"), fn.split(":")[1]) for at, fn, _ in ran]
    assert local == [
        ("Mon 07:00 CET", "send_reminders"),  # 72h: Saturday 17:00 CEST, weekend → Monday
        ("Mon 17:00 CET", "send_reminders"),  # 24h: same wall-clock time the day before
        ("Tue 14:00 CET", "send_reminders"),  # 3h
        ("Tue 17:00 CET", "deadline_reached"),
    ]
    reminders = notes(f, "deadline_reminder")
    assert len(reminders) == 6  # 3 occasions x Wim and Dora, nobody has started
    assert {n.payload["total"] for n in reminders} == {5, 6}
    assert {n.created_at for n in reminders} == {at for at, *_ in ran[:3]}


def test_only_teachers_with_work_left_and_progress_in_payload(sqlite_session_factory, ctx):
    f = sqlite_session_factory
    now = ams(2026, 11, 16, 10, 0)
    with time_machine.travel(now, tick=False):
        t, rid = setup_round(f, now=now, deadline=ams(2026, 11, 19, 16, 0))
        give_all_feedback(f, rid, t.people["wim"])
        with unit_of_work(f) as s:  # Dora did one of her six
            s.add(
                Feedback(
                    round_id=rid,
                    student_id=t.people["anna"],
                    group_id=t.groups["2A ne"],
                    teacher_id=t.people["dora"],
                    subject="Nederlands",
                    light=Light.LET_OP,
                )
            )
        occasion = "24h@" + jobs.stamp(ams(2026, 11, 19, 16, 0))
        assert jobs.send_reminders(rid, occasion, ctx=ctx) == 1
        assert jobs.send_reminders(rid, occasion, ctx=ctx) == 0  # twice: nothing new
    [n] = notes(f, "deadline_reminder")
    assert n.recipient_id == t.people["dora"]
    assert (n.payload["done"], n.payload["total"]) == (1, 6)
    assert n.payload["round_id"] == rid and n.occasion == occasion


def test_no_reminder_after_close_or_for_an_old_deadline(sqlite_session_factory, queue, ctx):
    f = sqlite_session_factory
    now = ams(2026, 11, 16, 10, 0)
    deadline = ams(2026, 11, 19, 16, 0)
    with time_machine.travel(now, tick=False):
        t, rid = setup_round(f, now=now, deadline=deadline)
        jobs.plan_round(rid, ctx=ctx)
        old = "3h@" + jobs.stamp(deadline)
        with unit_of_work(f) as s:
            extend_round(
                s, round_id=rid, actor_id=None, deadline=deadline + timedelta(days=7), now=now
            )
        assert jobs.send_reminders(rid, old, ctx=ctx) == 0  # stale job of the old deadline
        jobs.plan_round(rid, ctx=ctx)
        assert all(jobs.stamp(deadline + timedelta(days=7)) in j for j in queue.jobs)
        with unit_of_work(f) as s:
            close_round(s, round_id=rid, actor_id=None, now=now)
        new = "3h@" + jobs.stamp(deadline + timedelta(days=7))
        assert jobs.send_reminders(rid, new, ctx=ctx) == 0
        assert jobs.plan_round(rid, ctx=ctx) == [] and queue.jobs == {}
    ran = queue.run_until(deadline + timedelta(days=8), ctx)
    assert ran == []
    assert notes(f, "deadline_reminder") == []


def test_auto_close_at_the_deadline(sqlite_session_factory, queue, ctx):
    f = sqlite_session_factory
    now = ams(2026, 11, 16, 10, 0)
    deadline = ams(2026, 11, 19, 16, 0)
    with time_machine.travel(now, tick=False):
        t, rid = setup_round(f, now=now, deadline=deadline, settings={"auto_close": True})
        jobs.plan_round(rid, ctx=ctx)
    with time_machine.travel(deadline - timedelta(minutes=1), tick=False):
        assert jobs.deadline_reached(rid, ctx=ctx) == "nothing"  # early: nothing
    ran = queue.run_until(deadline, ctx)
    assert ran[-1][1:] == ("schedules.jobs:deadline_reached", "closed")
    with f() as s:
        rnd = s.get(Round, rid)
        assert rnd.state is RoundState.CLOSED and rnd.closed_at == deadline
    assert [n.recipient_id for n in notes(f, "mentor_digest")] == [t.people["mia"]]
    assert len(notes(f, "colleagues_visible")) == 2
    assert notes(f, "deadline_reached") == []
    with time_machine.travel(deadline + timedelta(hours=1), tick=False):
        assert jobs.deadline_reached(rid, ctx=ctx) == "nothing"  # again: closed already


def test_organizer_notice_when_not_auto_closing(sqlite_session_factory, ctx):
    f = sqlite_session_factory
    now = ams(2026, 11, 16, 10, 0)
    deadline = ams(2026, 11, 19, 16, 0)
    with time_machine.travel(now, tick=False):
        t, rid = setup_round(f, now=now, deadline=deadline)
        give_all_feedback(f, rid, t.people["wim"])
    with time_machine.travel(deadline + timedelta(seconds=5), tick=False):
        assert jobs.deadline_reached(rid, ctx=ctx) == "notified"
        assert jobs.deadline_reached(rid, ctx=ctx) == "notified"
        assert jobs.sweep(ctx=ctx) == 1
    [n] = notes(f, "deadline_reached")
    assert n.recipient_id == t.people["olga"]
    assert n.payload == {
        "round": "Herfst",
        "round_id": rid,
        "deadline": "2026-11-19T16:00:00+01:00",
        "done": 5,
        "total": 11,
        "teachers": 2,
        "teachers_behind": 1,
    }
    with f() as s:
        assert s.get(Round, rid).state is RoundState.OPEN


def test_restart_sends_the_missed_reminder_once(sqlite_session_factory, queue, ctx):
    f = sqlite_session_factory
    now = ams(2026, 11, 16, 10, 0)
    deadline = ams(2026, 11, 19, 16, 0)
    with time_machine.travel(now, tick=False):
        t, rid = setup_round(f, now=now, deadline=deadline)
    # Nobody ran until Wednesday 18:00: the 72h (Mon 16:00) and 24h (Wed 16:00) were missed.
    with time_machine.travel(ams(2026, 11, 18, 18, 0), tick=False):
        jobs.sweep(ctx=ctx)
        jobs.sweep(ctx=ctx)
    occasions = {n.occasion.split("@")[0] for n in notes(f, "deadline_reminder")}
    assert occasions == {"24h"}
    assert sorted(j.split(":")[2] for j in queue.jobs) == ["deadline", "reminder"]


def test_plan_nudges(sqlite_session_factory, ctx):
    f = sqlite_session_factory
    now = ams(2026, 11, 2, 10, 0)
    with time_machine.travel(now, tick=False):
        t, rid = setup_round(f, now=now, deadline=ams(2026, 11, 6, 16, 0))
        with unit_of_work(f) as s:
            close_round(s, round_id=rid, actor_id=None, now=now)
            p = t.people
            s.add(
                Share(
                    round_id=rid,
                    student_id=p["anna"],
                    mentor_id=p["mia"],
                    shared_at=ams(2026, 11, 9, 10, 0),
                )
            )
            s.add(
                Share(
                    round_id=rid,
                    student_id=p["bram"],
                    mentor_id=p["mia"],
                    shared_at=ams(2026, 11, 9, 10, 0),
                )
            )
            s.add(
                ActionPlan(
                    round_id=rid,
                    student_id=p["bram"],
                    answers={"goal": "x"},
                    started_at=ams(2026, 11, 10, 10, 0),
                )
            )
            s.add(
                Share(
                    round_id=rid,
                    student_id=p["cas"],
                    mentor_id=p["mia"],
                    shared_at=ams(2026, 11, 13, 10, 0),
                )
            )
    with time_machine.travel(ams(2026, 11, 14, 11, 0), tick=False):  # Saturday: quiet
        assert nudges.plan_nudges(ctx=ctx) == 0
    with time_machine.travel(ams(2026, 11, 16, 11, 0), tick=False):  # Monday, 7 days after
        assert nudges.plan_nudges(ctx=ctx) == 1  # Anna; Bram started; Cas shared 3 days ago
        assert nudges.plan_nudges(ctx=ctx) == 0
    [n] = notes(f, "plan_reminder")
    assert n.recipient_id == t.people["anna"] and n.payload["round_id"] == rid
    assert n.payload["read"] is False  # never opened: the reminder asks to read first


def test_jobs_need_a_context() -> None:
    job_context.install(None)
    with pytest.raises(RuntimeError):
        jobs.sweep()


def test_idempotent_on_both_backends(session_factory):
    now = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    ctx = job_context.JobContext(
        session_factory=session_factory, queue=RecordingQueue(), clock=lambda: now
    )
    t, rid = setup_round(session_factory, now=now, deadline=now + timedelta(days=3))
    occasion = "24h@" + jobs.stamp(now + timedelta(days=3))
    assert jobs.send_reminders(rid, occasion, ctx=ctx) == 2
    assert jobs.send_reminders(rid, occasion, ctx=ctx) == 0
    assert len(notes(session_factory, "deadline_reminder")) == 2


async def test_apscheduler_queue_holds_the_planned_jobs(sqlite_session_factory):
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    from schedules.scheduler import APSchedulerQueue

    f = sqlite_session_factory
    opened = ams(2026, 10, 21, 10, 0)
    deadline = ams(2026, 10, 27, 17, 0)
    scheduler = AsyncIOScheduler(timezone=UTC)
    scheduler.start(paused=True)
    try:
        ctx = job_context.JobContext(
            session_factory=f, queue=APSchedulerQueue(scheduler), clock=lambda: opened
        )
        t, rid = setup_round(f, now=opened, deadline=deadline)
        jobs.plan_round(rid, ctx=ctx)
        jobs.plan_round(rid, ctx=ctx)  # again: the same jobs, nothing added
        planned = sorted((j.next_run_time, j.func_ref, tuple(j.args)) for j in scheduler.get_jobs())
        stamp = jobs.stamp(deadline)
        assert planned == [
            (ams(2026, 10, 26, 7, 0), "schedules.jobs:send_reminders", (rid, f"72h@{stamp}")),
            (ams(2026, 10, 26, 17, 0), "schedules.jobs:send_reminders", (rid, f"24h@{stamp}")),
            (ams(2026, 10, 27, 14, 0), "schedules.jobs:send_reminders", (rid, f"3h@{stamp}")),
            (deadline, "schedules.jobs:deadline_reached", (rid,)),
        ]
        with unit_of_work(f) as s:
            close_round(s, round_id=rid, actor_id=None, now=opened)
        jobs.plan_round(rid, ctx=ctx)
        assert scheduler.get_jobs() == []
    finally:
        scheduler.shutdown(wait=False)
