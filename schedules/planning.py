"""When reminders go out: pure functions of a deadline, the school's settings and the clock.

Rules (the school's settings: ``reminder_offsets_hours``, quiet hours, ``time_zone``):

- An offset that is a whole number of days (72, 24) means "the same local time that many
  calendar days earlier": a deadline of Monday 09:00 gets its 3-day reminder on Friday 09:00
  even when the clocks change in between. Any other offset (3) is elapsed time.
- A reminder that falls in quiet hours (default 21:00–07:00 local, and all of Saturday and
  Sunday) is deferred to the next allowed local time (the end of the quiet period).
- If that deferred time is at or after the deadline the reminder is **skipped**, not pulled
  earlier: an earlier offset already reminded the teacher at a decent hour, and moving it
  forward would only make it fall on top of that one. Quiet hours are a promise to staff.
- Two reminders that land on the same moment after deferral are sent once (the one closer to
  the deadline: its progress is the same, its urgency is the right one).
- Reminders at or before ``not_before`` (the moment the round was opened) are dropped: a
  round opened two days before its deadline does not get its 3-day reminder right after the
  invitation.

All inputs and outputs are aware datetimes; results are in UTC. Local times are computed with
``zoneinfo`` so daylight saving changes are handled, including the repeated hour in October
(the first occurrence is taken) and the missing hour in March (moved past the gap).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "Europe/Amsterdam"


@dataclass(frozen=True)
class QuietHours:
    """Local times when nobody is messaged. ``start == end`` means no nightly quiet period."""

    start: time = time(21, 0)
    end: time = time(7, 0)
    weekends: bool = True

    def nightly(self, t: time) -> bool:
        if self.start == self.end:
            return False
        if self.start < self.end:  # e.g. 13:00–14:00, same day
            return self.start <= t < self.end
        return t >= self.start or t < self.end  # wraps midnight


@dataclass(frozen=True)
class PlannedReminder:
    occasion: str  # stable name of the reminder: "72h", "24h", "3h"
    offset_hours: int
    at: datetime  # UTC, when it goes out (after any deferral)
    deferred: bool = False


def zone(name: str | None) -> ZoneInfo:
    """The school's zone; an unknown name falls back to Europe/Amsterdam."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (KeyError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """A local wall-clock time as an aware UTC datetime.

    An ambiguous time (the repeated hour) takes its first occurrence; a time in the spring gap
    does not exist and is moved forward by the gap (02:30 → 03:30 in Amsterdam).
    """
    # PEP 495: fold=0 takes the first of two repeated times, and for a time in the gap the
    # offset from before the change, which lands past the gap.
    return naive.replace(tzinfo=tz, fold=0).astimezone(UTC)


def is_quiet(moment: datetime, quiet: QuietHours, tz: ZoneInfo) -> bool:
    local = moment.astimezone(tz)
    if quiet.weekends and local.weekday() >= 5:
        return True
    return quiet.nightly(local.time().replace(tzinfo=None))


def next_allowed(moment: datetime, quiet: QuietHours, tz: ZoneInfo) -> datetime:
    """The earliest moment at or after ``moment`` outside quiet hours (UTC)."""
    if not is_quiet(moment, quiet, tz):
        return moment.astimezone(UTC)
    local = moment.astimezone(tz).replace(tzinfo=None)
    day = local.date()
    # Candidates are the ends of quiet periods: ``end`` today or on a following day.
    for _ in range(8):
        candidate_local = datetime.combine(day, quiet.end)
        candidate = localize(candidate_local, tz)
        if candidate > moment and not is_quiet(candidate, quiet, tz):
            return candidate
        if quiet.start == quiet.end or quiet.end == time(0, 0):
            # No nightly window (or it ends at midnight): the next weekday's midnight is allowed.
            candidate = localize(datetime.combine(day + timedelta(days=1), time(0, 0)), tz)
            if candidate > moment and not is_quiet(candidate, quiet, tz):
                return candidate
        day += timedelta(days=1)
    raise ValueError("quiet hours leave no allowed time in a week")  # pragma: no cover


def _before(deadline: datetime, hours: int, tz: ZoneInfo) -> datetime:
    if hours % 24 == 0:
        local = deadline.astimezone(tz).replace(tzinfo=None)
        return localize(local - timedelta(days=hours // 24), tz)
    return (deadline - timedelta(hours=hours)).astimezone(UTC)


def occasion_name(offset_hours: int) -> str:
    return f"{offset_hours}h"


def reminder_times(
    *,
    deadline: datetime,
    offsets_hours: Iterable[int],
    quiet: QuietHours,
    tz: ZoneInfo,
    not_before: datetime | None = None,
) -> list[PlannedReminder]:
    """The reminders for a deadline, earliest first (see the module docstring for the rules)."""
    if deadline.tzinfo is None:
        raise ValueError("deadline must be an aware datetime")
    planned: dict[datetime, PlannedReminder] = {}
    for hours in sorted(set(offsets_hours), reverse=True):
        if hours <= 0:
            raise ValueError("reminder offsets must be positive")
        nominal = _before(deadline, hours, tz)
        at = next_allowed(nominal, quiet, tz)
        if at >= deadline:
            continue
        if not_before is not None and at <= not_before:
            continue
        # Later (smaller) offsets overwrite earlier ones landing on the same moment.
        planned[at] = PlannedReminder(
            occasion=occasion_name(hours), offset_hours=hours, at=at, deferred=at != nominal
        )
    return sorted(planned.values(), key=lambda r: r.at)


def quiet_from_settings(quiet_start: time, quiet_end: time, quiet_weekends: bool) -> QuietHours:
    return QuietHours(start=quiet_start, end=quiet_end, weekends=quiet_weekends)
