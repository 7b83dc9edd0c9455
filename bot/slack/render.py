"""Replies and cards as Block Kit (pure functions, no I/O).

A ``Card`` becomes one or more messages: a header, its text, its facts, sections (on a
per-student prompt the history, set apart as a quote), a line per filled-in field, and the
choices as buttons. Every button carries ``action``/``args``/``version`` as compact JSON in
its ``value`` (see ``encode_value``); a choice that submits the card's fields opens a modal
instead (``bot.slack.modals``).

Every text of a card may hold what someone typed (a remark, a name, a round's name), so none
is ever sent as ``mrkdwn``: texts are ``rich_text`` elements or ``plain_text`` objects, shown
exactly as written, with our own bold labels and italic notes as styles (``bot.slack.rich``).
Only the plain ``text`` of a message (notifications, screen readers) is Slack markup; it
gets Slack's three escapes.

Slack's limits are respected here, not hoped for: 50 blocks per message (longer cards are
split into pages), 100 per view, 3,000 characters per rich text block and per context text,
2,000 per line of label and value, 150 per header, 75 per button label, 25 elements per
actions block, 2,000 characters per button value.

A ``Table`` (the mentor's class picture) becomes Block Kit's ``table`` block in a message: at
most 100 rows and 20 columns, ``raw_text`` cells (literal), one table per message (Slack
appends it at the end). Where a grid cannot go (more rows or columns, a modal or the App Home)
each row is a line of "header: cell" pairs, so nothing is lost.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.button_order import button_rows
from bot.slack.rich import (
    Block,
    Line,
    clip,
    labelled,
    line_blocks,
    paragraph_blocks,
    plain,
    run,
)
from dialogs.texts import t
from dialogs.types import Card, Cell, CellMark, Choice, Reply, Section, Style, Table

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_CONTEXT_TEXT = 3000
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS = 25
MAX_FALLBACK_TEXT = 3000
ACTION_PREFIX = "stl:"

LIGHT_EMOJI = {  # Unicode, so no text object needs Slack's ``:code:`` emoji
    1: "\U0001f3a9",  # :tophat:
    2: "\U0001f7e2",  # :large_green_circle:
    3: "\U0001f7e0",  # :large_orange_circle:
    4: "\u2757",  # :exclamation:
}
DONE = "\u2705"  # :white_check_mark:
CELL_MARK = {CellMark.PENDING: "\u22ef", CellMark.ABSENT: "\u2014"}  # ⋯ and —
WORSE_MARK = "\u2193"  # ↓
MAX_TABLE_ROWS = 100
MAX_TABLE_COLUMNS = 20
MAX_CELL_TEXT = 200


@dataclass(frozen=True)
class Message:
    """One Slack message: a plain fallback ``text`` (notifications, screen readers) and blocks."""

    text: str
    blocks: tuple[Block, ...] = ()


def escape(text: str) -> str:
    """Slack's three control characters, for the one field that is markup: a message's text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fallback(text: str, limit: int = MAX_FALLBACK_TEXT) -> str:
    """A message's plain ``text``: escaped (so nothing typed becomes a mention or a link) and
    at most ``limit`` characters once escaped, never cut inside an escape."""
    out = escape(text)
    if len(out) <= limit:
        return out
    parts: list[str] = []
    size = 0
    for char in text:
        part = escape(char)
        if size + len(part) > limit - 1:
            break
        parts.append(part)
        size += len(part)
    return "".join(parts) + "…"


def context(text: str) -> Block:
    """Small print: one ``plain_text`` line in a context block."""
    return {"type": "context", "elements": [plain(clip(text, MAX_CONTEXT_TEXT))]}


def encode_value(choice: Choice, version: int | None, *, opens_modal: bool) -> str:
    """The button value: ``{"a": action, "g": args, "v": version, "m": 1 if a modal}``; a
    card without a version (a notification's) has no ``v``."""
    data: dict[str, Any] = {"a": choice.action}
    if version is not None:
        data["v"] = version
    if choice.args:
        data["g"] = dict(choice.args)
    if opens_modal:
        data["m"] = 1
    value = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if len(value) > MAX_BUTTON_VALUE:
        raise ValueError(f"button value of {choice.action!r} is {len(value)} characters")
    return value


