"""The privacy rules end to end through every dialog path, not only the storage functions:
a colleague's remark stays hidden from a subject teacher while the round is open (student
card, history, review list, bulk, forged read-only view), a student sees nothing before
sharing, and reads of another person's feedback leave audit rows."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from storage.models import Light
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import (
    SmallSchool,
    audit_reads,
    close_current_round,
    old_english_feedback,
)

WIS, ENG, MENTOR, STUDENT = (
    "t.wis@school.example",
    "t.eng@school.example",
    "m.ent@school.example",
    "s0@school.example",
)
LIVE = "ENG-LIVE opmerking"
OLD = "ENG-OUD opmerking"


def _colleague_feedback(sf: sessionmaker[Session], school: SmallSchool) -> None:
    """Engels: a remark for every student in the open round (typed in the dialog) and one in
    the closed earlier round (another subject's history)."""
    eng = Chat(sf, ENG)
    eng.say("feedback")
    for _ in school.students:
        eng.light(3, LIVE, "ENG-LIVE actie")
        if eng.card.kind == "coach":  # a tip about the text: keep it as it is
            eng.press("t_keep")
    old_english_feedback(sf, school, light=Light.PAS_OP, remark=OLD)


def test_open_round_no_dialog_path_shows_a_colleagues_remark(sf, school: SmallSchool) -> None:
    _colleague_feedback(sf, school)
    c = Chat(sf, WIS)
    seen: list[str] = []

    def look() -> None:
        seen.append(c.text)

    c.say("feedback")
    look()
    for sid in school.students:  # every student card, with its history
        c.act("t_jump", {"student_id": str(sid)})
        look()
    c.act("t_review")
    look()
    c.act("t_bulk")
    look()
    c.act("t_bulk_no")
    for sid in school.students:  # a forged read-only view while the round is open
        c.act("t_view", {"student_id": str(sid)})
        look()
    for text in ("waar was ik", "help", "menu", "review"):
        c.say(text)
        look()
    c.act("t_jump", {"student_id": str(school.students[0])})
    c.light(2, "Ik zie dat je goed meedoet.")
    look()
    c.act("m_student", {"student_id": str(school.students[0])})  # not a mentor
    look()
    joined = "\n".join(seen)
    assert LIVE not in joined and "ENG-LIVE" not in joined
    assert OLD not in joined  # another subject's history is not shown either
    assert "Ik zie dat je je huiswerk vaak vergeet." in joined  # own subject's history is
    assert audit_reads(sf, school.ids["wis"]) == []  # nobody else's feedback was read


def test_after_close_colleagues_remark_is_shown_and_the_read_audited(
    sf, school: SmallSchool
) -> None:
    _colleague_feedback(sf, school)
    close_current_round(sf, school)
    c = Chat(sf, WIS)
    c.say("feedback")
    assert c.card.kind == "closed"
    c.act("t_view", {"student_id": str(school.students[0])})
    assert LIVE in c.text
    reads = audit_reads(sf, school.ids["wis"])
    assert [(r.entity, r.student_id, r.round_id) for r in reads] == [
        ("feedback", school.students[0], school.ids["round"])
    ]
    assert reads[0].channel == "teams"


def test_mentor_reads_live_and_every_read_is_audited(sf, school: SmallSchool) -> None:
    _colleague_feedback(sf, school)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.act("m_student", {"student_id": str(school.students[1])})
    assert LIVE in m.text  # mentors see their mentees' feedback live
    reads = audit_reads(sf, school.ids["mentor"])
    assert any(
        r.entity == "student_report"
        and r.student_id == school.students[1]
        and r.channel == "teams"
        and r.count >= 1
        for r in reads
    )


def test_student_sees_nothing_before_sharing_through_any_action(sf, school: SmallSchool) -> None:
    _colleague_feedback(sf, school)
    close_current_round(sf, school)
    c = Chat(sf, STUDENT)
    seen: list[str] = []
    for action, args, values in [
        ("s_start", {}, {}),
        ("s_feedback", {}, {}),
        ("s_plan", {}, {}),
        ("s_goto", {"step": "1"}, {}),
        ("s_answer", {}, {"answer": "x"}),
        ("s_submit", {}, {}),
        ("s_agreements", {}, {}),
        ("m_student", {"student_id": str(school.students[0])}, {}),
        ("t_view", {"student_id": str(school.students[0])}, {}),
    ]:
        c.act(action, args, values)
        seen.append(c.text)
    for text in ("plan", "waar was ik", "help"):
        c.say(text)
        seen.append(c.text)
    joined = "\n".join(seen)
    assert "ENG-LIVE" not in joined and OLD not in joined and "huiswerk" not in joined
    assert audit_reads(sf, school.students[0]) == []

    m = Chat(sf, MENTOR)  # share; now the student sees their own feedback, audited
    m.say("mentor")
    m.act("m_student", {"student_id": str(school.students[0])})
    m.press("m_share")
    m.press("m_share_yes")
    c.act("s_start")
    c.act("s_feedback")
    assert LIVE in c.text
    assert any(
        r.entity == "student_report" and r.student_id == school.students[0]
        for r in audit_reads(sf, school.students[0])
    )


def test_another_students_feedback_is_never_shown_to_a_student(sf, school: SmallSchool) -> None:
    _colleague_feedback(sf, school)
    close_current_round(sf, school)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.act("m_student", {"student_id": str(school.students[1])})  # share Bram's, not Anna's
    m.press("m_share")
    m.press("m_share_yes")
    anna = Chat(sf, STUDENT)
    anna.act("s_start")
    anna.act("s_feedback")
    assert LIVE not in anna.text and "Bram" not in anna.text
