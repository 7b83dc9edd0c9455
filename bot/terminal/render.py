"""Replies as plain terminal text: title, facts, sections, fields, numbered choices.

An answered card (``Card.answered``: the acted card after its action, ``Reply.replace``) prints
as one line, ``✔`` and what was done: a terminal cannot change what it printed before, and the
next prompt follows at once.

Texts typed by users are shown exactly, with control characters made visible, so nothing a user
typed can move the cursor, change colours or pose as another line of the bot.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.sanitize import printable
from dialogs.types import Card, Cell, CellMark, Reply, Table

LIGHT_MARK = {1: "[^]", 2: "[G]", 3: "[O]", 4: "[!]"}
CELL_MARK = {CellMark.PENDING: "...", CellMark.ABSENT: " - "}
WORSE_MARK = "v"


def cell_text(cell: Cell) -> str:
    parts = [LIGHT_MARK.get(cell.light or 0) or CELL_MARK.get(cell.mark, ""), plain(cell.text)]
    text = " ".join(p for p in parts if p).replace("\n", " ")
    if not cell.worse:
        return text
    return f"{text} {WORSE_MARK}" if cell.text else f"{text}{WORSE_MARK}"


def render_table(table: Table) -> list[str]:
    """The grid: a header line and one line per row, columns padded to their widest cell."""
    grid = [[plain(c).replace("\n", " ") for c in table.columns]]
    grid += [[cell_text(c) for c in row[: len(table.columns)]] for row in table.rows]
    widths = [max(len(r[i]) if i < len(r) else 0 for r in grid) for i in range(len(grid[0]))]
    lines = [
        "  " + " | ".join(v.ljust(w) for v, w in zip(r, widths, strict=False)).rstrip()
        for r in grid
    ]
    lines.insert(1, "  " + "-+-".join("-" * w for w in widths))
    if table.legend:
        lines.append(
            "  " + " · ".join(f"{cell_text(c).strip()} {plain(m)}" for c, m in table.legend)
        )
    return lines


def plain(text: str) -> str:
    """Printable text: every control character except newline and tab shown as an escape."""
    return printable(text)


def render_replies(replies: Sequence[Reply]) -> str:
    return "\n".join(render_reply(r) for r in replies)


def render_reply(reply: Reply) -> str:
    lines: list[str] = []
    if reply.text:
        lines.append(plain(reply.text))
    if reply.card is not None:
        lines.append(render_card(reply.card))
    return "\n".join(lines)


def render_card(card: Card) -> str:
    if card.answered:
        return f"\u2714 {plain(card.note or card.title)}"
    out: list[str] = []
    if card.note:
        out.append(f"({plain(card.note)})")
    title = plain(card.title)
    if card.light:
        title = f"{title} {LIGHT_MARK.get(card.light, '')}"
    out.append(f"== {title} ==")
    if card.text:
        out.append(plain(card.text))
    for fact in card.facts:
        out.append(f"  {plain(fact.label)}: {plain(fact.value)}")
    if card.table is not None:
        out += render_table(card.table)
    for section in card.sections:
        mark = f" {LIGHT_MARK[section.light]}" if section.light in LIGHT_MARK else ""
        out.append(f"  -- {plain(section.title)}{mark}")
        if section.text:
            out.append(f"     {plain(section.text)}")
        for fact in section.facts:
            out.append(f"     {plain(fact.label)}: {plain(fact.value)}")
    for field in card.fields:
        if field.value:
            out.append(f"  [{plain(field.label)}] {plain(field.value)}")
    for i, choice in enumerate(card.choices, start=1):
        mark = f" {LIGHT_MARK[choice.light]}" if choice.light in LIGHT_MARK else ""
        out.append(f"  {i}) {plain(choice.label)}{mark}")
    return "\n".join(out)