class Labelled(Protocol):
    """A fact, a filled-in field: anything with a label and a value."""

    @property
    def label(self) -> str: ...
    @property
    def value(self) -> str: ...


def fact_lines(facts: Iterable[Labelled]) -> list[Line]:
    return [labelled(f.label, f.value) for f in facts]


def fact_blocks(facts: Iterable[Labelled]) -> list[Block]:
    """Facts (label and value, also a filled-in field or a typed answer), one a line."""
    return line_blocks(fact_lines(facts))


def section_blocks(section: Section, *, quoted: bool) -> list[Block]:
    """One card section: prominent (report, digest) or set apart as a quote (the history on
    a prompt). Its title in bold after its light, its text, its facts."""
    lines: list[Line] = []
    mark = LIGHT_EMOJI.get(section.light or 0)
    if mark or section.title:
        lines.append([run(f"{mark} " if mark else ""), run(section.title, bold=True)])
    if section.text:
        lines.append([run(section.text)])
    lines += fact_lines(section.facts)
    return line_blocks(lines, quote=quoted)


def cell_text(cell: Cell) -> str:
    parts = [LIGHT_EMOJI.get(cell.light or 0) or CELL_MARK.get(cell.mark, ""), cell.text]
    text = " ".join(p for p in parts if p)
    if not cell.worse:
        return text
    return f"{text} {WORSE_MARK}" if cell.text else f"{text}{WORSE_MARK}"


def _legend(table: Table) -> list[Block]:
    if not table.legend:
        return []
    return [context(" · ".join(f"{cell_text(c)} {m}" for c, m in table.legend))]


def table_blocks(table: Table, *, grid: bool = True) -> list[Block]:
    """The table as Slack's ``table`` block (``grid``, when it fits), else as lines."""
    rows = [list(table.columns), *([cell_text(c) for c in r] for r in table.rows)]
    fits = len(rows) <= MAX_TABLE_ROWS and len(table.columns) <= MAX_TABLE_COLUMNS
    if grid and fits:
        longest = [max(len(r[i]) if i < len(r) else 0 for r in rows) for i in range(len(rows[0]))]
        block: Block = {
            "type": "table",
            # marks centred, names and words wrapped
            "column_settings": [
                {"align": "center"} if n <= 4 else {"is_wrapped": True} for n in longest
            ],
            "rows": [
                [
                    {"type": "raw_text", "text": clip(text, MAX_CELL_TEXT) or "-"}
                    for text in row[: len(table.columns)]
                ]
                for row in rows
            ],
        }
        return [block, *_legend(table)]
    lines: list[Line] = []
    for r in table.rows:
        texts = [cell_text(c) for c in r]
        pairs = " · ".join(f"{h} {v}" for h, v in zip(table.columns[1:], texts[1:], strict=False))
        lines.append([run(texts[0] if texts else "", bold=True), run(f"  {pairs}")])
    return line_blocks(lines) + _legend(table)


def button(choice: Choice, index: int, version: int | None, *, opens_modal: bool) -> Block:
    label = choice.label
    if choice.light in LIGHT_EMOJI:
        label = f"{LIGHT_EMOJI[choice.light]} {label}"
    b: Block = {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{index}",
        "text": plain(clip(label, MAX_BUTTON_TEXT)),
        "value": encode_value(choice, version, opens_modal=opens_modal),
    }
    if choice.style is Style.PRIMARY:
        b["style"] = "primary"
    elif choice.style is Style.DANGER:
        b["style"] = "danger"
    return b


def opens_modal(card: Card, choice: Choice) -> bool:
    """A choice that submits fields opens a modal with them (Slack messages hold no inputs);
    one whose fields are optional (``stop``, ``previous`` on a plan step) stays one tap."""
    return bool(card.fields) and choice.submits_fields and not choice.fields_optional


