"""``stoplicht report STUDENT --round ID --as EMAIL --out FILE.pdf``: the printable report.

The report for the three-way meeting, as the person named with ``--as`` may have it: the
student's mentor, or the student themself once the feedback is shared (the same rule and the
same audit as in chat: ``storage.mentoring.printable``). STUDENT is a roster id or an email of
the round's school. Every refusal (an unknown student, round or person, a round of another
school, feedback not shared, somebody else's report) is the one sentence the dialogs use, in
the asker's language, and exit code 2; nothing is written then.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from bot.cli.common import CliError, DatabaseOption, handles_errors, session_scope
from dialogs.report import deliver
from dialogs.texts import language, t
from storage.errors import DomainError
from storage.models import Round, School
from storage.people.directory import MAX_ID, person_by_email, person_by_roster_or_email

OutOption = typer.Option(..., "--out", help="The PDF file to write.")


@handles_errors
def report_cmd(
    student: str = typer.Argument(..., metavar="STUDENT", help="Roster id or email."),
    round_id: int = typer.Option(..., "--round", min=1, max=MAX_ID, help="Round id."),
    out: Path = OutOption,
    as_: str = typer.Option(
        ..., "--as", help="Email of who asks: the student's mentor, or the student."
    ),
    lang: str | None = typer.Option(None, "--lang", help="nl or en (default: the asker's)."),
    database_url: str | None = DatabaseOption,
) -> None:
    """Write one student's round as a PDF for the three-way meeting."""
    if lang is not None and lang not in ("nl", "en"):
        raise typer.BadParameter("--lang must be nl or en")
    with session_scope(database_url) as session:
        rnd = session.get(Round, round_id)
        school = session.get(School, rnd.school_id) if rnd is not None else None
        asker = (
            person_by_email(session, school_id=school.id, email=as_) if school is not None else None
        )
        said = language(
            lang or (asker.language if asker else None) or (school.language if school else None)
        )
        refused = CliError(t(said, "error.not_allowed"))
        if school is None or asker is None:
            raise refused
        try:
            pupil = person_by_roster_or_email(session, school_id=school.id, key=student)
        except DomainError:
            raise refused from None
        ctx = deliver.person_ctx(session, asker, now=datetime.now(UTC), channel="cli", lang=said)
        replies = deliver.replies(ctx, {"round_id": str(round_id), "student_id": str(pupil.id)})
        file = next((r.file for r in replies if r.file is not None), None)
        if file is None:
            raise refused
        try:
            out.write_bytes(file.content)
        except OSError as exc:
            raise CliError(f"cannot write {out}: {exc.strerror}") from None
    typer.echo(f"wrote {out} ({len(file.content)} bytes)")


def register(app: typer.Typer) -> None:
    app.command("report")(report_cmd)
