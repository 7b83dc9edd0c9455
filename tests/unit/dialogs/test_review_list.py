"""The teacher's review list: every student once, as a jump button that says their light; the
light is repeated as text only where a channel could not show the whole button label."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.slack.render import MAX_BUTTON_TEXT, card_blocks
from bot.teams import render as teams
from dialogs.types import FULL_LABEL
from storage.models import Person
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool
from tests.unit.dialogs.test_teacher_walk import WIS

LONG = "Maximiliaan " + "van der Vlist-" * 6 + "Oosterhout"


def test_each_student_is_listed_once_as_a_button_with_their_light(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(2)
    c.press("t_review")
    card = c.card
    assert card.kind == "review" and card.facts == ()
    jumps = [ch.label for ch in card.choices if ch.action == "t_jump"]
    assert jumps[:2] == ["Anna Aalders: Ga zo door", "Bram Bakker: nog geen stoplicht"]
    assert len(jumps) == 4
    # No channel drops a button of a long list: Teams in sets of six, Slack in rows of 25.
    shown = [a["title"] for s in _sets(teams.render_card(card)) for a in s["actions"]]
    assert all(j in shown for j in jumps)
    rows = [b for b in card_blocks(card) if b["type"] == "actions"]
    buttons = [e["text"]["text"] for b in rows for e in b["elements"]]
    assert all(j in buttons for j in jumps)


def test_a_label_too_long_for_a_button_keeps_the_light_in_the_text(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    with sf.begin() as s:
        person = s.get(Person, school.students[1])
        assert person is not None
        person.display_name = LONG
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press("t_review")
    card = c.card
    assert [(f.label, f.value) for f in card.facts] == [(LONG, "nog geen stoplicht")]
    assert FULL_LABEL == MAX_BUTTON_TEXT  # the limit the dialogs keep to is Slack's
    (long_button,) = [
        e["text"]["text"]
        for b in card_blocks(card)
        if b["type"] == "actions"
        for e in b["elements"]
        if e["text"]["text"].startswith("Maximiliaan")
    ]
    assert len(long_button) <= MAX_BUTTON_TEXT and "nog geen stoplicht" not in long_button


def _sets(card: dict) -> list[dict]:  # type: ignore[type-arg]
    return [b for b in card["body"] if b["type"] == "ActionSet"]


def test_a_complete_group_offers_no_continue_and_no_rest(sf, school: SmallSchool) -> None:
    c = Chat(sf, "t.wis@school.example")
    c.say("feedback")
    assert any(ch.action == "t_bulk" for ch in c.card.choices)  # open students: offered
    for _ in range(3):
        c.light(2)
    card = c.card  # the last open student: "the rest" still fills this one
    assert card.kind == "student" and any(ch.action == "t_bulk" for ch in card.choices)
    c.light(2)  # the group is complete: the review list
    assert c.card.kind == "review"
    actions = [ch.action for ch in c.card.choices]
    assert "t_bulk" not in actions and "start_feedback" not in actions
    assert "t_groups" in actions and "t_stop" in actions
    c.press(lambda ch: ch.action == "t_jump")  # a complete group's student card: no "rest"
    assert c.card.kind == "student"
    assert not any(ch.action == "t_bulk" for ch in c.card.choices)