def choice_blocks(card: Card) -> list[Block]:
    """Light choices in their own row first, then the rest with the primary ones first
    (``bot.button_order``), at most 25 buttons per row."""
    rows = button_rows(card)
    blocks: list[Block] = []
    for row in rows:
        for i in range(0, len(row), MAX_ACTIONS):
            elements = [
                button(c, n, card.version, opens_modal=opens_modal(card, c))
                for n, c in row[i : i + MAX_ACTIONS]
            ]
            blocks.append(
                {"type": "actions", "block_id": f"choices{len(blocks)}", "elements": elements}
            )
    return blocks


def card_blocks(card: Card, *, interactive: bool = True, grid: bool = True) -> list[Block]:
    """All blocks of a card, unpaged. ``interactive=False`` (inside a modal): no buttons, and
    no echo of the fields, which the modal shows as inputs. A table is a ``table`` block only
    in a message (``interactive`` and ``grid``: not in a modal or the App Home)."""
    blocks: list[Block] = []
    if card.answered:  # the dialogs' answered state: the outcome, marked as done
        blocks.append(context(f"{DONE} {card.note or card.title}"))
    elif card.note:
        blocks += paragraph_blocks(card.note, italic=True)
    mark = LIGHT_EMOJI.get(card.light or 0)
    title = clip(card.title, MAX_HEADER - 4)
    blocks.append({"type": "header", "text": plain(f"{mark} {title}" if mark else title)})
    if card.text:
        blocks += paragraph_blocks(card.text)
    blocks += fact_blocks(card.facts)
    if card.table is not None:
        blocks += table_blocks(card.table, grid=interactive and grid)
    history_as_quote = any(c.light for c in card.choices)
    for section in card.sections:
        blocks += section_blocks(section, quoted=history_as_quote)
    if interactive:
        blocks += fact_blocks([f for f in card.fields if f.value])
        blocks += choice_blocks(card)
    return blocks


def paginate(blocks: Sequence[Block], *, limit: int = MAX_MESSAGE_BLOCKS) -> list[list[Block]]:
    return [list(blocks[i : i + limit]) for i in range(0, len(blocks), limit)] or [[]]


def fallback_text(card: Card) -> str:
    return fallback("\n".join(p for p in (card.note, card.title, card.text) if p))


def reply_messages(reply: Reply) -> list[Message]:
    """One reply as messages: its text, then its card (paged when over 50 blocks)."""
    out: list[Message] = []
    if reply.text:
        for page in paginate(paragraph_blocks(reply.text)):
            out.append(Message(text=fallback(reply.text), blocks=tuple(page)))
    if reply.card is not None:
        pages = paginate(card_blocks(reply.card))
        for page in pages:
            out.append(Message(text=fallback_text(reply.card), blocks=tuple(page)))
    return out


def replies_messages(replies: Iterable[Reply]) -> list[Message]:
    return [m for r in replies for m in reply_messages(r)]


def answered_blocks(
    blocks: Sequence[Mapping[str, Any]], label: str, lang: str, typed: Iterable[Labelled] = ()
) -> list[Block]:
    """The answered state of a message: its blocks without buttons or inputs, what was typed
    (``typed``: label and value of each filled-in field of a modal), and what was chosen."""
    echo = fact_blocks(typed)
    kept = [dict(b) for b in blocks if b.get("type") not in ("actions", "input")]
    kept = kept[: MAX_MESSAGE_BLOCKS - 1 - len(echo)] + echo
    kept.append(context(f"{DONE} {t(lang, 'slack.answered', label=label)}"))
    return kept


def home_view(replies: Sequence[Reply], lang: str, sections: Sequence[Section] = ()) -> Block:
    """The App Home tab: open rounds and progress (``sections``), then the user's start menu
    (shortcuts for their roles)."""
    blocks: list[Block] = [
        {"type": "header", "text": plain(t(lang, "slack.home_title"))},
        context(t(lang, "slack.home_hint")),
    ]
    for section in sections:
        blocks += section_blocks(section, quoted=False)
    for reply in replies:
        if reply.text:
            blocks += paragraph_blocks(reply.text)
        if reply.card is not None:
            blocks += [{"type": "divider"}] + card_blocks(reply.card, grid=False)
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
