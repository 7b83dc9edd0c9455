"""``stoplicht roster import``: summary, --json, rejected rows and fatal input errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.cli.main import main
from storage.db import make_engine, make_session_factory
from storage.models import Person
from tests.support.roster_messy import zip_export

FIXTURES = Path(__file__).parents[1] / "fixtures" / "roster"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exc:
        main(["roster", "import", *args])
    out, err = capsys.readouterr()
    return int(exc.value.code or 0), out, err


def _persons(url: str) -> int:
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as s:
            return int(s.scalar(select(func.count()).select_from(Person)) or 0)
    finally:
        engine.dispose()


def test_summary_and_json(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, str(FIXTURES / "clean"), "--database-url", sqlite_url)
    assert code == 0 and err == ""
    assert "Het Baken College (1 new)" in out
    assert any(line.split() == ["students", "4", "4", "0", "0"] for line in out.splitlines())
    assert "rejected rows: 0" in out

    code, out, err = _run(capsys, str(FIXTURES / "clean"), "--json", "--database-url", sqlite_url)
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"schools", "schools_created", "counts", "rejected", "warnings"}
    assert data["schools"] == ["Het Baken College"] and data["schools_created"] == 0
    assert set(data["counts"]) == {
        "students",
        "teachers",
        "staff",
        "groups",
        "enrolments",
        "teaching_assignments",
        "mentorships",
    }
    assert data["counts"]["enrolments"] == {
        "created": 0,
        "updated": 0,
        "deactivated": 0,
        "active": 10,
    }


def test_rejected_rows_are_listed_and_exit_zero(
    sqlite_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(capsys, str(FIXTURES / "messy"), "--database-url", sqlite_url)
    assert code == 0
    assert "rejected rows: 29" in out
    assert "  users.csv:6: missing value for username" in out
    code, out, _ = _run(capsys, str(FIXTURES / "messy"), "--json", "--database-url", sqlite_url)
    rejected = json.loads(out)["rejected"]
    assert rejected[0] == {
        "file": "users.csv",
        "line": 5,
        "reason": "sourcedId 's3' already used on line 4",
    }


def test_missing_directory(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _run(capsys, str(tmp_path / "nope"), "--database-url", sqlite_url)
    assert code == 2 and out == ""
    assert err.strip() == f"stoplicht: not a directory or zip file: {tmp_path / 'nope'}"


def test_missing_file_and_column_change_nothing(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    d = tmp_path / "export"
    shutil.copytree(FIXTURES / "clean", d)
    (d / "roles.csv").unlink()
    code, out, err = _run(capsys, str(d), "--database-url", sqlite_url)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "missing required file roles.csv" in err

    shutil.copy(FIXTURES / "clean" / "roles.csv", d / "roles.csv")
    (d / "users.csv").write_text("sourcedId,givenName\ns1,Anna\n")
    code, out, err = _run(capsys, str(d), "--database-url", sqlite_url)
    assert code == 2
    assert err.strip() == (
        "stoplicht: users.csv: missing required column(s): username "
        "(the header on line 1 has: 'sourcedId', 'givenName')"
    )

    (d / "mentors.csv").write_text("userSourcedId,foo\nt1,x\n")
    shutil.copy(FIXTURES / "clean" / "users.csv", d / "users.csv")
    code, _, err = _run(capsys, str(d), "--database-url", sqlite_url)
    assert code == 2 and "mentors.csv" in err
    assert _persons(sqlite_url) == 0


def test_unknown_school_option(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(
        capsys, str(FIXTURES / "clean"), "--school", "X", "--database-url", sqlite_url
    )
    assert code == 2 and "no school 'X'" in err
    code, out, _ = _run(
        capsys, str(FIXTURES / "clean"), "--school", "org-1", "--database-url", sqlite_url
    )
    assert code == 0 and "Het Baken College" in out


def test_zip_of_an_excel_export(
    sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    archive = zip_export(FIXTURES / "excel-nl", tmp_path / "export.zip", folder="export/")
    code, out, err = _run(capsys, str(archive), "--database-url", sqlite_url)
    assert code == 0 and err == ""
    assert "SG 't Hooghe Land (1 new)" in out
    assert "rejected rows: 4" in out and "  roles.txt:10: unknown user '000999'" in out
    assert "warnings: 8" in out and "  the export was read from the folder 'export'" in out
    code, out, _ = _run(capsys, str(FIXTURES / "excel-nl"), "--json", "--database-url", sqlite_url)
    data = json.loads(out)
    assert code == 0 and len(data["warnings"]) == 7
    assert all(c["created"] == c["updated"] == 0 for c in data["counts"].values())
