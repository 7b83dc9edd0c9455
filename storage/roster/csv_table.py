"""Reading one roster CSV file the way real exports come: tolerant, but never silent.

School information systems and hand-edited spreadsheets produce files that differ from the
School Data Sync specification in small ways. This module absorbs the harmless ones and reports
the rest, so the importer (``storage.roster.plan``) only ever sees clean rows:

- bytes become text as ``storage.roster.text`` describes (UTF-8, UTF-16, Windows-1252, line
  ends, invisible characters);
- the delimiter (``,``, ``;``, tab or ``|``) is the one that splits the header into the most
  known column names; an Excel ``sep=;`` first line is honoured; lines before the header (a
  title, an export date) are skipped with a warning; quoted fields may hold delimiters, quotes
  and line breaks;
- header names are matched case-insensitively, ignoring spaces, ``_`` and ``-``; unknown columns
  are ignored; a column given twice is read from its first occurrence (with a warning); a missing
  required column is a fatal :class:`RosterFileError` that shows the header it found;
- values are trimmed, runs of whitespace become one space, and Excel's ``="00123"`` becomes
  ``00123``;
- blank lines are skipped; a row with a blank required value, or with more non-empty fields than
  the header has columns, is rejected with its file, line number and reason.

Line numbers are line numbers in the file (the first line is 1), counting the first line of a
record whose quoted field spans several lines.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from storage.roster.errors import Rejected, RosterFileError
from storage.roster.text import decode, normalise

__all__ = ["CsvRow", "CsvTable", "Rejected", "RosterFileError", "parse_table", "read_table"]


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


_DELIMITERS = (",", ";", "\t", "|")
_SEP_LINE = re.compile(r'^"?sep=(.)"?[,;\t|]*$', re.IGNORECASE)
_HEADER_SEARCH = 10  # non-blank lines looked at for the header
_EXCEL_TEXT = re.compile(r'^="(.*)"$', re.DOTALL)


def header_key(name: str) -> str:
    """``"User SourcedId"``, ``"user_sourced_id"`` and ``"usersourcedid"`` all compare equal."""
    return re.sub(r"[\s_\-\ufeff\"']+", "", name).lower()


def _split(line: str, delimiter: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter))
    except (csv.Error, StopIteration):
        return []


def sniff_delimiter(text: str, known: Iterable[str] = ()) -> str:
    """The delimiter that splits the first line into the most ``known`` names, then fields."""
    first = next((x for x in text.split("\n") if x.strip()), "")
    return _best_split(first, {header_key(k) for k in known})[0]


def _best_split(line: str, known: set[str]) -> tuple[str, int]:
    """(delimiter, number of known column names) for the best way to split ``line``."""
    best, score = ",", (-1, -1)
    for delimiter in _DELIMITERS:
        fields = _split(line, delimiter)
        s = (len({header_key(f) for f in fields} & known), len(fields))
        if s > score:
            best, score = delimiter, s
    return best, score[0]


def _find_header(lines: list[str], required: set[str], known: set[str]) -> tuple[int, str, int]:
    """(line index, delimiter, index of an Excel ``sep=`` line or -1) of the header line.

    The header is the first non-blank line (after ``sep=``) that holds every required column;
    when none of the first few does, the first one, so that the error can show it.
    """
    candidates = [(i, x) for i, x in enumerate(lines) if x.strip()][:_HEADER_SEARCH]
    sep_line, forced = -1, None
    if candidates and (m := _SEP_LINE.match(candidates[0][1].strip())):
        sep_line, forced = candidates[0][0], m.group(1)
        candidates = candidates[1:]
    if not candidates:
        raise RosterFileError("the file is empty (no header line)")
    for index, line in candidates:
        delimiter = forced or _best_split(line, known)[0]
        if required <= {header_key(f) for f in _split(line, delimiter)}:
            return index, delimiter, sep_line
    index, line = candidates[0]
    return index, forced or _best_split(line, known)[0], sep_line


def _records(
    text: str, delimiter: str, file: str, offset: int
) -> Iterator[tuple[int, int, list[str]]]:
    """(first line, last line, fields) per record; ``csv`` reports only the last line."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    previous_end = offset
    try:
        for fields in reader:
            yield previous_end + 1, offset + reader.line_num, fields
            previous_end = offset + reader.line_num
    except csv.Error as exc:
        raise RosterFileError(f"{file} line {previous_end + 1}: unreadable CSV ({exc})") from None


def clean_value(value: str) -> str:
    """Trim, collapse whitespace (line breaks in quoted fields too), unwrap Excel's ``="..."``."""
    value = " ".join(value.split())
    m = _EXCEL_TEXT.match(value) if value.startswith("=") else None
    return " ".join(m.group(1).split()) if m else value


def read_table(
    path: Path,
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
) -> CsvTable:
    """:func:`parse_table` for a file on disk."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise RosterFileError(f"cannot read {path}: {exc.strerror or exc}") from None
    return parse_table(path.name, data, required=required, optional=optional)


def parse_table(
    file: str,
    data: bytes,
    *,
    required: Iterable[str],
    optional: Iterable[str] = (),
) -> CsvTable:
    """Read the bytes of ``file`` into rows keyed by the canonical column names given.

    ``required`` columns must be present in the header and non-blank in every row (else the row
    is rejected); ``optional`` columns are read when present. Values are cleaned with
    :func:`clean_value`.
    Raises :class:`RosterFileError` when the file cannot be read or lacks a required column.
    """
    required = tuple(required)
    table = CsvTable(file=file)
    text = normalise(decode(data, file, table.warnings), file, table.warnings)
    wanted = {header_key(c): c for c in (*required, *optional)}
    lines = text.split("\n")
    try:
        start, delimiter, sep_line = _find_header(
            lines, {header_key(c) for c in required}, set(wanted)
        )
    except RosterFileError as exc:
        raise RosterFileError(f"{file}: {exc}") from None
    skipped = [i + 1 for i in range(start) if lines[i].strip() and i != sep_line]
    if skipped:
        table.warnings.append(
            f"{file}: line(s) {', '.join(map(str, skipped))} before the header were skipped"
        )
    records = _records("\n".join(lines[start:]), delimiter, file, start)
    _line, _end, header = next(records)
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        canonical = wanted.get(header_key(name))
        if canonical is None:
            continue
        if canonical in positions:
            table.warnings.append(
                f"{file}: column {canonical} appears twice (columns {positions[canonical] + 1} "
                f"and {index + 1}); the first one is read"
            )
        else:
            positions[canonical] = index
    missing = [c for c in required if c not in positions]
    if missing:
        found = ", ".join(repr(h) for h in header[:12]) + (", ..." if len(header) > 12 else "")
        raise RosterFileError(
            f"{file}: missing required column(s): {', '.join(missing)} "
            f"(the header on line {start + 1} has: {found})"
        )
    table.columns = frozenset(positions)
    width = len(header)
    for line, end, fields in records:
        if not any(f.strip() for f in fields):
            continue
        values = {
            c: clean_value(fields[i]) if i < len(fields) else "" for c, i in positions.items()
        }
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
