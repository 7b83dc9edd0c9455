"""Roster exports that cannot be imported: one clear line naming the file, nothing changed.

The database already holds an import of the clean fixture; each bad export must leave it exactly
as it was, through the library and through ``stoplicht roster import`` (exit 2, one line).
"""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli.main import main
from storage.db import make_engine, make_session_factory, unit_of_work
from storage.models import Enrolment, Group, Person, School
from storage.roster.importer import RosterFileError, import_roster
from tests.support.roster_messy import zip_export

FIXTURES = Path(__file__).parents[1] / "fixtures" / "roster"


def _copy(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURES / "clean", tmp_path / "export"))


def _with(name: str, data: bytes) -> Callable[[Path], Path]:
    def build(tmp_path: Path) -> Path:
        d = _copy(tmp_path)
        (d / name).write_bytes(data)
        return d

    return build


def _renamed(old: str, new: str) -> Callable[[Path], Path]:
    def build(tmp_path: Path) -> Path:
        d = _copy(tmp_path)
        (d / old).rename(d / new)
        return d

    return build


def _sds_v1(tmp_path: Path) -> Path:
    d = tmp_path / "v1"
    d.mkdir()
    for name in ("School.csv", "Section.csv", "Student.csv", "Teacher.csv"):
        (d / name).write_text("SIS ID,Name\n1,x\n")
    return d


def _one_file(tmp_path: Path) -> Path:
    return _copy(tmp_path) / "users.csv"


def _not_a_zip(tmp_path: Path) -> Path:
    path = tmp_path / "export.zip"
    path.write_bytes(b"this is not a zip file")
    return path


def _encrypted_zip(tmp_path: Path) -> Path:
    """A zip whose entries say they are encrypted (general purpose flag bit 0)."""
    path = zip_export(FIXTURES / "clean", tmp_path / "locked.zip")
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + 8] |= 1
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))
    return path


def _two_exports_in_a_zip(tmp_path: Path) -> Path:
    path = zip_export(FIXTURES / "clean", tmp_path / "two.zip", folder="2025/")
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("2026/orgs.csv", (FIXTURES / "clean" / "orgs.csv").read_bytes())
    return path


def _two_exports_in_a_directory(tmp_path: Path) -> Path:
    shutil.copytree(FIXTURES / "clean", tmp_path / "all" / "a")
    shutil.copytree(FIXTURES / "clean", tmp_path / "all" / "b")
    return tmp_path / "all"


def _same_name_twice(tmp_path: Path) -> Path:
    d = _copy(tmp_path)
    shutil.copy(d / "users.csv", d / "Users.csv")
    return d


def _zip_bomb(tmp_path: Path) -> Path:
    """The clean export, but users.csv unpacks to 24 MB from about 24 KB (a thousand times)."""
    path = tmp_path / "bomb.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for f in sorted((FIXTURES / "clean").iterdir()):
            if f.name != "users.csv":
                archive.write(f, f.name)
        archive.writestr("users.csv", b"sourcedId,username\n" + b"x" * (24 * 1024 * 1024))
    return path


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "zip-bomb": (_zip_bomb, "bomb.zip: users.csv unpacks to 25165843 bytes from"),
    "workbook-saved-as-csv": (
        _with("users.csv", b"PK\x03\x04\x14\x00\x06\x00rest of a workbook"),
        "users.csv: this is an Excel workbook (.xlsx), not a CSV file; in Excel use Save as > "
        "'CSV UTF-8 (comma delimited)'",
    ),
    "old-workbook-saved-as-csv": (
        _with("roles.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
        "roles.csv: this is an Excel workbook (.xls)",
    ),
    "workbook-instead-of-csv": (
        _renamed("users.csv", "users.xlsx"),
        "/export (there is users.xlsx: in Excel use Save as > 'CSV UTF-8')",
    ),
    "sds-v1-export": (_sds_v1, "this looks like an export in the older SDS v1 format"),
    "one-csv-file": (_one_file, "users.csv is one file; give the directory or zip file"),
    "not-a-zip": (_not_a_zip, "export.zip: not a readable zip file"),
    "encrypted-zip": (_encrypted_zip, "locked.zip: orgs.csv is password-protected"),
    "two-exports-in-a-zip": (
        _two_exports_in_a_zip,
        "two.zip holds several exports (in 2025, 2026)",
    ),
    "two-exports-in-a-directory": (_two_exports_in_a_directory, "holds several exports (in a, b)"),
    "same-name-twice": (_same_name_twice, "two files named users.csv (Users.csv, users.csv)"),
    "truncated-utf16": (
        _with("orgs.csv", "sourcedId\tname\r\norg-1\tX\r\n".encode("utf-16") + b"\x00"),
        "orgs.csv: looks like UTF-16 but byte",
    ),
    "header-of-another-system": (
        _with("users.csv", b"Export leerlingen\r\nLeerlingnummer;Roepnaam;Achternaam\r\n1;A;B\r\n"),
        "users.csv: missing required column(s): sourcedId, username (the header on line 1 has: "
        "'Export leerlingen')",
    ),
    "only-a-sep-line": (_with("classes.csv", b"sep=;\r\n\r\n"), "classes.csv: the file is empty"),
    "empty-file": (_with("enrollments.csv", b""), "enrollments.csv: the file is empty"),
    "unclosed-quote-to-the-end": (
        _with("users.csv", b'sourcedId,username\ns1,"s1@x.nl\n' + b"x" * 140_000),
        "users.csv line 2: unreadable CSV (field larger than field limit",
    ),
}


