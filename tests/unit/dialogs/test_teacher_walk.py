"""The teacher walk: one prompt per student; navigation, mandatory fields, bulk, versions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.models import AuditEntry, Feedback, Light, Round, RoundState
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool

WIS = "t.wis@school.example"
ENG = "t.eng@school.example"


def feedback_rows(sf: sessionmaker[Session], round_id: int) -> list[Feedback]:
    with sf() as s:
        return list(s.scalars(select(Feedback).where(Feedback.round_id == round_id)))


def test_feedback_goes_straight_to_first_student_with_history(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    card = c.card
    assert card.kind == "student" and card.title == "Anna Aalders"
    assert "leerling 1 van 4 (0 ingevuld)" in c.text
    assert "3A · 3A wiskunde" in c.text
    # the earlier round's feedback for this subject: light, remark and action
    assert "Periode 1" in c.text and "huiswerk vaak vergeet" in c.text
    assert [ch.light for ch in card.choices if ch.light] == [1, 2, 3, 4]
    assert card.fields[0].required_for_lights == frozenset({4})
    assert card.fields[1].required_for_lights == frozenset({3, 4})
    assert card.version == c.state()[1]


def test_save_and_next_stores_text_exactly(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    remark = "  Ik zie dat je <b>hard</b> werkt *echt*\nnieuwe regel "
    c.light(3, remark, "Laat mij je schrift zien.")
    assert "Bewaard: Anna Aalders, Let op." in c.text
    assert c.card.title == "Bram Bakker"
    assert "(1 ingevuld)" in c.text
    (fb,) = feedback_rows(sf, school.ids["round"])
    assert fb.light == Light.LET_OP and fb.remark == remark and fb.subject == "wiskunde"
    assert fb.action == "Laat mij je schrift zien."
    with sf() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.operation == "write")).first()


def test_empty_fields_are_fine_for_a_light_without_rule(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(2, "   ", "")
    (fb,) = feedback_rows(sf, school.ids["round"])
    assert fb.remark is None and fb.action is None


def test_mandatory_fields_are_asked_again_with_the_reason(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(4, "Ik maak me zorgen over je toetsen.", "")
    assert "Nog niet bewaard" in c.text and "Pas op" in c.text and "actie" in c.text
    assert c.card.title == "Anna Aalders"  # the same student again
    assert c.card.fields[0].value == "Ik maak me zorgen over je toetsen."  # nothing typed lost
    assert c.card.light is None and c.card.chosen_light == 4  # chosen, not saved
    assert feedback_rows(sf, school.ids["round"]) == []
    c.light(4, "Ik maak me zorgen over je toetsen.", "Kom dinsdag naar de bijles.")
    assert len(feedback_rows(sf, school.ids["round"])) == 1
    assert c.card.title == "Bram Bakker"


def test_overlong_text_gets_the_limit_and_keeps_the_draft(sf) -> None:
    from tests.unit.dialogs.school import build

    school = build(sf, settings={"max_text_length": 20})
    c = Chat(sf, WIS)
    c.say("feedback")
    long = "x" * 21
    c.light(2, long)
    assert "21 tekens" in c.text and "20 tekens" in c.text
    assert c.card.fields[0].value == long
    assert feedback_rows(sf, school.ids["round"]) == []


def test_skip_back_stop_and_resume(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press("t_skip")
    assert c.card.title == "Bram Bakker"
    c.press("t_skip")
    c.press("t_back")
    assert c.card.title == "Bram Bakker"
    c.press("t_stop")
    assert "Gestopt" in c.text
    c.say("waar was ik")
    assert c.card.title == "Bram Bakker"
    c.say("menu")
    c.say("feedback")  # resumes exactly where they were
    assert c.card.title == "Bram Bakker"
    assert feedback_rows(sf, school.ids["round"]) == []
    # back on the first student stays there
    c.press("t_back")
    c.press("t_back")
    assert c.card.title == "Anna Aalders"


def test_skip_wraps_to_open_students_and_ends_in_review(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    for _ in range(4):
        c.light(1)
    assert c.card.kind == "review"
    assert "Alle leerlingen van deze groep hebben een stoplicht" in c.text


def test_review_jump_and_change_an_entry(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(2)
    c.press("t_review")
    assert c.card.kind == "review"
    assert "Anna Aalders: Ga zo door" in c.text and "Bram Bakker: nog geen stoplicht" in c.text
    c.press(lambda ch: ch.action == "t_jump" and ch.label.startswith("Anna"))
    assert c.card.title == "Anna Aalders" and c.card.light == 2
    c.light(1, "Ik zie dat je nu uitblinkt.")
    (fb,) = feedback_rows(sf, school.ids["round"])
    assert fb.light == Light.EXCELLENT and fb.version == 2
    c.act("t_jump", {"student_id": "99999"})
    assert "staat niet in deze lijst" in c.text


def test_bulk_confirms_summarises_and_never_overwrites(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(4, "Ik maak me zorgen.", "Kom naar de bijles.")
    c.press("t_bulk")
    assert c.card.kind == "confirm" and "Alle leerlingen zonder stoplicht (3)" in c.text
    c.press("t_bulk_no")
    assert c.card.kind == "student"
    assert len(feedback_rows(sf, school.ids["round"])) == 1
    c.press("t_bulk")
    c.press("t_bulk_yes")
    assert "'Ga zo door' ingevuld voor de leerlingen zonder stoplicht (3)" in c.text
    rows = feedback_rows(sf, school.ids["round"])
    assert sorted(int(r.light) for r in rows) == [2, 2, 2, 4]  # Anna's Pas op kept
    assert not any(ch.action == "t_bulk" for ch in c.card.choices)  # the group is complete
    c.act("t_bulk")  # from an older card: nothing left to fill
    assert "niets veranderd" in c.text


def test_bulk_refused_when_the_school_requires_texts(sf) -> None:
    from tests.unit.dialogs.school import build

    school = build(sf, settings={"required": {"ga_zo_door": {"remark": True}}})
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press("t_bulk")
    c.press("t_bulk_yes")
    assert "in één keer" in c.text and "opmerking" in c.text
    assert feedback_rows(sf, school.ids["round"]) == []


def test_stale_card_and_double_click_change_nothing(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    first = c.card
    c.press(lambda ch: ch.light == 2, {"remark": "", "action": ""}, card=first)
    assert c.card.title == "Bram Bakker"
    # the same click again (double click): outdated, nothing changes
    c.press(lambda ch: ch.light == 3, {"remark": "x", "action": "y"}, card=first)
    assert "verouderd" in c.text and c.card.title == "Bram Bakker"
    (fb,) = feedback_rows(sf, school.ids["round"])
    assert fb.light == Light.GA_ZO_DOOR and fb.version == 1
    # the re-shown card carries the current version and works
    version = c.state()[1]
    assert c.card.version == version
    c.light(1)
    assert len(feedback_rows(sf, school.ids["round"])) == 2


def test_round_closed_mid_walk_gives_read_only_view(sf, school: SmallSchool) -> None:
    eng = Chat(sf, ENG)
    eng.say("feedback")
    eng.light(3, "Ik merk dat je woordjes lastig vindt.", "Oefen elke dag tien woorden.")
    c = Chat(sf, WIS)
    c.say("feedback")
    with sf.begin() as s:
        rnd = s.get(Round, school.ids["round"])
        rnd.state = RoundState.CLOSED
        rnd.closed_at = datetime(2026, 11, 20, tzinfo=UTC)
    c.light(2)
    assert "gesloten" in c.text
    assert feedback_rows(sf, school.ids["round"])[0].teacher_id == school.ids["eng"]
    assert c.card.kind == "closed"
    c.press(lambda ch: ch.label.startswith("Anna"))
    assert c.card.kind == "report"
    assert "woordjes lastig" in c.text and "engels" in c.text  # the colleague's feedback
    with sf() as s:
        read = s.scalars(select(AuditEntry).where(AuditEntry.operation == "read")).all()
        assert read and read[0].actor_id == school.ids["wis"]
    assert c.card.choices  # and back to the list
    c.press("start_feedback")
    assert c.card.kind == "closed"


def test_colleague_feedback_hidden_while_open(sf, school: SmallSchool) -> None:
    eng = Chat(sf, ENG)
    eng.say("feedback")
    eng.light(3, "Geheim voor collega's.", "Oefen.")
    c = Chat(sf, WIS)
    c.say("feedback")
    assert "Geheim" not in c.text


def test_several_rounds_and_groups_are_picked(sf, school: SmallSchool) -> None:
    from storage.models import RoundGroup, TeachingAssignment

    with sf.begin() as s:
        s.add(TeachingAssignment(group_id=school.ids["g_eng"], teacher_id=school.ids["wis"]))
        extra = Round(
            school_id=school.school_id,
            name="Extra",
            state=RoundState.OPEN,
            deadline=datetime(2026, 12, 24, tzinfo=UTC),
        )
        s.add(extra)
        s.flush()
        s.add(RoundGroup(round_id=extra.id, group_id=school.ids["cls"]))
        extra_id = extra.id
    c = Chat(sf, WIS)
    c.say("feedback")
    rounds = [ch for ch in c.card.choices if ch.action == "t_round"]
    assert c.card.kind == "pick_round" and len(rounds) == 2
    # the most urgent round first: the school's round ends before "Extra" on 24 December
    assert [ch.args.get("round_id") for ch in rounds] == [
        str(school.ids["round"]),
        str(extra_id),
    ]
    c.press(lambda ch: ch.args.get("round_id") == str(extra_id))
    assert c.card.kind == "pick_group"
    groups = [ch for ch in c.card.choices if ch.action == "t_group"]
    assert {ch.label.split(" (")[0] for ch in groups} == {"3A wiskunde", "3A engels"}
    c.press("Andere bespreking")  # back to the choice of round
    assert c.card.kind == "pick_round"
    c.press(lambda ch: ch.args.get("round_id") == str(extra_id))
    c.press(lambda ch: ch.label.startswith("3A engels"))
    assert c.card.kind == "student" and "3A engels" in c.text
    c.light(2)
    rows = feedback_rows(sf, extra_id)
    assert rows[0].subject == "engels"
    # notification button with a round id goes to that round
    c.act("start_feedback", {"round_id": str(school.ids["round"])})
    assert c.card.kind == "pick_group"


def test_no_open_round_and_no_history(sf) -> None:
    from tests.unit.dialogs.school import build

    build(sf, open_round=False)
    c = Chat(sf, "t.eng@school.example")
    c.say("feedback")
    assert c.card.kind == "closed"  # the closed earlier round, read-only


def test_english_texts(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS, locale="en-GB")
    c.say("feedback")
    assert "student 1 of 4 (0 done)" in c.text and "Keep going" in c.text
    c.light(4)
    assert "Not saved yet" in c.text and "asks for a remark and an action" in c.text


def test_coach_tips_after_save_keep_or_edit(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(3, "Heeft het niveau niet.", "Beter je best doen.")
    assert c.replies[0].card.answered and "Bewaard: Anna Aalders" in c.replies[0].card.note
    assert c.card.kind == "coach"
    assert "opmerking:" in c.card.text and "actie:" in c.card.text  # one tip per field
    (fb,) = feedback_rows(sf, school.ids["round"])
    assert fb.remark == "Heeft het niveau niet."  # saved as typed: the coach never blocks
    tips = c.card.text
    c.press("t_edit")
    assert c.card.title == "Anna Aalders" and c.card.fields[0].value == "Heeft het niveau niet."
    assert c.card.note == tips  # the tips stay in view while editing
    c.light(3, "Ik merk dat je nog moeite hebt met breuken.", "Maak elke dag vijf sommen.")
    assert c.card.kind == "student" and c.card.title == "Bram Bakker"
    (fb,) = feedback_rows(sf, school.ids["round"])
    assert fb.version == 2 and fb.remark.startswith("Ik merk")
    c.light(2, "Hij is lui.")
    assert c.card.kind == "coach"
    c.press("t_keep")
    assert c.card.title == "Cas de Clercq"


def test_coach_tips_in_english(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS, locale="en")
    c.say("feedback")
    c.light(2, "He is lazy.")
    assert c.card.kind == "coach" and "remark:" in c.card.text
    assert c.find("t_keep").label == "Keep as is"


def test_students_come_in_class_list_order_particles_last(sf, school: SmallSchool) -> None:
    """ "Dewi van Aa" is listed under A (before Aalders), "Cas de Clercq" under C."""
    from sqlalchemy import update

    from storage.models import Person

    with sf.begin() as s:
        s.execute(
            update(Person)
            .where(Person.id == school.students[3])
            .values(family_name="van Aa", display_name="Dewi van Aa")
        )
    c = Chat(sf, WIS)
    c.say("feedback")
    assert c.card.title == "Dewi van Aa"
    c.press("t_review")
    names = [ch.label.split(":")[0] for ch in c.card.choices if ch.action == "t_jump"]
    assert names[:4] == ["Dewi van Aa", "Anna Aalders", "Bram Bakker", "Cas de Clercq"], names


def test_bulk_names_last_times_concerns_and_the_teacher_chooses(sf, school: SmallSchool) -> None:
    """Anna had Let op for wiskunde in Periode 1: the bulk card names her and asks; "only the
    others" leaves her without a light (and says so), "everyone" includes her."""
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press("t_bulk")
    assert "Vorige keer hadden 1 van hen Let op of Pas op voor dit vak" in c.text
    assert [(f.label, f.value) for f in c.card.facts] == [("Anna Aalders", "Let op")]
    labels = [ch.label for ch in c.card.choices]
    assert labels == ["Alleen de anderen invullen", "Iedereen invullen", "Nee, terug"]
    c.press("Alleen de anderen invullen")
    assert "Niet ingevuld (vorige keer Let op of Pas op): Anna Aalders." in c.text
    rows = feedback_rows(sf, school.ids["round"])
    assert len(rows) == 3 and school.students[0] not in {r.student_id for r in rows}
    c.press("t_bulk")
    assert [ch.label for ch in c.card.choices] == labels  # Anna is still without a light
    c.press("Iedereen invullen")
    assert "'Ga zo door' ingevuld voor de leerlingen zonder stoplicht (1): Anna Aalders" in c.text
    assert len(feedback_rows(sf, school.ids["round"])) == 4


def test_bulk_without_earlier_concerns_asks_as_before(sf, school: SmallSchool) -> None:
    c = Chat(sf, WIS)
    c.say("feedback")
    c.light(2)  # Anna, the one with Let op last time, gets her light by hand
    c.press("t_bulk")
    assert "Vorige keer" not in c.text and not c.card.facts
    assert [ch.label for ch in c.card.choices] == ["Ja, invullen", "Nee, terug"]


def test_a_forged_include_never_leaves_out_others(sf, school: SmallSchool) -> None:
    """The students left out are found again in storage, not taken from the button."""
    c = Chat(sf, "t.eng@school.example")  # engels: nobody had a concern for it last time
    c.say("feedback")
    c.press("t_bulk")
    c.act(
        "t_bulk_yes",
        {"include": "others", "student_id": str(school.students[1])},
        version=c.card.version,
    )
    assert len(feedback_rows(sf, school.ids["round"])) == 4
