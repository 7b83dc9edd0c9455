"""``stoplicht roster import PATH``: apply a School Data Sync v2.1 export to the database.

PATH is the directory with the CSV files or a zip file of them. Rejected rows do not make the
command fail (exit 0): they are listed with file, line and reason so the export can be fixed at
its source. A missing directory, file or column, or a file that cannot be read as CSV, is fatal
(exit 2, one line on stderr) and nothing is written.
"""

from __future__ import annotations

from pathlib import Path

import typer

from bot.cli.common import CliError, DatabaseOption, JsonOption, emit, handles_errors, session_scope
from storage.roster.importer import KINDS, ImportReport, RosterFileError, import_roster

roster_app = typer.Typer(help="Roster (School Data Sync export).", no_args_is_help=True)

DirectoryArgument = typer.Argument(
    ...,
    metavar="PATH",
    help="Directory or zip file with orgs.csv, users.csv, roles.csv, classes.csv, "
    "enrollments.csv (and optionally courses.csv, academicSessions.csv, mentors.csv).",
)
SchoolOption = typer.Option(None, "--school", help="Import only this org (name or sourcedId).")

_LABELS = {
    "students": "students",
    "teachers": "teachers",
    "staff": "staff",
    "groups": "groups",
    "enrolments": "enrolments",
    "teaching_assignments": "teaching assignments",
    "mentorships": "mentorships",
}


def summary_text(report: ImportReport) -> str:
    lines = [f"school(s): {', '.join(report.schools)}"]
    if report.schools_created:
        lines[0] += f" ({report.schools_created} new)"
    header = ("", "active", "created", "updated", "deactivated")
    table = [header] + [
        (_LABELS[k], *(str(getattr(report.counts[k], f)) for f in header[1:])) for k in KINDS
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(header))]
    for row in table:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    lines.append(f"rejected rows: {len(report.rejected)}")
    lines += [f"  {r.file}:{r.line}: {r.reason}" for r in report.rejected]
    if report.warnings:
        lines.append(f"warnings: {len(report.warnings)}")
        lines += [f"  {w}" for w in report.warnings]
    if not report.changed:
        lines.append("nothing changed")
    return "\n".join(lines)


@roster_app.command("import")
@handles_errors
def import_cmd(
    directory: Path = DirectoryArgument,
    school: str | None = SchoolOption,
    as_json: bool = JsonOption,
    database_url: str | None = DatabaseOption,
) -> None:
    """Import people, classes, teaching groups, enrolments and mentors."""
    if not directory.exists():  # said before connecting to the database
        raise CliError(f"not a directory or zip file: {directory}")
    try:
        with session_scope(database_url) as session:
            report = import_roster(session, directory, school=school)
    except RosterFileError as exc:
        raise CliError(str(exc)) from None
    emit(report.to_dict(), as_json, lambda _data: summary_text(report))


def register(app: typer.Typer) -> None:
    app.add_typer(roster_app, name="roster")
