"""Dates as people type them, Dutch and English (``dialogs.organizer.dates``), against a fixed
"now" (Wednesday 2 December 2026, 10:00 on the school's clock); nothing depends on today."""

from __future__ import annotations

from datetime import datetime

import pytest

from dialogs.organizer.dates import full_text, parse

NOW = datetime(2026, 12, 2, 10, 0)  # a Wednesday


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("vrijdag 17:00", datetime(2026, 12, 4, 17, 0)),
        ("Vrijdag, 17.00", datetime(2026, 12, 4, 17, 0)),
        ("vr 9u", datetime(2026, 12, 4, 9, 0)),
        ("fri 5pm", datetime(2026, 12, 4, 17, 0)),
        ("next friday at 5:30 pm", datetime(2026, 12, 4, 17, 30)),
        ("Friday", datetime(2026, 12, 4, 17, 0)),
        ("morgen", datetime(2026, 12, 3, 17, 0)),
        ("morgen om 9 uur", datetime(2026, 12, 3, 9, 0)),
        ("tomorrow 8am", datetime(2026, 12, 3, 8, 0)),
        ("overmorgen 8u", datetime(2026, 12, 4, 8, 0)),
        ("vandaag 16:00", datetime(2026, 12, 2, 16, 0)),
        ("over twee weken", datetime(2026, 12, 16, 17, 0)),
        ("over 3 dagen 12:00", datetime(2026, 12, 5, 12, 0)),
        ("in two weeks", datetime(2026, 12, 16, 17, 0)),
        ("in a week", datetime(2026, 12, 9, 17, 0)),
        ("woensdag 11:00", datetime(2026, 12, 2, 11, 0)),  # today, still to come
        ("woensdag 9:00", datetime(2026, 12, 9, 9, 0)),  # today's has passed: next week
        ("volgende woensdag", datetime(2026, 12, 9, 17, 0)),
        ("17 december", datetime(2026, 12, 17, 17, 0)),
        ("17 dec 12.30", datetime(2026, 12, 17, 12, 30)),
        ("December 17 2027", datetime(2027, 12, 17, 17, 0)),
        ("1 januari", datetime(2027, 1, 1, 17, 0)),  # without a year: the next one
        ("2026-12-04 17:00", datetime(2026, 12, 4, 17, 0)),
        ("4-12-2026 16:30", datetime(2026, 12, 4, 16, 30)),
        ("4-12-2026", datetime(2026, 12, 4, 17, 0)),
        ("+7", datetime(2026, 12, 9, 17, 0)),
    ],
)
def test_typed_dates_are_understood(typed: str, meant: datetime) -> None:
    assert parse(typed, NOW) == meant


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        "ooit",
        "vrijdag 5",
        "vrijdag ergens",
        "31 februari",
        "25:00 morgen",
        "tomorrow 13pm",
        "morgen 17:61",
        "over nul weken",
        "in 999 weeks",
        "2026-13-01",
        "+9999",
        "\u202evrijdag",
    ],
)
def test_what_is_no_date_is_refused(typed: str) -> None:
    assert parse(typed, NOW) is None


def test_a_date_is_said_back_in_full() -> None:
    moment = datetime(2026, 12, 4, 17, 0)
    assert full_text("nl", moment) == "vrijdag 4 december 2026, 17:00"
    assert full_text("en", moment) == "Friday 4 December 2026, 17:00"
