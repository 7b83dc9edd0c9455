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
    c.say("morgen")
    assert "geen datum die ik begrijp" in c.text
    c.say("2020-01-01")
    assert "al voorbij" in c.text
    c.say("4-12-2026 16:30")
    assert c.card.kind == "confirm"
    assert "04-12-2026 16:30" in c.text and "Periode 3" in c.text
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
    assert "extended to 2026-11-30 17:00" in c.text
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
    c.press("o_close_yes", card=confirm)  # double click: outdated, nothing changes
    assert "outdated" in c.text
    c.act("o_close_yes", {"round_id": rid})  # and without a version: not open any more
    assert "not open" in c.text
    c.act("o_extend", {"round_id": rid})
    c.say("+3")
    assert "cannot be extended" in c.text


def test_other_schools_round_is_not_found(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.act("o_status", {"round_id": "987654"})
    assert "Niet gevonden" in c.text


def test_a_deadline_moved_earlier_is_not_called_an_extension(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.act("o_extend", {"round_id": str(school.ids["round"])})  # deadline 27-11-2026 11:00
    c.say("25-11-2026 12:00")
    assert "vervroegd naar 25-11-2026 12:00" in c.text and "verlengd" not in c.text
    c.press("o_extend")
    c.say("+10")
    assert "verlengd tot 30-11-2026 17:00" in c.text
    with sf() as s:
        assert s.get(Round, school.ids["round"]).deadline.day == 30
