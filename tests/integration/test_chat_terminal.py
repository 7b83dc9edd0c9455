"""``stoplicht chat``: a scripted terminal session runs a whole cycle on the demo school.

Teacher feedback for a group (one light with texts, then the rest in bulk), the organizer
closes the round, the mentor writes a note and shares, the student writes and submits the
action plan, the mentor records the agreements, the student reads them.
"""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import main as cli
from storage.db import make_engine, make_session_factory
from storage.demo.seed import (
    DEMO_MENTOR_EMAIL,
    DEMO_ORGANIZER_EMAIL,
    DEMO_STUDENT_EMAIL,
    DEMO_TEACHER_EMAIL,
)
from storage.models import (
    ActionPlan,
    Agreement,
    Feedback,
    Notification,
    PlanState,
    Round,
    RoundState,
    Share,
)


def test_whole_cycle_on_the_demo_school(chat, sqlite_url: str) -> None:
    out = chat(
        DEMO_TEACHER_EMAIL,
        "feedback",
        "1",  # 3A wi
        "4 | Ik maak me zorgen over je toetsen. | Kom dinsdag naar de bijles.",
        "Rest: Ga zo door",
        "Iedereen invullen",  # some had Let op or Pas op last time: asked, all included
    )
    assert "kies een groep" in out and "Bewaard:" in out and "Pas op" in out
    assert "'Ga zo door' ingevuld voor de leerlingen zonder stoplicht" in out
    assert "20 van 20 leerlingen ingevuld" in out

    out = chat(
        DEMO_ORGANIZER_EMAIL,
        "rondes",
        "Leerlingbespreking periode 2 (open)",
        "Bespreking sluiten",
        "Ja, sluiten",
    )
    assert "De bespreking is gesloten" in out

    out = chat(
        DEMO_MENTOR_EMAIL,
        "mentor",
        "Sanne de Vries (3A)",
        "Mentoropmerking schrijven",
        "Sanne, je hebt hard gewerkt. Ik ben trots op je.",
        "Delen met leerling",
        "Ja, delen",
    )
    assert "Mijn mentorleerlingen" in out and "Mentoropmerking bewaard" in out
    assert "✔ Gedeeld met " in out and "De leerling krijgt een bericht." in out

    answers = [f"Antwoord {i}: ik ga elke week oefenen." for i in range(1, 13)]
    out = chat(DEMO_STUDENT_EMAIL, "plan", "Plan van aanpak maken", *answers, "Indienen")
    assert "Jouw feedback" in out and "trots op je" in out
    assert "Ingediend." in out

    out = chat(
        DEMO_MENTOR_EMAIL,
        "mentor",  # resumes at Sanne's report
        "Afspraken vastleggen",
        "Sanne komt elke dinsdag naar de bijles wiskunde.",
    )
    assert "Afspraken vastgelegd" in out and "Plan van aanpak: ingediend" in out

    out = chat(DEMO_STUDENT_EMAIL, "plan", "Afspraken bekijken")
    assert "Sanne komt elke dinsdag naar de bijles wiskunde." in out

    sf = make_session_factory(make_engine(sqlite_url))
    with sf() as s:
        rnd = s.scalars(select(Round).where(Round.name == "Leerlingbespreking periode 2")).one()
        assert rnd.state == RoundState.CLOSED
        remarks = s.scalars(
            select(Feedback.remark).where(
                Feedback.round_id == rnd.id, Feedback.remark == "Ik maak me zorgen over je toetsen."
            )
        ).all()
        assert len(remarks) == 1
        assert s.scalars(select(Share).where(Share.round_id == rnd.id)).one()
        plan = s.scalars(select(ActionPlan).where(ActionPlan.round_id == rnd.id)).one()
        assert plan.state == PlanState.SUBMITTED and plan.answers["went_well"].startswith("Antw")
        assert s.scalars(select(Agreement.text)).one().startswith("Sanne komt")