def _snapshot(factory: sessionmaker[Session]) -> list[tuple[Any, ...]]:
    with factory() as s:
        return [
            tuple(str(v) for v in row)
            for model in (School, Person, Group, Enrolment)
            for row in s.execute(select(*model.__table__.columns).order_by(model.id))
        ]


@pytest.mark.parametrize("case", CASES)
def test_library_raises_and_changes_nothing(
    case: str, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    build, message = CASES[case]
    with unit_of_work(session_factory) as s:
        import_roster(s, FIXTURES / "clean")
    before = _snapshot(session_factory)
    with pytest.raises(RosterFileError) as exc, unit_of_work(session_factory) as s:
        import_roster(s, build(tmp_path))
    assert message in str(exc.value)
    assert _snapshot(session_factory) == before


@pytest.mark.parametrize("case", CASES)
def test_cli_one_line_exit_2_and_nothing_changes(
    case: str, sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build, message = CASES[case]
    with pytest.raises(SystemExit):
        main(["roster", "import", str(FIXTURES / "clean"), "--database-url", sqlite_url])
    capsys.readouterr()
    engine = make_engine(sqlite_url)
    factory = make_session_factory(engine)
    before = _snapshot(factory)
    with pytest.raises(SystemExit) as exc:
        main(["roster", "import", str(build(tmp_path)), "--database-url", sqlite_url])
    out, err = capsys.readouterr()
    assert exc.value.code == 2 and out == ""
    assert err.startswith("stoplicht: ") and err.count("\n") == 1
    assert message in err
    assert _snapshot(factory) == before
    engine.dispose()


def test_a_zip_is_refused_before_anything_is_unpacked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> None:
    """Too much in all (here: a lower bound than the real one, on the clean export) or one
    member packed too well: refused from the zip's directory, no member is unpacked."""
    from storage.roster import files

    def unpacked(*args: Any) -> bytes:
        raise AssertionError("a member was unpacked")

    monkeypatch.setattr(files, "_read_member", unpacked)
    monkeypatch.setattr(files, "MAX_EXPORT_BYTES", 200)
    path = zip_export(FIXTURES / "clean", tmp_path / "big.zip")
    with pytest.raises(RosterFileError) as exc, unit_of_work(session_factory) as s:
        import_roster(s, path)
    assert "unpack to more than 200 bytes" in str(exc.value)
    monkeypatch.setattr(files, "MAX_EXPORT_BYTES", 1024**3)
    with pytest.raises(RosterFileError) as exc, unit_of_work(session_factory) as s:
        import_roster(s, _zip_bomb(tmp_path))
    assert "more than 200 times" in str(exc.value)
