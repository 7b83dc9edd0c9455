"""Dates as people type them, in Dutch and English: "vrijdag 17:00", "morgen", "over twee
weken", "fri 5pm", "17 december", "2026-12-04 17:00", "4-12-2026", "+7".

``parse(text, today)`` gives the wall-clock moment meant (naive, on the school's clock) or None
when the text is not a date it knows; the caller puts it on the school's zone and confirms it
back in full before anything changes. A time alone is missing: 17:00 (the end of a school day).
A weekday is the next such day (today when the time is still to come); "volgende"/"next" is
the one after that when it would be this week's.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from dialogs.texts import t

DEFAULT_TIME = time(17, 0)

WEEKDAYS = {
    **dict.fromkeys(("maandag", "ma", "monday", "mon"), 0),
    **dict.fromkeys(("dinsdag", "di", "tuesday", "tue", "tues"), 1),
    **dict.fromkeys(("woensdag", "wo", "wednesday", "wed"), 2),
    **dict.fromkeys(("donderdag", "do", "thursday", "thu", "thur", "thurs"), 3),
    **dict.fromkeys(("vrijdag", "vr", "friday", "fri"), 4),
    **dict.fromkeys(("zaterdag", "za", "saturday", "sat"), 5),
    **dict.fromkeys(("zondag", "zo", "sunday", "sun"), 6),
}
RELATIVE_DAYS = {
    "vandaag": 0,
    "today": 0,
    "morgen": 1,
    "tomorrow": 1,
    "overmorgen": 2,
    "day after tomorrow": 2,
    "the day after tomorrow": 2,
}
MONTHS = {
    **dict.fromkeys(("januari", "jan", "january"), 1),
    **dict.fromkeys(("februari", "feb", "february"), 2),
    **dict.fromkeys(("maart", "mrt", "march", "mar"), 3),
    **dict.fromkeys(("april", "apr"), 4),
    **dict.fromkeys(("mei", "may"), 5),
    **dict.fromkeys(("juni", "jun", "june"), 6),
    **dict.fromkeys(("juli", "jul", "july"), 7),
    **dict.fromkeys(("augustus", "aug", "august"), 8),
    **dict.fromkeys(("september", "sep", "sept"), 9),
    **dict.fromkeys(("oktober", "okt", "october", "oct"), 10),
    **dict.fromkeys(("november", "nov"), 11),
    **dict.fromkeys(("december", "dec"), 12),
}
NUMBERS = {
    "een": 1,
    "één": 1,
    "a": 1,
    "an": 1,
    "one": 1,
    "twee": 2,
    "two": 2,
    "drie": 3,
    "three": 3,
    "vier": 4,
    "four": 4,
    "vijf": 5,
    "five": 5,
    "zes": 6,
    "six": 6,
    "zeven": 7,
    "seven": 7,
    "acht": 8,
    "eight": 8,
    "negen": 9,
    "nine": 9,
    "tien": 10,
    "ten": 10,
}
UNITS = {
    **dict.fromkeys(("dag", "dagen", "day", "days"), 1),
    **dict.fromkeys(("week", "weken", "weeks"), 7),
}
ISO_FORMATS = ("%Y-%m-%d %H:%M", "%d-%m-%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d", "%d-%m-%Y")

# A time: "17:00", "17.30", "17u", "17 uur", "17h", "5pm", "5:30 pm", "5 am"; "om"/"at" before.
_TIME = re.compile(
    r"(?:\b(?:om|at)\s+)?\b(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s*(?P<suffix>uur|u|h|am|pm)?\b"
)


def parse(text: str, today: datetime) -> datetime | None:
    """The moment ``text`` means, relative to ``today`` (naive, the school's wall clock)."""
    raw = " ".join(text.strip().split())
    if not raw:
        return None
    for fmt in ISO_FORMATS:
        try:
            parsed = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        return parsed if "%H" in fmt else datetime.combine(parsed.date(), DEFAULT_TIME)
    if re.fullmatch(r"\+\d{1,3}", raw):
        return datetime.combine(today.date() + timedelta(days=int(raw[1:])), DEFAULT_TIME)
    words = raw.casefold().replace(",", " ")
    day, rest = _day(words, today)
    if day is None:
        return None
    clock = _clock(rest)
    if clock is None:
        return None
    moment = datetime.combine(day, clock)
    if rest.startswith("weekday:") and moment <= today:  # "vrijdag" said on a Friday evening
        moment += timedelta(days=7)
    return moment


def _day(words: str, today: datetime) -> tuple[date | None, str]:
    """(the day meant, what is left to read as a time)."""
    for phrase in sorted(RELATIVE_DAYS, key=len, reverse=True):
        if re.search(rf"\b{phrase}\b", words):
            rest = re.sub(rf"\b{phrase}\b", " ", words)
            return today.date() + timedelta(days=RELATIVE_DAYS[phrase]), rest
    over = re.search(r"\b(?:over|in)\s+(\S+)\s+(\S+)\b", words)
    if over and over.group(2) in UNITS:
        count = _number(over.group(1))
        if count is not None and 0 < count <= 400:
            rest = words[: over.start()] + " " + words[over.end() :]
            return today.date() + timedelta(days=count * UNITS[over.group(2)]), rest
    named = _named_date(words, today)
    if named is not None:
        return named
    for word in re.findall(r"[a-zà-ÿ]+", words):
        if word in WEEKDAYS:
            ahead = (WEEKDAYS[word] - today.weekday()) % 7
            if re.search(r"\b(?:volgende|next)\b", words) and ahead == 0:
                ahead = 7
            rest = re.sub(rf"\b(?:volgende|next|op|on)\b|\b{word}\b", " ", words)
            return today.date() + timedelta(days=ahead), "weekday:" + rest
    return None, words


def _named_date(words: str, today: datetime) -> tuple[date, str] | None:
    """ "17 december (2026)", "december 17", "17 dec"; without a year the next such day."""
    month_names = "|".join(sorted(MONTHS, key=len, reverse=True))
    found = re.search(rf"\b(\d{{1,2}})\s+({month_names})\b\.?(?:\s+(\d{{4}}))?", words)
    if found:
        d, m, y = int(found.group(1)), MONTHS[found.group(2)], found.group(3)
    else:
        found = re.search(
            rf"\b({month_names})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s+(\d{{4}}))?", words
        )
        if not found:
            return None
        d, m, y = int(found.group(2)), MONTHS[found.group(1)], found.group(3)
    year = int(y) if y else today.year
    try:
        day = date(year, m, d)
        if not y and day < today.date():
            day = date(year + 1, m, d)
    except ValueError:
        return None
    return day, words[: found.start()] + " " + words[found.end() :]


def _number(word: str) -> int | None:
    if word.isascii() and word.isdigit():
        return int(word)
    return NUMBERS.get(word)


def _clock(rest: str) -> time | None:
    """The time in what is left; 17:00 when there is none; None for words that are no time."""
    rest = rest.removeprefix("weekday:")
    found = _TIME.search(rest)
    leftover = rest if found is None else rest[: found.start()] + " " + rest[found.end() :]
    if re.sub(r"\b(?:om|at|op|on|tot|until|uur)\b", " ", leftover).strip():
        return None  # something else was said, that this does not understand
    if found is None:
        return DEFAULT_TIME
    hour, minute, suffix = int(found.group("h")), int(found.group("m") or 0), found.group("suffix")
    if suffix in ("am", "pm"):
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    elif suffix is None and found.group("m") is None:
        return None  # a bare number is no time ("vrijdag 5")
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def full_text(lang: str, local: datetime) -> str:
    """A moment on the school's clock in full, to confirm what was understood:
    "vrijdag 4 december 2026, 17:00" / "Friday 4 December 2026, 17:00"."""
    weekdays = t(lang, "date.weekdays").split(",")
    months = t(lang, "date.months").split(",")
    return t(
        lang,
        "date.full",
        weekday=weekdays[local.weekday()],
        day=local.day,
        month=months[local.month - 1],
        year=local.year,
        time=f"{local:%H:%M}",
    )
