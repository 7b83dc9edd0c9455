"""Ids that Excel changed when someone opened an export file in it and saved it again.

- A long number becomes scientific notation (``1.23457E+11``, ``1,23457E+11`` in Dutch Excel):
  the digits are gone, so such a row is rejected with that reason.
- A number loses its leading zeros (``00123`` -> ``123``). Excel only ever removes zeros, so when
  the export holds both ``123`` and ``00123`` for the same kind of id (users, orgs, classes,
  courses) and ``00123`` is the only zero-padded form, ``123`` is read as ``00123`` everywhere,
  with one warning per file. When two forms are defined (``0123`` and ``00123`` both in
  users.csv), they are different ids and nothing is changed.
- When every file lost the zeros alike, the export is consistent but differs from what an
  earlier import stored; ``storage.roster.importer`` then matches ids with
  :func:`lost_zero_matches`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from storage.roster.csv_table import CsvTable

# Per kind of id: the file and column that define it, then the columns that refer to it.
ID_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "user": (
        ("users.csv", "sourcedId"),
        ("roles.csv", "userSourcedId"),
        ("enrollments.csv", "userSourcedId"),
        ("mentors.csv", "userSourcedId"),
        ("mentors.csv", "studentSourcedId"),
    ),
    "org": (
        ("orgs.csv", "sourcedId"),
        ("roles.csv", "orgSourcedId"),
        ("classes.csv", "orgSourcedId"),
    ),
    "class": (
        ("classes.csv", "sourcedId"),
        ("enrollments.csv", "classSourcedId"),
        ("mentors.csv", "classSourcedId"),
    ),
    "course": (("courses.csv", "sourcedId"), ("classes.csv", "courseSourcedId")),
}
_NUMBER_START = frozenset("0123456789+-")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?E[+-]\d+", re.IGNORECASE)


def is_id_column(column: str) -> bool:
    return column == "sourcedId" or column.endswith("SourcedId")


def reject_scientific(table: CsvTable) -> None:
    """Reject the rows of ``table`` whose ids Excel turned into scientific notation."""
    columns = [c for c in table.columns if is_id_column(c)]
    kept = []
    for row in table.rows:
        bad = next(
            (
                c
                for c in columns
                if row.values[c][:1] in _NUMBER_START and _SCIENTIFIC.fullmatch(row.values[c])
            ),
            None,
        )
        if bad is None:
            kept.append(row)
            continue
        table.reject(
            row,
            f"{bad} {row[bad]!r} is a number in scientific notation (Excel does this to long "
            "numbers; the id is lost): export the file again and do not open it in Excel, or "
            "format the column as text",
        )
    table.rows = kept


def digits_key(value: str) -> str | None:
    """``"123"`` for ``"00123"`` and ``"123"``; None for an id that is not all digits."""
    return (value.lstrip("0") or "0") if value.isdigit() and value.isascii() else None


def lost_zero_matches(new: Iterable[str], old: Iterable[str]) -> dict[str, str]:
    """new id -> old id, for pairs that differ only in leading zeros and match one to one."""
    by_key: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for side, ids in enumerate((new, old)):
        for value in ids:
            key = digits_key(value)
            if key is not None:
                by_key[key][side].append(value)
    return {n[0]: o[0] for n, o in by_key.values() if len(n) == len(o) == 1}


def restore_leading_zeros(tables: dict[str, CsvTable]) -> list[str]:
    """Read ids that lost their leading zeros as the zero-padded form found elsewhere."""
    warnings: list[str] = []
    for places in ID_COLUMNS.values():
        present = [(tables[f], c, (f, c) == places[0]) for f, c in places if f in tables]
        forms: dict[str, set[str]] = defaultdict(set)
        defined: dict[str, set[str]] = defaultdict(set)
        for table, column, defines in present:
            for row in table.rows:
                value = row.values.get(column, "")
                key = digits_key(value)
                if key is not None:
                    forms[key].add(value)
                    if defines:
                        defined[key].add(value)
        alias: dict[str, str] = {}
        for key, values in forms.items():
            padded = [v for v in values if v != key]
            if len(values) > 1 and len(padded) == 1 and len(defined[key]) <= 1:
                alias.update({v: padded[0] for v in values if v != padded[0]})
        if alias:
            for table, column, _defines in present:
                warning = _rewrite(table, column, alias)
                if warning:
                    warnings.append(warning)
    return warnings


def _rewrite(table: CsvTable, column: str, alias: dict[str, str]) -> str | None:
    first: tuple[int, str, str] | None = None
    count = 0
    for i, row in enumerate(table.rows):
        new = alias.get(row[column])
        if new is None:
            continue
        count += 1
        first = first or (row.line, row[column], new)
        table.rows[i] = replace(row, values={**row.values, column: new})
    if first is None:
        return None
    line, old, new = first
    return (
        f"{table.file}: {count} {column} value(s) lost their leading zeros (Excel does this; "
        f"first at line {line}: {old!r} is {new!r} elsewhere in the export); read with the zeros"
    )
