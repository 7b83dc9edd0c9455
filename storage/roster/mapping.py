"""How School Data Sync records map onto Stoplicht's people and groups (the rules only).

Roles (``roles.csv`` and ``enrollments.csv``): see :func:`role_kind`; umbrella orgs (district,
state, ...) are not schools.

Teaching group or class? A class's *subject* is its course's ``subject``, else the course's
``title``. A class is a teaching group (``GroupKind.TEACHING``, subject set) when it has a
subject, unless its title looks like a homeroom class code ("3A", "H4b", "2 vwo B", "4hv1")
or the subject itself names homeroom/mentor time ("stamklas", "mentoraat", "homeroom"); then,
and for every class without a course, it is a class (``GroupKind.CLASS``, no subject). Grade
comes from the course's ``grade``, else from the digit in a homeroom code.

Names: a family name exported as "Vries, de" or "Berg, van den" (the particles after a comma,
as some administrations sort them) is read as "de Vries", "van den Berg"; a separate particle
column (``tussenvoegsel``) is put in front of the family name. Particles keep their case.
Addresses: spaces, ``mailto:`` and ``Name <...>`` around an address are dropped; it is kept in
lower case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storage.models import GroupKind, PersonKind
from storage.names import APOSTROPHES, PARTICLES

UMBRELLA_ORG_TYPES = frozenset(
    t.lower()
    for t in (
        "district",
        "state",
        "national",
        "departmentOfEducation",
        "ministryOfEducation",
        "localAuthority",
        "region",
        "province",
        "municipality",
        "academicTrust",
    )
)
TEACHER_ROLES = frozenset(
    r.lower()
    for r in (
        "teacher",
        "faculty",
        "instructor",
        "lecturer",
        "professor",
        "teacherAssistant",
        "substitute",
        "adjunct",
    )
)
ORGANIZER_ROLES = frozenset(("administrator", "principal"))
STAFF_ROLES = ORGANIZER_ROLES | frozenset(
    r.lower()
    for r in (
        "staff",
        "officeStaff",
        "itAdmin",
        "counselor",
        "advisor",
        "aide",
        "nurse",
        "proctor",
        "chair",
        "specialServices",
        "paraprofessional",
        "coach",
        "researcher",
        "assistant",
        "affiliate",
        "occupationalTherapist",
        "physicalTherapist",
        "speechTherapist",
        "visionTherapist",
    )
)
NOT_IMPORTED_ROLES = frozenset(("guardian", "parent", "relative", "alumni", "other"))
HOMEROOM_SUBJECTS = frozenset(
    ("stamklas", "stamgroep", "mentoraat", "mentor", "mentoruur", "homeroom", "klas")
)
_LEVEL = r"(?:vwo|havo|vmbo|mavo|gym|ath|atheneum|tl|kb|bb|gl|hv|mh|mv|tto)"
HOMEROOM_TITLE = re.compile(
    rf"^[a-z]{{0,2}}\s?(?P<grade>\d)\s?(?:{_LEVEL}\s?[a-z]{{0,2}}\s?\d?|[a-z]{{1,2}}\s?\d?)$",
    re.IGNORECASE,
)
_ADDRESS = re.compile(r"[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+")
KIND_RANK = {PersonKind.STUDENT: 0, PersonKind.STAFF: 1, PersonKind.TEACHER: 2}


@dataclass(frozen=True)
class PersonSpec:
    roster_id: str
    kind: PersonKind
    given_name: str
    family_name: str
    display_name: str
    email: str | None
    is_organizer: bool


@dataclass(frozen=True)
class GroupSpec:
    roster_id: str
    title: str
    kind: GroupKind
    subject: str | None
    grade: str | None


@dataclass
class SchoolPlan:
    """Everything one school should hold after the import; links use roster ids."""

    roster_id: str
    name: str
    persons: dict[str, PersonSpec] = field(default_factory=dict)
    groups: dict[str, GroupSpec] = field(default_factory=dict)
    enrolments: set[tuple[str, str]] = field(default_factory=set)  # (group, student)
    assignments: set[tuple[str, str]] = field(default_factory=set)  # (group, teacher)
    mentorships: set[tuple[str, str]] = field(default_factory=set)  # (mentor, student)


def classify_group(title: str, subject: str | None) -> GroupKind:
    """The documented rule: see the module docstring."""
    if not subject or subject.strip().lower() in HOMEROOM_SUBJECTS:
        return GroupKind.CLASS
    if HOMEROOM_TITLE.match(title.strip()):
        return GroupKind.CLASS
    return GroupKind.TEACHING


def role_kind(role: str) -> tuple[PersonKind, bool] | None:
    """(kind, is_organizer) for an SDS role value, or None when it is not imported."""
    r = role.strip().lower()
    if r == "student":
        return PersonKind.STUDENT, False
    if r in TEACHER_ROLES:
        return PersonKind.TEACHER, False
    if r in STAFF_ROLES:
        return PersonKind.STAFF, r in ORGANIZER_ROLES
    return None


def is_particle_run(words: str) -> bool:
    """True for "van den", "'t", "De La"; False for "", "Piet", "jr."."""
    tokens = words.translate(APOSTROPHES).lower().split()
    return bool(tokens) and all(t in PARTICLES for t in tokens)


def family_name(family: str, particles: str = "") -> str:
    """ "de Vries" from "Vries, de", or from "Vries" and the particles "de"."""
    head, comma, tail = family.rpartition(",")
    if comma and head.strip() and is_particle_run(tail):
        family = f"{tail.strip()} {head.strip()}"
    particles = particles.strip()
    if particles and not family.lower().startswith(f"{particles.lower()} "):
        family = f"{particles} {family}".strip()
    return family


def email_address(value: str) -> str | None:
    """The address in ``value`` in lower case, or None when it holds none (or more than one)."""
    m = re.search(r"<([^<>]*)>", value)
    v = "".join((m.group(1) if m else value).split()).strip("'\"").lower()
    v = v.removeprefix("mailto:").rstrip(".,;")
    return v if _ADDRESS.fullmatch(v) else None
