"""Typed text while a question waits for it: one word is the answer, not a command; "stop",
"annuleer" and commands of several words or with a leading "/" still work. A typed
"overzicht" opens the overview of the flow the person is in."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import ActionPlan, MentorNote
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool
from tests.unit.dialogs.test_mentor_student import ANNA, MENTOR, shared


def _answers(sf) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with sf() as s:
        return dict(s.scalars(select(ActionPlan.answers)).one())


@pytest.mark.parametrize("word", ["later", "hulp", "help", "plan", "verder", "start", "engels"])
def test_a_one_word_answer_to_a_plan_step_is_stored(sf, school: SmallSchool, word: str) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    s.say(word)
    assert "stap 2 van 5" in s.text  # the answer moved the plan on
    assert list(_answers(sf).values()) == [word]


@pytest.mark.parametrize("escape", ["stop", "Stop!", "annuleer", "cancel", "/help", "/menu"])
def test_escapes_still_work_while_a_step_waits(sf, school: SmallSchool, escape: str) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    s.say(escape)
    assert "stap 1 van 5" not in s.text  # left the question
    with sf() as db:
        assert db.scalars(select(ActionPlan)).all() == []  # nothing was stored as an answer


def test_a_mentor_note_of_one_command_word_is_the_note(sf, school: SmallSchool) -> None:
    m = shared(sf, school)  # the mentor is on Anna's report
    m.press("m_note")
    m.say("Mentor")
    with sf() as s:
        assert s.scalars(select(MentorNote.text)).all() == ["Mentor"]


def test_overzicht_typed_by_a_mentor_opens_the_mentor_overview(sf, school: SmallSchool) -> None:
    shared(sf, school)
    m = Chat(sf, MENTOR)
    m.say("mentor")  # resumes on Anna's report
    assert m.card.kind == "report"
    m.say("overzicht")
    assert m.card.kind == "overview"


@pytest.mark.parametrize("word", ["overview", "Overview", "review"])
def test_the_english_word_for_the_overview_opens_it_too(sf, school: SmallSchool, word: str) -> None:
    shared(sf, school)
    m = Chat(sf, MENTOR)
    m.say("english")
    m.say("mentor")  # resumes on Anna's report
    m.say(word)
    assert m.card.kind == "overview" and m.card.title.startswith("My mentees")


def test_overzicht_typed_by_a_teacher_still_opens_the_group_list(sf, school: SmallSchool) -> None:
    t = Chat(sf, "t.wis@school.example")
    t.say("feedback")
    t.say("overzicht")
    assert t.card.kind == "review"


def test_overzicht_typed_by_a_student_opens_their_feedback(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    s.say("Ik doe goed mee.")
    s.say("lijst")  # one word while a step waits: an answer
    assert "'lijst'" in str(_answers(sf))
    s.say("stop")  # after stop, one word is a command again
    s.say("overzicht")
    assert s.card.kind == "feedback"


def test_stop_leaves_the_cards_on_screen_usable(sf, school: SmallSchool) -> None:
    t = Chat(sf, "t.wis@school.example")
    t.say("feedback")
    card = t.card
    t.say("stop")
    t.press(lambda c: c.light == 2, {"remark": "Prima", "action": ""}, card=card)
    assert "Bewaard" in t.text and "verouderd" not in t.text.lower()


@pytest.mark.parametrize("word", ["feedback", "Feedback", "stoplicht"])
def test_a_student_typing_feedback_gets_their_own_feedback(
    sf, school: SmallSchool, word: str
) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say(word)
    assert s.card.kind == "feedback"
    assert "geen open bespreking" not in s.text


def test_after_the_menu_a_typed_command_is_a_command_again(sf, school: SmallSchool) -> None:
    """A mentor left the note question open; the next day the terminal opens with the menu
    (as an action) and she types 'mentor': that opens her mentees, the note stays as it was."""
    m = shared(sf, school)
    m.press("m_note")
    m.say("Fijn gesprek gehad.")
    m.press("m_note")  # the question waits again
    m.act("menu")  # a new terminal session opens with the menu as an action
    assert m.card.kind == "menu"
    m.say("mentor")  # resumes the mentor's flow where she was: the question, unanswered
    assert m.card.kind == "note" and "Mentoropmerking" in m.text
    with sf() as s:
        assert s.scalars(select(MentorNote.text)).all() == ["Fijn gesprek gehad."]
    m.press("m_note")  # asked again, a one-word answer is the answer once more
    m.say("Kort")
    with sf() as s:
        assert s.scalars(select(MentorNote.text)).all() == ["Kort"]
