from __future__ import annotations

from datetime import time

import pytest
from pydantic import ValidationError

from storage.models import Light
from storage.school_settings import SchoolSettings


def test_defaults_follow_the_red_field_rule() -> None:
    s = SchoolSettings.from_json(None)
    assert not s.requirement(Light.GA_ZO_DOOR).remark
    assert s.requirement(Light.LET_OP).action and not s.requirement(Light.LET_OP).remark
    assert s.requirement(Light.PAS_OP).remark and s.requirement(Light.PAS_OP).action
    assert s.reminder_offsets_hours == (72, 24, 3)
    assert (s.quiet_start, s.quiet_end) == (time(21), time(7))
    assert s.full_package and not s.auto_close


def test_round_trip_and_unknown_keys_ignored() -> None:
    s = SchoolSettings.from_json(
        {"auto_close": True, "reminder_offsets_hours": [3, 24, 24], "something_new": 1}
    )
    assert s.auto_close
    assert s.reminder_offsets_hours == (24, 3)
    assert SchoolSettings.from_json(s.to_json()) == s


@pytest.mark.parametrize(
    "bad", [{"reminder_offsets_hours": [0]}, {"max_text_length": "x"}, {"quiet_start": "25:00"}]
)
def test_bad_settings_are_refused(bad: dict) -> None:
    with pytest.raises(ValidationError):
        SchoolSettings.from_json(bad)


@pytest.mark.parametrize(
    ("raw", "light"),
    [
        ("let_op", Light.LET_OP),
        ("Pas op", Light.PAS_OP),
        ("1", Light.EXCELLENT),
        (2, Light.GA_ZO_DOOR),
    ],
)
def test_light_parse(raw: str | int, light: Light) -> None:
    assert Light.parse(raw) is light


@pytest.mark.parametrize("raw", ["green", "5", "", 0])
def test_light_parse_rejects(raw: str | int) -> None:
    with pytest.raises(ValueError):
        Light.parse(raw)
