"""The printable report for the three-way meeting, through the dialogs: the mentor's button,
the student's own copy after sharing, and every refusal as one sentence."""

from __future__ import annotations

from sqlalchemy import select

from dialogs.types import Reply
from storage.models import AuditEntry
from tests.support.pdf_check import pdf_text, render_first_page, squeeze
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool
from tests.unit.dialogs.test_mentor_student import ANNA, MENTOR, close, give_feedback, shared

REFUSED = "Dat mag je hier niet doen."


def _file(replies: list[Reply]) -> Reply:
    files = [r for r in replies if r.file is not None]
    assert len(files) == 1, [r.text for r in replies]
    return files[0]


def test_mentor_gets_the_pdf_and_it_says_what_the_card_says(sf, school: SmallSchool) -> None:
    m = shared(sf, school)  # ends on Anna's report
    card = m.card
    assert card.kind == "report"
    reply = _file(m.press("report_pdf"))
    assert reply.file is not None and reply.file.name.endswith(".pdf")
    assert reply.file.name == "verslag-anna-aalders-periode-2.pdf"
    text = pdf_text(reply.file.content)
    for section in card.sections:
        assert squeeze(section.title) in text
        for fact in section.facts:
            assert squeeze(fact.value) in text, fact
    assert "Testschool" in text and "3A" in text and "Mia Mentor" in text
    assert "Periode 1" in text and "Let op" in text  # an earlier round's light
    assert "Afspraken uit het driehoeksgesprek" in text
    width, height, inked = render_first_page(reply.file.content)
    assert height > width > 500 and inked > 1000
    assert m.state()[1] == card.version  # the report card on screen stays valid


def test_the_pdf_is_audited_as_an_export(sf, school: SmallSchool) -> None:
    m = shared(sf, school)
    m.act(
        "report_pdf", {"round_id": str(school.ids["round"]), "student_id": str(school.students[0])}
    )
    with sf() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.entity == "report")).all()
    assert [(r.operation, r.student_id) for r in rows] == [("export", school.students[0])]


def test_student_gets_their_own_report_only_after_sharing(sf, school: SmallSchool) -> None:
    give_feedback(sf)
    close(sf, school)
    args = {"round_id": str(school.ids["round"]), "student_id": str(school.students[0])}
    anna = Chat(sf, ANNA)
    assert anna.act("report_pdf", args)[0].text == REFUSED
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda c: c.label.startswith("Anna"))
    m.press("m_share")
    m.press("m_share_yes")
    anna.say("feedback")
    reply = _file(anna.press("report_pdf"))
    assert "Ik maak me zorgen over je toetsen." in pdf_text(reply.file.content)


def test_refusals_are_one_sentence_and_reveal_nothing(sf, school: SmallSchool) -> None:
    shared(sf, school)
    anna = Chat(sf, ANNA)
    bram_args = {"round_id": str(school.ids["round"]), "student_id": str(school.students[1])}
    cases = [
        (ANNA, bram_args),  # another student's report
        (MENTOR, {"round_id": str(school.ids["round"]), "student_id": "999999"}),  # unknown
        (MENTOR, {"round_id": "999999", "student_id": str(school.students[0])}),
        (MENTOR, {"round_id": "x", "student_id": "1e3"}),
        (MENTOR, {}),
        ("t.wis@school.example", bram_args),  # a subject teacher: not theirs to print
        ("o.rg@school.example", bram_args),  # the organizer sees no content
    ]
    for who, args in cases:
        chat = anna if who == ANNA else Chat(sf, who)
        replies = chat.act("report_pdf", args)
        assert [r.text for r in replies] == [REFUSED], (who, args)
        assert all(r.file is None and r.card is None for r in replies)
