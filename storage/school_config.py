"""Changing a school's settings and platform bindings: one checked path for the command line
and the organizer's settings card.

A change is a list of (key, text) pairs, as typed (``stoplicht school set 3 auto_close on``)
or as a card sends them. Every pair is parsed and the resulting settings are checked as a
whole (quiet hours that leave no time, a retention shorter than an open round, a tenant bound
to another school) before anything is written: a refused change raises ``SettingRefused`` and
writes nothing. An accepted change is written at once, audited per key (operation
``setting``, entity the key) and read back with ``value_text`` as it is now stored.

The value ``default`` puts a setting back to what a school gets when it changes nothing; the
value ``none`` removes a binding or all reminders.

A change applies from the moment it is made, also in an open round: the next turn reads the
new rule (a newly required field applies to new saves, not to saved entries), and the
scheduler's next sweep re-plans the reminders with the new offsets and quiet hours. A change to
either also stores ``reminders_changed_at``, so reminders whose time passed before the change
are not sent late as "missed" ones (``schedules.jobs.plan_round``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError
from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from storage import audit
from storage.errors import InvalidInput
from storage.models import ChannelAccount, Light, Person, Round, RoundState, School
from storage.school_settings import Requirement, SchoolSettings

LIGHT_KEYS = tuple(f"required.{light.key}" for light in Light)
BOOL_KEYS = ("full_package", "quiet_weekends", "auto_close")
TIME_KEYS = ("quiet_start", "quiet_end")
# key -> (lowest, highest) for whole numbers
NUMBER_KEYS: dict[str, tuple[int, int]] = {
    "plan_reminder_days": (0, 60),  # 0: no plan reminders
    "retention_days": (30, 3650),
    "max_text_length": (100, 3000),  # Slack's text inputs take at most 3000 characters
}
BINDING_KEYS = ("teams_tenant_id", "slack_team_id")
SCHOOL_KEYS = ("time_zone", "language")
KEYS: tuple[str, ...] = (
    *LIGHT_KEYS,
    "full_package",
    "reminder_offsets_hours",
    "quiet_start",
    "quiet_end",
    "quiet_weekends",
    "auto_close",
    *NUMBER_KEYS,
    *SCHOOL_KEYS,
    *BINDING_KEYS,
)

MAX_OFFSET_HOURS = 24 * 28  # four weeks before the deadline
MAX_OFFSETS = 6
MIN_AWAKE_MINUTES = 60  # quiet hours must leave at least this much of a weekday
LANGUAGES = ("nl", "en")
REQUIREMENTS = {
    "none": Requirement(),
    "remark": Requirement(remark=True),
    "action": Requirement(action=True),
    "both": Requirement(remark=True, action=True),
}
_TRUE = {"on", "true", "yes", "ja", "aan", "1"}
_FALSE = {"off", "false", "no", "nee", "uit", "0"}
_NONE = {"none", "-", "geen"}
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_SLACK_TEAM = re.compile(r"[TE][A-Z0-9]{2,31}")
_TIME = re.compile(r"([01]?\d|2[0-3])[:.]([0-5]\d)")


class SettingRefused(InvalidInput):
    """A key or value refused; ``reason`` picks the catalogue text ``settings.refused_<reason>``
    (its parameters are in ``params``), the message is the command line's English line."""

    def __init__(self, reason: str, message: str, **params: Any) -> None:
        super().__init__(message, reason=reason, **params)
        self.key = f"settings.refused_{reason}"


def requirement_name(req: Requirement) -> str:
    return next(name for name, r in REQUIREMENTS.items() if r == req)


def time_text(value: time) -> str:
    return value.strftime("%H:%M")


def value_text(school: School, key: str) -> str:
    """A setting as it is stored, in the form ``school set`` takes it."""
    if key in BINDING_KEYS:
        return getattr(school, key) or "none"
    if key in SCHOOL_KEYS:
        return str(getattr(school, key))
    return _setting_text(SchoolSettings.from_json(school.settings), key)


