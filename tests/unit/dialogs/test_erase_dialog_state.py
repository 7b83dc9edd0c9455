"""Erasing a student leaves nothing in other people's dialog state that points at them."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.conversation.scrub import mentions
from storage.models import DialogState, Person
from storage.privacy import erase_student
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool

MENTOR = "m.ent@school.example"


def test_mentor_mid_report_starts_cleanly_after_erase(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    wis = Chat(sf, "t.wis@school.example")
    wis.say("feedback")  # the teacher's walk lists Anna (id and name) in its state
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda c: c.label.startswith("Anna"))
    assert m.card.kind == "report"
    stale_card = m.card
    with sf() as s:
        anna = s.scalars(select(Person).where(Person.roster_id == "s0")).one().id
    assert mentions(m.state()[0], anna) and mentions(wis.state()[0], anna)
    untouched = Chat(sf, "t.eng@school.example")
    untouched.say("help")
    before_eng = untouched.state()

    with sf.begin() as s:
        counts = erase_student(s, school_id=school.school_id, key="s0")
    assert counts["dialog_state=reset"] == 2

    with sf() as s:
        for ds in s.scalars(select(DialogState)):
            assert not mentions(ds.state, anna), ds.state
            assert "Anna" not in json.dumps(ds.state)
    assert untouched.state() == before_eng  # a state without the student is left alone

    # A button of the old report card is stale now; the next turn starts at a clean prompt.
    first = stale_card.choices[0]
    m.act(first.action, dict(first.args), None, stale_card.version)
    assert "Anna" not in m.text
    m.say("mentor")
    assert m.card.kind == "overview"
    assert "Anna" not in m.text
    wis.say("feedback")
    assert "Anna" not in wis.text
