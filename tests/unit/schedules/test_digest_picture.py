"""The digest at close carries the class picture of the mentees who need attention first; the
plan reminder of a student who never opened the feedback asks to read it first."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from dialogs import actions as A
from dialogs.types import CellMark, Style
from schedules.compose import compose
from schedules.composer import Composer, compose_digests
from storage.models import Feedback, Light, Round, RoundState
from tests.unit.dialogs.school import NOW, build


def test_the_digest_shows_the_picture_of_who_needs_attention_first(
    sqlite_session_factory: sessionmaker[Session],
) -> None:
    sf = sqlite_session_factory
    school = build(sf)
    with sf.begin() as s:
        for student, light in zip(
            school.students[:2], (Light.PAS_OP, Light.GA_ZO_DOOR), strict=True
        ):
            s.add(
                Feedback(
                    round_id=school.ids["round"],
                    student_id=student,
                    group_id=school.ids["g_wis"],
                    teacher_id=school.ids["wis"],
                    subject="wiskunde",
                    light=light,
                )
            )
        rnd = s.get(Round, school.ids["round"])
        rnd.state, rnd.closed_at = RoundState.CLOSED, NOW  # type: ignore[union-attr]
    with sf.begin() as s:
        [reply] = compose_digests(s, round_id=school.ids["round"])[school.ids["mentor"]]
        [again] = Composer(s).replies(
            kind="mentor_digest",
            payload={"round_id": school.ids["round"], "round": "Periode 2"},
            lang="en",
            round_id=school.ids["round"],
            recipient_id=school.ids["mentor"],
        )
    table = reply.card.table  # type: ignore[union-attr]
    assert table is not None and table.columns == ("Leerling", "Eng", "Wis", "Stand")
    [anna] = table.rows  # Bram's Ga zo door needs no attention first
    assert anna[0].text.startswith("Anna") and anna[2].light == 4 and anna[2].worse
    assert anna[1].mark is CellMark.PENDING and anna[3].text == "nog niet gedeeld"
    assert "in één oogopslag" in reply.card.text  # type: ignore[union-attr]
    assert again.card.table is not None and again.card.table.columns[0] == "Student"  # type: ignore[union-attr]


def test_a_plan_reminder_before_reading_asks_to_read_first() -> None:
    [unread] = compose("plan_reminder", {"round": "P2", "round_id": 7, "read": False}, "nl")
    first = unread.card.choices[0]  # type: ignore[union-attr]
    assert (first.action, first.style, first.args) == (
        A.S_FEEDBACK,
        Style.PRIMARY,
        {"round_id": "7"},
    )
    assert "nog niet geopend" in unread.card.text  # type: ignore[union-attr]
    [read] = compose("plan_reminder", {"round": "P2", "round_id": 7, "read": True}, "en")
    assert [c.action for c in read.card.choices] == [A.S_PLAN]  # type: ignore[union-attr]
    [old] = compose("plan_reminder", {"round": "P2", "round_id": 7}, "en")  # queued before
    assert [c.action for c in old.card.choices] == [A.S_PLAN]  # type: ignore[union-attr]
