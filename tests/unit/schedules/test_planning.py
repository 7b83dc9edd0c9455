"""Reminder times: offsets, quiet hours, weekends and the October daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from schedules.planning import (
    QuietHours,
    is_quiet,
    localize,
    next_allowed,
    reminder_times,
    zone,
)

AMS = zone("Europe/Amsterdam")
DEFAULT = QuietHours()
NO_QUIET = QuietHours(start=time(0, 0), end=time(0, 0), weekends=False)


def ams(*args: int) -> datetime:
    return localize(datetime(*args), AMS)


def plan(deadline: datetime, offsets=(72, 24, 3), quiet=DEFAULT, not_before=None):
    return [
        (r.occasion, r.at.astimezone(AMS).replace(tzinfo=None))
        for r in reminder_times(
            deadline=deadline, offsets_hours=offsets, quiet=quiet, tz=AMS, not_before=not_before
        )
    ]


def test_plain_week_all_three_reminders_at_local_times() -> None:
    # Thursday 16:00 deadline: Monday 16:00, Wednesday 16:00, Thursday 13:00.
    assert plan(ams(2026, 11, 19, 16, 0)) == [
        ("72h", datetime(2026, 11, 16, 16, 0)),
        ("24h", datetime(2026, 11, 18, 16, 0)),
        ("3h", datetime(2026, 11, 19, 13, 0)),
    ]


def test_day_offsets_keep_the_local_time_across_the_october_change() -> None:
    # Clocks go back on Sunday 25 October 2026 (03:00 CEST -> 02:00 CET).
    deadline = ams(2026, 10, 27, 17, 0)  # Tuesday 17:00 CET = 16:00 UTC
    assert deadline == datetime(2026, 10, 27, 16, 0, tzinfo=UTC)
    rs = reminder_times(deadline=deadline, offsets_hours=(72, 24, 3), quiet=DEFAULT, tz=AMS)
    # 72h: Saturday 24 Oct 17:00 CEST (weekend) -> Monday 26 Oct 07:00 CET.
    # 24h: Monday 26 Oct 17:00 CET; 3h: Tuesday 14:00 CET.
    assert [(r.occasion, r.at) for r in rs] == [
        ("72h", datetime(2026, 10, 26, 6, 0, tzinfo=UTC)),
        ("24h", datetime(2026, 10, 26, 16, 0, tzinfo=UTC)),
        ("3h", datetime(2026, 10, 27, 13, 0, tzinfo=UTC)),
    ]
    assert rs[0].deferred and not rs[1].deferred


def test_three_days_before_across_the_change_is_the_same_wall_clock_time() -> None:
    deadline = ams(2026, 10, 27, 9, 0)  # Tuesday 09:00 CET (08:00 UTC)
    rs = plan(deadline, offsets=(72,), quiet=NO_QUIET)
    # Saturday 09:00 CEST = 07:00 UTC: 73 hours of elapsed time, the same local time.
    assert rs == [("72h", datetime(2026, 10, 24, 9, 0))]
    r = reminder_times(deadline=deadline, offsets_hours=(72,), quiet=NO_QUIET, tz=AMS)[0]
    assert r.at == datetime(2026, 10, 24, 7, 0, tzinfo=UTC)


def test_hour_offsets_are_elapsed_time_across_the_change() -> None:
    # Sunday 25 Oct 2026 04:00 CET; 3 hours earlier is 02:00 CEST (the first 02:00).
    deadline = ams(2026, 10, 25, 4, 0)
    r = reminder_times(deadline=deadline, offsets_hours=(3,), quiet=NO_QUIET, tz=AMS)[0]
    assert r.at == datetime(2026, 10, 25, 0, 0, tzinfo=UTC)


def test_evening_reminder_deferred_to_next_morning() -> None:
    # Deadline Wednesday 23:30: 3h reminder 20:30 is fine; 24h Tuesday 23:30 -> Wed 07:00.
    assert plan(ams(2026, 11, 18, 23, 30), offsets=(24, 3)) == [
        ("24h", datetime(2026, 11, 18, 7, 0)),
        ("3h", datetime(2026, 11, 18, 20, 30)),
    ]


def test_night_reminder_after_deadline_is_skipped() -> None:
    # Deadline Wednesday 06:00: 3h reminder at 03:00 would move to 07:00, after the deadline.
    assert plan(ams(2026, 11, 18, 6, 0), offsets=(3,)) == []


def test_weekend_reminders_move_to_monday_and_collapse() -> None:
    # Deadline Monday 10:00: 72h = Friday 10:00; 24h = Sunday 10:00 -> Monday 07:00;
    # 3h = Monday 07:00 exactly (allowed).  The two at Monday 07:00 are sent once, as "3h".
    assert plan(ams(2026, 11, 23, 10, 0)) == [
        ("72h", datetime(2026, 11, 20, 10, 0)),
        ("3h", datetime(2026, 11, 23, 7, 0)),
    ]


def test_weekend_deadline_loses_reminders_that_cannot_move_before_it() -> None:
    # Deadline Sunday 20:00: 72h Thursday 20:00 ok; 24h Saturday -> Monday, after: skipped;
    # 3h Sunday 17:00 -> Monday: skipped.
    assert plan(ams(2026, 11, 22, 20, 0)) == [("72h", datetime(2026, 11, 19, 20, 0))]


def test_reminders_before_the_round_opened_are_dropped() -> None:
    deadline = ams(2026, 11, 19, 16, 0)
    opened = ams(2026, 11, 17, 9, 0)
    assert [o for o, _ in plan(deadline, not_before=opened)] == ["24h", "3h"]


def test_school_without_weekend_quiet_and_own_window() -> None:
    quiet = QuietHours(start=time(22, 0), end=time(8, 0), weekends=False)
    # Deadline Sunday 12:00: 24h Saturday 12:00 allowed; 3h Sunday 09:00 allowed.
    assert plan(ams(2026, 11, 22, 12, 0), offsets=(24, 3), quiet=quiet) == [
        ("24h", datetime(2026, 11, 21, 12, 0)),
        ("3h", datetime(2026, 11, 22, 9, 0)),
    ]


@pytest.mark.parametrize(
    ("local", "quiet"),
    [
        (datetime(2026, 11, 18, 20, 59), False),
        (datetime(2026, 11, 18, 21, 0), True),
        (datetime(2026, 11, 18, 6, 59), True),
        (datetime(2026, 11, 18, 7, 0), False),
        (datetime(2026, 11, 21, 12, 0), True),  # Saturday
        (datetime(2026, 11, 22, 12, 0), True),  # Sunday
        (datetime(2026, 11, 23, 0, 30), True),  # Monday night
    ],
)
def test_is_quiet(local: datetime, quiet: bool) -> None:
    assert is_quiet(localize(local, AMS), DEFAULT, AMS) is quiet


def test_next_allowed_from_friday_evening_is_monday_morning() -> None:
    at = next_allowed(ams(2026, 11, 20, 22, 15), DEFAULT, AMS)
    assert at.astimezone(AMS).replace(tzinfo=None) == datetime(2026, 11, 23, 7, 0)


def test_next_allowed_same_day_window() -> None:
    lunch = QuietHours(start=time(12, 0), end=time(13, 0), weekends=False)
    at = next_allowed(ams(2026, 11, 18, 12, 30), lunch, AMS)
    assert at.astimezone(AMS).replace(tzinfo=None) == datetime(2026, 11, 18, 13, 0)


def test_spring_gap_is_moved_forward() -> None:
    # 29 March 2026 02:30 does not exist in Amsterdam.
    assert localize(datetime(2026, 3, 29, 2, 30), AMS) == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)


def test_bad_input() -> None:
    with pytest.raises(ValueError):
        reminder_times(deadline=datetime(2026, 11, 19), offsets_hours=(3,), quiet=DEFAULT, tz=AMS)
    with pytest.raises(ValueError):
        reminder_times(deadline=ams(2026, 11, 19, 9, 0), offsets_hours=(0,), quiet=DEFAULT, tz=AMS)
    assert zone("Not/AZone") == AMS
