"""``stoplicht chat`` sessions started and ended between steps, as a person does: opening a
session never answers the question that waits (mentor note, plan step, agreements, a round's
name), and a lone ``-`` typed as a plan answer clears it."""

from __future__ import annotations

from sqlalchemy import select

from storage.db import make_engine, make_session_factory
from storage.demo.seed import (
    DEMO_MENTOR_EMAIL,
    DEMO_ORGANIZER_EMAIL,
    DEMO_STUDENT_EMAIL,
)
from storage.models import ActionPlan, Agreement, MentorNote, Round


def _close_and_share(chat) -> None:
    chat(
        DEMO_ORGANIZER_EMAIL,
        "rondes",
        "Leerlingbespreking periode 2 (open)",
        "Bespreking sluiten",
        "Ja, sluiten",
    )
    chat(
        DEMO_MENTOR_EMAIL,
        "mentor",
        "Sanne de Vries (3A)",
        "Mentoropmerking schrijven",
        "Sanne, je hebt hard gewerkt.",
        "Delen met leerling",
        "Ja, delen",
    )


def test_opening_a_session_never_answers_the_waiting_question(chat, sqlite_url: str) -> None:
    _close_and_share(chat)
    sf = make_session_factory(make_engine(sqlite_url))

    # the mentor opens the note question and leaves; the next session only shows the menu
    chat(DEMO_MENTOR_EMAIL, "mentor", "Mentoropmerking schrijven")
    out = chat(DEMO_MENTOR_EMAIL)
    assert "Mentoropmerking bewaard" not in out
    with sf() as s:
        notes = [n.text for n in s.scalars(select(MentorNote))]
        assert "Sanne, je hebt hard gewerkt." in notes and "menu" not in notes

    # the student stops on a plan step; the next session does not answer it
    chat(DEMO_STUDENT_EMAIL, "plan", "Plan van aanpak maken", "Ik heb goed opgelet.")
    chat(DEMO_STUDENT_EMAIL)
    with sf() as s:
        answers = s.scalars(select(ActionPlan)).one().answers  # the demo's only plan
        assert "menu" not in str(answers).lower()
        assert answers["went_well"] == "Ik heb goed opgelet."

    # the mentor opens the agreements question; a new session records nothing
    chat(DEMO_MENTOR_EMAIL, "mentor", "Afspraken vastleggen")
    chat(DEMO_MENTOR_EMAIL)
    with sf() as s:
        assert "menu" not in [a.text for a in s.scalars(select(Agreement))]

    # the organizer is asked a new round's name; a new session names no round "menu"
    chat(DEMO_ORGANIZER_EMAIL, "rondes", "Nieuwe bespreking")
    chat(DEMO_ORGANIZER_EMAIL)
    with sf() as s:
        assert "menu" not in [r.name.lower() for r in s.scalars(select(Round))]
    out = chat(DEMO_STUDENT_EMAIL, "waar was ik")  # the question still waits
    assert "Plan van aanpak" in out


def test_a_dash_clears_a_plan_answer(chat, sqlite_url: str) -> None:
    _close_and_share(chat)
    sf = make_session_factory(make_engine(sqlite_url))
    chat(
        DEMO_STUDENT_EMAIL,
        "plan",
        "Plan van aanpak maken",
        "Ik heb goed opgelet.",
        *["Elke week oefenen." for _ in range(20)],  # up to the review, then ignored
    )
    out = chat(DEMO_STUDENT_EMAIL, "plan", "Plan van aanpak bekijken of wijzigen")
    with sf() as s:
        answers = s.scalars(select(ActionPlan)).one().answers
    assert answers.get("other") == "Elke week oefenen."
    # go to the last (optional) step and clear it with "-"
    chat(DEMO_STUDENT_EMAIL, "plan", "Plan van aanpak bekijken of wijzigen", "Wijzig: overig", "-")
    with sf() as s:
        answers = s.scalars(select(ActionPlan)).one().answers
    assert not answers.get("other")  # cleared, not stored as "-"
    # a required step: "-" is no answer, the old one stays
    out = chat(
        DEMO_STUDENT_EMAIL,
        "plan",
        "Plan van aanpak bekijken of wijzigen",
        "Wijzig: wat gaat goed",
        "-",
    )
    assert "Vul hier iets in" in out
    with sf() as s:
        answers = s.scalars(select(ActionPlan)).one().answers
    assert answers["went_well"] == "Ik heb goed opgelet."
    assert "-" not in answers["went_well"]
