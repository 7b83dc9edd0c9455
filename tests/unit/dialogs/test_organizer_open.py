"""The organizer opens a draft round (one made on the command line) in conversation: listed
with "open" on the rounds home, confirmed, opened through
``storage.rounds.lifecycle.open_round`` (the invitations in the outbox).
Stale, forged and refused buttons change nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storage.db import unit_of_work
from storage.models import Notification, Round, RoundState
from storage.rounds.lifecycle import create_round
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import NOW, SmallSchool
from tests.unit.dialogs.test_organizer import ORG

TEXTS = {
    "nl": {
        "open": "Periode 3 openen",
        "title": "Periode 3 openen?",
        "yes": "Ja, openen",
        "opened": "De bespreking is geopend",
        "past": "De deadline van deze bespreking is al voorbij",
        "not_draft": "al geopend of gesloten",
    },
    "en": {
        "open": "Open Periode 3",
        "title": "Open Periode 3?",
        "yes": "Yes, open",
        "opened": "The round is open",
        "past": "The deadline of this round has passed",
        "not_draft": "opened or closed already",
    },
}


def draft(sf, school: SmallSchool, *, days: int = 10) -> int:
    """A draft round as ``stoplicht round create`` (without ``--open``) makes it."""
    with unit_of_work(sf) as s:
        rnd = create_round(
            s,
            school_id=school.school_id,
            actor_id=None,
            name="Periode 3",
            group_ids=[school.ids["cls"]],
            deadline=NOW + timedelta(days=days),
            now=NOW - timedelta(days=20),
        )
        return rnd.id


def _state(sf, rid: int) -> tuple[RoundState, int]:
    with sf() as s:
        invites = s.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.kind == "round_opened", Notification.round_id == rid)
        )
        return s.get_one(Round, rid).state, int(invites or 0)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_draft_is_opened_from_the_rounds_home(sf, school: SmallSchool, lang: str) -> None:
    rid = draft(sf, school)
    words = TEXTS[lang]
    c = Chat(sf, ORG, locale=lang)
    c.say("rondes")
    assert words["open"] in [ch.label for ch in c.card.choices]
    c.press(words["open"])
    assert c.card.kind == "confirm" and c.card.title == words["title"]
    assert "3A" in c.text and "30-11-2026" in c.text.replace("2026-11-30", "30-11-2026")
    assert _state(sf, rid) == (RoundState.DRAFT, 0)  # asking changes nothing
    confirm = c.card
    replies = c.press(words["yes"])
    assert replies[0].replace and replies[0].card.answered
    assert words["opened"] in replies[0].card.note
    assert c.card.kind == "status"
    assert _state(sf, rid) == (RoundState.OPEN, 2)  # both teachers invited
    c.press(words["yes"], card=confirm)  # a double click: outdated, nothing more
    assert _state(sf, rid) == (RoundState.OPEN, 2)
    c.say("rondes")
    assert words["open"] not in [ch.label for ch in c.card.choices]  # no draft any more


def test_the_status_of_a_draft_offers_open_and_no_goes_back(sf, school: SmallSchool) -> None:
    rid = draft(sf, school)
    c = Chat(sf, ORG)
    c.act("o_status", {"round_id": str(rid)})
    assert "nog niet geopend" in c.text and "o_close" not in [ch.action for ch in c.card.choices]
    c.press("o_open")
    c.press("Nee")
    assert c.card.kind == "status"
    assert _state(sf, rid) == (RoundState.DRAFT, 0)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_draft_past_its_deadline_is_extended_first(sf, school: SmallSchool, lang: str) -> None:
    rid = draft(sf, school, days=-1)
    c = Chat(sf, ORG, locale=lang)
    c.act("o_open", {"round_id": str(rid)})
    assert TEXTS[lang]["past"] in c.card.text
    assert [ch.action for ch in c.card.choices] == ["o_extend", "o_status"]
    c.act("o_open_yes", {"round_id": str(rid)})  # forged: the rules in storage refuse it
    assert TEXTS[lang]["past"] in c.text and c.card.kind == "status"
    assert _state(sf, rid) == (RoundState.DRAFT, 0)
    c.act("o_extend", {"round_id": str(rid)})
    c.say("+10")
    c.press("o_extend_yes")  # the new deadline, said back in full, confirmed
    c.press("o_open")
    c.press("o_open_yes")
    assert _state(sf, rid) == (RoundState.OPEN, 2)


def test_only_an_organizer_of_the_school_opens(sf, school: SmallSchool) -> None:
    rid = draft(sf, school)
    t = Chat(sf, "t.wis@school.example")
    t.act("o_open", {"round_id": str(rid)})
    t.act("o_open_yes", {"round_id": str(rid)})
    assert "mag je hier niet doen" in t.text
    c = Chat(sf, ORG)
    c.act("o_open", {"round_id": "987654"})  # not this school's round
    assert "Niet gevonden" in c.text
    assert _state(sf, rid) == (RoundState.DRAFT, 0)


def test_forged_or_repeated_confirmations_change_nothing(sf, school: SmallSchool) -> None:
    rid = draft(sf, school)
    c = Chat(sf, ORG)
    c.say("rondes")
    c.act("o_open_yes", {"round_id": str(rid)})  # never asked: the rounds again
    assert c.card.kind == "rounds"
    c.act("o_open", {"round_id": str(school.ids["round"])})  # the open round: nothing to do
    assert "al geopend of gesloten" in c.card.text
    assert [ch.action for ch in c.card.choices] == ["o_status"]
    c.act("o_open_yes", {"round_id": str(rid)})  # another round than the one asked
    assert _state(sf, rid) == (RoundState.DRAFT, 0)
    c.act("o_open_yes", {"round_id": str(school.ids["round"])})  # open already: refused
    assert "al geopend of gesloten" in c.text
    with sf() as s:
        assert s.get_one(Round, school.ids["round"]).state == RoundState.OPEN
    c.act("o_open", {"round_id": "x"})  # a broken id: the round looked at, nothing to open
    assert "o_open_yes" not in [ch.action for ch in c.card.choices]
    assert _state(sf, rid) == (RoundState.DRAFT, 0)
