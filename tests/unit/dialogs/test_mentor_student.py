"""Mentor review and the student's action plan, through the dialogs."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.types import CellMark
from storage.models import (
    ActionPlan,
    Agreement,
    MentorNote,
    Notification,
    PlanState,
    Round,
    RoundState,
    Share,
)
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool

MENTOR = "m.ent@school.example"
ANNA = "s0@school.example"


def give_feedback(sf: sessionmaker[Session]) -> None:
    wis = Chat(sf, "t.wis@school.example")
    wis.say("feedback")
    wis.light(4, "Ik maak me zorgen over je toetsen.", "Kom dinsdag naar de bijles.")
    wis.light(3, "", "Oefen elke dag.")
    eng = Chat(sf, "t.eng@school.example")
    eng.say("feedback")
    eng.light(3, "", "Leer tien woorden per dag.")


def close(sf: sessionmaker[Session], school: SmallSchool) -> None:
    with sf.begin() as s:
        rnd = s.get(Round, school.ids["round"])
        rnd.state, rnd.closed_at = RoundState.CLOSED, datetime(2026, 11, 20, tzinfo=UTC)


def shared(sf, school: SmallSchool) -> Chat:
    give_feedback(sf)
    close(sf, school)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda c: c.label.startswith("Anna"))
    m.press("m_share")
    m.press("m_share_yes")
    return m


def test_overview_puts_who_needs_attention_first(sf, school: SmallSchool) -> None:
    give_feedback(sf)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    assert m.card.kind == "overview"
    labels = [f.label for f in m.card.facts]  # only who needs attention, and why
    assert labels[0].startswith("Anna") and "eerst aandacht: Pas op" in m.card.facts[0].value
    assert len(labels) == 1
    table = m.card.table
    assert table is not None
    assert table.columns == ("Leerling", "Eng", "Wis", "Stand")
    names = [row[0].text for row in table.rows]
    assert names[0].startswith("Anna") and names[1].startswith("Bram")
    anna, bram, rest = table.rows[0], table.rows[1], table.rows[2:]
    assert [c.light for c in anna[1:3]] == [3, 4]  # Let op in English, Pas op in maths
    assert [c.light for c in bram[1:3]] == [None, 3]
    assert bram[1].mark is CellMark.PENDING  # no English light yet
    assert all(c.mark is CellMark.PENDING for row in rest for c in row[1:3])
    assert {row[3].text for row in table.rows} == {"nog niet gedeeld"}
    # while the round is open: how far each subject teacher is with the mentor's mentees
    progress = {f.label: f.value for f in m.card.sections[0].facts}
    assert progress == {"Els Engels (engels)": "1 van 4", "Wim Wiskunde (wiskunde)": "2 van 4"}
    assert list(progress)[0].startswith("Els")  # least done first


def test_report_note_and_share_only_after_close(sf, school: SmallSchool) -> None:
    give_feedback(sf)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda c: c.label.startswith("Anna"))
    assert m.card.kind == "report"
    assert "Ik maak me zorgen over je toetsen." in m.text and "Leer tien woorden" in m.text
    assert "Periode 1: Let op" in m.text  # the subject's history
    assert not any(c.action == "m_share" for c in m.card.choices)  # round still open
    m.act("m_share_yes")  # forced (an old card): refused with the reason
    assert "pas als de bespreking gesloten is" in m.text
    m.press("m_note")
    assert m.card.kind == "note"
    m.say("Goed gedaan, Anna! <script>")
    assert "Mentoropmerking bewaard" in m.text
    with sf() as s:
        assert s.scalars(select(MentorNote.text)).one() == "Goed gedaan, Anna! <script>"
    close(sf, school)
    m.say("waar was ik")
    m.press("m_share")
    assert m.card.kind == "confirm"
    m.press("Nee, nog niet")
    assert m.card.kind == "report"
    m.press("m_share")
    m.press("m_share_yes")
    assert "Gedeeld" in m.text
    m.act("m_share_yes")  # a second time: nothing new
    assert "al gedeeld" in m.text
    with sf() as s:
        assert len(s.scalars(select(Share)).all()) == 1
        assert s.scalars(select(Notification).where(Notification.kind == "feedback_shared")).one()


def test_overlong_note_keeps_the_text(sf) -> None:
    from tests.unit.dialogs.school import build

    build(sf, settings={"max_text_length": 10})
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda c: c.label.startswith("Anna"))
    m.press("m_note")
    m.press("m_note", {"note": "Dit is veel te lang"})
    assert "maximum is 10" in m.text
    assert m.card.fields[0].value == "Dit is veel te lang"
    with sf() as s:
        assert s.scalars(select(MentorNote)).all() == []


def test_student_sees_nothing_before_sharing(sf, school: SmallSchool) -> None:
    give_feedback(sf)
    s = Chat(sf, ANNA)
    s.say("plan")
    assert "nog geen feedback met je gedeeld" in s.text
    assert "zorgen" not in s.text


def test_student_plan_steps_review_submit_and_agreements(sf, school: SmallSchool) -> None:
    m = shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    assert s.card.kind == "feedback"
    assert "Ik maak me zorgen over je toetsen." in s.text and "Leer tien woorden" in s.text
    s.press("s_plan")
    assert "stap 1 van 5" in s.text
    s.say("   ")  # empty: asked again
    assert "Vul hier iets in" in s.text and "stap 1 van 5" in s.text
    s.say("Ik doe goed mee in de les.")
    assert "stap 2 van 5" in s.text and "wiskunde" in s.text and "Pas op" in s.text
    s.press("s_prev")
    assert s.card.fields[0].value == "Ik doe goed mee in de les."
    s.press("s_answer", {"answer": "Ik doe goed mee in de les."})
    s.press("s_stop")
    assert "waar was ik" in s.text
    s.say("waar was ik")
    assert "stap 2 van 5" in s.text
    s.say("Ik ga naar de bijles.")
    s.say("Ik leer elke dag woordjes.")
    s.say("Hulp van mijn mentor met plannen.")
    s.press("s_answer", {"answer": ""})  # "anything else" may stay empty
    assert s.card.kind == "plan_review"
    s.press(lambda c: c.action == "s_goto" and c.args["step"] == "3")
    assert "stap 4 van 5" in s.text
    s.say("Hulp van mijn mentor.")
    assert s.card.kind == "plan_review"  # one answer changed: straight back to the review
    s.press("s_submit")
    assert "Ingediend" in s.text
    with sf() as db:
        plan = db.scalars(select(ActionPlan)).one()
        assert plan.state == PlanState.SUBMITTED
        assert plan.answers["subjects"] == {
            "wiskunde": "Ik ga naar de bijles.",
            "engels": "Ik leer elke dag woordjes.",
        }
        assert plan.answers["help"] == "Hulp van mijn mentor."
    # editable until agreements: a submitted plan opens at its review
    s.press("s_plan")
    assert s.card.kind == "plan_review"
    s.press(lambda c: c.action == "s_goto" and c.args["step"] == "0")
    s.press("s_answer", {"answer": "Ik let beter op."})
    assert s.card.kind == "plan_review"
    # the mentor sees the plan and records agreements
    m.say("mentor")  # resumes at Anna's report, where the mentor was
    assert m.card.kind == "report" and "Anna" in m.card.title
    m.press("m_plan")
    assert "Ik ga naar de bijles." in m.text
    m.press("m_student")
    m.press("m_agree")
    m.say("  ")
    assert "niets ingevuld" in m.text
    m.say("Anna gaat elke dinsdag naar de bijles.")
    assert "Afspraken vastgelegd" in m.text
    with sf() as db:
        assert db.scalars(select(Agreement.text)).one() == "Anna gaat elke dinsdag naar de bijles."
    s.press(lambda c: c.action == "s_goto" and c.args["step"] == "0")  # the review still shown
    s.say("Nog een wijziging")  # the plan is closed now
    assert "kan niet meer veranderen" in s.text
    s.say("plan")
    s.press("s_agreements")
    assert "Anna gaat elke dinsdag naar de bijles." in s.text


def test_empty_plan_cannot_be_submitted(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA, locale="en")
    s.say("plan")
    s.act("s_submit")
    assert "Your plan is still empty" in s.text and "step 1 of 5" in s.text


def test_student_overlong_answer(sf) -> None:
    from tests.unit.dialogs.school import build

    school = build(sf, settings={"max_text_length": 15})
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    s.say("Dit antwoord is echt te lang")
    assert "maximum is 15" in s.text and s.card.fields[0].value == "Dit antwoord is echt te lang"
    with sf() as db:
        assert db.scalars(select(ActionPlan)).all() == []


def test_mentor_without_mentees(sf, school: SmallSchool) -> None:
    c = Chat(sf, "t.eng@school.example")  # a teacher who mentors no one
    c.say("mentor")
    assert "geen mentor" in c.text and "'feedback'" in c.text
    assert "mentor" not in c.state()[0]  # no mentor flow entered


def test_mentor_and_student_in_english(sf, school: SmallSchool) -> None:
    give_feedback(sf)
    close(sf, school)
    m = Chat(sf, MENTOR, locale="en")
    m.say("mentor")
    assert "My mentees" in m.text and "attention first: Worried" in m.text
    m.press(lambda c: c.label.startswith("Anna"))
    m.press("m_share")
    assert "Share the feedback with Anna Aalders?" in m.text
    m.press("m_share_yes")
    s = Chat(sf, ANNA, locale="en")
    s.say("my plan")
    assert "Your feedback" in s.text and "Make my action plan" in s.text
    s.press("s_plan")
    assert "Action plan, step 1 of 5" in s.text


def test_student_stale_plan_card(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    step1 = s.card
    s.say("Ik doe goed mee.")
    s.press("s_answer", {"answer": "Dubbel verstuurd"}, card=step1)
    assert "verouderd" in s.text and "stap 2 van 5" in s.text
    with sf() as db:
        assert db.scalars(select(ActionPlan)).one().answers == {"went_well": "Ik doe goed mee."}