def is_default(school: School, key: str) -> bool:
    if key in BINDING_KEYS or key in SCHOOL_KEYS:
        return False
    return _setting_text(SchoolSettings(), key) == value_text(school, key)


def _setting_text(s: SchoolSettings, key: str) -> str:
    if key in LIGHT_KEYS:
        return requirement_name(s.requirement(Light.parse(key.split(".", 1)[1])))
    value = getattr(s, key)
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, time):
        return time_text(value)
    if key == "reminder_offsets_hours":
        return ",".join(map(str, value)) or "none"
    return str(value)


@dataclass(frozen=True)
class Change:
    key: str
    old: str
    new: str


def set_settings(
    session: Session,
    *,
    school: School,
    changes: Sequence[tuple[str, str]],
    actor_id: int | None,
    channel: str,
    now: datetime,
) -> list[Change]:
    """Check ``changes`` as a whole, then write and audit them; the keys that changed, with
    their old and new stored text. ``SettingRefused`` (nothing written) for any bad pair."""
    if not changes:
        raise SettingRefused("nothing", "give at least one KEY VALUE pair")
    current = SchoolSettings.from_json(school.settings).to_json()
    data = dict(current)
    columns: dict[str, Any] = {}
    for key, raw in changes:
        _parse_into(key.strip(), raw.strip(), data, columns)
    try:
        new = SchoolSettings.model_validate(data)
    except ValidationError as exc:  # the parsers above should have caught it: say what
        first = exc.errors()[0]
        raise SettingRefused(
            "value", f"invalid value: {first['msg']}", detail=first["msg"]
        ) from None
    _check_quiet(new)
    _check_retention(session, school, new, now)
    _check_bindings(session, school, columns)
    before = {key: value_text(school, key) for key, _ in changes}
    old_settings = SchoolSettings.from_json(school.settings)
    stored = new.to_json()
    if _reminder_plan(new) != _reminder_plan(old_settings):
        stored["reminders_changed_at"] = now.isoformat()
    school.settings = stored
    for key, value in columns.items():
        if key in BINDING_KEYS and getattr(school, key) != value:
            _forget_accounts(session, school, key, keep=value)
        setattr(school, key, value)
    session.flush()
    done: list[Change] = []
    for key in dict.fromkeys(k.strip() for k, _ in changes):
        after = value_text(school, key)
        if after == before[key]:
            continue
        done.append(Change(key, before[key], after))
        audit.record(
            session,
            school_id=school.id,
            actor_id=actor_id,
            operation="setting",
            entity=key[:32],
            channel=channel,
            at=now,
        )
    return done


def _reminder_plan(s: SchoolSettings) -> tuple[Any, ...]:
    return (s.reminder_offsets_hours, s.quiet_start, s.quiet_end, s.quiet_weekends)


# -- parsing one pair ----------------------------------------------------------------------------


def _parse_into(key: str, raw: str, data: dict[str, Any], columns: dict[str, Any]) -> None:
    if key not in KEYS:
        raise SettingRefused(
            "unknown_key", f"unknown setting {key!r}; known: {', '.join(KEYS)}", name=key
        )
    word = raw.lower()
    defaults = SchoolSettings().to_json()
    if key in LIGHT_KEYS:
        light = key.split(".", 1)[1]
        required = dict(data.get("required") or {})
        if word == "default":
            required[light] = defaults["required"][light]
        else:
            req = REQUIREMENTS.get(word.replace("remark+action", "both"))
            if req is None:
                raise SettingRefused(
                    "requirement",
                    f"{key}: {raw!r} is not one of none, remark, action, both",
                    name=key,
                    value=raw,
                )
            required[light] = req.model_dump()
        data["required"] = required
    elif key in BINDING_KEYS:
        columns[key] = _binding(key, raw)
    elif key == "time_zone":
        columns[key] = _zone(raw)
    elif key == "language":
        if word not in LANGUAGES:
            raise SettingRefused("language", f"language {raw!r}: use nl or en", value=raw)
        columns[key] = word
    elif word == "default":
        data[key] = defaults[key]
    elif key in BOOL_KEYS:
        data[key] = _bool(key, raw)
    elif key in TIME_KEYS:
        data[key] = time_text(parse_time(key, raw))
    elif key == "reminder_offsets_hours":
        data[key] = list(parse_offsets(raw))
    else:
        data[key] = _number(key, raw)


