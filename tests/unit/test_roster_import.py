"""Roster import against the database, on SQLite and PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import unit_of_work
from storage.models import (
    Enrolment,
    Group,
    GroupKind,
    Mentorship,
    Person,
    PersonKind,
    School,
    TeachingAssignment,
)
from storage.roster.importer import ImportReport, Rejected, RosterFileError, import_roster
from tests.support.roster_gen import write_export

FIXTURES = Path(__file__).parents[1] / "fixtures" / "roster"
Factory = sessionmaker[Session]


def _import(factory: Factory, directory: Path, **kw: Any) -> ImportReport:
    with unit_of_work(factory) as s:
        return import_roster(s, directory, **kw)


def _counts(report: ImportReport) -> dict[str, tuple[int, int, int, int]]:
    return {k: (c.created, c.updated, c.deactivated, c.active) for k, c in report.counts.items()}


def _snapshot(factory: Factory) -> dict[str, list[tuple[Any, ...]]]:
    out: dict[str, list[tuple[Any, ...]]] = {}
    with factory() as s:
        for model in (School, Person, Group, Enrolment, TeachingAssignment, Mentorship):
            cols = [c for c in model.__table__.columns]
            out[model.__tablename__] = sorted(
                tuple(str(v) for v in row) for row in s.execute(select(*cols))
            )
    return out


def _person(s: Session, roster_id: str) -> Person:
    return s.scalars(select(Person).where(Person.roster_id == roster_id)).one()


def _copy(src: str, tmp_path: Path) -> Path:
    dst = tmp_path / src
    shutil.copytree(FIXTURES / src, dst)
    return dst


def _drop_lines(path: Path, *needles: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join(x for x in lines if not any(n in x for n in needles)), "utf-8")


def test_clean_import(session_factory: Factory) -> None:
    report = _import(session_factory, FIXTURES / "clean")
    assert report.schools == ("Het Baken College",) and report.schools_created == 1
    assert report.rejected == () and report.warnings == ()
    assert _counts(report) == {
        "students": (4, 0, 0, 4),
        "teachers": (2, 0, 0, 2),
        "staff": (1, 0, 0, 1),
        "groups": (5, 0, 0, 5),
        "enrolments": (10, 0, 0, 10),
        "teaching_assignments": (3, 0, 0, 3),
        "mentorships": (4, 0, 0, 4),
    }
    with session_factory() as s:
        school = s.scalars(select(School)).one()
        assert school.roster_id == "org-1"
        bram = _person(s, "s2")
        assert (bram.kind, bram.display_name, bram.email) == (
            PersonKind.STUDENT,
            "Bram Jansen",
            "bram.jansen@baken.nl",
        )
        admin = _person(s, "a1")
        assert (admin.kind, admin.is_organizer, admin.email) == (
            PersonKind.STAFF,
            True,
            "admin@baken.nl",
        )
        assert not _person(s, "t1").is_organizer
        wi = s.scalars(select(Group).where(Group.roster_id == "g-3a-wi")).one()
        assert (wi.kind, wi.subject, wi.school_id) == (GroupKind.TEACHING, "wiskunde", school.id)


def test_messy_import_reports_bad_rows_and_keeps_good_ones(session_factory: Factory) -> None:
    report = _import(session_factory, FIXTURES / "messy")
    assert [(r.file, r.line, r.reason) for r in report.rejected] == [
        ("users.csv", 5, "sourcedId 's3' already used on line 4"),
        ("users.csv", 6, "missing value for username"),
        ("users.csv", 14, "sourcedId 's1' already used on line 2"),
        ("users.csv", 15, "givenName is longer than 200 characters"),
        ("roles.csv", 10, "role 'guardian' is not imported"),
        ("roles.csv", 11, "unknown user 's9'"),
        ("roles.csv", 12, "unknown org 'org-9'"),
        ("roles.csv", 13, "duplicate of line 2"),
        ("roles.csv", 14, "user 's2' already has role student at 'org-1'"),
        ("roles.csv", 15, "role 'wizard' is unknown"),
        ("roles.csv", 16, "unknown user 's4'"),
        ("roles.csv", 17, "missing value for orgSourcedId"),
        ("classes.csv", 7, "sourcedId 'g-fa' already used on line 4"),
        ("classes.csv", 8, "unknown org 'org-9'"),
        ("classes.csv", 9, "org 'dist-1' is not a school"),
        ("classes.csv", 10, "missing value for sourcedId"),
        ("classes.csv", 11, "row has 9 fields but the header has 7"),
        ("enrollments.csv", 13, "duplicate of line 8"),
        ("enrollments.csv", 14, "unknown class 'g-zz'"),
        ("enrollments.csv", 15, "unknown user 's9'"),
        ("enrollments.csv", 16, "user 't1' is a teacher, not a student"),
        ("enrollments.csv", 17, "user 's2' is a student, not a teacher"),
        ("enrollments.csv", 18, "user 'p1' has no role at org 'org-1'"),
        ("enrollments.csv", 19, "enrolment role 'guardian' is not imported"),
        ("enrollments.csv", 20, "missing value for userSourcedId"),
        ("mentors.csv", 4, "user 's1' is a student and cannot be a mentor"),
        ("mentors.csv", 5, "unknown student 's9'"),
        ("mentors.csv", 6, "unknown class 'k-zz'"),
        ("mentors.csv", 7, "missing value for classSourcedId or studentSourcedId"),
    ]
    assert any("courses.csv" in w and "cp1252" in w for w in report.warnings)
    assert any("unknown course 'c-xx'" in w for w in report.warnings)
    assert _counts(report) == {
        "students": (4, 0, 0, 4),
        "teachers": (2, 0, 0, 2),
        "staff": (1, 0, 0, 1),
        "groups": (5, 0, 0, 5),
        "enrolments": (9, 0, 0, 9),
        "teaching_assignments": (2, 0, 0, 2),
        "mentorships": (4, 0, 0, 4),
    }
    with session_factory() as s:
        assert s.scalars(select(School.name)).all() == ["Vechtdal Lyceum"]
        zoe = _person(s, "s1")
        assert (zoe.display_name, zoe.email) == ("Zoë Çelik", "zoe.celik@vecht.nl")
        assert _person(s, "s2").display_name == "Daniël van den Berg; jr."
        assert _person(s, "s2").email == "s2@vecht.nl"  # UPN when email is blank
        assert _person(s, "s5").family_name == "van Leeuwen"
        assert _person(s, "t1").display_name == "Jürgen Ökçe"
        assert _person(s, "t2").is_organizer and _person(s, "t2").kind is PersonKind.TEACHER
        groups = {g.roster_id: (g.title, g.kind, g.subject) for g in s.scalars(select(Group))}
        assert groups == {
            "k-2a": ("2A", GroupKind.CLASS, None),
            "k-h4b": ("H4b", GroupKind.CLASS, None),
            "g-fa": ("2A Frans, groep 1", GroupKind.TEACHING, "Frans"),
            "g-wi": ("2A wiskunde", GroupKind.TEACHING, "Wiskunde B"),
            "g-x": ("2A tekenen", GroupKind.CLASS, None),
        }
        ids = {p.id: p.roster_id for p in s.scalars(select(Person))}
        mentorships = {(ids[m.mentor_id], ids[m.student_id]) for m in s.scalars(select(Mentorship))}
        assert mentorships == {("t1", "s1"), ("t1", "s2"), ("t1", "s3"), ("t2", "s5")}


@pytest.mark.parametrize("fixture", ["clean", "messy"])
def test_reimport_changes_nothing(session_factory: Factory, fixture: str) -> None:
    _import(session_factory, FIXTURES / fixture)
    before = _snapshot(session_factory)
    again = _import(session_factory, FIXTURES / fixture)
    assert not again.changed
    assert all(c.created == c.updated == c.deactivated == 0 for c in again.counts.values())
    assert _snapshot(session_factory) == before


def test_removed_rows_become_inactive_and_come_back(
    session_factory: Factory, tmp_path: Path
) -> None:
    _import(session_factory, FIXTURES / "clean")
    smaller = _copy("clean", tmp_path)
    for name in ("users.csv", "roles.csv", "enrollments.csv"):
        _drop_lines(smaller / name, "s3,")
    _drop_lines(smaller / "classes.csv", "g-3a-en")
    _drop_lines(smaller / "enrollments.csv", "g-3a-en")
    report = _import(session_factory, smaller)
    assert _counts(report)["students"] == (0, 0, 1, 3)
    assert _counts(report)["groups"] == (0, 0, 1, 4)
    # s3: homeroom + wiskunde; g-3a-en: s1, s2 (s3 was not in it)
    assert _counts(report)["enrolments"] == (0, 0, 4, 6)
    assert _counts(report)["teaching_assignments"] == (0, 0, 1, 2)
    assert _counts(report)["mentorships"] == (0, 0, 1, 3)
    with session_factory() as s:
        s3 = _person(s, "s3")
        assert not s3.active and s3.display_name == "Chloé Bakker"  # kept, not deleted
        assert {
            e.active for e in s.scalars(select(Enrolment).where(Enrolment.student_id == s3.id))
        } == {False}
        assert s.scalars(select(Group.active).where(Group.roster_id == "g-3a-en")).one() is False
    back = _import(session_factory, FIXTURES / "clean")
    assert _counts(back)["students"] == (0, 1, 0, 4)
    assert _counts(back)["enrolments"] == (0, 4, 0, 10)
    assert _counts(back)["mentorships"] == (0, 1, 0, 4)
    with session_factory() as s:
        assert _person(s, "s3").active
        assert all(s.scalars(select(Enrolment.active)))
        assert all(s.scalars(select(Mentorship.active)))


def test_changed_names_and_emails_are_updated(session_factory: Factory, tmp_path: Path) -> None:
    _import(session_factory, FIXTURES / "clean")
    changed = _copy("clean", tmp_path)
    users = changed / "users.csv"
    users.write_text(
        users.read_text("utf-8")
        .replace("Anna,de Vries,anna.devries@baken.nl", "Anna,Jansen-de Vries,A.Jansen@baken.nl")
        .replace("Eva,Smit", "Eva,Smit-Kok"),
        "utf-8",
    )
    classes = changed / "classes.csv"
    classes.write_text(classes.read_text("utf-8").replace("3A Engels", "3A English"), "utf-8")
    report = _import(session_factory, changed)
    assert _counts(report)["students"] == (0, 1, 0, 4)
    assert _counts(report)["teachers"] == (0, 1, 0, 2)
    assert _counts(report)["groups"] == (0, 1, 0, 5)
    with session_factory() as s:
        anna = _person(s, "s1")
        assert (anna.display_name, anna.email) == ("Anna Jansen-de Vries", "a.jansen@baken.nl")
        assert _person(s, "t1").family_name == "Smit-Kok"


def test_two_orgs_are_two_isolated_schools(session_factory: Factory, tmp_path: Path) -> None:
    shape = write_export(tmp_path / "x", students=30, teachers=4, subjects=3, schools=2)
    report = _import(session_factory, tmp_path / "x")
    assert report.schools_created == 2 and report.rejected == ()
    assert report.counts["students"].active == shape.students == 60
    assert report.counts["enrolments"].active == shape.enrolments
    with session_factory() as s:
        schools = {sc.roster_id: sc.id for sc in s.scalars(select(School))}
        assert set(schools) == {"org1", "org2"}
        for org, school_id in schools.items():
            people = s.scalars(select(Person).where(Person.school_id == school_id)).all()
            assert {p.roster_id.split("-")[0] for p in people} == {org}
            groups = s.scalars(select(Group).where(Group.school_id == school_id)).all()
            assert {g.roster_id.split("-")[0] for g in groups} == {org}
            # every link of this school stays inside it
            group_ids = {g.id for g in groups}
            person_ids = {p.id for p in people}
            for e in s.scalars(select(Enrolment).where(Enrolment.group_id.in_(group_ids))):
                assert e.student_id in person_ids
    # an import limited to one school leaves the other untouched
    _drop_lines(tmp_path / "x" / "users.csv", "org1-s1,", "org2-s1,")
    only2 = _import(session_factory, tmp_path / "x", school="Scholengemeenschap 2")
    assert only2.schools == ("Scholengemeenschap 2",)
    assert only2.counts["students"].deactivated == 1
    with session_factory() as s:
        assert _person(s, "org1-s1").active and not _person(s, "org2-s1").active
    with pytest.raises(RosterFileError, match="no school 'Elders'"):
        _import(session_factory, tmp_path / "x", school="Elders")


def test_same_user_in_two_orgs_is_one_person_per_school(
    session_factory: Factory, tmp_path: Path
) -> None:
    d = _copy("clean", tmp_path)
    with (d / "orgs.csv").open("a") as f:
        f.write("org-2,Het Baken Mavo,school\n")
    with (d / "roles.csv").open("a") as f:
        f.write("t1,org-2,teacher,y2026,,false\n")
    _import(session_factory, d)
    with session_factory() as s:
        rows = s.scalars(select(Person).where(Person.roster_id == "t1")).all()
        assert len({p.school_id for p in rows}) == 2


def test_mentors_by_student(session_factory: Factory, tmp_path: Path) -> None:
    d = _copy("clean", tmp_path)
    (d / "mentors.csv").write_text(
        "userSourcedId,studentSourcedId\nt1,s1\nt1,s2\na1,s4\nt2,nobody\n"
    )
    report = _import(session_factory, d)
    assert report.rejected == (Rejected("mentors.csv", 5, "unknown student 'nobody'"),)
    assert _counts(report)["mentorships"] == (3, 0, 0, 3)
    with session_factory() as s:
        ids = {p.id: p.roster_id for p in s.scalars(select(Person))}
        pairs = {(ids[m.mentor_id], ids[m.student_id]) for m in s.scalars(select(Mentorship))}
        assert pairs == {("t1", "s1"), ("t1", "s2"), ("a1", "s4")}


def test_fatal_errors_write_nothing(session_factory: Factory, tmp_path: Path) -> None:
    d = _copy("clean", tmp_path)
    (d / "enrollments.csv").write_text("classSourcedId,userSourcedId\nk-3a,s1\n")
    with pytest.raises(RosterFileError, match="enrollments.csv: missing required column"):
        _import(session_factory, d)
    (d / "enrollments.csv").unlink()
    with pytest.raises(RosterFileError, match="missing required file enrollments.csv"):
        _import(session_factory, d)
    with session_factory() as s:
        assert s.scalars(select(School)).all() == []


def test_existing_school_without_roster_id_is_adopted(sqlite_session_factory: Factory) -> None:
    with unit_of_work(sqlite_session_factory) as s:
        s.add(School(name="het baken college", teams_tenant_id="tenant-1"))
    report = _import(sqlite_session_factory, FIXTURES / "clean")
    assert report.schools_created == 0
    with sqlite_session_factory() as s:
        school = s.scalars(select(School)).one()
        assert (school.roster_id, school.name, school.teams_tenant_id) == (
            "org-1",
            "Het Baken College",
            "tenant-1",
        )


def test_a_tussenvoegsel_making_the_name_too_long_rejects_that_row(
    session_factory: Factory, tmp_path: Path
) -> None:
    """Each part fits its column, but with the particles the family name would not: the row is
    rejected (on PostgreSQL it would otherwise end the whole import), the others are imported."""
    users = tmp_path / "clean" / "users.csv"
    shutil.copytree(FIXTURES / "clean", tmp_path / "clean")
    lines = users.read_text(encoding="utf-8").splitlines()
    lines[0] += ",tussenvoegsel"
    lines[1] = f"s1,s1@baken.nl,Anna,{'V' * 150},anna.devries@baken.nl,,{'van ' * 20}"
    lines[2:] = [line + "," for line in lines[2:]]
    users.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = _import(session_factory, tmp_path / "clean")
    first, *rest = [(r.file, r.line, r.reason) for r in report.rejected]
    assert first == ("users.csv", 2, "the name is too long (200 for family name and tussenvoegsel)")
    assert rest and {reason for _, _, reason in rest} == {"unknown user 's1'"}  # its links too
    with session_factory() as s:
        assert s.scalars(select(Person).where(Person.roster_id == "s1")).first() is None
        assert _person(s, "s2").display_name == "Bram Jansen"