def test_piped_into_the_real_command(chat, sqlite_url: str) -> None:
    """Each prompt is printed before the next line is read; end of input ends cleanly."""
    script = "help\nfeedback\n1\n2\nIk zie dat je goed meedoet.\n-\n"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "bot.cli.main",
            "chat",
            "--as",
            DEMO_TEACHER_EMAIL.upper(),
            "--database-url",
            sqlite_url,
            "--lang",
            "en",
        ],
        input=script,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "I will speak English" in out and "pick a group" in out
    assert "Remark (to the student):" in out and "Saved:" in out
    assert proc.stderr == ""


def test_unknown_email_and_bad_lang(chat, sqlite_url: str) -> None:
    out = chat("nobody@example.org", "feedback")
    assert "Ik ken je nog niet" in out
    result = CliRunner().invoke(
        cli.app, ["chat", "--as", "x@y.z", "--lang", "fr", "--database-url", sqlite_url]
    )
    assert result.exit_code != 0


def test_earlier_and_other_rounds_with_numbered_choices(chat) -> None:
    """Teacher, mentor and student open another round by typing the numbers of the choices."""
    out = chat(
        DEMO_TEACHER_EMAIL,
        "feedback",
        "4",  # after the three groups: Eerdere besprekingen
        "1",  # Leerlingbespreking periode 1
        "1",  # the first student of the read-only list
    )
    assert "4) Eerdere besprekingen" in out
    assert "1) Leerlingbespreking periode 1 (gesloten " in out and "2) Terug" in out
    assert "Leerlingbespreking periode 1 is gesloten" in out
    assert "Alle feedback in Leerlingbespreking periode 1 (alleen lezen)." in out

    chat(
        DEMO_ORGANIZER_EMAIL,
        "rondes",
        "Leerlingbespreking periode 2 (open)",
        "Bespreking sluiten",
        "Ja, sluiten",
    )
    out = chat(
        DEMO_MENTOR_EMAIL,
        "mentor",
        "Andere bespreking",
        "2",  # Leerlingbespreking periode 1
    )
    assert "1) Leerlingbespreking periode 2 (gesloten " in out and ", nu getoond" in out
    assert "== Mijn mentorleerlingen: Leerlingbespreking periode 1 ==" in out
    out = chat(
        DEMO_MENTOR_EMAIL,
        "mentor",  # resumes at the overview of periode 1
        "Andere bespreking",
        "1",  # back to periode 2, to share with Sanne
        "Sanne de Vries (3A)",
        "Delen met leerling",
        "Ja, delen",
    )
    assert "✔ Gedeeld met " in out

    out = chat(DEMO_STUDENT_EMAIL, "plan", "Andere bespreking", "2")
    assert "== Jouw feedback: Leerlingbespreking periode 2 ==" in out
    assert "3) Terug naar mijn feedback" in out
    assert out.rstrip().split("== ")[-1].startswith("Jouw feedback: Leerlingbespreking periode 1")


def test_a_draft_made_on_the_command_line_is_opened_in_conversation(chat, sqlite_url: str) -> None:
    runner = CliRunner()
    made = runner.invoke(
        cli.app,
        [
            "round",
            "create",
            "--name",
            "Tussenbespreking 4H",
            "--group",
            "4H",
            "--deadline",
            "2099-01-01",
            "--database-url",
            sqlite_url,
        ],
    )
    assert made.exit_code == 0 and "[draft]" in made.output, made.output
    out = chat(DEMO_ORGANIZER_EMAIL, "rondes", "Tussenbespreking 4H openen", "Ja, openen")
    assert ") Tussenbespreking 4H (concept)" in out and ") Tussenbespreking 4H openen" in out
    assert "== Tussenbespreking 4H openen? ==" in out and "4H" in out
    assert "✔ De bespreking is geopend. Docenten krijgen een uitnodiging." in out
    sf = make_session_factory(make_engine(sqlite_url))
    with sf() as s:
        rnd = s.scalars(select(Round).where(Round.name == "Tussenbespreking 4H")).one()
        assert rnd.state == RoundState.OPEN
        invites = s.scalars(
            select(Notification).where(
                Notification.kind == "round_opened", Notification.round_id == rnd.id
            )
        ).all()
        assert invites  # the teachers of 4H are invited through the outbox
