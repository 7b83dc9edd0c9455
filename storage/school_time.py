"""A school's clock: its time zone, and local wall-clock times typed by people.

Deadlines are typed in the school's local time. On the two nights a year the clocks change,
some local times do not exist (02:30 when summer time starts) and some exist twice (02:30 when
it ends); guessing would move a deadline by an hour without anyone noticing, so such a time is
refused with ``InvalidInput`` and the caller asks again (or for an explicit UTC offset).
"""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from storage.errors import InvalidInput

DEFAULT_ZONE = "Europe/Amsterdam"


def school_zone(name: str | None) -> ZoneInfo:
    """The school's zone; an empty or unknown name falls back to Europe/Amsterdam."""
    try:
        return ZoneInfo(name or DEFAULT_ZONE)
    except (KeyError, ValueError):
        return ZoneInfo(DEFAULT_ZONE)


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """``naive`` as a wall-clock time in ``zone``; a time skipped or repeated by a clock change
    raises ``InvalidInput`` (``params['problem']`` is ``nonexistent`` or ``ambiguous``)."""
    early, late = naive.replace(tzinfo=zone, fold=0), naive.replace(tzinfo=zone, fold=1)
    if early.utcoffset() == late.utcoffset():
        return early
    # Round-tripping through UTC tells a gap (the time is skipped) from a fold (it repeats).
    back = early.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    problem = "nonexistent" if back != naive else "ambiguous"
    what = "does not exist" if problem == "nonexistent" else "occurs twice"
    raise InvalidInput(
        f"{naive:%Y-%m-%d %H:%M} {what} in {zone.key} (the clocks change); "
        "pick another time or give a UTC offset",
        field="deadline",
        problem=problem,
    )
