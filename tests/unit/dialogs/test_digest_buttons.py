"""The mentor digest's buttons land on the student and round they name."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs import actions as A
from schedules.composer import compose_digests
from storage.models import Person, Round, Share
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import SmallSchool
from tests.unit.dialogs.test_mentor_student import MENTOR, close, give_feedback


def _ids(sf: sessionmaker[Session]) -> dict[str, int]:
    with sf() as s:
        people = {p.roster_id: p.id for p in s.scalars(select(Person))}
        rounds = {r.name: r.id for r in s.scalars(select(Round))}
    return {**people, **rounds}


def test_share_button_of_the_digest_confirms_then_shares_that_student(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    give_feedback(sf)
    eng = Chat(sf, "t.eng@school.example")
    eng.say("feedback")  # Bram's second "Let op": the digest lists him
    eng.light(3, "", "Lees elke week een boek.")
    close(sf, school)
    with sf() as s:
        [reply] = compose_digests(s, round_id=school.ids["round"])[_ids(sf)["m.ent"]]
    digest = reply.card
    ids = _ids(sf)
    share_bram = next(c for c in digest.choices if c.label == "Deel met Bram Bakker")
    assert share_bram.args == {"student_id": str(ids["s1"]), "round_id": str(school.ids["round"])}
    m = Chat(sf, MENTOR)
    m.say("mentor")
    m.press(lambda c: c.label.startswith("Anna"))  # the dialog is on Anna ...
    m.act(share_bram.action, dict(share_bram.args))  # ... the digest's button names Bram
    assert m.card.kind == "confirm" and "Bram Bakker" in m.card.title
    m.press("m_share_yes")
    with sf() as s:
        assert [(x.student_id, x.round_id) for x in s.scalars(select(Share))] == [
            (ids["s1"], school.ids["round"])
        ]
    m.act(share_bram.action, dict(share_bram.args))  # again: nothing to confirm
    assert "al gedeeld" in m.text and m.card.kind == "report"


def test_share_from_a_digest_only_after_close_and_only_own_mentees(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    give_feedback(sf)
    ids = _ids(sf)
    m = Chat(sf, MENTOR)
    rnd = str(school.ids["round"])
    m.act(A.M_SHARE, {"student_id": str(ids["s0"]), "round_id": rnd})  # round still open
    assert "pas als de bespreking gesloten is" in m.text and m.card.kind == "report"
    close(sf, school)
    m.act(A.M_SHARE, {"student_id": str(ids["t.wis"]), "round_id": rnd})  # not a mentee
    assert m.card.kind == "overview" and "student_id" not in m.state()[0]["mentor"]
    m.act(A.M_SHARE, {"student_id": "Anna", "round_id": rnd})  # bad input: asked again
    assert m.card.kind != "confirm"
    m.act(A.M_SHARE, {"student_id": str(ids["s0"]), "round_id": "999999"})  # unknown round
    assert m.card.kind == "overview"
    with sf() as s:
        assert s.scalars(select(Share)).all() == []


def test_open_from_a_digest_honours_its_round(
    sf: sessionmaker[Session], school: SmallSchool
) -> None:
    ids = _ids(sf)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    assert str(m.state()[0]["mentor"]["round_id"]) == str(school.ids["round"])
    m.act(A.M_STUDENT, {"student_id": str(ids["s0"]), "round_id": str(ids["Periode 1"])})
    assert m.card.kind == "report" and m.card.title == "Anna Aalders: Periode 1"
    m.press("m_back")
    assert "Periode 1" in m.card.title  # the overview of that round
