"""What a School Data Sync (SDS) v2.1 export says each school should look like.

Pure: reads the CSV files of one export directory and returns, per school, the people, groups
and links it should have (a :class:`SchoolPlan`), plus the rows it could not use. Writing the
plan to the database is ``storage.roster``'s job.

Files (column names as in the SDS v2.1 CSV format; matched case-insensitively):

- ``orgs.csv`` *required*: ``sourcedId, name`` (``type`` optional). Every org becomes a school,
  keyed by its sourcedId, except umbrella orgs (``type`` district, state, national, ...); rows
  that point at an umbrella org are rejected.
- ``users.csv`` *required*: ``sourcedId, username`` (``givenName, familyName, email`` optional).
  The address we keep is ``email`` lower-cased, else ``username`` when it looks like a UPN
  (``name@domain``). A user without any role is not imported (one warning with the count).
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
``storage.roster_mapping``.

Duplicates: a row repeating an earlier row's key is rejected ("duplicate of line N"; the first
row wins), so an export with repeated lines imports exactly as without them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from storage.models import GroupKind, PersonKind
from storage.roster_csv import CsvRow, CsvTable, Rejected, RosterFileError, read_table
from storage.roster_mapping import (
    HOMEROOM_TITLE,
    KIND_RANK,
    NOT_IMPORTED_ROLES,
    STAFF_ROLES,
    TEACHER_ROLES,
    UMBRELLA_ORG_TYPES,
    GroupSpec,
    PersonSpec,
    SchoolPlan,
    classify_group,
    role_kind,
)

FILE_ORDER = (
    "orgs.csv",
    "users.csv",
    "roles.csv",
    "courses.csv",
    "academicSessions.csv",
    "classes.csv",
    "enrollments.csv",
    "mentors.csv",
)


@dataclass
class RosterPlan:
    schools: dict[str, SchoolPlan]
    rejected: list[Rejected]
    warnings: list[str]


def _unique(table: CsvTable, key: tuple[str, ...] | None = None) -> list[CsvRow]:
    """Rows of ``table`` whose key was not seen before; repeats are rejected."""
    seen: dict[tuple[str, ...], int] = {}
    kept: list[CsvRow] = []
    for row in table.rows:
        k = (
            tuple(row[c].lower() if c == "role" else row[c] for c in key)
            if key
            else (row["sourcedId"],)
        )
        if k in seen:
            what = "duplicate of line" if key else f"sourcedId {k[0]!r} already used on line"
            table.reject(row, f"{what} {seen[k]}")
            continue
        seen[k] = row.line
        kept.append(row)
    return kept


# Column widths of the tables the values end up in (storage.models).
_MAX_LENGTH = {
    "sourcedId": 200,
    "name": 200,
    "title": 200,
    "subject": 200,
    "givenName": 200,
    "familyName": 200,
    "email": 320,
    "username": 320,
}


def _fits(t: CsvTable, rows: list[CsvRow]) -> list[CsvRow]:
    """Rows whose values fit their database columns; the others are rejected."""
    kept = []
    for row in rows:
        long = [c for c, n in _MAX_LENGTH.items() if len(row[c]) > n]
        if long:
            t.reject(row, f"{long[0]} is longer than {_MAX_LENGTH[long[0]]} characters")
        else:
            kept.append(row)
    return kept


def _email(row: CsvRow) -> str | None:
    for candidate in (row["email"], row["username"]):
        value = candidate.strip().lower()
        if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value):
            return value
    return None


def read_export(directory: Path) -> RosterPlan:
    """Read an SDS v2.1 export directory. Raises :class:`RosterFileError` when it is unusable."""
    if not directory.is_dir():
        raise RosterFileError(f"not a directory: {directory}")
    files = {p.name.lower(): p for p in directory.iterdir() if p.is_file()}

    def table(
        name: str, required: tuple[str, ...], optional: tuple[str, ...] = (), *, needed: bool = True
    ) -> CsvTable | None:
        path = files.get(name.lower())
        if path is None:
            if needed:
                raise RosterFileError(f"missing required file {name} in {directory}")
            return None
        return read_table(path, required=required, optional=optional)

    orgs = table("orgs.csv", ("sourcedId", "name"), ("type",))
    users = table("users.csv", ("sourcedId", "username"), ("givenName", "familyName", "email"))
    roles = table("roles.csv", ("userSourcedId", "orgSourcedId", "role"))
    courses = table("courses.csv", ("sourcedId", "title"), ("subject", "grade"), needed=False)
    sessions = table("academicSessions.csv", ("sourcedId",), needed=False)
    classes = table(
        "classes.csv",
        ("sourcedId", "orgSourcedId", "title"),
        ("courseSourcedId", "sessionSourcedIds"),
    )
    enrols = table("enrollments.csv", ("classSourcedId", "userSourcedId", "role"))
    mentors = table(
        "mentors.csv", ("userSourcedId",), ("classSourcedId", "studentSourcedId"), needed=False
    )
    if mentors is not None and not mentors.columns & {"classSourcedId", "studentSourcedId"}:
        raise RosterFileError(
            "mentors.csv: missing required column classSourcedId or studentSourcedId"
        )
    assert orgs and users and roles and classes and enrols
    tables = [t for t in (orgs, users, roles, courses, sessions, classes, enrols, mentors) if t]
    builder = _Builder()
    builder.orgs(orgs)
    builder.users(users)
    builder.roles(roles)
    builder.courses(courses)
    builder.classes(classes, sessions)
    builder.enrolments(enrols)
    if mentors is not None:
        builder.mentors(mentors)
    rank = {name.lower(): i for i, name in enumerate(FILE_ORDER)}
    rejected = sorted(
        (r for t in tables for r in t.rejected),
        key=lambda r: (rank.get(r.file.lower(), 99), r.line),
    )
    warnings = [w for t in tables for w in t.warnings] + builder.warnings
    return RosterPlan(schools=builder.schools, rejected=rejected, warnings=warnings)


class _Builder:
    """Applies the files in dependency order; each step rejects rows that point nowhere."""

    def __init__(self) -> None:
        self.schools: dict[str, SchoolPlan] = {}
        self.umbrella: set[str] = set()
        self.known_users: dict[str, CsvRow] = {}
        self.user_roles: dict[tuple[str, str], tuple[PersonKind, bool]] = {}
        self.subjects: dict[str, tuple[str | None, str | None]] = {}
        self.has_courses = False
        self.class_org: dict[str, str] = {}
        self.class_students: dict[str, set[str]] = defaultdict(set)
        self.student_orgs: dict[str, list[str]] = defaultdict(list)
        self.warnings: list[str] = []

    def _school(self, t: CsvTable, row: CsvRow, org: str) -> SchoolPlan | None:
        if org in self.umbrella:
            t.reject(row, f"org {org!r} is not a school")
            return None
        school = self.schools.get(org)
        if school is None:
            t.reject(row, f"unknown org {org!r}")
        return school

    def orgs(self, t: CsvTable) -> None:
        for row in _fits(t, _unique(t)):
            if row["type"].lower() in UMBRELLA_ORG_TYPES:
                self.umbrella.add(row["sourcedId"])
            else:
                self.schools[row["sourcedId"]] = SchoolPlan(row["sourcedId"], row["name"])

    def users(self, t: CsvTable) -> None:
        self.known_users = {row["sourcedId"]: row for row in _fits(t, _unique(t))}

    def roles(self, t: CsvTable) -> None:
        for row in _unique(t, ("userSourcedId", "orgSourcedId", "role")):
            uid, org, role = row["userSourcedId"], row["orgSourcedId"], row["role"]
            user = self.known_users.get(uid)
            if user is None:
                t.reject(row, f"unknown user {uid!r}")
                continue
            school = self._school(t, row, org)
            if school is None:
                continue
            mapped = role_kind(role)
            if mapped is None:
                why = "is not imported" if role.lower() in NOT_IMPORTED_ROLES else "is unknown"
                t.reject(row, f"role {role!r} {why}")
                continue
            kind, organizer = mapped
            before = self.user_roles.get((uid, org))
            if before is not None:
                if (before[0] is PersonKind.STUDENT) != (kind is PersonKind.STUDENT):
                    t.reject(row, f"user {uid!r} already has role {before[0].value} at {org!r}")
                    continue
                if KIND_RANK[before[0]] > KIND_RANK[kind]:
                    kind = before[0]
                organizer = organizer or before[1]
            self.user_roles[(uid, org)] = (kind, organizer)
            if kind is PersonKind.STUDENT and before is None:
                self.student_orgs[uid].append(org)
            given, family = user["givenName"], user["familyName"]
            display = " ".join(p for p in (given, family) if p) or user["username"]
            school.persons[uid] = PersonSpec(
                uid, kind, given, family, display, _email(user), organizer
            )
        roleless = len(set(self.known_users) - {uid for uid, _ in self.user_roles})
        if roleless:
            self.warnings.append(f"users.csv: {roleless} user(s) without a role were skipped")

    def courses(self, t: CsvTable | None) -> None:
        if t is None:
            return
        self.has_courses = True
        for row in _fits(t, _unique(t)):
            subject = row["subject"] or row["title"] or None
            self.subjects[row["sourcedId"]] = (subject, row["grade"][:32] or None)

    def classes(self, t: CsvTable, sessions: CsvTable | None) -> None:
        known_sessions = {r["sourcedId"] for r in sessions.rows} if sessions else None
        for row in _fits(t, _unique(t)):
            cid, title, course = row["sourcedId"], row["title"], row["courseSourcedId"]
            school = self._school(t, row, row["orgSourcedId"])
            if school is None:
                continue
            subject, grade = None, None
            if course:
                if course in self.subjects:
                    subject, grade = self.subjects[course]
                elif self.has_courses:
                    self.warnings.append(
                        f"{t.file} line {row.line}: unknown course {course!r}; "
                        f"class {title!r} imported without a subject"
                    )
            if known_sessions is not None:
                ids = [s for s in re.split(r"[,;|\s]+", row["sessionSourcedIds"]) if s]
                for s in ids:
                    if s not in known_sessions:
                        self.warnings.append(
                            f"{t.file} line {row.line}: unknown academic session {s!r}"
                        )
            kind = classify_group(title, subject)
            if kind is GroupKind.CLASS:
                subject = None
                m = HOMEROOM_TITLE.match(title)
                grade = grade or (m.group("grade") if m else None)
            school.groups[cid] = GroupSpec(cid, title, kind, subject, grade)
            self.class_org[cid] = row["orgSourcedId"]

    def _member(self, t: CsvTable, row: CsvRow, uid: str, org: str) -> PersonKind | None:
        if uid not in self.known_users:
            t.reject(row, f"unknown user {uid!r}")
            return None
        role = self.user_roles.get((uid, org))
        if role is None:
            t.reject(row, f"user {uid!r} has no role at org {org!r}")
            return None
        return role[0]

    def enrolments(self, t: CsvTable) -> None:
        for row in _unique(t, ("classSourcedId", "userSourcedId", "role")):
            cid, uid, role = row["classSourcedId"], row["userSourcedId"], row["role"].lower()
            org = self.class_org.get(cid)
            if org is None:
                t.reject(row, f"unknown class {cid!r}")
                continue
            kind = self._member(t, row, uid, org)
            if kind is None:
                continue
            school = self.schools[org]
            if role == "student":
                if kind is not PersonKind.STUDENT:
                    t.reject(row, f"user {uid!r} is a {kind.value}, not a student")
                    continue
                school.enrolments.add((cid, uid))
                self.class_students[cid].add(uid)
            elif role in TEACHER_ROLES or role in STAFF_ROLES:
                if kind is PersonKind.STUDENT:
                    t.reject(row, f"user {uid!r} is a student, not a teacher")
                    continue
                school.assignments.add((cid, uid))
            else:
                t.reject(row, f"enrolment role {row['role']!r} is not imported")

    def mentors(self, t: CsvTable) -> None:
        for row in _unique(t, ("userSourcedId", "classSourcedId", "studentSourcedId")):
            mentor, cid, sid = row["userSourcedId"], row["classSourcedId"], row["studentSourcedId"]
            if not cid and not sid:
                t.reject(row, "missing value for classSourcedId or studentSourcedId")
                continue
            if cid:
                org = self.class_org.get(cid)
                if org is None:
                    t.reject(row, f"unknown class {cid!r}")
                    continue
                if self._mentor_ok(t, row, mentor, org):
                    for student in self.class_students[cid]:
                        self.schools[org].mentorships.add((mentor, student))
            if sid:
                if sid not in self.known_users:
                    t.reject(row, f"unknown student {sid!r}")
                    continue
                orgs = self.student_orgs.get(sid, [])
                if not orgs:
                    t.reject(row, f"user {sid!r} is not a student")
                    continue
                for org in orgs:
                    if self._mentor_ok(t, row, mentor, org):
                        self.schools[org].mentorships.add((mentor, sid))

    def _mentor_ok(self, t: CsvTable, row: CsvRow, mentor: str, org: str) -> bool:
        kind = self._member(t, row, mentor, org)
        if kind is PersonKind.STUDENT:
            t.reject(row, f"user {mentor!r} is a student and cannot be a mentor")
            return False
        return kind is not None
