"""The engine and what everyone can do: identity, help, language, hints, errors, versions."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import select

from dialogs.engine import DialogEngine
from dialogs.texts import catalogue
from dialogs.types import ConversationRef, Incoming, IncomingKind, UserRef
from storage.db import make_engine, make_session_factory
from storage.models import ChannelAccount, Person
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import NOW, SmallSchool, build


def test_catalogues_hold_the_same_keys() -> None:
    assert set(catalogue("nl")) == set(catalogue("en"))


def test_unknown_person_gets_a_clear_message(sf, school: SmallSchool) -> None:
    c = Chat(sf, "nobody@elsewhere.example")
    c.say("hallo")
    assert "Ik ken je nog niet" in c.text
    with sf() as s:
        assert s.scalars(select(ChannelAccount)).all() == []


def test_inactive_person_is_unknown(sf, school: SmallSchool) -> None:
    with sf.begin() as s:
        s.get(Person, school.ids["wis"]).active = False
    c = Chat(sf, "t.wis@school.example")
    c.say("feedback")
    assert "Ik ken je nog niet" in c.text


def test_email_match_is_case_insensitive_and_links_the_account(sf, school: SmallSchool) -> None:
    c = Chat(sf, "T.Wis@School.Example", user_id="aad-123")
    conv = ConversationRef(
        channel="teams", tenant="tenant-1", user_id="aad-123", data={"conversation": {"id": "a:1"}}
    )
    c.engine.handle(Incoming(user=c.user, text="menu", conversation=conv))
    with sf() as s:
        acc = s.scalars(select(ChannelAccount)).one()
        assert acc.person_id == school.ids["wis"] and acc.external_id == "aad-123"
        assert acc.conversation == {"conversation": {"id": "a:1"}}
    # later turns find the link even without an email, and update the conversation
    anon = Chat(sf, None, user_id="aad-123")
    conv2 = ConversationRef(
        channel="teams", tenant="tenant-1", user_id="aad-123", data={"conversation": {"id": "a:2"}}
    )
    replies = anon.engine.handle(Incoming(user=anon.user, text="menu", conversation=conv2))
    assert "Wim Wiskunde" in replies[0].card.title
    with sf() as s:
        assert s.scalars(select(ChannelAccount)).one().conversation["conversation"]["id"] == "a:2"


def test_other_tenant_is_not_matched(sf, school: SmallSchool) -> None:
    c = Chat(sf, "t.wis@school.example", tenant="other-tenant")
    c.say("feedback")
    assert "Ik ken je nog niet" in c.text


def test_demo_mode_offers_demo_identities(sf) -> None:
    build(sf, demo=True)
    c = Chat(sf, "visitor@example.org", tenant="unknown-tenant", demo=True)
    c.say("hallo")
    assert c.card.kind == "demo_identity"
    assert [ch.args["role"] for ch in c.card.choices] == [
        "teacher",
        "mentor",
        "student",
        "organizer",
    ]
    c.press(lambda ch: ch.args.get("role") == "teacher")
    assert "(demo)" in c.text
    c.say("feedback")
    assert c.card.kind == "student"
    c.say("demo")
    c.press(lambda ch: ch.args.get("role") == "organizer")
    assert "Olaf Organisator" in c.text


def test_menu_help_and_unknown_hint_follow_roles(sf, school: SmallSchool) -> None:
    teacher = Chat(sf, "t.wis@school.example")
    teacher.say("help")
    assert "'feedback'" in teacher.text and "'rondes'" not in teacher.text
    teacher.say("blabla")
    assert "Dat begreep ik niet" in teacher.text and "'feedback'" in teacher.text
    org = Chat(sf, "o.rg@school.example")
    org.say("?")
    assert "'rondes'" in org.text
    org.act("no_such_action")
    assert "Dat begreep ik niet" in org.text


def test_language_switch_is_stored(sf, school: SmallSchool) -> None:
    c = Chat(sf, "t.wis@school.example")
    c.say("feedback")
    c.say("english")
    assert "I will speak English" in c.text and "student 1 of 4" in c.text
    with sf() as s:
        assert s.get(Person, school.ids["wis"]).language == "en"
    c.say("help")
    assert "I help you" in c.text
    c.act("lang", {"lang": "fr"})
    assert "I did not understand" in c.text
    c.say("menu")
    c.press(lambda ch: ch.action == "lang")
    assert "Ik spreek nu Nederlands" in c.text


def test_installed_welcomes_and_closed_is_quiet(sf, school: SmallSchool) -> None:
    c = Chat(sf, "m.ent@school.example")
    r = c.engine.handle(Incoming(user=c.user, kind=IncomingKind.INSTALLED))
    assert "Welkom" in r[0].card.note
    assert c.engine.handle(Incoming(user=c.user, kind=IncomingKind.CLOSED)) == []


def test_version_follows_state_changes_and_cards_carry_it(sf, school: SmallSchool) -> None:
    c = Chat(sf, "t.wis@school.example")
    c.say("feedback")
    card = c.card
    c.say("help")  # changes no state: the student card on screen stays valid
    c.say("waar was ik")
    assert c.card.version == card.version
    c.press("t_skip", card=card)
    assert c.card.title == "Bram Bakker" and c.card.version == card.version + 1
    # an action without a version (a notification button) is always taken
    c.act("t_skip")
    assert c.card.title == "Cas de Clercq"


def test_unexpected_error_is_logged_once_and_answered_briefly(tmp_path, caplog) -> None:
    broken = make_session_factory(make_engine(f"sqlite:///{tmp_path}/empty.sqlite"))
    engine = DialogEngine(session_factory=broken, clock=lambda: NOW)
    user = UserRef(channel="teams", tenant="t", user_id="u", email="a@b.c")
    with caplog.at_level(logging.ERROR):
        replies = engine.handle(Incoming(user=user, text="feedback"))
    assert len(replies) == 1 and "Sorry" in replies[0].text
    assert "Traceback" not in replies[0].text
    assert len([r for r in caplog.records if r.levelno == logging.ERROR]) == 1


@pytest.mark.parametrize("args", [{}, {"round_id": "x"}, {"round_id": "1", "group_id": "zz"}])
def test_bad_action_args_are_harmless(sf, school: SmallSchool, args) -> None:
    c = Chat(sf, "t.wis@school.example")
    c.act("t_group", args)
    assert c.card.kind == "student"  # falls back to the normal entry


def test_domain_errors_read_well_in_both_languages() -> None:
    from dialogs.flow import error_text
    from storage.errors import InvalidInput, MandatoryFieldMissing, NotAllowed, TextTooLong

    assert error_text("nl", InvalidInput("deadline is not in the future", field="deadline")) == (
        "Dat begreep ik niet: deadline is not in the future"
    )
    assert error_text("en", MandatoryFieldMissing("x", fields=["remark", "action"])) == (
        "For this light your school asks for a remark and an action."
    )
    assert error_text("nl", MandatoryFieldMissing("x", fields=["action"])) == (
        "Bij dit stoplicht vraagt je school om een actie."
    )
    assert "1000" in error_text("en", TextTooLong("x", length=1001, max=1000))
    assert error_text("nl", TextTooLong("x")) == "Dat lukte niet."  # parameters missing
    assert error_text("en", NotAllowed("x")) == "You cannot do that here."
