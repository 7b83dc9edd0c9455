"""A walk card used after its round closed: the review list, the bulk question, skip, back and
jump answer with the read-only view of that round and a note that it closed; "where was I"
says it closed. Nothing editable is shown, and nothing is written."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.db import unit_of_work
from storage.models import Feedback
from storage.rounds.lifecycle import create_round
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import NOW, SmallSchool
from tests.unit.dialogs.test_mentor_student import close

WIS = "t.wis@school.example"
CLOSED = {
    "nl": ("Deze bespreking is gesloten", "Periode 2 is gesloten"),
    "en": ("This review round is closed", "Periode 2 is closed"),
}
EDITING = {"t_save", "t_skip", "t_back", "t_review", "t_jump", "t_bulk", "t_bulk_yes"}


def _entries(sf) -> int:
    with sf() as s:
        return int(s.scalar(select(func.count()).select_from(Feedback)) or 0)


def _walking(sf, school: SmallSchool, lang: str = "nl") -> Chat:
    """Wim at the first student of his group, one light given; then the round closes."""
    c = Chat(sf, WIS, locale=lang)
    c.say("feedback")
    c.light(2, "Ik zie dat je goed meedoet.")
    assert c.card.kind == "student"
    return c


def _read_only(c: Chat, lang: str) -> None:
    note, title = CLOSED[lang]
    assert c.card.kind == "closed" and c.card.title == title
    assert note in c.card.note
    assert not EDITING & {ch.action for ch in c.card.choices}
    assert {ch.action for ch in c.card.choices} <= {"t_view", "t_earlier", "start_feedback"}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("action", ["t_review", "t_bulk", "t_skip", "t_back"])
def test_a_walk_button_after_the_close_shows_the_round_read_only(
    sf, school: SmallSchool, lang: str, action: str
) -> None:
    c = _walking(sf, school, lang)
    before = _entries(sf)
    close(sf, school)
    c.press(action)
    _read_only(c, lang)
    c.press("t_view")  # the read-only list works: everyone's feedback of that student
    assert c.card.kind == "report" and not c.card.fields
    assert _entries(sf) == before


def test_jump_and_typed_overview_after_the_close(sf, school: SmallSchool) -> None:
    c = _walking(sf, school)
    student = c.card
    c.press("t_review")
    review = c.card
    close(sf, school)
    jump = c.find(lambda ch: ch.action == "t_jump", review)
    c.act("t_jump", dict(jump.args), version=review.version)
    _read_only(c, "nl")
    c.press("t_skip", card=student)  # an older card: outdated, the read-only list again
    assert "verouderd" in c.text and c.card.kind == "closed"
    c.say("overzicht")
    assert c.card.kind == "closed" and "t_jump" not in {ch.action for ch in c.card.choices}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_confirming_the_bulk_after_the_close_writes_nothing(
    sf, school: SmallSchool, lang: str
) -> None:
    c = _walking(sf, school, lang)
    c.press("t_bulk")
    assert c.card.kind == "confirm"
    before = _entries(sf)
    close(sf, school)
    replies = c.press("t_bulk_yes")
    assert replies[0].replace and replies[0].card.answered
    assert CLOSED[lang][0] in replies[0].card.note
    assert c.card.kind == "closed" and c.card.title == CLOSED[lang][1]  # that round, read-only
    assert _entries(sf) == before


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_where_was_i_after_the_close_says_so(sf, school: SmallSchool, lang: str) -> None:
    c = _walking(sf, school, lang)
    c.press("t_review")
    close(sf, school)
    c.say("where was I" if lang == "en" else "waar was ik")
    assert CLOSED[lang][0] in c.text
    assert all(r.card is None for r in c.replies)  # no list that looks editable
    c.say("feedback")
    assert c.card.kind == "closed"


def test_with_another_round_open_the_view_leads_back_to_it(sf, school: SmallSchool) -> None:
    c = _walking(sf, school)
    close(sf, school)
    with unit_of_work(sf) as s:
        create_round(
            s,
            school_id=school.school_id,
            actor_id=None,
            name="Periode 3",
            group_ids=[school.ids["cls"]],
            deadline=NOW + timedelta(days=10),
            now=NOW,
            open_now=True,
        )
    c.press("t_review")
    _read_only(c, "nl")
    c.press("start_feedback")
    assert c.card.kind == "student"  # the walk of the open round
