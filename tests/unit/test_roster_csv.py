"""Reading roster CSV files and the SDS mapping rules, without a database."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.models import GroupKind, PersonKind
from storage.roster.csv_table import Rejected, RosterFileError, read_table, sniff_delimiter
from storage.roster.mapping import classify_group, role_kind
from storage.roster.plan import read_export

FIXTURES = Path(__file__).parents[1] / "fixtures" / "roster"


def test_header_matching_is_case_and_space_insensitive(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_bytes(b"\xef\xbb\xbf User SourcedId ;ORG_SOURCED_ID;Role;Extra\r\nu1;o1;student;zz\r\n")
    t = read_table(f, required=("userSourcedId", "orgSourcedId", "role"))
    assert [r.values for r in t.rows] == [
        {"userSourcedId": "u1", "orgSourcedId": "o1", "role": "student"}
    ]
    assert t.rejected == [] and t.warnings == []


def test_quoted_fields_keep_delimiters_and_line_numbers_follow_the_file(tmp_path: Path) -> None:
    f = tmp_path / "users.csv"
    f.write_text(
        'sourcedId,username,familyName\n"a","a@x.nl","van\nDijk, de"\n\nb,,Smit\nc,c@x.nl,Bos\n',
        encoding="utf-8",
    )
    t = read_table(f, required=("sourcedId", "username"), optional=("familyName",))
    assert [(r.line, r["sourcedId"], r["familyName"]) for r in t.rows] == [
        (2, "a", "van Dijk, de"),
        (6, "c", "Bos"),
    ]
    assert t.rejected == [Rejected("users.csv", 5, "missing value for username")]


def test_cp1252_is_read_with_a_warning(tmp_path: Path) -> None:
    f = tmp_path / "courses.csv"
    f.write_bytes("sourcedId;title\nc1;Français\n".encode("cp1252"))
    t = read_table(f, required=("sourcedId", "title"))
    assert t.rows[0]["title"] == "Français"
    assert len(t.warnings) == 1 and "cp1252" in t.warnings[0]


def test_missing_column_and_empty_file_are_fatal(tmp_path: Path) -> None:
    f = tmp_path / "roles.csv"
    f.write_text("userSourcedId,role\nu1,student\n")
    with pytest.raises(RosterFileError, match="roles.csv: missing required column.*orgSourcedId"):
        read_table(f, required=("userSourcedId", "orgSourcedId", "role"))
    f.write_text("\n\n")
    with pytest.raises(RosterFileError, match="empty"):
        read_table(f, required=("userSourcedId",))


def test_delimiter_sniffing() -> None:
    assert sniff_delimiter("a;b;c\n1;2;3") == ";"
    assert sniff_delimiter('a,"b;c",d\n') == ","
    assert sniff_delimiter("a\tb\n") == "\t"


@pytest.mark.parametrize(
    ("title", "subject", "kind"),
    [
        ("3A", "wiskunde", GroupKind.CLASS),
        ("H4b", "Engels", GroupKind.CLASS),
        ("2 vwo B", "Frans", GroupKind.CLASS),
        ("4hv1", "Duits", GroupKind.CLASS),
        ("3A wiskunde", "wiskunde", GroupKind.TEACHING),
        ("4-du2", "Duits", GroupKind.TEACHING),
        ("Wiskunde B groep 5", "wiskunde", GroupKind.TEACHING),
        ("Mentorgroep Jansen", None, GroupKind.CLASS),
        ("5V stamklas", "Stamklas", GroupKind.CLASS),
    ],
)
def test_group_kind_rule(title: str, subject: str | None, kind: GroupKind) -> None:
    assert classify_group(title, subject) is kind


def test_role_mapping() -> None:
    assert role_kind("Student") == (PersonKind.STUDENT, False)
    assert role_kind("teacher") == (PersonKind.TEACHER, False)
    assert role_kind("administrator") == (PersonKind.STAFF, True)
    assert role_kind("officeStaff") == (PersonKind.STAFF, False)
    assert role_kind("guardian") is None and role_kind("wizard") is None


def test_clean_export_plan() -> None:
    plan = read_export(FIXTURES / "clean")
    assert plan.rejected == [] and plan.warnings == []
    (school,) = plan.schools.values()
    assert school.name == "Het Baken College"
    kinds = {g.roster_id: (g.kind, g.subject, g.grade) for g in school.groups.values()}
    assert kinds == {
        "k-3a": (GroupKind.CLASS, None, "3"),
        "k-4b": (GroupKind.CLASS, None, "4"),
        "g-3a-wi": (GroupKind.TEACHING, "wiskunde", None),
        "g-3a-en": (GroupKind.TEACHING, "Engels", None),
        "g-4-wi": (GroupKind.TEACHING, "wiskunde", None),
    }
    assert school.mentorships == {("t2", "s1"), ("t2", "s2"), ("t2", "s3"), ("t1", "s4")}


def test_missing_required_file(tmp_path: Path) -> None:
    with pytest.raises(RosterFileError, match="missing required file classes.csv"):
        for name in ("orgs.csv", "users.csv", "roles.csv", "enrollments.csv"):
            (tmp_path / name).write_bytes((FIXTURES / "clean" / name).read_bytes())
        read_export(tmp_path)
    with pytest.raises(RosterFileError, match="not a directory"):
        read_export(tmp_path / "nope")


def test_utf16_and_nul_bytes(tmp_path: Path) -> None:
    f = tmp_path / "orgs.csv"
    f.write_bytes("sourcedId\tname\r\no1\tÉcole Zoë\r\n".encode("utf-16"))
    assert read_table(f, required=("sourcedId", "name")).rows[0]["name"] == "École Zoë"
    f.write_bytes(b"sourcedId,name\no1,Sch\x00ool\n")
    assert read_table(f, required=("sourcedId", "name")).rows[0]["name"] == "School"


def test_unclosed_quote_is_named_in_the_reason(tmp_path: Path) -> None:
    f = tmp_path / "classes.csv"
    f.write_text('sourcedId,title,orgSourcedId\nk1,"3A,o1\nk2,3B,o1\nk3,3C,o1\n')
    t = read_table(f, required=("sourcedId", "title", "orgSourcedId"))
    assert t.rows == []
    assert t.rejected == [
        Rejected(
            "classes.csv",
            2,
            "missing value for orgSourcedId (the record runs to line 4: unclosed quote?)",
        )
    ]


def test_a_file_of_utf8_and_cp1252_together(tmp_path: Path) -> None:
    f = tmp_path / "users.csv"
    f.write_bytes(
        b"\xef\xbb\xbfsourcedId;username;givenName\r\n"
        + "s1;s1@x.nl;Zoë\r\n".encode()
        + "s2;s2@x.nl;Daniël\r\n".encode("cp1252")
    )
    t = read_table(f, required=("sourcedId", "username"), optional=("givenName",))
    assert [r["givenName"] for r in t.rows] == ["Zoë", "Daniël"]
    assert t.warnings == [
        "users.csv: not valid UTF-8 (first at line 3); those characters were read as "
        "Windows-1252 (cp1252)"
    ]


def test_double_encoding_is_repaired_only_where_it_is_certain(tmp_path: Path) -> None:
    f = tmp_path / "classes.csv"
    f.write_text("sourcedId,title\nk1,ChloÃ© Ã–zil\nk2,CAFÉ\u00a0Ç\u00a0\nk3,Zoë’s\n", "utf-8")
    t = read_table(f, required=("sourcedId", "title"))
    assert [r["title"] for r in t.rows] == ["Chloé Özil", "CAFÉ Ç", "Zoë’s"]
    assert len(t.warnings) == 1 and "2 place(s)" in t.warnings[0]


def test_header_found_by_its_names(tmp_path: Path) -> None:
    assert sniff_delimiter("Naam, voornaam;sourcedId;name", ("sourcedId", "name")) == ";"
    f = tmp_path / "orgs.csv"
    f.write_text('sep=,\n"Schoolnaam, vestiging";x\nsourcedId,name\no1,"A;B"\n')
    t = read_table(f, required=("sourcedId", "name"))
    assert [(r.line, r["name"]) for r in t.rows] == [(4, "A;B")]
    assert t.warnings == ["orgs.csv: line(s) 2 before the header were skipped"]


def test_excel_text_formulas_and_invisible_characters(tmp_path: Path) -> None:
    f = tmp_path / "roles.csv"
    f.write_text(
        'userSourcedId,orgSourcedId,role\n="00123","=""00042""",\u200bstudent\ufeff\n', "utf-8"
    )
    t = read_table(f, required=("userSourcedId", "orgSourcedId", "role"))
    assert t.rows[0].values == {
        "userSourcedId": "00123",
        "orgSourcedId": "00042",
        "role": "student",
    }
