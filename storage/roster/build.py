"""Turning the rows of an export into school plans, file by file, in dependency order.

The rules are documented in ``storage.roster.plan`` (files and columns) and
``storage.roster.mapping`` (roles, groups, names, addresses). Every row that cannot be used is
rejected on its table with the reason; nothing is dropped without a trace.
"""

from __future__ import annotations

import re
from collections import defaultdict

from storage.models import GroupKind, PersonKind
from storage.roster.csv_table import CsvRow, CsvTable
from storage.roster.mapping import (
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
    email_address,
    family_name,
    role_kind,
)


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
_MAX_FAMILY, _MAX_DISPLAY = 200, 400  # Person.family_name, Person.display_name


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


class Builder:
    """Applies the files in dependency order; each step rejects rows that point nowhere."""

    def __init__(self) -> None:
        self.schools: dict[str, SchoolPlan] = {}
        self.umbrella: set[str] = set()
        self.known_users: dict[str, CsvRow] = {}
        self.names: dict[str, tuple[str, str, str, str | None]] = {}
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
        self.known_users = {}
        reordered: list[CsvRow] = []
        for row in _fits(t, _unique(t)):
            given, family = row["givenName"], family_name(row["familyName"], row["tussenvoegsel"])
            display = " ".join(p for p in (given, family) if p) or row["username"]
            if len(family) > _MAX_FAMILY or len(display) > _MAX_DISPLAY:
                t.reject(
                    row, f"the name is too long ({_MAX_FAMILY} for family name and tussenvoegsel)"
                )
                continue
            if row["familyName"] and not family.endswith(row["familyName"]):
                reordered.append(row)
            uid = row["sourcedId"]
            self.known_users[uid] = row
            self.names[uid] = (given, family, display, self._email(t, row))
        if reordered:
            first = reordered[0]
            self.warnings.append(
                f"{t.file}: {len(reordered)} family name(s) with the particles after a comma "
                f"were turned round (first at line {first.line}: {first['familyName']!r})"
            )

    def _email(self, t: CsvTable, row: CsvRow) -> str | None:
        """``email``, else ``username`` when it is an address; a bad ``email`` is a warning."""
        address = email_address(row["email"]) if row["email"] else None
        if address is not None:
            return address
        fallback = email_address(row["username"])
        if row["email"]:
            used = f"the username {fallback!r}" if fallback else "no address"
            self.warnings.append(
                f"{t.file} line {row.line}: email {row['email']!r} is not an address; "
                f"{used} is used"
            )
        return fallback

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
            school.persons[uid] = PersonSpec(uid, kind, *self.names[uid], organizer)
        with_role = {uid for uid, _ in self.user_roles}
        roleless = [row for uid, row in self.known_users.items() if uid not in with_role]
        if roleless:
            shown = ", ".join(f"line {r.line}: {r['sourcedId']!r}" for r in roleless[:10])
            more = ", ..." if len(roleless) > 10 else ""
            self.warnings.append(
                f"{roleless[0].file}: {len(roleless)} user(s) without a role in {t.file} were "
                f"skipped ({shown}{more})"
            )

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
