"""What a School Data Sync (SDS) v2.1 export says each school should look like.

Pure: reads the CSV files of one export (a directory or a zip file, found as
``storage.roster.files`` describes) and returns, per school, the people, groups
and links it should have (a :class:`SchoolPlan`), plus the rows it could not use. Writing the
plan to the database is ``storage.roster.importer``'s job.

Files (column names as in the SDS v2.1 CSV format; matched case-insensitively):

- ``orgs.csv`` *required*: ``sourcedId, name`` (``type`` optional). Every org becomes a school,
  keyed by its sourcedId, except umbrella orgs (``type`` district, state, national, ...); rows
  that point at an umbrella org are rejected.
- ``users.csv`` *required*: ``sourcedId, username`` (``givenName, familyName, email`` optional,
  and ``tussenvoegsel``, the Dutch name particles, when the family name lacks them).
  The address we keep is ``email`` cleaned and lower-cased, else ``username`` when it looks like
  a UPN (``name@domain``); an ``email`` that holds no address is a warning. A user without any
  role is not imported (one warning with the count and the first lines).
- ``roles.csv`` *required*: ``userSourcedId, orgSourcedId, role``. student -> student;
  teacher, faculty, instructor, lecturer, professor, teacherAssistant, substitute, adjunct ->
  teacher; administrator, principal -> staff and organizer; other staff roles (staff,
  officeStaff, itAdmin, counselor, advisor, aide, nurse, ...) -> staff. A user with both a
  teaching and a staff role at one org is a teacher (and an organizer if one role says so); a
  user with a student *and* a staff/teacher role at one org keeps the first role read, the other
  row is rejected. guardian, parent, alumni and unknown roles are rejected.
- ``classes.csv`` *required*: ``sourcedId, orgSourcedId, title`` (``courseSourcedId,
  sessionSourcedIds`` optional).
- ``enrollments.csv`` *required*: ``classSourcedId, userSourcedId, role``. student ->
  enrolment, teacher-like roles -> teaching assignment (the person must be a student, resp. a
  teacher or staff member, of the class's school).
- ``courses.csv`` optional: ``sourcedId, title`` (``subject, grade`` optional).
- ``academicSessions.csv`` optional: ``sourcedId``; only used to warn about classes that refer
  to sessions the export does not contain.
- ``mentors.csv`` optional (not part of SDS): ``userSourcedId`` and ``classSourcedId`` (the
  user mentors every student enrolled as student in that class) and/or ``studentSourcedId``
  (the user mentors that student). Each row uses whichever of the two is filled in.

Which class is a teaching group and which role makes whom a teacher is decided in
``storage.roster.mapping``.

Ids that Excel mangled (scientific notation, lost leading zeros) are handled as
``storage.roster.ids`` describes.

Duplicates: a row repeating an earlier row's key is rejected ("duplicate of line N"; the first
row wins), so an export with repeated lines imports exactly as without them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from storage.roster.build import Builder
from storage.roster.csv_table import CsvTable, Rejected, RosterFileError, parse_table
from storage.roster.files import ExportFiles
from storage.roster.ids import reject_scientific, restore_leading_zeros
from storage.roster.mapping import SchoolPlan

# name: (required columns, optional columns, file required), in the order they are read.
_FILES: dict[str, tuple[tuple[str, ...], tuple[str, ...], bool]] = {
    "orgs.csv": (("sourcedId", "name"), ("type",), True),
    "users.csv": (
        ("sourcedId", "username"),
        ("givenName", "familyName", "email", "tussenvoegsel"),
        True,
    ),
    "roles.csv": (("userSourcedId", "orgSourcedId", "role"), (), True),
    "courses.csv": (("sourcedId", "title"), ("subject", "grade"), False),
    "academicSessions.csv": (("sourcedId",), (), False),
    "classes.csv": (
        ("sourcedId", "orgSourcedId", "title"),
        ("courseSourcedId", "sessionSourcedIds"),
        True,
    ),
    "enrollments.csv": (("classSourcedId", "userSourcedId", "role"), (), True),
    "mentors.csv": (("userSourcedId",), ("classSourcedId", "studentSourcedId"), False),
}
FILE_ORDER = tuple(_FILES)


@dataclass
class RosterPlan:
    schools: dict[str, SchoolPlan]
    rejected: list[Rejected]
    warnings: list[str]


def _read_tables(source: ExportFiles) -> dict[str, CsvTable]:
    tables: dict[str, CsvTable] = {}
    for name, (required, optional, needed) in _FILES.items():
        found = source.read(name, needed=needed)
        if found is not None:
            tables[name] = parse_table(*found, required=required, optional=optional)
    mentors = tables.get("mentors.csv")
    if mentors is not None and not mentors.columns & {"classSourcedId", "studentSourcedId"}:
        raise RosterFileError(
            f"{mentors.file}: missing required column classSourcedId or studentSourcedId"
        )
    return tables


def _column_warnings(tables: dict[str, CsvTable]) -> list[str]:
    """Optional columns whose absence changes the outcome for every row."""
    warnings = []
    users, classes = tables["users.csv"], tables["classes.csv"]
    missing = [c for c in ("givenName", "familyName") if c not in users.columns]
    if missing:
        warnings.append(
            f"{users.file}: no column {' or '.join(missing)}; names are incomplete "
            "(without either, people are shown by their username)"
        )
    if "courses.csv" in tables and "courseSourcedId" not in classes.columns:
        warnings.append(
            f"{classes.file}: no column courseSourcedId, so no class gets a subject from "
            "courses.csv (all are imported as homeroom classes)"
        )
    return warnings


def read_export(path: Path) -> RosterPlan:
    """Read an SDS v2.1 export (directory or zip). Raises :class:`RosterFileError` if unusable."""
    source = ExportFiles(path)
    tables = _read_tables(source)
    for t in tables.values():
        reject_scientific(t)
    id_warnings = restore_leading_zeros(tables)
    builder = Builder()
    builder.orgs(tables["orgs.csv"])
    builder.users(tables["users.csv"])
    builder.roles(tables["roles.csv"])
    builder.courses(tables.get("courses.csv"))
    builder.classes(tables["classes.csv"], tables.get("academicSessions.csv"))
    builder.enrolments(tables["enrollments.csv"])
    if "mentors.csv" in tables:
        builder.mentors(tables["mentors.csv"])
    rank = {name.rsplit(".", 1)[0].lower(): i for i, name in enumerate(FILE_ORDER)}
    rejected = sorted(
        (r for t in tables.values() for r in t.rejected),
        key=lambda r: (rank.get(r.file.rsplit(".", 1)[0].lower(), 99), r.line),
    )
    unused = source.unused_warning()
    warnings = [
        *source.warnings,
        *(w for t in tables.values() for w in t.warnings),
        *_column_warnings(tables),
        *id_warnings,
        *builder.warnings,
        *([unused] if unused else []),
    ]
    return RosterPlan(schools=builder.schools, rejected=rejected, warnings=warnings)
