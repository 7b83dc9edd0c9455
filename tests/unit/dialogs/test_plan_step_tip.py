"""The coach on the student's plan: a vague subject step gets one friendly tip with an example
for that subject, and is saved and moved on from as typed (never blocking)."""

from __future__ import annotations

from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool
from tests.unit.dialogs.test_mentor_student import ANNA, shared


def test_a_vague_step_gets_one_tip_and_the_plan_goes_on(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    s.say("Ik doe goed mee in de les.")  # what goes well: no tip, not a plan step
    assert "Tip:" not in s.text
    s.say("beter mijn best doen")  # wiskunde
    assert s.text.count("Tip:") == 1
    assert "'beter mijn best'" in s.text and "Bijvoorbeeld voor wiskunde" in s.text
    assert "stap 3 van 5" in s.text  # saved and moved on
    s.say("Ik oefen vier avonden per week 10 minuten woordjes met WRTS.")  # engels: concrete
    assert "Tip:" not in s.text and "stap 4 van 5" in s.text
    s.press("s_answer", {"answer": ""})
    s.press("s_answer", {"answer": ""})
    assert s.card.kind == "plan_review"
    assert "beter mijn best doen" in s.text  # the step as typed


def test_the_tip_follows_the_students_language(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    s.say("taal en")
    s.say("I did all my homework.")
    s.say("try harder")
    assert "'try harder'" in s.text.lower() and "For example, for wiskunde" in s.text
