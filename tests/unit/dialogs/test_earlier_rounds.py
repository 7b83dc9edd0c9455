"""The teacher opens an earlier (closed) round read-only: from the choice of group or round
while a round is open, and from the read-only view; forged and stale choices change nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, event, select, update
from sqlalchemy.orm import Session, sessionmaker

from storage.models import (
    DialogState,
    Feedback,
    Light,
    Round,
    RoundGroup,
    RoundState,
    School,
)
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import (
    NOW,
    SmallSchool,
    audit_reads,
    build,
    close_current_round,
    old_english_feedback,
)

WIS = "t.wis@school.example"
SECRET = "GEHEIM"
OLD_ENG = "ENG-OUD: ik zie dat je woordjes goed leert."


def _state(sf: sessionmaker[Session], person_id: int) -> dict:
    with sf() as s:
        return dict(s.get(DialogState, person_id).state["teacher"])


def _labels(c: Chat) -> list[str]:
    return [ch.label for ch in c.card.choices]


def test_from_the_group_choice_to_an_earlier_round_and_back(sf, school: SmallSchool) -> None:
    old_english_feedback(sf, school, light=Light.GA_ZO_DOOR, remark=OLD_ENG)
    c = Chat(sf, WIS)
    c.say("feedback")
    assert c.card.kind == "student"  # the common case: straight to the first student
    c.press("t_review")
    c.press("t_groups")
    assert c.card.kind == "pick_group" and "Eerdere besprekingen" in _labels(c)
    c.press("Eerdere besprekingen")
    assert c.card.kind == "pick_round" and c.card.title == "Eerdere besprekingen"
    assert _labels(c) == ["Periode 1 (gesloten 22-09-2026)", "Terug"]
    c.press(lambda ch: ch.label.startswith("Periode 1"))
    assert c.card.kind == "closed" and c.card.title == "Periode 1 is gesloten"
    # one closed round only: no way to "earlier" rounds from here, but back to the walk
    assert "Eerdere besprekingen" not in _labels(c) and "Feedback geven" in _labels(c)
    assert audit_reads(sf, school.ids["wis"]) == []  # the list of names reads no feedback
    c.press(lambda ch: ch.label.startswith("Anna"))
    assert c.card.kind == "report" and OLD_ENG in c.text  # a colleague's, after close
    assert "Periode 1" in c.text
    reads = audit_reads(sf, school.ids["wis"])
    assert [(r.entity, r.student_id, r.round_id) for r in reads] == [
        ("feedback", school.students[0], school.ids["old"])
    ]
    c.press("Terug naar de lijst")
    assert c.card.kind == "closed" and c.card.title == "Periode 1 is gesloten"
    c.press("Feedback geven")
    assert c.card.kind == "student" and c.card.title == "Anna Aalders"
    c.light(2)
    with sf() as s:
        rows = s.scalars(select(Feedback).where(Feedback.round_id == school.ids["round"])).all()
    assert [(r.teacher_id, int(r.light)) for r in rows] == [(school.ids["wis"], 2)]


def test_several_closed_rounds_listed_newest_first_with_the_shown_one_marked(
    sf, school: SmallSchool
) -> None:
    close_current_round(sf, school)
    c = Chat(sf, WIS)
    c.say("feedback")  # no open round: the latest closed round, as before
    assert c.card.kind == "closed" and c.card.title == "Periode 2 is gesloten"
    assert "Feedback geven" not in _labels(c)
    c.press("Eerdere besprekingen")
    assert _labels(c) == [
        "Periode 2 (gesloten 20-11-2026), nu getoond",
        "Periode 1 (gesloten 22-09-2026)",
        "Terug",
    ]
    c.press(lambda ch: ch.label.startswith("Periode 1"))
    assert c.card.title == "Periode 1 is gesloten" and "Eerdere besprekingen" in _labels(c)
    c.press("Eerdere besprekingen")
    c.press("Terug")  # back to the round that was shown
    assert c.card.title == "Periode 1 is gesloten"
    c.say("waar was ik")
    assert c.card.title == "Periode 1 is gesloten"


def test_many_closed_rounds_are_capped_and_the_older_counted(sf, school: SmallSchool) -> None:
    with sf.begin() as s:
        for i in range(8):
            rnd = Round(
                school_id=school.school_id,
                name=f"Oud {i}",
                state=RoundState.CLOSED,
                deadline=NOW - timedelta(days=400 - i),
                closed_at=NOW - timedelta(days=399 - i),
            )
            s.add(rnd)
            s.flush()
            s.add(RoundGroup(round_id=rnd.id, group_id=school.ids["cls"]))
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press("t_review")
    c.press("t_groups")
    c.press("t_earlier")
    rounds = [ch for ch in c.card.choices if ch.action == "start_feedback" and ch.args]
    assert len(rounds) == 6 and rounds[0].label.startswith("Periode 1")
    assert "Oudere besprekingen die niet in deze lijst staan: 3." in c.text


def test_only_one_round_changes_nothing(sf, school: SmallSchool) -> None:
    with sf.begin() as s:  # the earlier round covers no class: the teacher has one round
        s.execute(delete(RoundGroup).where(RoundGroup.round_id == school.ids["old"]))
    c = Chat(sf, WIS)
    c.say("feedback")
    c.act("t_earlier")  # a forged button: said plainly, the walk stays where it was
    assert "geen gesloten besprekingen" in c.text and c.card.title == "Anna Aalders"
    c.press("t_review")
    c.press("t_groups")
    assert "t_earlier" not in [ch.action for ch in c.card.choices]
    close_current_round(sf, school)
    c.say("feedback")
    assert c.card.kind == "closed" and "t_earlier" not in [ch.action for ch in c.card.choices]


def test_forged_round_ids_are_refused_without_revealing_anything(sf) -> None:
    other = build(sf)  # another school, its rounds named to be recognised
    with sf.begin() as s:
        s.execute(
            update(School)
            .where(School.id == other.school_id)
            .values(teams_tenant_id="tenant-A", slack_team_id="TA")
        )
        s.execute(update(Round).where(Round.school_id == other.school_id).values(name=SECRET))
        s.get(Round, other.ids["round"]).state = RoundState.CLOSED
    school = build(sf)
    c = Chat(sf, WIS)
    c.say("feedback")
    before = _state(sf, school.ids["wis"])
    forged = [str(other.ids["old"]), str(other.ids["round"]), "987654", "abc", "-1", ""]
    for bad in forged:
        c.act("start_feedback", {"round_id": bad})
        assert c.card.kind == "student" and SECRET not in c.text  # the walk, where it was
        # an id is refused in the same words whatever it names; text that is no id is ignored
        assert ("kun je hier niet openen" in c.text) == bad.isdigit()
    assert _state(sf, school.ids["wis"]) == before
    c.say("feedback")
    c.press("t_review")
    c.press("t_groups")
    c.press("t_earlier")
    assert SECRET not in c.text
    assert audit_reads(sf, school.ids["wis"]) == []


def test_an_open_rounds_id_opens_the_walk_never_the_read_only_view(sf, school: SmallSchool) -> None:
    eng = Chat(sf, "t.eng@school.example")
    eng.say("feedback")
    eng.light(3, "ENG-LIVE opmerking", "Oefen.")
    c = Chat(sf, WIS)
    c.act("start_feedback", {"round_id": str(school.ids["round"])})
    assert c.card.kind == "student" and "ENG-LIVE" not in c.text
    c.act("t_view", {"student_id": str(school.students[0])})
    assert "staat niet in deze lijst" in c.text and "ENG-LIVE" not in c.text
    assert audit_reads(sf, school.ids["wis"]) == []


def test_a_round_with_nothing_to_show(sf, school: SmallSchool) -> None:
    close_current_round(sf, school)  # closed without any feedback
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press(lambda ch: ch.label.startswith("Bram"))
    assert c.card.kind == "report" and not c.card.sections
    assert "geen feedback gegeven" in c.text
    assert audit_reads(sf, school.ids["wis"]) == []


def test_stale_and_double_clicks_on_the_round_list_change_nothing(sf, school: SmallSchool) -> None:
    close_current_round(sf, school)
    c = Chat(sf, WIS)
    c.say("feedback")
    c.press("Eerdere besprekingen")
    rounds = c.card
    c.press(lambda ch: ch.label.startswith("Periode 1"), card=rounds)
    state, version = c.state()
    c.press(lambda ch: ch.label.startswith("Periode 2"), card=rounds)  # the outdated list
    assert "verouderd" in c.text and c.card.title == "Periode 1 is gesloten"
    assert c.state() == (state, version)


def test_english(sf, school: SmallSchool) -> None:
    close_current_round(sf, school)
    c = Chat(sf, WIS, locale="en")
    c.say("feedback")
    c.press("Earlier rounds")
    assert c.card.title == "Earlier rounds"
    assert _labels(c)[:2] == [
        "Periode 2 (closed 2026-11-20), shown now",
        "Periode 1 (closed 2026-09-22)",
    ]
    c.press(lambda ch: ch.label.startswith("Periode 1"))
    assert c.card.title == "Periode 1 is closed"
    c.press(lambda ch: ch.label.startswith("Anna"))
    c.press("Back to the list")
    assert c.card.title == "Periode 1 is closed"


def test_a_save_turn_costs_the_same_after_a_visit_to_an_earlier_round(sf) -> None:
    """The read-only detour leaves nothing in the walk's state that costs a save more."""
    build(sf, students=8)
    seen = [0]
    event.listen(
        sf.kw["bind"], "before_cursor_execute", lambda *a: seen.__setitem__(0, seen[0] + 1)
    )

    def save(c: Chat) -> int:
        start = seen[0]
        c.light(2)
        assert c.card.kind == "student"  # save + next student, as the benchmark counts
        return seen[0] - start

    c = Chat(sf, WIS)
    c.say("feedback")
    save(c)  # the first save of a walk
    plain = save(c)
    c.press("t_review")
    c.press("t_groups")
    c.press("t_earlier")
    c.press(lambda ch: ch.label.startswith("Periode 1"))
    c.press("Feedback geven")
    save(c)
    assert save(c) == plain
