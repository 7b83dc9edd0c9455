"""``stoplicht student export|erase`` and ``stoplicht purge``: the privacy operations.

A student is named by roster id or email. When that names students in more than one school,
``--school`` (id or name) chooses. Erasing needs ``--yes``; purging without ``--yes`` only
reports what it would delete.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.cli.common import (
    CliError,
    DatabaseOption,
    JsonOption,
    emit,
    handles_errors,
    school_by_ref,
    session_scope,
)
from storage.models import School
from storage.privacy import AmbiguousStudent, erase_student, export_student, purge_older_than

student_app = typer.Typer(help="One student's data: export, erase.", no_args_is_help=True)

KeyArgument = typer.Argument(..., metavar="ROSTER_ID_OR_EMAIL", help="Roster id or email.")
SchoolOption = typer.Option(None, "--school", help="School id or name, when several match.")
OutOption = typer.Option(None, "--out", help="Write the JSON to this file.")


def _school_id(session: Session, school: str | None) -> int | None:
    return None if school is None else school_by_ref(session, school).id


def _ambiguous(session: Session, exc: AmbiguousStudent) -> CliError:
    names = session.scalars(select(School.name).where(School.id.in_(exc.params["schools"]))).all()
    return CliError(f"several schools have this student ({', '.join(names)}): add --school")


@student_app.command("export")
@handles_errors
def export_cmd(
    key: str = KeyArgument,
    out: Path | None = OutOption,
    school: str | None = SchoolOption,
    database_url: str | None = DatabaseOption,
) -> None:
    """Everything stored about one student, as JSON."""
    with session_scope(database_url) as session:
        try:
            data = export_student(session, school_id=_school_id(session, school), key=key)
        except AmbiguousStudent as exc:
            raise _ambiguous(session, exc) from None
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        if out is None:
            typer.echo(text)
            return
        try:
            out.write_text(text + "\n", encoding="utf-8")
        except OSError as exc:
            raise CliError(f"cannot write {out}: {exc.strerror}") from None
    typer.echo(f"exported {key} to {out}")


@student_app.command("erase")
@handles_errors
def erase_cmd(
    key: str = KeyArgument,
    yes: bool = typer.Option(False, "--yes", help="Really erase; this cannot be undone."),
    school: str | None = SchoolOption,
    json_out: bool = JsonOption,
    database_url: str | None = DatabaseOption,
) -> None:
    """Delete the student and everything that references them."""
    if not yes:
        raise CliError("erasing cannot be undone; add --yes to erase this student")
    with session_scope(database_url) as session:
        try:
            counts = erase_student(session, school_id=_school_id(session, school), key=key)
        except AmbiguousStudent as exc:
            raise _ambiguous(session, exc) from None
    emit(counts, json_out, lambda c: f"erased {key}: " + _counts_text(c))


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "nothing"


@handles_errors
def purge_cmd(
    yes: bool = typer.Option(False, "--yes", help="Delete; without it, only report."),
    school: str | None = SchoolOption,
    json_out: bool = JsonOption,
    database_url: str | None = DatabaseOption,
) -> None:
    """Delete data older than each school's retention (dry run without --yes)."""
    now = datetime.now(UTC)
    result: list[dict[str, Any]] = []
    with session_scope(database_url) as session:
        chosen = _school_id(session, school)
        schools = session.execute(
            select(School.id, School.name)
            .where(School.id == chosen if chosen is not None else School.id.is_not(None))
            .order_by(School.id)
        ).all()
        for sid, name in schools:
            counts = purge_older_than(session, school_id=sid, now=now)
            result.append({"school_id": sid, "school": name, "deleted": counts})
        if not yes:
            session.rollback()
    emit(
        {"dry_run": not yes, "schools": result},
        json_out,
        lambda d: "\n".join(
            [f"{r['school']}: {_counts_text(r['deleted'])}" for r in d["schools"]]
            + ([] if yes else ["dry run: nothing deleted; add --yes to delete"])
        ),
    )


def register(app: typer.Typer) -> None:
    app.add_typer(student_app, name="student")
    app.command("purge")(purge_cmd)
