"""A school's settings, with the defaults a school gets when it changes nothing.

Stored as JSON on ``School.settings``; unknown keys are ignored and missing keys take the
default, so adding a setting never needs a data migration.
"""

from __future__ import annotations

import json
from datetime import datetime, time
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from storage.models import Light


class Requirement(BaseModel):
    model_config = ConfigDict(frozen=True)

    remark: bool = False
    action: bool = False


_NOTHING_REQUIRED = Requirement()


def _default_required() -> dict[str, Requirement]:
    # The manual's "red field": a worrying light must come with advice.
    return {
        Light.EXCELLENT.key: Requirement(),
        Light.GA_ZO_DOOR.key: Requirement(),
        Light.LET_OP.key: Requirement(action=True),
        Light.PAS_OP.key: Requirement(remark=True, action=True),
    }


class SchoolSettings(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    required: dict[str, Requirement] = Field(default_factory=_default_required)
    full_package: bool = True  # sharing with students and action plans
    reminder_offsets_hours: tuple[int, ...] = (72, 24, 3)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    quiet_weekends: bool = True
    auto_close: bool = False
    plan_reminder_days: int = 5
    retention_days: int = 3 * 365
    max_text_length: int = 1000
    # When the reminder offsets or quiet hours last changed: reminders planned for before it
    # are not sent late (``schedules.jobs.plan_round``; set by ``storage.school_config``).
    reminders_changed_at: datetime | None = None

    @field_validator("reminder_offsets_hours")
    @classmethod
    def _positive_offsets(cls, v: tuple[int, ...]) -> tuple[int, ...]:
        if any(h <= 0 for h in v):
            raise ValueError("reminder offsets must be positive hours before the deadline")
        return tuple(sorted(set(v), reverse=True))

    def requirement(self, light: Light) -> Requirement:
        return self.required.get(light.key, _NOTHING_REQUIRED)

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> SchoolSettings:
        # Read on every turn: the (frozen) result is remembered per distinct JSON text.
        try:
            key = json.dumps(data or {}, sort_keys=True)
        except (TypeError, ValueError):
            return cls.model_validate(data or {})
        return _from_text(key)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


@lru_cache(maxsize=256)
def _from_text(text: str) -> SchoolSettings:
    return SchoolSettings.model_validate(json.loads(text))
