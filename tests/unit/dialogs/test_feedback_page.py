"""The student's feedback page says what to do next: make the plan, then that the plan is
submitted, then where the agreements are."""

from __future__ import annotations

from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool
from tests.unit.dialogs.test_mentor_student import ANNA, shared
from tests.unit.dialogs.test_plan_paths import answered_required


def _page(s: Chat) -> str:
    s.act("s_feedback")
    assert s.card.kind == "feedback"
    return s.card.text


def test_the_feedback_page_follows_the_plan(sf, school: SmallSchool) -> None:
    m = shared(sf, school)
    s = Chat(sf, ANNA)
    assert "maak daarna je plan van aanpak" in _page(s)
    answered_required(s)  # a draft: still to finish
    s.press("s_answer", {"answer": ""})
    s.press("s_answer", {"answer": ""})
    assert s.card.kind == "plan_review"
    assert "maak daarna je plan van aanpak" in _page(s)
    s.press("s_plan")
    s.press("s_submit")
    text = _page(s)
    assert "is ingediend" in text and "maak daarna" not in text
    m.say("mentor")
    m.press("m_agree")
    m.say("Anna gaat elke dinsdag naar de bijles.")
    text = _page(s)
    assert "Afspraken bekijken" in text and "maak daarna" not in text
    assert any(c.label == "Afspraken bekijken" for c in s.card.choices)
    s.say("english")
    s.act("s_feedback")
    assert "choose 'See agreements'" in s.card.text
