"""The organizer's settings card: current values, changed in place and confirmed, the same
checks as ``stoplicht school set``; refused for anyone who is no organizer, also from an old
card; a changed rule applies to new saves and leaves saved entries alone."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs import actions as A
from storage.models import AuditEntry, Feedback, Light, Person, School
from storage.school_settings import SchoolSettings
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool

ORG = "o.rg@school.example"
WIS = "t.wis@school.example"


def settings(sf: sessionmaker[Session], school: SmallSchool) -> SchoolSettings:
    with sf() as s:
        return SchoolSettings.from_json(s.get_one(School, school.school_id).settings)


def stored(sf: sessionmaker[Session], school: SmallSchool) -> dict:
    with sf() as s:
        return dict(s.get_one(School, school.school_id).settings)


def audited(sf: sessionmaker[Session]) -> list[tuple[str, str]]:
    with sf() as s:
        return list(
            s.execute(
                select(AuditEntry.entity, AuditEntry.channel)
                .where(AuditEntry.operation == "setting")
                .order_by(AuditEntry.id)
            ).all()
        )


def test_the_card_shows_the_current_values(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.say("instellingen")
    card = c.card
    assert card.kind == "settings" and card.title == "Instellingen van Testschool"
    assert "Let op: een actie" in c.text and "Pas op: een opmerking en een actie" in c.text
    assert "Ga zo door: niets verplicht" in c.text
    assert "Herinneringen: 72, 24 en 3 uur voor de deadline" in c.text
    assert "Stille uren: 21:00–07:00, weekend stil" in c.text
    assert "Automatisch sluiten bij de deadline: uit" in c.text
    assert {f.id: f.value for f in card.fields} == {
        "reminders": "72, 24, 3",
        "quiet": "21:00-07:00",
    }
    # also from the organizer's rounds card, and in English
    c.say("rondes")
    c.press(A.O_SETTINGS)
    assert c.card.kind == "settings"
    en = Chat(sf, ORG, locale="en-US")
    en.say("settings")
    assert en.card.title == "Settings of Testschool" and "Watch out: an action" in en.text


def test_a_light_button_changes_the_rule_in_place_and_confirms(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.say("instellingen")
    c.press(lambda ch: ch.args.get("light") == "ga_zo_door")  # none -> remark
    (reply,) = c.replies
    assert reply.replace and not reply.card.answered  # the live card, redrawn in place
    assert "Opgeslagen. Ga zo door: een opmerking." in reply.card.note
    assert "Ga zo door: een opmerking" in c.text
    assert settings(sf, school).requirement(Light.GA_ZO_DOOR).remark
    # the same card keeps working: the next press goes on from the new value
    c.press(lambda ch: ch.args.get("light") == "ga_zo_door")  # remark -> action
    assert settings(sf, school).requirement(Light.GA_ZO_DOOR).action
    assert not settings(sf, school).requirement(Light.GA_ZO_DOOR).remark
    assert audited(sf) == [("required.ga_zo_door", "teams")] * 2


def test_toggles_and_times_are_saved_with_the_clis_checks(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.say("instellingen")
    c.press(lambda ch: ch.args.get("key") == "auto_close")
    assert settings(sf, school).auto_close and "Automatisch sluiten bij de deadline: aan" in c.text
    c.press(A.O_TIMES, {"reminders": "48, 4", "quiet": "22:00 tot 6.30"})
    s = settings(sf, school)
    assert s.reminder_offsets_hours == (48, 4)
    assert (s.quiet_start.isoformat(), s.quiet_end.isoformat()) == ("22:00:00", "06:30:00")
    assert "Herinneringen: 48 en 4 uur voor de deadline" in c.card.note
    assert c.card.note.count("Stille uren") == 1  # start and end: said once
    assert s.reminders_changed_at is not None  # the reminder plan follows from now on
    c.press(A.O_TIMES, {"reminders": "geen", "quiet": "geen"})
    s = settings(sf, school)
    assert s.reminder_offsets_hours == () and s.quiet_start == s.quiet_end
    assert "Herinneringen: geen" in c.text and "'s nachts geen stille uren" in c.text


def test_bad_values_are_refused_with_the_reason_and_nothing_changes(
    sf, school: SmallSchool
) -> None:
    c = Chat(sf, ORG)
    c.say("instellingen")
    before = stored(sf, school)
    bad = [
        ({"reminders": "-5", "quiet": "21:00-07:00"}, "hoogstens 6 hele aantallen uren"),
        ({"reminders": "9999", "quiet": "21:00-07:00"}, "van 1 tot 672"),
        ({"reminders": "72", "quiet": "07:30-07:00"}, "maar 30 minuten per dag"),
        ({"reminders": "72", "quiet": "25:00-07:00"}, "geen tijd zoals 21:00"),
        ({"reminders": "72", "quiet": "altijd"}, "schrijf de stille uren als van-tot"),
        ({"reminders": "", "quiet": "21:00-07:00"}, "Vul de herinneringen en de stille uren in"),
    ]
    for values, reason in bad:
        c.press(A.O_TIMES, values)
        (reply,) = c.replies
        assert reply.replace and reason in reply.card.note, (values, reply.card.note)
        typed = {f.id: f.value for f in reply.card.fields}
        assert typed == values  # what was typed stays in the fields
    assert stored(sf, school) == before and audited(sf) == []


def test_a_button_of_a_setting_changed_meanwhile_changes_nothing(sf, school: SmallSchool) -> None:
    c = Chat(sf, ORG)
    c.say("instellingen")
    old = c.card
    other = Chat(sf, ORG, channel="slack", tenant="T1", user_id="U1")
    other.say("instellingen")
    other.press(lambda ch: ch.args.get("light") == "let_op")  # action -> both
    assert settings(sf, school).requirement(Light.LET_OP).remark
    c.press(lambda ch: ch.args.get("light") == "let_op", card=old)  # also says action -> both
    assert "intussen al gewijzigd" in c.text
    c.press(lambda ch: ch.args.get("key") == "full_package", card=old)  # on -> off: fine
    assert not settings(sf, school).full_package
    c.press(lambda ch: ch.args.get("key") == "full_package", card=old)  # a second press
    assert "niets veranderd" in c.text and not settings(sf, school).full_package
    assert len(audited(sf)) == 2


def test_nobody_but_an_organizer_gets_the_card_or_its_buttons(sf, school: SmallSchool) -> None:
    before = stored(sf, school)
    teacher = Chat(sf, WIS)
    teacher.say("instellingen")
    assert "Alleen de organisatoren van de school" in teacher.text
    teacher.act(A.O_REQUIRE, {"light": "let_op", "to": "none", "from": "action"})
    assert "Alleen de organisatoren van de school" in teacher.text
    teacher.act(A.O_TIMES, values={"reminders": "1", "quiet": "geen"})
    assert "Alleen de organisatoren van de school" in teacher.text
    # an organizer's old card, pressed after they stopped being one
    org = Chat(sf, ORG)
    org.say("instellingen")
    card = org.card
    with sf.begin() as s:
        s.scalars(select(Person).where(Person.email == ORG)).one().is_organizer = False
    org.press(lambda ch: ch.args.get("key") == "auto_close", card=card)
    assert "Alleen de organisatoren van de school" in org.text
    org.press(A.O_TIMES, {"reminders": "1", "quiet": "geen"}, card=card)
    assert "Alleen de organisatoren van de school" in org.text
    assert stored(sf, school) == before and audited(sf) == []


def test_a_newly_required_field_applies_to_new_saves_only(sf, school: SmallSchool) -> None:
    wis = Chat(sf, WIS)
    wis.say("feedback")
    assert "Verplicht bij: Let op: een actie · Pas op: een opmerking en een actie" in wis.text
    wis.light(2)  # Anna: Ga zo door, no text: fine under the default rule
    org = Chat(sf, ORG)
    org.say("instellingen")
    org.press(lambda ch: ch.args.get("light") == "ga_zo_door")  # now needs a remark
    wis.say("waar was ik")  # Bram's card names the new rule before anything is typed
    assert "Verplicht bij: Ga zo door: een opmerking · Let op" in wis.text
    assert wis.card.fields[0].required_for_lights == frozenset({2, 4})
    wis.light(2)
    assert "Nog niet bewaard" in wis.text and "een opmerking" in wis.text
    wis.light(2, "Goed bezig.")
    with sf() as s:
        rows = {
            f.student_id: f.remark
            for f in s.scalars(select(Feedback).where(Feedback.round_id == school.ids["round"]))
        }
    assert sorted(rows.values(), key=str) == ["Goed bezig.", None]  # Anna's entry untouched
