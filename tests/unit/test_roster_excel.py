"""What Excel and hand editing do to the values: ids, names and addresses.

``excel-nl`` is an export as a Dutch school hands it over after working on it in Excel: numeric
SIS ids (``users.csv`` saved by Excel in Windows-1252 lost their leading zeros, so did the org id
in ``classes.csv``), one id in scientific notation, a duplicate row and empty ``;;;;`` rows, an
Excel ``sep=;`` line, ``roles.txt`` saved as "Unicode text" (UTF-16, tabs), family names
written "Vries, de" or with a separate ``tussenvoegsel`` column, addresses with spaces, capitals,
``mailto:`` and ``Name <...>``, a course subject double-encoded (``FranÃ§ais``), a quoted title
over two lines, and a ``relationships.csv`` that is not used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from storage.db import unit_of_work
from storage.models import Group, Person, School
from storage.roster.ids import lost_zero_matches
from storage.roster.importer import ImportReport, import_roster
from storage.roster.plan import read_export
from tests.support.roster_messy import Mess, write_messy

FIXTURES = Path(__file__).parents[1] / "fixtures" / "roster"
Factory = sessionmaker[Session]
SCIENTIFIC = (
    "sourcedId '1,23457E+11' is a number in scientific notation (Excel does this to long "
    "numbers; the id is lost): export the file again and do not open it in Excel, or format the "
    "column as text"
)


EVERY_FILE = ("orgs.csv", "users.csv", "roles.csv", "classes.csv", "enrollments.csv", "mentors.csv")


def _import(factory: Factory, path: Path) -> ImportReport:
    with unit_of_work(factory) as s:
        return import_roster(s, path)


def _snapshot(factory: Factory) -> list[tuple[Any, ...]]:
    with factory() as s:
        return [
            tuple(str(v) for v in row)
            for model in (School, Person, Group)
            for row in s.execute(select(*model.__table__.columns).order_by(model.id))
        ]


def test_excel_nl_export(session_factory: Factory) -> None:
    report = _import(session_factory, FIXTURES / "excel-nl")
    assert [(r.file, r.line, r.reason) for r in report.rejected] == [
        ("users.csv", 10, SCIENTIFIC),
        ("users.csv", 11, "sourcedId '000101' already used on line 2"),
        ("roles.txt", 10, "unknown user '000999'"),
        ("enrollments.csv", 12, "unknown class 'g-4a-xx'"),
    ]
    assert report.warnings == (
        "users.csv: not valid UTF-8 (first at line 2); those characters were read as "
        "Windows-1252 (cp1252)",
        "courses.csv: 1 place(s) held UTF-8 that had been read as Windows-1252 and saved again "
        "(first at line 2: 'Ã§' for 'ç'); repaired",
        "users.csv: 8 sourcedId value(s) lost their leading zeros (Excel does this; first at "
        "line 2: '101' is '000101' elsewhere in the export); read with the zeros",
        "classes.csv: 3 orgSourcedId value(s) lost their leading zeros (Excel does this; first "
        "at line 2: '42' is '00042' elsewhere in the export); read with the zeros",
        "users.csv line 7: email 'p.jansen@hooghe' is not an address; the username "
        "'docent.jansen@hooghe.nl' is used",
        "users.csv: 2 family name(s) with the particles after a comma were turned round (first "
        "at line 2: 'Vries, de')",
        "not read (Stoplicht does not use them): relationships.csv",
    )
    counts = {k: (c.created, c.active) for k, c in report.counts.items()}
    assert counts == {
        "students": (4, 4),
        "teachers": (3, 3),
        "staff": (0, 0),
        "groups": (3, 3),
        "enrolments": (8, 8),
        "teaching_assignments": (2, 2),
        "mentorships": (4, 4),
    }
    with session_factory() as s:
        school = s.scalars(select(School)).one()
        assert (school.roster_id, school.name) == ("00042", "SG 't Hooghe Land")
        people = {
            p.roster_id: (p.display_name, p.family_name, p.email, p.is_organizer)
            for p in s.scalars(select(Person))
        }
        assert people == {
            "000101": ("Daniël de Vries", "de Vries", "daniel.devries@hooghe.nl", False),
            "000102": ("Anouk van 't Hof", "van 't Hof", "anouk.vanthof@hooghe.nl", False),
            "000103": ("Zoë Çelik", "Çelik", "zoe.celik@hooghe.nl", False),
            "000104": ("Jürgen Ökçe", "Ökçe", "104@hooghe.nl", False),
            "000105": ("Ilse 't Hart", "'t Hart", "ilse.hart@hooghe.nl", False),
            "000201": ("Piet Jansen", "Jansen", "docent.jansen@hooghe.nl", False),
            "000202": ("Marieke van den Berg", "van den Berg", "m.vandenberg@hooghe.nl", True),
        }
        groups = {g.roster_id: (g.title, g.subject) for g in s.scalars(select(Group))}
        assert groups == {
            "k-4a": ("4A", None),
            "g-4a-fa": ("4A Frans, groep 1", "Français"),
            "g-4a-wi": ("4A wiskunde", "wiskunde"),
        }
    before = _snapshot(session_factory)
    assert not _import(session_factory, FIXTURES / "excel-nl").changed
    assert _snapshot(session_factory) == before


# The clean fixture with the numeric, zero-padded ids a school information system uses.
NUMERIC = {
    **{"org-1": "00042", "a1": "000301", "k-3a": "0031", "k-4b": "0041"},
    **{"s1": "000101", "s2": "000102", "s3": "000103", "s4": "000104"},
    **{"t1": "000201", "t2": "000202", "g-3a-wi": "003101", "g-3a-en": "003102"},
    "g-4-wi": "004101",
}


def _numeric(tmp_path: Path, name: str, *, lose_zeros: tuple[str, ...] = ("-",)) -> Path:
    """The clean export with numeric ids; files named in ``lose_zeros`` went through Excel."""

    def cell(file: str, column: str, value: str) -> str:
        value = NUMERIC.get(value, value) if column.endswith(("sourcedId", "SourcedId")) else value
        return value.lstrip("0") if file in lose_zeros and value.isdigit() else value

    return write_messy(FIXTURES / "clean", tmp_path / name, Mess(cell=cell))


@pytest.mark.parametrize(
    "files", [("users.csv",), ("roles.csv", "enrollments.csv"), ("orgs.csv", "classes.csv")]
)
def test_ids_that_lost_leading_zeros_in_some_files(tmp_path: Path, files: tuple[str, ...]) -> None:
    padded = read_export(_numeric(tmp_path, "padded"))
    mangled = read_export(_numeric(tmp_path, "mangled", lose_zeros=files))
    assert mangled.rejected == []
    assert mangled.schools == padded.schools
    assert {w.split(":")[0] for w in mangled.warnings} == set(files)
    assert all("lost their leading zeros" in w for w in mangled.warnings)


def test_two_defined_forms_are_two_ids(tmp_path: Path) -> None:
    d = _numeric(tmp_path, "x")
    users = d / "users.csv"
    users.write_text(users.read_text("utf-8") + "0101,extra@baken.nl,Ex,Tra,,\n", "utf-8")
    roles = d / "roles.csv"
    roles.write_text(roles.read_text("utf-8") + "101,00042,student,y2026,,\n", "utf-8")
    plan = read_export(d)
    assert [r.reason for r in plan.rejected] == ["unknown user '101'"]
    assert not any("leading zeros" in w for w in plan.warnings)


def test_lost_zero_matches_only_one_to_one() -> None:
    assert lost_zero_matches(["123", "x"], ["00123", "y"]) == {"123": "00123"}
    assert lost_zero_matches(["123"], ["0123", "00123"]) == {}
    assert lost_zero_matches(["123", "0123"], ["00123"]) == {}
    assert lost_zero_matches(["abc"], ["0abc"]) == {}


def test_every_file_through_excel_keeps_people_and_history(
    session_factory: Factory, tmp_path: Path
) -> None:
    _import(session_factory, _numeric(tmp_path, "padded"))
    before = _snapshot(session_factory)
    report = _import(session_factory, _numeric(tmp_path, "excel", lose_zeros=EVERY_FILE))
    assert not report.changed and report.rejected == ()
    assert [w.split(" id(s)")[0] for w in report.warnings] == ["1 school", "7 person", "5 group"]
    assert _snapshot(session_factory) == before


def test_an_earlier_excel_import_gets_its_zeros_back(
    session_factory: Factory, tmp_path: Path
) -> None:
    _import(session_factory, _numeric(tmp_path, "excel", lose_zeros=EVERY_FILE))
    with session_factory() as s:
        first = {p.roster_id: p.id for p in s.scalars(select(Person))}
    report = _import(session_factory, _numeric(tmp_path, "padded"))
    assert all(c.created == c.deactivated == 0 for c in report.counts.values())
    assert report.counts["students"].updated == 4 and report.counts["groups"].updated == 5
    with session_factory() as s:
        assert s.scalars(select(School.roster_id)).one() == "00042"
        now = {p.roster_id: p.id for p in s.scalars(select(Person))}
    assert now == {NUMERIC[k]: first[NUMERIC[k].lstrip("0")] for k in NUMERIC if k[0] in "sta"}
    assert not _import(session_factory, _numeric(tmp_path, "padded")).changed


def test_addresses_and_names(tmp_path: Path) -> None:
    d = write_messy(FIXTURES / "clean", tmp_path / "x", Mess())
    (d / "users.csv").write_text(
        "sourcedId,username,givenName,familyName,email,Tussenvoegsel\n"
        "s1,S1@Baken.nl,Anna,Vries,  ANNA.deVries @ baken.nl ,de\n"
        's2,s2@baken.nl,Bram,"Hof, van ’t",Bram <bram@baken.nl>,\n'
        's3,s3@baken.nl,Chloé,"Bakker, Chloé",mailto:chloe@baken.nl;,\n'
        "s4,daan,Daan,de Visser,geen,de\n"
        "t1,t1@baken.nl,Eva,Smit,eva@baken.nl; eva2@baken.nl,\n"
        "t2,t2@baken.nl,Floor,Meijer,floor.meijer@baken.nl,\n"
        "a1,admin@baken.nl,Gert,Mulder,,\n",
        "utf-8",
    )
    plan = read_export(d)
    people = {
        p.roster_id: (p.display_name, p.email) for p in plan.schools["org-1"].persons.values()
    }
    assert people == {
        "s1": ("Anna de Vries", "anna.devries@baken.nl"),
        "s2": ("Bram van ’t Hof", "bram@baken.nl"),
        "s3": ("Chloé Bakker, Chloé", "chloe@baken.nl"),  # not particles: left as written
        "s4": ("Daan de Visser", None),
        "t1": ("Eva Smit", "t1@baken.nl"),
        "t2": ("Floor Meijer", "floor.meijer@baken.nl"),
        "a1": ("Gert Mulder", "admin@baken.nl"),
    }
    assert plan.warnings == [
        "users.csv line 5: email 'geen' is not an address; no address is used",
        "users.csv line 6: email 'eva@baken.nl; eva2@baken.nl' is not an address; the username "
        "'t1@baken.nl' is used",
        "users.csv: 1 family name(s) with the particles after a comma were turned round (first "
        "at line 3: 'Hof, van ’t')",
    ]


def test_columns_that_change_every_row_are_named(tmp_path: Path) -> None:
    d = write_messy(
        FIXTURES / "clean",
        tmp_path / "x",
        Mess(header=lambda h: {"givenName": "Voornaam", "courseSourcedId": "vak"}.get(h, h)),
    )
    (d / "orgs.csv").write_text("sourcedId,name,type,Name\norg-1,Het Baken College,school,X\n")
    plan = read_export(d)
    assert plan.warnings == [
        "orgs.csv: column name appears twice (columns 2 and 4); the first one is read",
        "users.csv: no column givenName; names are incomplete (without either, people are "
        "shown by their username)",
        "classes.csv: no column courseSourcedId, so no class gets a subject from courses.csv "
        "(all are imported as homeroom classes)",
    ]
    assert plan.schools["org-1"].name == "Het Baken College"


def test_users_without_a_role_are_named(tmp_path: Path) -> None:
    d = write_messy(FIXTURES / "clean", tmp_path / "x", Mess(newline="\n"))
    lines = (d / "roles.csv").read_text("utf-8").splitlines(keepends=True)
    (d / "roles.csv").write_text("".join(lines[:4]), "utf-8")  # s4, t1, t2, a1 lose their role
    plan = read_export(d)
    assert plan.warnings[0] == (
        "users.csv: 4 user(s) without a role in roles.csv were skipped (line 5: 's4', "
        "line 6: 't1', line 7: 't2', line 8: 'a1')"
    )