def _bool(key: str, raw: str) -> bool:
    word = raw.lower()
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise SettingRefused("bool", f"{key}: {raw!r} is not on or off", name=key, value=raw)


def parse_time(key: str, raw: str) -> time:
    """``21:00`` (or ``21.00``, ``7:00``) as a time of day."""
    m = _TIME.fullmatch(raw.strip())
    if m is None:
        raise SettingRefused("time", f"{key}: {raw!r} is not a time such as 21:00", value=raw)
    return time(int(m.group(1)), int(m.group(2)))


def parse_offsets(raw: str) -> tuple[int, ...]:
    """``72,24,3`` (spaces, ``;`` and ``h`` allowed): whole hours before the deadline."""
    if raw.strip().lower() in _NONE:
        return ()
    parts = [p.strip().lower().removesuffix("h").strip() for p in re.split(r"[,; ]+", raw)]
    parts = [p for p in parts if p]
    hours = [int(p) for p in parts if p.isascii() and p.isdigit()]
    if (
        not parts
        or len(hours) != len(parts)
        or any(not 1 <= h <= MAX_OFFSET_HOURS for h in hours)
        or len(set(hours)) > MAX_OFFSETS
    ):
        raise SettingRefused(
            "offsets",
            f"reminder_offsets_hours: {raw!r}; give at most {MAX_OFFSETS} whole hours "
            f"from 1 to {MAX_OFFSET_HOURS} before the deadline, e.g. 72,24,3 (or none)",
            value=raw,
            max=MAX_OFFSET_HOURS,
            count=MAX_OFFSETS,
        )
    return tuple(sorted(set(hours), reverse=True))


def _number(key: str, raw: str) -> int:
    low, high = NUMBER_KEYS[key]
    text = raw.strip()
    if not (text.isascii() and text.isdigit() and low <= int(text) <= high):
        raise SettingRefused(
            "number",
            f"{key}: {raw!r} is not a whole number from {low} to {high}",
            name=key,
            value=raw,
            low=low,
            high=high,
        )
    return int(text)


def _zone(raw: str) -> str:
    try:
        if not raw or raw != raw.strip() or "/" not in raw:
            raise ValueError(raw)
        ZoneInfo(raw)
    except (ValueError, KeyError, OSError):
        raise SettingRefused(
            "zone", f"time_zone: {raw!r} is no time zone such as Europe/Amsterdam", value=raw
        ) from None
    return raw


def _binding(key: str, raw: str) -> str | None:
    if raw.lower() in _NONE:
        return None
    if key == "teams_tenant_id":
        value = raw.lower()
        if _GUID.fullmatch(value):
            return value
        what = "a Microsoft 365 tenant id (a GUID such as 72f988bf-86f1-41af-91ab-2d7cd011db47)"
    else:
        value = raw.upper()
        if _SLACK_TEAM.fullmatch(value):
            return value
        what = "a Slack workspace id (such as T0123ABCD)"
    raise SettingRefused("binding", f"{key}: {raw!r} is not {what}", name=key, value=raw)


# -- checks of the whole -------------------------------------------------------------------------


def awake_minutes(s: SchoolSettings) -> int:
    """Minutes of a weekday outside the nightly quiet hours."""
    start = s.quiet_start.hour * 60 + s.quiet_start.minute
    end = s.quiet_end.hour * 60 + s.quiet_end.minute
    if start == end:
        return 24 * 60
    if start < end:  # a quiet period within the day
        return 24 * 60 - (end - start)
    return start - end  # wraps midnight: awake from end to start


