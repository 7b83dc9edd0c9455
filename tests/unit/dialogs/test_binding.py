"""Binding a Teams tenant or Slack workspace from the chat: an organizer found by email in
exactly one school is asked once; anyone else is told who can bind it and how; nobody gets in
before it is bound."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs import actions as A
from storage.models import AuditEntry, ChannelAccount, DialogState, Person, School
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool, build

ORG = "o.rg@school.example"
WIS = "t.wis@school.example"


def unbind(sf: sessionmaker[Session], school: SmallSchool, **columns: object) -> None:
    with sf.begin() as s:
        row = s.get_one(School, school.school_id)
        for key, value in {"teams_tenant_id": None, "slack_team_id": None, **columns}.items():
            setattr(row, key, value)


def bindings(sf: sessionmaker[Session], school: SmallSchool) -> tuple[str | None, str | None]:
    with sf() as s:
        row = s.get_one(School, school.school_id)
        return row.teams_tenant_id, row.slack_team_id


def accounts(sf: sessionmaker[Session]) -> int:
    with sf() as s:
        return len(s.scalars(select(ChannelAccount)).all())


def test_the_organizer_is_asked_binds_and_gets_in(sf, school: SmallSchool) -> None:
    unbind(sf, school)
    teacher = Chat(sf, WIS, tenant="tenant-new")
    teacher.say("feedback")
    assert "deze Teams-omgeving is nog niet gekoppeld" in teacher.text
    assert "stoplicht school set SCHOOL teams_tenant_id tenant-new" in teacher.text
    org = Chat(sf, ORG, tenant="tenant-new", user_id="aad-org")
    org.say("hallo")
    assert org.card.kind == "binding" and org.card.title == (
        "Deze Teams-omgeving koppelen aan Testschool?"
    )
    assert bindings(sf, school) == (None, None) and accounts(sf) == 0  # asking binds nothing
    org.press(A.BIND)
    assert bindings(sf, school) == ("tenant-new", None)
    assert "Deze Teams-omgeving is nu gekoppeld aan Testschool." in org.text
    assert org.card.kind == "menu"
    with sf() as s:
        assert s.scalars(select(ChannelAccount.external_id)).all() == ["aad-org"]
        assert s.execute(
            select(AuditEntry.entity, AuditEntry.actor_id).where(AuditEntry.operation == "setting")
        ).all() == [("teams_tenant_id", school.ids["org"])]
    teacher.say("feedback")  # now the school's people are recognised
    assert teacher.card.kind == "student"
    org.press(A.BIND, card=_ask_card(sf))  # an old question: already bound
    assert "al gekoppeld" in org.text and bindings(sf, school) == ("tenant-new", None)


def _ask_card(sf):
    from dialogs.binding import _ask

    return _ask("nl", {"platform": "Teams", "school": "Testschool"}, 1)


def test_a_declined_question_is_not_asked_again(sf, school: SmallSchool) -> None:
    unbind(sf, school)
    org = Chat(sf, ORG, channel="slack", tenant="TNEW", user_id="U9")
    org.say("hallo")
    assert org.card.title == "Deze Slack-omgeving koppelen aan Testschool?"
    org.press(A.BIND_NO)
    assert "stoplicht school set 1 slack_team_id TNEW" in org.text
    org.say("hallo")
    assert not any(r.card for r in org.replies) and "Niet gekoppeld" in org.text
    assert bindings(sf, school) == (None, None) and accounts(sf) == 0
    with sf() as s:
        assert s.get_one(DialogState, school.ids["org"]).state["declined_bindings"] == [
            "slack:TNEW"
        ]


def test_nobody_else_gets_in_and_a_forged_bind_changes_nothing(sf, school: SmallSchool) -> None:
    unbind(sf, school)
    sid = str(school.school_id)
    for who in (WIS, "stranger@elsewhere.example", None):
        c = Chat(sf, who, tenant="tenant-new")
        c.act(A.BIND, {"school_id": sid})
        assert "deze Teams-omgeving is nog niet gekoppeld" in c.text
    org = Chat(sf, ORG, tenant="tenant-new")
    org.act(A.BIND, {"school_id": "999"})  # another school's id: asked, not bound
    assert org.card.kind == "binding"
    assert bindings(sf, school) == (None, None) and accounts(sf) == 0


def test_an_organizer_of_two_schools_or_of_a_bound_school_is_not_asked(sf) -> None:
    first = build(sf)
    unbind(sf, first)
    second = build(sf)
    unbind(sf, second)
    org = Chat(sf, ORG, tenant="tenant-new")
    org.say("hallo")  # the same email organizes two schools: which one is not guessed
    assert "nog niet gekoppeld" in org.text and not any(r.card for r in org.replies)
    with sf.begin() as s:  # now only the first school has them as organizer
        p = s.scalars(
            select(Person).where(Person.school_id == second.school_id, Person.email == ORG)
        ).one()
        p.is_organizer = False
    unbind(sf, first, teams_tenant_id="tenant-old")
    org.say("hallo")  # their school uses another tenant: explained, not asked
    assert "al gekoppeld aan een andere Teams-omgeving" in org.text
    assert "stoplicht school set 1 teams_tenant_id tenant-new" in org.text
    assert bindings(sf, first) == ("tenant-old", None) and accounts(sf) == 0


def test_the_demo_still_maps_unknown_tenants_to_the_demo_school(sf) -> None:
    school = build(sf, demo=True)
    unbind(sf, school)
    c = Chat(sf, ORG, tenant="tenant-new", demo=True)
    c.say("hallo")
    assert c.card.kind == "menu"  # the demo school's organizer, found by email
    assert bindings(sf, school) == (None, None)
