"""Mentors and students choose another round: the latest stays the default, the choice is
offered only when there is more than one round, and forged or stale choices change nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from dialogs.types import CellMark
from storage.models import (
    ActionPlan,
    DialogState,
    Group,
    GroupKind,
    Round,
    RoundGroup,
    RoundState,
    School,
    Share,
)
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import NOW, SmallSchool, build
from tests.unit.dialogs.test_mentor_student import ANNA, MENTOR, shared

SECRET = "GEHEIM"


def _labels(c: Chat) -> list[str]:
    return [ch.label for ch in c.card.choices]


def _state(sf: sessionmaker[Session], person_id: int, flow: str) -> dict:
    with sf() as s:
        ds = s.get(DialogState, person_id)
        return dict(ds.state.get(flow, {})) if ds else {}


def _share_old(sf: sessionmaker[Session], school: SmallSchool, student: int) -> None:
    with sf.begin() as s:
        s.add(
            Share(
                round_id=school.ids["old"],
                student_id=student,
                mentor_id=school.ids["mentor"],
                shared_at=NOW - timedelta(days=50),
            )
        )


def _foreign_rounds(sf: sessionmaker[Session], school: SmallSchool) -> list[str]:
    """Round ids that are none of the mentor's or the student's: another school's (named
    GEHEIM), a draft of this school, a round over a class without mentees."""
    with sf.begin() as s:  # the chats talk to tenant-1: the other school gets tenant-A
        s.execute(
            update(School)
            .where(School.id == school.school_id)
            .values(teams_tenant_id="tenant-X", slack_team_id="TX")
        )
    other = build(sf, open_round=True)
    with sf.begin() as s:
        for sid, tenant, team in (
            (other.school_id, "tenant-A", "TA"),
            (school.school_id, "tenant-1", "T1"),
        ):
            s.execute(
                update(School)
                .where(School.id == sid)
                .values(teams_tenant_id=tenant, slack_team_id=team)
            )
        s.execute(update(Round).where(Round.school_id == other.school_id).values(name=SECRET))
        cls = Group(school_id=school.school_id, roster_id="3B", title="3B", kind=GroupKind.CLASS)
        draft = Round(school_id=school.school_id, name=SECRET, deadline=NOW, state=RoundState.DRAFT)
        empty = Round(
            school_id=school.school_id, name=SECRET, deadline=NOW, state=RoundState.CLOSED
        )
        s.add_all([cls, draft, empty])
        s.flush()
        s.add_all(
            [
                RoundGroup(round_id=draft.id, group_id=school.ids["cls"]),
                RoundGroup(round_id=empty.id, group_id=cls.id),
            ]
        )
        ids = [other.ids["old"], other.ids["round"], draft.id, empty.id]
    return [str(i) for i in ids] + ["987654", "abc", "", "-3"]


# -- mentor ------------------------------------------------------------------------------------


def test_mentor_chooses_an_earlier_round_and_shares_there(sf, school: SmallSchool) -> None:
    m = Chat(sf, MENTOR)
    m.say("mentor")
    assert m.card.title == "Mijn mentorleerlingen: Periode 2"  # the latest stays the default
    assert m.card.table is not None  # a round with nothing to show yet: no light anywhere
    assert {c.mark for row in m.card.table.rows for c in row[1:-1]} == {CellMark.PENDING}
    m.press("Andere bespreking")
    assert m.card.kind == "pick_round"
    assert _labels(m) == [
        "Periode 2 (open tot 27-11-2026), nu getoond",
        "Periode 1 (gesloten 22-09-2026)",
        "Terug naar overzicht",
    ]
    m.press(lambda ch: ch.label.startswith("Periode 1"))
    assert m.card.kind == "overview" and m.card.title == "Mijn mentorleerlingen: Periode 1"
    first = m.card.table.rows[0]  # type: ignore[union-attr]
    assert first[0].text.startswith("Anna") and 3 in [c.light for c in first]  # Let op
    m.press(lambda ch: ch.label.startswith("Anna"))
    assert m.card.title == "Anna Aalders: Periode 1" and "m_share" in [
        ch.action for ch in m.card.choices
    ]  # closed: sharing is possible
    m.press("m_share")
    m.press("m_share_yes")
    with sf() as s:
        assert [(x.round_id, x.student_id) for x in s.scalars(select(Share))] == [
            (school.ids["old"], school.students[0])
        ]
    m.press("m_back")
    assert m.card.title == "Mijn mentorleerlingen: Periode 1"
    assert m.card.table.rows[0][-1].text == "gedeeld, niet gelezen"  # type: ignore[union-attr]
    m.press("Andere bespreking")
    m.press(lambda ch: ch.label.startswith("Periode 2"))
    m.press(lambda ch: ch.label.startswith("Anna"))
    assert "m_share" not in [ch.action for ch in m.card.choices]  # open: not yet


def test_mentor_with_one_round_sees_no_choice(sf, school: SmallSchool) -> None:
    with sf.begin() as s:
        s.execute(delete(RoundGroup).where(RoundGroup.round_id == school.ids["old"]))
    m = Chat(sf, MENTOR)
    m.say("mentor")
    assert m.card.kind == "overview" and "m_rounds" not in [ch.action for ch in m.card.choices]


def test_mentor_forged_rounds_are_refused_alike(sf, school: SmallSchool) -> None:
    bad_ids = _foreign_rounds(sf, school)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    for bad in bad_ids:
        m.act("m_round", {"round_id": bad})
        assert m.card.kind == "pick_round" and SECRET not in m.text
        assert "kun je hier niet openen" in m.text
        assert _state(sf, school.ids["mentor"], "mentor")["round_id"] == school.ids["round"]
    labels = _labels(m)
    assert labels[:2] == [
        "Periode 2 (open tot 27-11-2026), nu getoond",
        "Periode 1 (gesloten 22-09-2026)",
    ]  # only the rounds with the mentor's mentees
    assert len(labels) == 3


def test_mentor_stale_round_choice_changes_nothing(sf, school: SmallSchool) -> None:
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press("m_rounds")
    rounds = m.card
    m.press(lambda ch: ch.label.startswith("Periode 1"), card=rounds)
    before = _state(sf, school.ids["mentor"], "mentor")
    m.press(lambda ch: ch.label.startswith("Periode 2"), card=rounds)  # double click
    assert "verouderd" in m.text and m.card.title == "Mijn mentorleerlingen: Periode 1"
    assert _state(sf, school.ids["mentor"], "mentor") == before


def test_mentor_english(sf, school: SmallSchool) -> None:
    m = Chat(sf, MENTOR, locale="en")
    m.say("mentor")
    m.press("Other round")
    assert m.card.title == "Rounds with your mentees"
    assert _labels(m)[1] == "Periode 1 (closed 2026-09-22)"
    m.act("m_round", {"round_id": "987654"})
    assert "You cannot open that round here" in m.text


# -- student -----------------------------------------------------------------------------------


def test_student_chooses_a_round_and_writes_that_rounds_plan(sf, school: SmallSchool) -> None:
    shared(sf, school)  # Periode 2 closed and shared with Anna
    _share_old(sf, school, school.students[0])
    s = Chat(sf, ANNA)
    s.say("plan")
    assert s.card.title == "Jouw feedback: Periode 2" and "Andere bespreking" in _labels(s)
    s.press("Andere bespreking")
    assert _labels(s) == [
        "Periode 2 (gesloten 20-11-2026), nu getoond",
        "Periode 1 (gesloten 22-09-2026)",
        "Terug naar mijn feedback",
    ]
    s.press(lambda ch: ch.label.startswith("Periode 1"))
    assert s.card.title == "Jouw feedback: Periode 1" and "huiswerk vaak vergeet" in s.text
    s.press("s_plan")
    s.press("s_answer", {"answer": "Ik maak mijn huiswerk op tijd."})
    with sf() as db:
        plans = db.scalars(select(ActionPlan)).all()
    assert [(p.round_id, p.answers) for p in plans] == [
        (school.ids["old"], {"went_well": "Ik maak mijn huiswerk op tijd."})
    ]
    s.act("s_start")  # the default is the latest round again
    assert s.card.title == "Jouw feedback: Periode 2"


def test_student_with_one_shared_round_sees_no_choice(sf, school: SmallSchool) -> None:
    shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    assert "s_rounds" not in [ch.action for ch in s.card.choices]


def test_student_forged_rounds_are_refused_alike(sf, school: SmallSchool) -> None:
    _share_old(sf, school, school.students[0])
    bad_ids = _foreign_rounds(sf, school) + [str(school.ids["round"])]  # open, not shared
    s = Chat(sf, ANNA)
    s.say("plan")
    assert s.card.title == "Jouw feedback: Periode 1"
    for action in ("s_feedback", "s_plan"):
        for bad in bad_ids:
            s.act(action, {"round_id": bad})
            assert SECRET not in s.text and "kun je hier niet openen" in s.text
            assert _labels(s) == [
                "Periode 1 (gesloten 22-09-2026), nu getoond",
                "Terug naar mijn feedback",
            ]
    assert _state(sf, school.students[0], "student")["round_id"] == school.ids["old"]
    with sf() as db:
        assert db.scalars(select(ActionPlan)).all() == []


def test_student_round_with_nothing_to_show(sf, school: SmallSchool) -> None:
    _share_old(sf, school, school.students[1])  # Bram: shared, but no feedback in it
    s = Chat(sf, "s1@school.example")
    s.say("plan")
    assert s.card.title == "Jouw feedback: Periode 1" and not s.card.sections
    assert "geen feedback voor je" in s.text


def test_student_stale_round_choice_changes_nothing(sf, school: SmallSchool) -> None:
    shared(sf, school)
    _share_old(sf, school, school.students[0])
    s = Chat(sf, ANNA, locale="en")
    s.say("plan")
    s.press("Other round")
    assert s.card.title == "Rounds shared with you"
    rounds = s.card
    s.press(lambda ch: ch.label.startswith("Periode 1"), card=rounds)
    before = _state(sf, school.students[0], "student")
    s.press(lambda ch: ch.label.startswith("Periode 2"), card=rounds)
    assert s.card.title == "Your feedback: Periode 1"
    assert _state(sf, school.students[0], "student") == before
