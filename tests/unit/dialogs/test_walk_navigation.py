"""The teacher walk as a busy teacher uses it: back to the student just handled, "continue"
from the review list, deadlines in the school's time, a typed text on a student card."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from storage.models import Feedback, Light, Round, RoundGroup, RoundState
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import NOW, SmallSchool, build

WIS = "t.wis@school.example"


def given(sf: sessionmaker[Session], school: SmallSchool, index: int, light: Light) -> None:
    """An entry made before the walk (another session, the bulk of an earlier day)."""
    with sf.begin() as s:
        s.add(
            Feedback(
                round_id=school.ids["round"],
                student_id=school.students[index],
                group_id=school.ids["g_wis"],
                teacher_id=school.ids["wis"],
                subject="wiskunde",
                light=light,
                created_at=NOW,
                updated_at=NOW,
            )
        )


def test_back_returns_to_the_student_just_saved_not_the_one_above(sf) -> None:
    school = build(sf, students=5)
    given(sf, school, 1, Light.GA_ZO_DOOR)  # Bram is done already
    c = Chat(sf, WIS)
    c.say("feedback")
    assert c.card.title == "Anna Aalders"
    c.light(2, "Ik zie dat je goed meedoet.")
    assert c.card.title == "Cas de Clercq"  # Bram is passed over: he has a light
    c.press("t_back")
    assert c.card.title == "Anna Aalders" and c.card.light == 2
    c.press("t_back")  # nothing handled before Anna: the one above, which is Anna herself
    assert c.card.title == "Anna Aalders"


def test_back_follows_skips_and_jumps_in_order(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press("t_skip")  # Anna → Bram
    c.press("t_review")
    c.press(lambda ch: ch.action == "t_jump" and ch.label.startswith("Dewi"))
    assert c.card.title == "Dewi Dijkstra"
    c.press("t_back")
    assert c.card.title == "Bram Bakker"  # where the teacher was before the review list
    c.press("t_back")
    assert c.card.title == "Anna Aalders"


def test_continue_on_the_review_list_opens_the_next_open_student(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(1)  # Anna done
    c.press("t_review")
    c.press("start_feedback")  # "Verder met invullen"
    assert c.card.kind == "student" and c.card.title == "Bram Bakker"
    c.press("t_review")
    c.say("feedback")  # typed, the same
    assert c.card.kind == "student" and c.card.title == "Bram Bakker"
    c.say("overzicht")
    c.say("waar was ik")  # "where was I" shows the list itself
    assert c.card.kind == "review"


def test_continue_when_the_group_is_complete_says_so(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    for _ in range(4):
        c.light(2)
    assert c.card.kind == "review"
    assert not any(ch.action == "start_feedback" for ch in c.card.choices)  # nothing to go on to
    c.say("feedback")  # typed: the review list says the group is complete
    assert c.card.kind == "review"
    assert "Alle leerlingen van deze groep hebben een stoplicht" in c.card.note


def test_round_choice_shows_the_deadline_in_the_schools_time(sf, school: SmallSchool) -> None:
    with sf.begin() as s:
        extra = Round(
            school_id=school.school_id,
            name="Extra",
            deadline=NOW.replace(hour=22, minute=59) + timedelta(days=3),  # 23:59 in Amsterdam
            state=RoundState.OPEN,
            organizer_id=school.ids["org"],
            opened_at=NOW,
        )
        s.add(extra)
        s.flush()
        s.add(RoundGroup(round_id=extra.id, group_id=school.ids["cls"]))
    c = Chat(sf, WIS)
    c.say("feedback")
    assert c.card.kind == "pick_round"
    labels = [ch.label for ch in c.card.choices]
    assert any("Extra" in label and "23-11-2026 23:59" in label for label in labels), labels
    c.say("english")
    c.say("feedback")
    assert any("2026-11-23 23:59" in ch.label for ch in c.card.choices)


def test_typed_text_on_a_student_card_asks_for_a_light_first(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    state_before = c.state()
    c.say("Ik zie dat je goed meedoet.")
    assert "Kies eerst een stoplicht" in c.text
    assert c.state() == state_before  # nothing changed: the card on screen stays valid
    c.say("english")
    c.say("I see that you take part well.")
    assert "Pick a light first" in c.text


def test_a_text_too_long_is_named(sf) -> None:
    build(sf, settings={"max_text_length": 20})
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(2, "Kort.", "x" * 21)
    assert c.card.note == "Je actie is te lang (21 tekens); het maximum is 20 tekens."
    c.light(2, "y" * 25, "Kort.")
    assert c.card.note.startswith("Je opmerking is te lang (25 tekens)")
    assert c.card.fields[0].value == "y" * 25  # nothing typed is lost
