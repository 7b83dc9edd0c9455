"""A light that was chosen but not saved (a refused save, the card shown again later) is
never shown as saved: no light mark by the title on any channel; Teams marks no field required
(that would block choosing another light), and a light saved earlier keeps its mark."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from bot.slack.render import LIGHT_EMOJI, card_blocks
from bot.teams import render as teams
from bot.terminal.render import render_card as terminal_card
from dialogs.types import Card
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool
from tests.unit.dialogs.test_teacher_walk import WIS, feedback_rows


def _titles(card: Card) -> tuple[str, str]:
    teams_title = teams.render_card(card)["body"][1]["inlines"][0]["text"]  # after the note
    slack_title = next(b for b in card_blocks(card) if b["type"] == "header")["text"]["text"]
    return teams_title, slack_title


def _count(sf: sessionmaker[Session], school: SmallSchool) -> int:
    return len(feedback_rows(sf, school.ids["round"]))


def test_a_refused_save_shows_no_light_by_the_title(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(4, "Ik maak me zorgen.", "")  # Pas op needs an action: refused
    card = c.card
    assert _count(sf, school) == 0 and "Nog niet bewaard" in card.note
    assert _titles(card) == ("Anna Aalders", "Anna Aalders")
    assert not any(mark in terminal_card(card) for mark in LIGHT_EMOJI.values())
    inputs = {b["id"]: b for b in teams.render_card(card)["body"] if b["type"] == "Input.Text"}
    # Teams marks nothing required: another light (even "Ga zo door") stays possible
    assert all("isRequired" not in block for block in inputs.values())
    # shown again later (resumed by typing): still nothing saved, no light by the title
    c.say("feedback")
    assert c.card.title == "Anna Aalders" and c.card.light is None and _count(sf, school) == 0
    assert _titles(c.card)[1] == "Anna Aalders"


def test_a_refused_change_keeps_the_saved_light_by_the_title(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(2)
    c.press("t_back")
    assert c.card.title == "Anna Aalders" and c.card.light == 2
    c.light(4, "", "")  # the change is refused: Ga zo door stays saved
    assert c.card.light == 2 and c.card.chosen_light == 4
    assert _titles(c.card) == (
        f"{teams.LIGHT_MARK[2]} Anna Aalders",
        f"{LIGHT_EMOJI[2]} Anna Aalders",
    )


def test_a_resumed_walk_keeps_the_texts_typed_before_a_refusal(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(4, "Ik maak me zorgen.", "")  # refused: Pas op needs an action
    c.say("help")
    for resume in ("feedback", "waar was ik"):  # typed, and "where was I": both keep it
        c.say(resume)
        fields = {f.id: f.value for f in c.card.fields}
        assert c.card.title == "Anna Aalders" and fields["remark"] == "Ik maak me zorgen."
        assert c.card.chosen_light == 4
    c.light(4, "Ik maak me zorgen.", "Kom naar de bijles.")
    assert _count(sf, school) == 1