def _check_quiet(s: SchoolSettings) -> None:
    awake = awake_minutes(s)
    if awake < MIN_AWAKE_MINUTES:
        raise SettingRefused(
            "quiet",
            f"quiet hours {time_text(s.quiet_start)}-{time_text(s.quiet_end)} leave "
            f"{awake} minutes a day for messages; leave at least {MIN_AWAKE_MINUTES}",
            start=time_text(s.quiet_start),
            end=time_text(s.quiet_end),
            minutes=awake,
            least=MIN_AWAKE_MINUTES,
        )


def _check_retention(session: Session, school: School, s: SchoolSettings, now: datetime) -> None:
    """Data of a draft or open round may not fall out of the retention while it runs (the
    daily purge removes audit rows older than the retention)."""
    rows = session.execute(
        select(Round.name, Round.created_at, Round.opened_at, Round.deadline).where(
            Round.school_id == school.id,
            or_(Round.state == RoundState.OPEN, Round.state == RoundState.DRAFT),
        )
    ).all()
    for name, created, opened, deadline in rows:
        span = max(deadline, now) - (opened or created)
        needed = max(1, math.ceil(span / timedelta(days=1)))
        if s.retention_days < needed:
            raise SettingRefused(
                "retention",
                f"retention_days {s.retention_days} is shorter than round {name!r}, which runs "
                f"{needed} days; keep at least {needed}",
                days=s.retention_days,
                round=name,
                needed=needed,
            )


def _check_bindings(session: Session, school: School, columns: dict[str, Any]) -> None:
    for key in BINDING_KEYS:
        value = columns.get(key)
        if value is None:
            continue
        other = session.scalars(
            select(School).where(getattr(School, key) == value, School.id != school.id)
        ).first()
        if other is not None:
            raise SettingRefused(
                "taken",
                f"{key} {value} is already bound to school {other.name!r} (id {other.id}); "
                f"unbind it there first (school set {other.id} {key} none)",
                name=key,
                value=value,
                school=other.name,
            )


def _forget_accounts(session: Session, school: School, key: str, *, keep: str | None) -> None:
    """A new or removed binding: the school's links to accounts of any other tenant go, so
    nobody of the old tenant or workspace gets in; people are linked again by email on their
    next turn in the bound one."""
    channel = "teams" if key == "teams_tenant_id" else "slack"
    people = select(Person.id).where(Person.school_id == school.id)
    stmt = delete(ChannelAccount).where(
        ChannelAccount.channel == channel, ChannelAccount.person_id.in_(people)
    )
    if keep is not None:
        stmt = stmt.where(ChannelAccount.tenant != keep)
    session.execute(stmt.execution_options(synchronize_session=False))


def bind_platform(
    session: Session, *, school: School, channel: str, tenant: str, actor_id: int, now: datetime
) -> None:
    """Bind the tenant or workspace a platform named in a turn to ``school`` (the organizer's
    answer to the binding question). The id comes from the platform, so its form is not
    checked as a typed one is; a school already bound on that platform, or a tenant bound to
    another school, is refused (``SettingRefused``) and nothing is written."""
    key = "teams_tenant_id" if channel == "teams" else "slack_team_id"
    if getattr(school, key) not in (None, tenant):
        raise SettingRefused(
            "taken",
            f"school {school.name!r} is bound to another {channel} tenant",
            value=getattr(school, key),
            school=school.name,
        )
    _check_bindings(session, school, {key: tenant})
    if getattr(school, key) == tenant:
        return
    _forget_accounts(session, school, key, keep=tenant)
    setattr(school, key, tenant)
    session.flush()
    audit.record(
        session,
        school_id=school.id,
        actor_id=actor_id,
        operation="setting",
        entity=key,
        channel=channel,
        at=now,
    )
