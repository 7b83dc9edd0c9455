"""Writing a roster export again the way real tools mangle it, for the robustness tests.

``write_messy(src, dst, Mess(...))`` reads every CSV file of the export ``src`` and writes it to
``dst`` with another encoding, delimiter, line end, quoting, header spelling, cell values, file
names or text around the table. ``zip_export`` packs a directory into a zip file.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from storage.roster.plan import RosterPlan


def _same(value: str) -> str:
    return value


def _no_cell_change(_file: str, _column: str, value: str) -> str:
    return value


def _all_columns(rows: list[list[str]]) -> list[list[str]]:
    return rows


@dataclass(frozen=True)
class Mess:
    encoding: str = "utf-8"
    bom: bytes = b""
    delimiter: str = ","
    newline: str = "\r\n"
    quoting: int = csv.QUOTE_MINIMAL
    before: str = ""  # text before the header line
    after: str = ""  # text after the last row
    header: Callable[[str], str] = _same
    cell: Callable[[str, str, str], str] = _no_cell_change  # (file, column, value) -> value
    columns: Callable[[list[list[str]]], list[list[str]]] = _all_columns
    file_name: Callable[[str], str] = _same
    raw: Callable[[str, str], str] = field(default=lambda _file, text: text)


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text("utf-8"), newline="")))


def render(rows: list[list[str]], mess: Mess, file: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(
        buffer, delimiter=mess.delimiter, lineterminator=mess.newline, quoting=mess.quoting
    ).writerows(rows)
    text = mess.raw(file, mess.before + buffer.getvalue() + mess.after)
    return mess.bom + text.encode(mess.encoding)


def write_messy(src: Path, dst: Path, mess: Mess) -> Path:
    dst.mkdir(parents=True, exist_ok=True)
    for path in sorted(src.glob("*.csv")):
        header, *body = read_rows(path)
        rows = [[mess.header(h) for h in header]] + [
            [mess.cell(path.name, c, v) for c, v in zip(header, row, strict=False)] for row in body
        ]
        (dst / mess.file_name(path.name)).write_bytes(render(mess.columns(rows), mess, path.name))
    return dst


def zip_export(
    src: Path, zip_path: Path, *, folder: str = "", extra: dict[str, bytes] | None = None
) -> Path:
    with zipfile.ZipFile(zip_path, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(src.iterdir()):
            archive.write(path, f"{folder}{path.name}")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return zip_path


def plan_summary(plan: RosterPlan) -> dict[str, object]:
    """Everything a plan says about each school, as plain comparable values."""
    out: dict[str, object] = {}
    for key, s in plan.schools.items():
        out[key] = (
            s.name,
            sorted(
                (p.roster_id, p.kind.value, p.given_name, p.family_name, p.display_name)
                + (p.email, p.is_organizer)
                for p in s.persons.values()
            ),
            sorted(
                (g.roster_id, g.title, g.kind.value, g.subject, g.grade) for g in s.groups.values()
            ),
            sorted(s.enrolments),
            sorted(s.assignments),
            sorted(s.mentorships),
        )
    return out
