"""A notification's buttons work whenever they are pressed, by people who already have dialog
state, days later and after doing other things, and never undo newer work.

The cards are composed from the real outbox rows (``schedules.composer``) and pressed the way a
channel does: with the version the card carries."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.types import Card
from schedules.compose import compose
from schedules.composer import Composer
from storage.db import unit_of_work
from storage.models import ActionPlan, Feedback, Notification, Person, PlanState
from storage.rounds.lifecycle import close_round
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import NOW, SmallSchool
from tests.unit.dialogs.test_mentor_student import MENTOR, give_feedback, shared

WIS = "t.wis@school.example"
ANNA = "s0@school.example"
STALE = "verouderd"


def notification(sf: sessionmaker[Session], email: str, kind: str) -> Card:
    """The card of the latest ``kind`` notification for ``email``, composed as it is sent."""
    with sf() as s:
        person_id = s.scalar(select(Person.id).where(Person.email == email))
        row = s.scalars(
            select(Notification)
            .where(Notification.recipient_id == person_id, Notification.kind == kind)
            .order_by(Notification.id.desc())
        ).first()
        assert row is not None, f"no {kind} notification for {email}"
        replies = Composer(s).replies(
            kind=row.kind,
            payload=row.payload,
            lang="nl",
            round_id=row.round_id,
            recipient_id=person_id,
        )
    cards = [r.card for r in replies if r.card is not None]
    assert cards
    return cards[-1]


def test_notification_cards_carry_no_version() -> None:
    for kind in ("round_opened", "deadline_reminder", "feedback_shared", "plan_submitted"):
        [reply] = compose(kind, {"round": "Periode 2", "round_id": 2, "student_id": 5}, "nl")
        assert reply.card is not None and reply.card.version is None


def test_reminder_continue_resumes_the_walk_after_other_work(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    wis = Chat(sf, WIS)
    wis.say("feedback")
    wis.light(2, "Goed bezig.")  # Anna saved; the walk is at Bram
    card = wis.card
    wis.say("help")  # something else in between
    wis.press("t_skip", card=card)  # Bram skipped: at Cas, the state version moved on
    assert wis.state()[1] > 1
    reminder = compose(
        "deadline_reminder",
        {"round": "Periode 2", "round_id": school.ids["round"], "done": 1, "total": 4},
        "nl",
    )[0].card
    assert reminder is not None
    wis.press("start_feedback", card=reminder)
    assert STALE not in wis.text
    assert wis.card.kind == "student" and wis.card.title == "Cas de Clercq"  # resumed
    with sf() as s:  # nothing undone: Anna's light is still there
        rows = s.scalars(select(Feedback).where(Feedback.round_id == school.ids["round"]))
        assert [f.remark for f in rows] == ["Goed bezig."]


def test_feedback_shared_buttons_work_for_a_student_with_a_plan_in_progress(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    shared(sf, school)
    anna = Chat(sf, ANNA)
    anna.say("plan")
    anna.press("s_plan")
    anna.press("s_answer", {"answer": "Ik heb mijn agenda bijgehouden."})  # step 2 now
    assert anna.state()[1] > 0
    card = notification(sf, ANNA, "feedback_shared")
    anna.press("s_feedback", card=card)  # "Read": days later, from the notification
    assert STALE not in anna.text and anna.card.kind == "feedback"
    anna.press("s_plan", card=card)  # "Make your plan": where the plan was left
    assert STALE not in anna.text and anna.card.kind == "plan_step"
    assert "2 van" in anna.card.title
    with sf() as s:
        plan = s.scalars(select(ActionPlan)).one()
        assert plan.answers["went_well"] == "Ik heb mijn agenda bijgehouden."


def test_digest_open_and_share_work_for_a_mentor_who_did_other_things(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    give_feedback(sf)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda c: c.label.startswith("Bram"))  # the mentor has dialog state
    with unit_of_work(sf) as s:
        close_round(s, round_id=school.ids["round"], actor_id=school.ids["org"], now=NOW)
    digest = notification(sf, MENTOR, "mentor_digest")
    m.press(lambda c: c.label.startswith("Open") or c.action == "m_student", card=digest)
    assert STALE not in m.text and m.card.kind == "report" and "Anna Aalders" in m.card.title
    m.press("m_share", card=digest)  # a second button of the same notification
    assert STALE not in m.text and m.card.kind == "confirm"
    m.press("m_share_yes")
    m.press("m_start", card=digest)  # and the third, after the share
    assert STALE not in m.text and m.card.kind == "overview"


def test_plan_submitted_names_the_round_and_its_button_works(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    shared(sf, school)
    anna = Chat(sf, ANNA)
    anna.say("plan")
    anna.press("s_plan")
    anna.press("s_answer", {"answer": "Mijn agenda."})
    while anna.card.kind == "plan_step":
        anna.press("s_answer", {"answer": "Vragen stellen."})
    anna.press("s_submit")
    with sf() as s:
        assert s.scalars(select(ActionPlan)).one().state is PlanState.SUBMITTED
    card = notification(sf, MENTOR, "plan_submitted")
    assert "Periode 2" in card.text and " - " not in f" {card.text} "
    m = Chat(sf, MENTOR)
    m.say("mentor")  # the mentor is elsewhere in the flow
    m.press("m_student", card=card)
    assert STALE not in m.text and m.card.kind == "report" and "Anna Aalders" in m.card.title


def test_colleagues_visible_menu_works_after_other_work(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    wis = Chat(sf, WIS)
    wis.say("feedback")
    wis.light(2, "Goed bezig.")
    with unit_of_work(sf) as s:
        close_round(s, round_id=school.ids["round"], actor_id=school.ids["org"], now=NOW)
    card = notification(sf, WIS, "colleagues_visible")
    wis.press("menu", card=card)
    assert STALE not in wis.text and wis.card.kind == "menu"
