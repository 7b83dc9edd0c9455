"""A typed command of a role the person does not have says so once and leaves them where they
were; demo mode's role switch hands out cards that work at the first press."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool, build
from tests.unit.dialogs.test_mentor_student import shared

STALE = "verouderd"


def test_teacher_typing_plan_stays_in_the_walk(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    wis = Chat(sf, "t.wis@school.example")
    wis.say("feedback")
    wis.light(2, "Goed bezig.")
    before = wis.state()
    wis.say("plan")
    assert "geen leerling" in wis.text and "'feedback'" in wis.text
    assert wis.state() == before  # no student flow, no new version
    wis.say("waar was ik")
    assert wis.card.kind == "student" and wis.card.title == "Bram Bakker"
    wis.say("mentor")
    assert "geen mentor" in wis.text
    wis.say("rondes")
    assert "geen organisator" in wis.text
    assert wis.state() == before


def test_student_typing_mentor_or_feedback_roles_keeps_the_plan_question(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    shared(sf, school)
    anna = Chat(sf, "s0@school.example")
    anna.say("plan")
    anna.press("s_plan")
    before = anna.state()
    anna.say("/mentor")  # a command while the plan question waits
    assert "geen mentor" in anna.text
    assert "mentor" not in anna.state()[0] and anna.state() == before
    anna.say("/rondes")
    assert "geen organisator" in anna.text and anna.state() == before
    anna.say("waar was ik")
    assert anna.card.kind == "plan_step"


def test_english_role_refusal(sf: sessionmaker[Session], school: SmallSchool) -> None:
    wis = Chat(sf, "t.wis@school.example", locale="en")
    wis.say("mentor")
    assert "not a mentor" in wis.text and "'feedback'" in wis.text
    assert wis.state() == ({}, 0) or "mentor" not in wis.state()[0]


def test_first_press_after_a_demo_role_switch_is_taken(sf: sessionmaker[Session]) -> None:
    build(sf, demo=True)
    c = Chat(sf, "visitor@example.org", tenant="unknown-tenant", demo=True)
    c.say("hallo")
    c.press(lambda ch: ch.args.get("role") == "teacher")
    c.press("start_feedback")  # the teacher's state moves on
    assert c.card.kind == "student"
    c.press("t_skip")
    c.say("demo")
    c.press(lambda ch: ch.args.get("role") == "mentor")
    c.press("m_start")  # the first press on the new person's menu
    assert STALE not in c.text and c.card.kind == "overview"
    c.say("demo")
    c.press(lambda ch: ch.args.get("role") == "teacher")
    c.press("start_feedback")  # back to the teacher, whose state is further along
    assert STALE not in c.text and c.card.kind == "student"


def test_first_press_after_picking_a_demo_person_with_state_is_taken(
    sf: sessionmaker[Session],
) -> None:
    build(sf, demo=True)
    first = Chat(sf, "visitor@example.org", tenant="unknown-tenant", demo=True)
    first.say("hallo")
    first.press(lambda ch: ch.args.get("role") == "teacher")
    first.press("start_feedback")
    first.press("t_skip")  # the demo teacher now has a state of a later version
    other = Chat(sf, "other@example.org", tenant="unknown-tenant", demo=True)
    other.say("hallo")
    other.press(lambda ch: ch.args.get("role") == "teacher")  # the same demo teacher
    other.press("start_feedback")
    assert STALE not in other.text and other.card.kind == "student"
