"""The round status lists teachers as a Dutch class list does: by family name without its
particles, whatever the case ("van den Berg" under B, "de Groot" under G, "El Amrani" under E)."""

from __future__ import annotations

from datetime import UTC, datetime

from storage.db import unit_of_work
from storage.demo.seed import seed_demo
from storage.rounds.lifecycle import open_rounds, round_status

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def test_teachers_are_sorted_by_family_name_whatever_its_case(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        school = seed_demo(s, now=NOW)
        (rnd,) = open_rounds(s, school_id=school.id)
        names = [t.name for t in round_status(s, round_id=rnd.id).teachers]
    assert names.index("Pieter van den Berg") < names.index("Fatima El Amrani")
    assert names.index("Fatima El Amrani") < names.index("Esther de Groot")
    assert names.index("Esther de Groot") < names.index("Jeroen Visser")
    assert names[-1] == "Jeroen Visser"
