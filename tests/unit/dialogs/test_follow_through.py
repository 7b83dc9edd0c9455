"""After the round, through the dialogs: the student's read receipt in the mentor's picture and
report, the mentor's clock with remarks and actions, the teacher's one press from a student card
to that student's earlier full feedback, and the organizer's follow-through status."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import AuditEntry, Light, Share
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import NOW, SmallSchool, audit_reads, old_english_feedback
from tests.unit.dialogs.test_mentor_student import ANNA, MENTOR, shared

WIS = "t.wis@school.example"
ORG = "o.rg@school.example"
BRAM = "s1@school.example"


def _read_at(sf: sessionmaker[Session]) -> list[object]:
    with sf() as s:
        return [x.read_at for x in s.scalars(select(Share))]


def test_opening_shared_feedback_is_recorded_once_and_the_mentor_sees_it(
    sf, school: SmallSchool
) -> None:
    m = shared(sf, school)
    assert "Gelezen door leerling: nog niet" in m.text
    m.press("m_back")
    assert m.card.table.rows[0][-1].text == "gedeeld, niet gelezen"  # type: ignore[union-attr]
    later = NOW + timedelta(hours=3)
    s = Chat(sf, ANNA, clock=lambda: later)
    s.say("plan")
    assert s.card.kind == "feedback"
    assert _read_at(sf) == [later]
    again = Chat(sf, ANNA, clock=lambda: later + timedelta(days=1))
    again.say("plan")  # opening again moves nothing
    assert _read_at(sf) == [later]
    with sf() as sess:
        receipts = sess.scalars(select(AuditEntry).where(AuditEntry.entity == "read_receipt")).all()
        assert [(r.actor_id, r.operation) for r in receipts] == [(school.students[0], "write")]
    m.say("mentor")
    row = next(r for r in m.card.table.rows if r[0].text.startswith("Anna"))  # type: ignore[union-attr]
    assert row[-1].text == "gelezen"
    m.press(lambda c: c.label.startswith("Anna"))
    assert "Gelezen door leerling: ja, 20-11-2026 14:00" in m.text  # school time


def test_a_student_without_shared_feedback_records_nothing(sf, school: SmallSchool) -> None:
    shared(sf, school)  # Anna's is shared, Bram's is not
    Chat(sf, BRAM).say("plan")
    with sf() as s:
        assert [(x.student_id, x.read_at) for x in s.scalars(select(Share))] == [
            (school.students[0], None)
        ]


def test_the_mentor_report_shows_the_clock_newest_first_with_remark_and_action(
    sf, school: SmallSchool
) -> None:
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda c: c.label.startswith("Anna"))
    assert (
        "Periode 1: Let op · Ik zie dat je je huiswerk vaak vergeet. · "
        "Laat mij elke les je agenda zien." in m.text
    )


def test_a_teacher_opens_the_earlier_full_feedback_from_the_student_card(
    sf, school: SmallSchool
) -> None:
    old_english_feedback(sf, school, light=Light.GA_ZO_DOOR, remark="ENG-OUD: goed bezig")
    t = Chat(sf, WIS)
    t.say("feedback")
    assert t.card.kind == "student" and t.card.title.startswith("Anna")
    t.press("t_history")
    assert t.card.kind == "report" and "ENG-OUD: goed bezig" in t.text  # a colleague's too
    assert "Periode 1" in t.text
    assert any(a.entity == "feedback" or a.count for a in audit_reads(sf, school.ids["wis"]))
    t.press("start_feedback")  # back: the same student
    assert t.card.kind == "student" and t.card.title.startswith("Anna")


def test_a_forged_history_press_reveals_nothing(sf, school: SmallSchool) -> None:
    t = Chat(sf, WIS)
    t.say("feedback")
    before = len(audit_reads(sf, school.ids["wis"]))
    for args in (
        {"student_id": "999", "round_id": str(school.ids["old"])},
        {"student_id": str(school.students[0]), "round_id": str(school.ids["round"])},  # open
        {"student_id": str(school.students[0]), "round_id": "x"},
    ):
        t.act("t_history", args)
        assert "Die leerling staat niet in deze lijst." in t.text
        assert t.card.kind == "student"
    assert len(audit_reads(sf, school.ids["wis"])) == before


def test_the_organizer_sees_the_follow_through_after_close(sf, school: SmallSchool) -> None:
    o = Chat(sf, ORG)
    o.say("rondes")
    o.press(lambda c: c.args.get("round_id") == str(school.ids["round"]))
    assert "Na de bespreking" not in o.text  # open: nothing follows yet
    shared(sf, school)
    Chat(sf, ANNA).say("plan")
    o.say("rondes")
    o.press(lambda c: c.args.get("round_id") == str(school.ids["round"]))
    assert "3A: 1 / 1 / 0 / 0 (van 4)" in o.text
    assert "Mentoren met leerlingen bij wie nog niet gedeeld is" in o.text
    assert "3 leerling(en)" in o.text
    assert "Hij is" not in o.text and "zorgen" not in o.text  # counts, never content
