"""A deterministic School Data Sync v2.1 export of any size, for tests and the benchmark.

Shape of each school (one org per school): students are spread over six years in homeroom
classes of 25 ("1A", "1B", ...). Every class takes all subjects but one (which one rotates per
class), each in its own teaching group ("1A wiskunde") taught by one teacher; teachers take the
teaching groups in turn. Each homeroom class has a mentor (``mentors.csv`` by class). One
administrator per school. With the defaults (2,000 students, 160 teachers, 13 subjects) that is
80 classes, 960 teaching groups and 26,000 enrolments.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

SUBJECTS = (
    "Nederlands",
    "Engels",
    "wiskunde",
    "Frans",
    "Duits",
    "geschiedenis",
    "aardrijkskunde",
    "biologie",
    "natuurkunde",
    "scheikunde",
    "economie",
    "lichamelijke opvoeding",
    "tekenen",
    "muziek",
    "informatica",
    "filosofie",
)
GIVEN = (
    "Anna",
    "Bram",
    "Chloë",
    "Daniël",
    "Eva",
    "Finn",
    "Zoë",
    "Sem",
    "Noor",
    "Lucas",
    "Mila",
    "Levi",
    "Tess",
    "Milan",
    "Julia",
    "Thijs",
    "Saar",
    "Luuk",
    "Fenna",
    "Jesse",
)
FAMILY = (
    "de Vries",
    "Jansen",
    "Çelik",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Dijk",
    "Yılmaz",
)


@dataclass(frozen=True)
class GeneratedExport:
    students: int
    teachers: int
    staff: int
    classes: int
    teaching_groups: int
    enrolments: int
    assignments: int
    mentorships: int


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)


def write_export(
    directory: Path,
    *,
    students: int = 2000,
    teachers: int = 160,
    subjects: int = 13,
    schools: int = 1,
    class_size: int = 25,
) -> GeneratedExport:
    """Write orgs, users, roles, courses, academicSessions, classes, enrollments and mentors."""
    if subjects > len(SUBJECTS) or subjects < 2:
        raise ValueError(f"subjects must be between 2 and {len(SUBJECTS)}")
    directory.mkdir(parents=True, exist_ok=True)
    orgs, users, roles, courses, classes, enrols, mentors = [], [], [], [], [], [], []
    n_classes = n_groups = 0
    for o in range(schools):
        org = f"org{o + 1}"
        domain = f"school{o + 1}.example.nl"
        orgs.append([org, f"Scholengemeenschap {o + 1}", "school"])
        for k, subject in enumerate(SUBJECTS[:subjects]):
            courses.append([f"{org}-c{k}", org, subject.capitalize(), subject[:3], "sy", subject])

        def person(uid: str, i: int, role: str, org: str = org, domain: str = domain) -> None:
            given, family = GIVEN[i % len(GIVEN)], FAMILY[(i // len(GIVEN)) % len(FAMILY)]
            users.append([uid, f"{uid}@{domain}", given, family, f"{uid}@{domain}"])
            roles.append([uid, org, role, "sy"])

        teacher_ids = [f"{org}-t{i}" for i in range(teachers)]
        for i, uid in enumerate(teacher_ids):
            person(uid, i + 7, "teacher")
        person(f"{org}-a0", 3, "administrator")
        per_year = -(-students // (class_size * 6)) or 1
        next_teacher = 0
        for s in range(students):
            class_no = s // class_size
            year, letter = class_no // per_year + 1, chr(ord("A") + class_no % per_year)
            title = f"{year}{letter}"
            cid = f"{org}-k{class_no}"
            sid = f"{org}-s{s}"
            person(sid, s, "student")
            if s % class_size == 0:
                n_classes += 1
                classes.append([cid, org, title, "sy", "", title])
                mentors.append([teacher_ids[class_no % teachers], cid])
                skipped = class_no % subjects
                for k in range(subjects):
                    if k == skipped:
                        continue
                    gid = f"{cid}-g{k}"
                    classes.append(
                        [gid, org, f"{title} {SUBJECTS[k]}", "sy", f"{org}-c{k}", f"{title}.{k}"]
                    )
                    enrols.append([gid, teacher_ids[next_teacher % teachers], "teacher"])
                    next_teacher += 1
                    n_groups += 1
            enrols.append([cid, sid, "student"])
            for k in range(subjects):
                if k != class_no % subjects:
                    enrols.append([f"{cid}-g{k}", sid, "student"])
    _write(directory / "orgs.csv", ["sourcedId", "name", "type"], orgs)
    _write(
        directory / "users.csv",
        ["sourcedId", "username", "givenName", "familyName", "email"],
        users,
    )
    _write(
        directory / "roles.csv",
        ["userSourcedId", "orgSourcedId", "role", "sessionSourcedId"],
        roles,
    )
    _write(
        directory / "academicSessions.csv",
        ["sourcedId", "title", "type", "schoolYear", "startDate", "endDate"],
        [["sy", "2026-2027", "schoolYear", "2027", "2026-08-01", "2027-07-31"]],
    )
    _write(
        directory / "courses.csv",
        ["sourcedId", "orgSourcedId", "title", "code", "schoolYearSourcedId", "subject"],
        courses,
    )
    _write(
        directory / "classes.csv",
        ["sourcedId", "orgSourcedId", "title", "sessionSourcedIds", "courseSourcedId", "code"],
        classes,
    )
    _write(directory / "enrollments.csv", ["classSourcedId", "userSourcedId", "role"], enrols)
    _write(directory / "mentors.csv", ["userSourcedId", "classSourcedId"], mentors)
    student_enrols = sum(1 for e in enrols if e[2] == "student")
    return GeneratedExport(
        students=students * schools,
        teachers=teachers * schools,
        staff=schools,
        classes=n_classes,
        teaching_groups=n_groups,
        enrolments=student_enrols,
        assignments=len(enrols) - student_enrols,
        mentorships=students * schools,
    )
