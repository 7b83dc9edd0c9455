"""A term in the terminal: ``stoplicht chat`` processes, each started on the journey's day and
ended (end of input) as a person would between steps.

The organizer opens the round; Wim gives two lights and stops; days later a new session picks
up where he was, and opening it answers nothing; the deadline closes the round (auto-close);
Mia writes a note, ends her session, and the note survives her next session; Anna writes her
plan over two sessions; Mia records the agreements; the plan and the note stay as typed.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from storage.db import make_engine, make_session_factory
from storage.models import ActionPlan, Agreement, MentorNote, PlanState, RoundState
from tests.journeys.term import (
    EMAILS,
    EXPLANATION,
    Steps,
    Term,
    feedback_of,
    round_named,
    small_school,
)

pytestmark = pytest.mark.journey
ROOT = Path(__file__).parents[2]


def chat(term: Term, url: str, who: str, *lines: str) -> str:
    """One ``stoplicht chat`` session of ``who`` on the term's day, fed ``lines``."""
    result = subprocess.run(
        [sys.executable, "-m", "tests.journeys.at_time", term.now().isoformat()]
        + ["chat", "--as", EMAILS[who], "--database-url", url, "--echo"],
        input="".join(f"{line}\n" for line in lines),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result.stdout


def test_a_term_in_the_terminal(sqlite_url: str, new_term: Any) -> None:
    engine = make_engine(sqlite_url)
    sf = make_session_factory(engine)
    term = new_term(sf)
    steps = Steps()
    try:
        small_school(sf, auto_close=True)
        out = chat(
            term,
            sqlite_url,
            "olaf",
            "rondes",
            "Nieuwe bespreking",
            "Periode 2",
            "3A",
            "2026-11-23 17:00",
            EXPLANATION,
            "Aanmaken en openen",
        )
        assert "maandag 23 november 2026, 17:00" in out  # said back in full before it changes
        assert "Stand: Periode 2" in out
        rnd = round_named(sf, "Periode 2")
        assert rnd.state is RoundState.OPEN
        term.sweep()

        term.days(0, hour=10)
        out = chat(
            term,
            sqlite_url,
            "wim",
            "feedback",
            "3",
            "Ik zie dat je huiswerk mist.",
            "Maak een planning.",
            "2 | Goed bezig. | -",
            "Stop (later verder)",
        )
        assert "Anna Aalders" in out and "Bram Bakker" in out
        # The fields "Let op" needs are named before they are asked.
        told = out.find("Bij dit stoplicht is een actie verplicht.")
        steps.expect(
            0 <= told < out.find("> Ik zie dat je huiswerk mist."),
            "the terminal says which fields the chosen light needs before asking them",
            out[-1500:],
        )
        before = feedback_of(sf, rnd.id, "wim")
        assert before == {
            "Anna": (3, "Ik zie dat je huiswerk mist.", "Maak een planning."),
            "Bram": (2, "Goed bezig.", None),
        }
        # Two days later a new session: opening it answers nothing; "waar was ik" goes on.
        term.days(2, hour=9)
        out = chat(term, sqlite_url, "wim", "waar was ik")
        steps.expect("Cas de Clercq" in out, "Wim's new session goes on at Cas", out[-800:])
        assert feedback_of(sf, rnd.id, "wim") == before
        out = chat(term, sqlite_url, "wim", "feedback", "Rest: Ga zo door", "Ja, invullen")
        assert "4 van 4" in out
        out = chat(term, sqlite_url, "els", "feedback", "Rest: Ga zo door", "Ja, invullen")

        # The deadline closes the round by itself.
        assert "deadline_reached" in term.to(datetime(2026, 11, 23, 17, 0, tzinfo=UTC))
        assert round_named(sf, "Periode 2").state is RoundState.CLOSED

        # Mia writes a note in one session, ends it; a day later she shares in another.
        term.days(1, hour=9)
        out = chat(
            term,
            sqlite_url,
            "mia",
            "mentor",
            "Anna Aalders (3A)",
            "Mentoropmerking schrijven",
            "Fijn gesprek gehad, Anna.",
            "Mentoropmerking wijzigen",  # then she is called away: the question waits
        )
        with sf() as s:
            notes = s.scalars(select(MentorNote.text)).all()
        steps.expect(
            notes == ["Fijn gesprek gehad, Anna."], "Mia's typed note is stored", out[-800:]
        )
        term.days(1, hour=9)
        out = chat(term, sqlite_url, "mia", "mentor")
        with sf() as s:
            notes = s.scalars(select(MentorNote.text)).all()
        steps.expect(
            notes == ["Fijn gesprek gehad, Anna."],
            "opening a new session does not overwrite Mia's note",
            notes,
        )
        # "mentor" takes her back to where she was: the note's question, her note in it.
        steps.expect(
            "[Mentoropmerking] Fijn gesprek gehad, Anna." in out,
            "Mia's new session goes on at the note's question, her note kept in it",
            out[-800:],
        )
        out = chat(
            term,
            sqlite_url,
            "mia",
            "mentor",
            "Terug naar de leerling",
            "Delen met leerling",
            "Ja, delen",
        )
        assert "Gedeeld" in out

        # Anna writes two answers, ends the session; the next day she finishes.
        term.days(1, hour=15)
        out = chat(
            term,
            sqlite_url,
            "anna",
            "plan",
            "Plan van aanpak maken",
            "Ik doe goed mee in de les.",
            "Ik maak elke dag mijn huiswerk.",
        )
        term.days(1, hour=15)
        out = chat(term, sqlite_url, "anna", "waar was ik", "", "Ik ga naar elke les.", "", "")
        with sf() as s:
            plan = s.scalars(select(ActionPlan)).one()
            answers = dict(plan.answers)
        steps.expect(
            answers.get("went_well") == "Ik doe goed mee in de les."
            and "menu" not in str(answers).lower(),
            "Anna's answers survive her next session; opening it answers nothing",
            answers,
        )
        out = chat(term, sqlite_url, "anna", "plan", "Plan van aanpak bekijken of wijzigen")
        out = chat(term, sqlite_url, "anna", "waar was ik", "Indienen")
        with sf() as s:
            state = s.scalars(select(ActionPlan.state)).one()
        steps.expect(state is PlanState.SUBMITTED, "Anna submits her plan", out[-800:])

        term.days(4, hour=9)
        out = chat(
            term,
            sqlite_url,
            "mia",
            "mentor",  # she was at Anna's report: it is shown again
            "Afspraken vastleggen",
            "Elke vrijdag planning laten zien.",
        )
        assert "Afspraken vastgelegd" in out, out[-800:]
        term.days(1, hour=9)
        chat(term, sqlite_url, "mia", "mentor")
        with sf() as s:
            agreements = s.scalars(select(Agreement.text)).all()
            notes = s.scalars(select(MentorNote.text)).all()
        steps.expect(
            agreements == ["Elke vrijdag planning laten zien."],
            "Mia's agreements are stored and survive her next session",
            agreements,
        )
        steps.expect(notes == ["Fijn gesprek gehad, Anna."], "Mia's note at the end", notes)
        steps.done()
    finally:
        term.stop()
        engine.dispose()
