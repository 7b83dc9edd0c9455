"""Which dialog states name a student, and resetting them (both backends)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session, sessionmaker

from storage.conversation.scrub import mentions, reset_states_mentioning
from storage.models import DialogState
from tests.support.builders import tiny_school

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def test_mentions_only_under_student_keys() -> None:
    assert mentions({"flow": "mentor", "mentor": {"student_id": "7"}}, 7)
    assert mentions({"teacher": {"students": [[7, "Anna", "2A"]]}}, 7)
    assert mentions({"x": [{"sid": 7}]}, 7)
    assert not mentions({"mentor": {"round_id": 7, "student_id": 17}}, 7)
    assert not mentions({"teacher": {"students": [[8, "Bram 7", "2A"]], "pos": 7}}, 7)
    assert not mentions({"student_id": True}, 1)


def test_reset_touches_only_states_naming_the_student(
    session_factory: sessionmaker[Session],
) -> None:
    with session_factory.begin() as s:
        t = tiny_school(s)
        anna, p = t.people["anna"], t.people
        s.add_all(
            [
                DialogState(
                    person_id=p["mia"], state={"mentor": {"student_id": str(anna)}}, version=3
                ),
                DialogState(
                    person_id=p["wim"], state={"t": {"students": [[anna, "Anna", "2A"]]}}, version=1
                ),
                DialogState(person_id=p["dora"], state={"t": {"round_id": anna}}, version=2),
            ]
        )
    with session_factory.begin() as s:
        assert reset_states_mentioning(s, school_id=t.school_id, student_id=anna, now=NOW) == 2
    with session_factory() as s:
        assert (s.get(DialogState, p["mia"]).state, s.get(DialogState, p["mia"]).version) == ({}, 4)
        assert s.get(DialogState, p["wim"]).state == {}
        assert s.get(DialogState, p["dora"]).state == {"t": {"round_id": anna}}
