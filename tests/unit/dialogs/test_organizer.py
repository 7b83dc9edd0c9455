"""The organizer's commands in conversation: create, status, extend, close."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from storage.models import Notification, Round, RoundState
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool

ORG = "o.rg@school.example"


def test_only_organizers(sf, school: SmallSchool) -> None:
    c = Chat(sf, "t.wis@school.example")
    c.say("rondes")
    assert "geen organisator" in c.text
    c.act("o_close_yes", {"round_id": str(school.ids["round"])})
    assert "mag je hier niet doen" in c.text
    with sf() as s:
        assert s.get(Round, school.ids["round"]).state == RoundState.OPEN


def test_create_round_in_conversation(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.say("rondes")
    assert c.card.kind == "rounds"
    c.press("o_new")
    c.say("  ")
    assert "niets ingevuld" in c.text
    c.say("Periode 3")
    assert c.card.kind == "ask" and "3A" in c.text  # the classes to pick from
    c.say("3A, 9Z")
    assert "Niet gevonden: 9Z" in c.text
    c.press("o_value", {"groups": "3a"})
    c.say("ergens in de lente")
    assert "geen datum die ik begrijp" in c.text
    c.say("2020-01-01")
    assert "al voorbij" in c.text
    c.say("4-12-2026 16:30")
    assert "Deadline: vrijdag 4 december 2026, 16:30" in c.text  # said back in full
    assert c.card.kind == "ask" and "toelichting" in c.card.title
    c.say("-")  # no explanation
    assert c.card.kind == "confirm"
    assert "vrijdag 4 december 2026, 16:30" in c.text and "Periode 3" in c.text
    assert "Toelichting" not in c.text.split("Bespreking aanmaken")[1]  # none on the confirmation
    c.press("o_create")
    assert "geopend" in c.text and c.card.kind == "status"
    assert "Els Engels, Wim Wiskunde" in c.text  # not started
    with sf() as s:
        rnd = s.scalars(select(Round).where(Round.name == "Periode 3")).one()
        assert rnd.state == RoundState.OPEN
        assert rnd.deadline == datetime(2026, 12, 4, 15, 30, tzinfo=UTC)
        invites = s.scalars(
            select(Notification).where(
                Notification.kind == "round_opened", Notification.round_id == rnd.id
            )
        ).all()
        assert len(invites) == 2


def test_cancel_leaves_nothing(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.say("rondes")
    c.press("o_new")
    c.say("Weg ermee")
    c.press("cancel")
    assert c.card.kind == "rounds"
    with sf() as s:
        assert s.scalars(select(Round).where(Round.name == "Weg ermee")).first() is None


def test_status_extend_and_close_with_confirm(sf, school: SmallSchool) -> None:
    rid = str(school.ids["round"])
    c = Chat(sf, ORG, locale="en")
    c.say("rounds")
    c.press(lambda ch: ch.args.get("round_id") == rid)
    assert c.card.kind == "status" and "0/8" in c.text and "Per teacher" in c.text
    c.press("o_extend")
    c.say("+10")
    assert c.card.kind == "confirm" and "Becomes: Monday 30 November 2026, 17:00" in c.text
    with sf() as s:  # nothing changed before the confirmation
        assert s.get(Round, school.ids["round"]).deadline.day == 27
    c.press("o_extend_yes")
    assert "extended to Monday 30 November 2026, 17:00" in c.text
    with sf() as s:
        assert s.get(Round, school.ids["round"]).deadline.day == 30
    c.press("o_close")
    assert c.card.kind == "confirm"
    confirm = c.card
    c.press("o_close_yes")
    assert "closed" in c.text.lower()
    with sf() as s:
        assert s.get(Round, school.ids["round"]).state == RoundState.CLOSED
        assert s.scalars(select(Notification).where(Notification.kind == "mentor_digest")).one()
    # double click: the first press answered the card; nothing changes, nothing is posted
    assert c.press("o_close_yes", card=confirm) == []
    c.act("o_close_yes", {"round_id": rid})  # and without a version: not open any more
    assert "not open" in c.text
    c.act("o_extend", {"round_id": rid})
    c.say("+3")
    c.press("o_extend_yes")
    assert "cannot be extended" in c.text


def test_other_schools_round_is_not_found(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.act("o_status", {"round_id": "987654"})
    assert "Niet gevonden" in c.text


def test_a_deadline_moved_earlier_is_not_called_an_extension(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.act("o_extend", {"round_id": str(school.ids["round"])})  # deadline 27-11-2026 11:00
    c.say("25-11-2026 12:00")
    c.press("o_extend_yes")
    assert "vervroegd naar woensdag 25 november 2026, 12:00" in c.text
    assert "verlengd" not in c.text
    c.press("o_extend")
    c.say("+10")
    c.press("o_extend_yes")
    assert "verlengd tot maandag 30 november 2026, 17:00" in c.text
    with sf() as s:
        assert s.get(Round, school.ids["round"]).deadline.day == 30


def test_explanation_goes_with_the_invitations(sf, school: SmallSchool) -> None:
    from schedules.compose import compose

    c = Chat(sf, ORG)
    c.say("rondes")
    c.press("o_new")
    c.say("Periode 3")
    c.say("3A")
    c.say("volgende vrijdag 17:00")  # NOW is Friday 20 November 2026, 11:00 in Amsterdam
    assert "Deadline: vrijdag 27 november 2026, 17:00" in c.text
    c.say("x" * 2001)
    assert "te lang" in c.text and c.card.kind == "ask"
    c.say("Let vooral op de overgang naar de bovenbouw.")
    assert "Toelichting: Let vooral op de overgang naar de bovenbouw." in c.text
    c.press("o_create")
    with sf() as s:
        rnd = s.scalars(select(Round).where(Round.name == "Periode 3")).one()
        assert rnd.explanation == "Let vooral op de overgang naar de bovenbouw."
        invite = s.scalars(
            select(Notification).where(
                Notification.kind == "round_opened", Notification.round_id == rnd.id
            )
        ).first()
        assert invite is not None
        replies = compose(invite.kind, dict(invite.payload), lang="nl", round_id=rnd.id)
    (card,) = [r.card for r in replies if r.card is not None]
    assert [(f.label, f.value) for f in card.facts] == [
        ("Toelichting", "Let vooral op de overgang naar de bovenbouw.")
    ]
    assert "Toelichting: Let vooral op de overgang" in c.text  # the status card shows it too


def test_a_round_saved_as_draft_invites_nobody(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG, locale="en")
    c.say("rounds")
    c.press("o_new")
    c.say("Term 3")
    c.say("all")
    c.say("in two weeks")
    assert "Deadline: Friday 4 December 2026, 17:00" in c.text
    c.say("")
    assert c.card.kind == "confirm" and "Save as draft" in c.text
    c.press("o_draft")
    assert "Saved as a draft" in c.text and c.card.kind == "status"
    with sf() as s:
        rnd = s.scalars(select(Round).where(Round.name == "Term 3")).one()
        assert rnd.state == RoundState.DRAFT and rnd.explanation is None
        assert not s.scalars(select(Notification).where(Notification.round_id == rnd.id)).all()
    c.press("o_open")  # later, from its status
    c.press("o_open_yes")
    with sf() as s:
        assert s.get(Round, rnd.id).state == RoundState.OPEN


def test_an_unconfirmed_deadline_changes_nothing(sf, school: SmallSchool) -> None:
    rid = str(school.ids["round"])
    c = Chat(sf, ORG)
    c.act("o_extend_yes", {"round_id": rid})  # never asked: the prompt, nothing changed
    c.act("o_extend", {"round_id": rid})
    c.say("over een week")
    assert "Wordt: vrijdag 27 november 2026, 17:00" in c.text
    c.press("Andere datum")
    c.say("morgen 12:00")
    assert "Wordt: zaterdag 21 november 2026, 12:00" in c.text
    c.press("o_status")  # back: nothing changes
    with sf() as s:
        assert s.get(Round, school.ids["round"]).deadline == datetime(
            2026, 11, 27, 10, 0, tzinfo=UTC
        )
