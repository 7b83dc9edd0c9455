"""Reading one roster CSV file the way real exports come: tolerant, but never silent.

School information systems and hand-edited spreadsheets produce files that differ from the
School Data Sync specification in small ways. This module absorbs the harmless ones and reports
the rest, so the importer (``storage.roster_plan``) only ever sees clean rows:

- bytes are decoded as UTF-8 (with or without BOM); when that fails, as cp1252 (what Excel on
  Windows writes), with a warning;
- the delimiter is sniffed from the header line (``,``, ``;`` or tab); quoted fields may hold
  delimiters, quotes and line breaks; CRLF and LF both work;
- header names are matched case-insensitively, ignoring spaces, ``_`` and ``-``; unknown columns
  are ignored; a missing required column is a fatal :class:`RosterFileError`;
- blank lines are skipped; a row with a blank required value, or with more non-empty fields than
  the header has columns, is rejected with its file, line number and reason.

Line numbers are physical line numbers in the file (the header is line 1), counting the first
line of a record whose quoted field spans several lines.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path


class RosterFileError(Exception):
    """A problem that makes the whole import impossible: missing directory, file or column."""


@dataclass(frozen=True)
class Rejected:
    """One input row that was not imported, and why."""

    file: str
    line: int
    reason: str


@dataclass(frozen=True)
class CsvRow:
    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values.get(column, "")


@dataclass
class CsvTable:
    """The accepted rows of one file, plus what was rejected or worth a warning."""

    file: str
    rows: list[CsvRow] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    columns: frozenset[str] = frozenset()

    def reject(self, row: CsvRow, reason: str) -> None:
        self.rejected.append(Rejected(row.file, row.line, reason))


_DELIMITERS = (",", ";", "\t")


def header_key(name: str) -> str:
    """``"User SourcedId"``, ``"user_sourced_id"`` and ``"usersourcedid"`` all compare equal."""
    return re.sub(r"[\s_\-\ufeff\"']+", "", name).lower()


def decode(data: bytes, file: str, warnings: list[str]) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        warnings.append(
            f"{file}: not valid UTF-8 (byte {exc.start}); read as Windows-1252 (cp1252)"
        )
        return data.decode("cp1252", errors="replace")


def sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header line into the most fields (quotes respected)."""
    first = text.split("\n", 1)[0]
    best, best_count = ",", 0
    for delimiter in _DELIMITERS:
        try:
            count = len(next(csv.reader([first], delimiter=delimiter)))
        except (csv.Error, StopIteration):
            continue
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _records(text: str, delimiter: str, file: str) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, fields) per record; ``csv`` reports only the last line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    previous_end = 0
    try:
        for fields in reader:
            yield previous_end + 1, reader.line_num, fields
            previous_end = reader.line_num
    except csv.Error as exc:
        raise RosterFileError(f"{file} line {previous_end + 1}: unreadable CSV ({exc})") from None


def _clean(value: str) -> str:
    """Trim and collapse runs of whitespace (including line breaks inside quoted fields)."""
    return " ".join(value.split())


def read_table(
    path: Path,
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
) -> CsvTable:
    """Read ``path`` into rows keyed by the canonical column names given.

    ``required`` columns must be present in the header and non-blank in every row (else the row
    is rejected); ``optional`` columns are read when present. Values are trimmed and runs of
    whitespace (line breaks too) become one space.
    Raises :class:`RosterFileError` when the file cannot be read or lacks a required column.
    """
    file = path.name
    table = CsvTable(file=file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    text = decode(data, file, table.warnings)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\x00", "")
    records = _records(text, sniff_delimiter(text), file)
    header: list[str] | None = None
    for _line, _end, fields in records:
        if any(f.strip() for f in fields):
            header = fields
            break
    if header is None:
        raise RosterFileError(f"{file}: the file is empty (no header line)")
    wanted = {header_key(c): c for c in (*required, *optional)}
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        canonical = wanted.get(header_key(name))
        if canonical is not None and canonical not in positions:
            positions[canonical] = index
    required = tuple(required)
    missing = [c for c in required if c not in positions]
    if missing:
        raise RosterFileError(f"{file}: missing required column(s): {', '.join(missing)}")
    table.columns = frozenset(positions)
    width = len(header)
    for line, end, fields in records:
        if not any(f.strip() for f in fields):
            continue
        values = {c: _clean(fields[i]) if i < len(fields) else "" for c, i in positions.items()}
        row = CsvRow(file, line, values)
        # A record over many lines with too few fields usually means an unclosed quote.
        spans = f" (the record runs to line {end}: unclosed quote?)" if end > line + 1 else ""
        if any(f.strip() for f in fields[width:]):
            table.reject(row, f"row has {len(fields)} fields but the header has {width}{spans}")
            continue
        blank = [c for c in required if not values[c]]
        if blank:
            table.reject(row, f"missing value for {', '.join(blank)}{spans}")
            continue
        table.rows.append(row)
    return table
