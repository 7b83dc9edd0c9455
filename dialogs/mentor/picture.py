"""The mentor's class picture as a channel-neutral ``Table``: per mentee one row (name and
class, a light per subject, the follow-through stage), subjects as short column headers.

Used by the mentor's overview (``dialogs.mentor.cards``) and the digest at close
(``schedules.compose``), so both show the same picture. Pure: a picture and a language in, a
``Table`` out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from dialogs.texts import t
from dialogs.types import Cell, CellMark, Table
from storage.mentoring.picture import ClassPicture, PictureRow
from storage.models import Light

SHORT = 3  # letters of a subject's column header, more where two subjects would look alike


def abbreviations(names: Sequence[str]) -> list[str]:
    """Short, distinct headers for subject names ("Nederlands" -> "Ned", "Natuurkunde" ->
    "Nat"); where two would be the same, both grow until they differ (or are whole)."""
    size = {i: SHORT for i in range(len(names))}
    while True:
        short = [n[: size[i]].strip() for i, n in enumerate(names)]
        seen: dict[str, list[int]] = {}
        for i, s in enumerate(short):
            seen.setdefault(s.casefold(), []).append(i)
        grow = [
            i for same in seen.values() if len(same) > 1 for i in same if size[i] < len(names[i])
        ]
        if not grow:
            return [s[:1].upper() + s[1:] for s in short]
        for i in grow:
            size[i] += 1


def _name(row: PictureRow) -> Cell:
    s = row.summary
    label = f"{s.name} ({s.class_title})" if s.class_title else s.name
    return Cell(text=label, worse=s.worse_than_previous)


def _mark(row: PictureRow, key: str) -> Cell:
    mark = row.marks.get(key)
    if mark is None:
        return Cell(mark=CellMark.ABSENT)
    if mark.light is None:
        return Cell(mark=CellMark.PENDING)
    return Cell(light=int(mark.light), worse=mark.worse)


def picture_table(
    lang: str, picture: ClassPicture, rows: Iterable[PictureRow] | None = None
) -> Table:
    """The picture's rows (or the given ones) as a table with its legend."""
    names = [name for _, name in picture.subjects]
    short = abbreviations(names)
    columns = (t(lang, "picture.column_student"), *short, t(lang, "picture.column_status"))
    body = tuple(
        (
            _name(row),
            *(_mark(row, key) for key, _ in picture.subjects),
            Cell(text=t(lang, f"picture.stage_{row.follow.stage.key}")),
        )
        for row in (picture.rows if rows is None else rows)
    )
    legend = [
        *((Cell(light=int(light)), t(lang, f"light.{light.key}")) for light in Light),
        (Cell(mark=CellMark.PENDING), t(lang, "picture.pending")),
        (Cell(mark=CellMark.ABSENT), t(lang, "picture.absent")),
        (Cell(worse=True), t(lang, "picture.worse")),
        *(
            (Cell(text=s), name)
            for s, name in zip(short, names, strict=True)
            if s.casefold() != name.casefold()
        ),
    ]
    return Table(columns=columns, rows=body, legend=tuple(legend))
