"""The student's plan as a student moves around in it: where "see or change" leads, editing one
answer from the review, resuming the review, the plan next to the agreements."""

from __future__ import annotations

from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool
from tests.unit.dialogs.test_mentor_student import ANNA, shared


def answered_required(s: Chat) -> None:
    """Steps 1-3 of 5 answered (what goes well, wiskunde, engels); help and other left open."""
    s.say("plan")
    s.press("s_plan")
    s.say("Ik doe goed mee in de les.")
    s.say("Ik ga naar de bijles.")
    s.say("Ik leer elke dag woordjes.")
    assert "stap 4 van 5" in s.text


def test_the_subject_step_names_the_light_it_is_about(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    s.say("Ik doe goed mee in de les.")
    assert "Voor wiskunde kreeg je 'Pas op'." in s.card.text
    s.say("taal en")  # a command of several words also works while a step is open
    s.say("waar was ik")
    assert "For wiskunde you got 'Worried'." in s.card.text


def test_see_or_change_opens_the_review_once_the_required_steps_are_answered(
    sf, school: SmallSchool
) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    answered_required(s)
    s.press("s_stop")
    s.say("plan")
    assert s.card.kind == "plan_step" and "stap 4 van 5" in s.text  # resumes the step
    s.act("s_feedback")
    s.press("s_plan")  # "see or change": nothing required is open, so the review
    assert s.card.kind == "plan_review"
    assert "Wat gaat goed" in s.text and "(nog niet ingevuld)" in s.text


def test_see_or_change_opens_the_first_required_step_still_empty(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    s.say("Ik doe goed mee in de les.")
    s.act("s_feedback")
    s.press("s_plan")
    assert s.card.kind == "plan_step" and "stap 2 van 5" in s.text


def test_changing_one_answer_from_the_review_returns_to_the_review(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    answered_required(s)
    s.press("s_answer", {"answer": ""})
    s.press("s_answer", {"answer": ""})
    assert s.card.kind == "plan_review"
    s.press(lambda c: c.action == "s_goto" and c.args["step"] == "1")
    assert "stap 2 van 5" in s.text
    s.say("Ik ga elke dinsdag naar de bijles.")
    assert s.card.kind == "plan_review" and "Ik ga elke dinsdag naar de bijles." in s.text
    # from the review the steps go on as usual after "previous"
    s.press(lambda c: c.action == "s_goto" and c.args["step"] == "2")
    s.press("s_prev")
    s.say("Ik ga naar de bijles.")
    assert "stap 3 van 5" in s.text


def test_typing_plan_at_the_review_resumes_the_review(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    answered_required(s)
    s.press("s_answer", {"answer": ""})
    s.press("s_answer", {"answer": ""})
    assert s.card.kind == "plan_review"
    s.say("menu")
    s.say("plan")
    assert s.card.kind == "plan_review"
    s.press("s_feedback")  # the review has a way back without submitting
    assert s.card.kind == "feedback"


def test_after_the_agreements_the_student_still_reads_the_plan(sf, school: SmallSchool) -> None:
    m = shared(sf, school)
    s = Chat(sf, ANNA)
    answered_required(s)
    s.press("s_answer", {"answer": ""})
    s.press("s_answer", {"answer": ""})
    s.press("s_submit")
    m.say("mentor")
    m.press("m_agree")
    m.say("Anna gaat elke dinsdag naar de bijles.")
    labels = [ch.label for ch in m.card.choices]
    assert "Afspraken wijzigen" in labels and "Afspraken vastleggen" not in labels
    s.say("plan")
    assert not any(c.action == "s_plan" for c in s.card.choices)  # no longer editable
    s.press("s_agreements")
    assert "Anna gaat elke dinsdag naar de bijles." in s.card.text
    titles = [sec.title for sec in s.card.sections]
    assert "wiskunde: wat ga ik doen" in titles
    assert "Ik ga naar de bijles." in s.text


def test_teachers_read_the_submitted_plan_in_the_closed_round(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    answered_required(s)
    t = Chat(sf, "t.wis@school.example")
    t.say("feedback")
    t.press(lambda c: c.action == "t_view" and c.label.startswith("Anna"))
    assert "Plan van aanpak van Anna Aalders" not in t.text  # a draft stays the student's own
    s.press("s_answer", {"answer": ""})
    s.press("s_answer", {"answer": ""})
    s.press("s_submit")
    t.say("waar was ik")
    assert "Plan van aanpak van Anna Aalders" in t.text
    assert "Ik ga naar de bijles." in t.text and "wiskunde: wat ga ik doen" in t.text


def test_the_notifications_plan_button_opens_the_plan_itself(sf, school: SmallSchool) -> None:
    shared(sf, school)
    rnd = str(school.ids["round"])
    s = Chat(sf, ANNA)
    s.act("s_plan", {"round_id": rnd})  # "Plan van aanpak maken" on the shared notification
    assert s.card.kind == "plan_step" and "stap 1 van 5" in s.text
    s.act("s_feedback", {"round_id": rnd})  # "Feedback lezen"
    assert s.card.kind == "feedback"
    other = Chat(sf, "s1@school.example")  # Bram: nothing shared with him
    other.act("s_plan", {"round_id": rnd})
    assert "nog geen feedback met je gedeeld" in other.text
    s.act("s_plan", {"round_id": str(school.ids["old"])})  # a round not shared: no plan there
    assert s.state()[0]["student"]["round_id"] == school.ids["round"]
