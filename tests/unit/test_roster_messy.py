"""Real-world exports of the clean fixture, written messily: each reads exactly as the original.

Every variant below is what a school information system or Excel produces from the same data
(encodings, delimiters, line ends, header spellings, stray characters, file names, zip files).
The plan read from it must equal the plan of the clean export, with no row rejected and only the
warnings named.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from storage.roster.plan import read_export
from tests.support.roster_messy import Mess, plan_summary, write_messy, zip_export

FIXTURES = Path(__file__).parents[1] / "fixtures" / "roster"
CLEAN = FIXTURES / "clean"


def _mojibake(_file: str, _column: str, value: str) -> str:
    """What Excel makes of UTF-8 read as Windows-1252 and saved again as UTF-8."""
    return value.encode("utf-8").decode("cp1252")


def _stray_cr(file: str, text: str) -> str:
    return text.replace("@baken.nl", "@baken\r.nl", 1) if file == "users.csv" else text


VARIANTS: dict[str, tuple[Mess, tuple[str, ...]]] = {
    # Excel "CSV UTF-8 (gescheiden door komma's)" on a Dutch Windows: BOM, semicolons, CRLF.
    "excel-utf8-nl": (Mess(bom=b"\xef\xbb\xbf", delimiter=";"), ()),
    # Excel "Unicode-tekst": UTF-16 LE with BOM, tabs, .txt names.
    "excel-unicode-text": (
        Mess(encoding="utf-16", delimiter="\t", file_name=lambda n: n[:-4] + ".txt"),
        (),
    ),
    "utf16-le-without-bom": (Mess(encoding="utf-16-le", delimiter="\t"), ()),
    "utf16-be-with-bom": (Mess(encoding="utf-16-be", bom=b"\xfe\xff", delimiter="\t"), ()),
    # Excel "CSV (gescheiden door lijstscheidingsteken)": Windows-1252 and semicolons.
    "cp1252-semicolon": (Mess(encoding="cp1252", delimiter=";"), ("cp1252",)),
    "cp1252-behind-utf8-bom": (Mess(encoding="cp1252", bom=b"\xef\xbb\xbf"), ("cp1252",)),
    "double-encoded-utf8": (Mess(cell=_mojibake), ("repaired",)),
    "old-mac-cr": (Mess(newline="\r"), ()),
    "cr-cr-lf": (Mess(newline="\r\r\n"), ()),
    "lf": (Mess(newline="\n"), ()),
    "stray-cr-in-a-value": (Mess(newline="\n", raw=_stray_cr), ("carriage return",)),
    "all-quoted": (Mess(quoting=csv.QUOTE_ALL), ()),
    "header-spelling": (
        Mess(header=lambda h: f' "{h.upper()}"\u200b '.replace("ID", "_ID")),
        (),
    ),
    "columns-reversed-and-extra": (
        Mess(columns=lambda rows: [["Opmerking", *reversed(r)] for r in rows]),
        (),
    ),
    "blank-and-empty-rows": (Mess(before="\r\n\r\n", after=",,,,,\r\n\r\n ,  ,\r\n"), ()),
    "trailing-separators": (Mess(delimiter=";", columns=lambda rows: [[*r, ""] for r in rows]), ()),
    "whitespace-around-values": (
        Mess(cell=lambda _f, _c, v: f" \u00a0{v}\u200b\t" if v else v),
        (),
    ),
    "excel-sep-line": (Mess(delimiter=";", before="sep=;\r\n"), ()),
    "title-line-before-header": (
        Mess(delimiter=";", before="Export Magister 1-9-2026;;\r\n\r\n"),
        ("before the header were skipped",),
    ),
    "pipes": (Mess(delimiter="|"), ()),
    "excel-text-formula-ids": (
        Mess(cell=lambda _f, c, v: f'="{v}"' if c.endswith(("Id", "ourcedId")) and v else v),
        (),
    ),
    "upper-case-file-names": (Mess(file_name=str.upper), ()),
}


@pytest.fixture(scope="module")
def clean_plan() -> dict[str, object]:
    return plan_summary(read_export(CLEAN))


@pytest.mark.parametrize("name", VARIANTS)
def test_messy_variant_reads_as_the_clean_export(
    name: str, tmp_path: Path, clean_plan: dict[str, object]
) -> None:
    mess, expected_warnings = VARIANTS[name]
    plan = read_export(write_messy(CLEAN, tmp_path / name, mess))
    assert plan.rejected == []
    assert plan_summary(plan) == clean_plan
    for needle in expected_warnings:
        assert any(needle in w for w in plan.warnings), (needle, plan.warnings)
    if not expected_warnings:
        assert plan.warnings == []
    else:  # every file that needed a guess says so, naming the file
        assert all(w.split(":")[0].lower().endswith((".csv", ".txt")) for w in plan.warnings)


def test_zip_file_and_zip_with_a_folder(tmp_path: Path, clean_plan: dict[str, object]) -> None:
    flat = read_export(zip_export(CLEAN, tmp_path / "export.zip"))
    assert plan_summary(flat) == clean_plan and flat.warnings == [] and flat.rejected == []
    junk = {"__MACOSX/export/._orgs.csv": b"\x00\x05junk", "export/.DS_Store": b"junk"}
    nested = read_export(zip_export(CLEAN, tmp_path / "n.zip", folder="export/", extra=junk))
    assert plan_summary(nested) == clean_plan and nested.rejected == []
    assert nested.warnings == ["the export was read from the folder 'export'"]


def test_directory_with_the_export_one_level_down(
    tmp_path: Path, clean_plan: dict[str, object]
) -> None:
    write_messy(CLEAN, tmp_path / "sds-export" / "sds-export", Mess())
    (tmp_path / "sds-export" / "readme.pdf").write_bytes(b"%PDF")
    plan = read_export(tmp_path / "sds-export")
    assert plan_summary(plan) == clean_plan
    assert plan.warnings == ["the export was read from the folder 'sds-export'"]


def test_unused_files_and_workbooks_are_named(tmp_path: Path) -> None:
    d = write_messy(CLEAN, tmp_path / "x", Mess())
    (d / "courses.csv").rename(d / "courses.xlsx")
    (d / "relationships.csv").write_text("userSourcedId,relationshipUserSourcedId,role\n")
    (d / "demographics.csv").write_text("userSourcedId,sex\n")
    plan = read_export(d)
    assert plan.warnings[0] == "courses.xlsx was not read: in Excel use Save as > 'CSV UTF-8'"
    assert plan.warnings[-1] == (
        "not read (Stoplicht does not use them): demographics.csv, relationships.csv"
    )
