"""Replies and cards as Block Kit (pure functions, no I/O).

A ``Card`` becomes one or more messages: a header, its text, facts as section fields, sections
(on a per-student prompt the history, shown small as context), a context line per filled-in
field, and the choices as buttons. Every button carries ``action``/``args``/``version`` as
compact JSON in its ``value`` (see ``encode_value``); a choice that submits the card's fields
opens a modal instead (``bot.slack.modals``).

Slack's limits are respected here, not hoped for: 50 blocks per message (longer cards are
split into pages), 3,000 characters per section text, 2,000 per section field, 150 per header,
75 per button label, 10 elements per context block, 25 elements per actions block, 2,000
characters per button value. Text typed by users is escaped (``&``, ``<``, ``>``) and sent
``verbatim``, so it can never form a mention, a channel link or a URL.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from dialogs.texts import t
from dialogs.types import Card, Choice, Reply, Section, Style

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS = 25
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK_TEXT = 3000
ACTION_PREFIX = "stl:"

LIGHT_EMOJI = {
    1: ":tophat:",
    2: ":large_green_circle:",
    3: ":large_orange_circle:",
    4: ":exclamation:",
}

Block = dict[str, Any]


@dataclass(frozen=True)
class Message:
    """One Slack message: a plain fallback ``text`` (notifications, screen readers) and blocks."""

    text: str
    blocks: tuple[Block, ...] = ()


def escape(text: str) -> str:
    """Slack's three control characters; nothing else needs escaping in mrkdwn."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def mrkdwn(text: str) -> Block:
    return {"type": "mrkdwn", "text": text, "verbatim": True}


def plain(text: str) -> Block:
    return {"type": "plain_text", "text": text or " ", "emoji": False}


def encode_value(choice: Choice, version: int, *, opens_modal: bool) -> str:
    """The button value: ``{"a": action, "g": args, "v": version, "m": 1 if a modal}``."""
    data: dict[str, Any] = {"a": choice.action, "v": version}
    if choice.args:
        data["g"] = dict(choice.args)
    if opens_modal:
        data["m"] = 1
    value = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
    if len(value) > MAX_BUTTON_VALUE:
        raise ValueError(f"button value of {choice.action!r} is {len(value)} characters")
    return value


def text_sections(text: str, *, limit: int = MAX_SECTION_TEXT) -> list[Block]:
    """Escaped text as sections of at most ``limit`` characters, split at line ends."""
    out: list[str] = []
    chunk = ""
    for line in escape(text).split("\n"):
        while len(line) > limit:
            if chunk:
                out.append(chunk)
                chunk = ""
            out.append(line[:limit])
            line = line[limit:]
        candidate = f"{chunk}\n{line}" if chunk else line
        if len(candidate) > limit:
            out.append(chunk)
            chunk = line
        else:
            chunk = candidate
    if chunk.strip():
        out.append(chunk)
    return [{"type": "section", "text": mrkdwn(c)} for c in out if c.strip()]


def _fact_text(label: str, value: str) -> str:
    return clip(f"*{escape(label)}*\n{escape(value)}", MAX_FIELD_TEXT)


def fact_blocks(facts: Sequence[Any]) -> list[Block]:
    fields = [mrkdwn(_fact_text(f.label, f.value)) for f in facts]
    return [
        {"type": "section", "fields": fields[i : i + MAX_FIELDS]}
        for i in range(0, len(fields), MAX_FIELDS)
    ]


def _section_title(section: Section) -> str:
    mark = LIGHT_EMOJI.get(section.light or 0, "")
    title = f"*{escape(section.title)}*" if section.title else ""
    return " ".join(p for p in (mark, title) if p)


def section_blocks(section: Section, *, as_context: bool) -> list[Block]:
    """One card section: prominent (report, digest) or small print (history on a prompt)."""
    head = _section_title(section)
    if as_context:
        lines = [head] if head else []
        if section.text:
            lines.append(escape(section.text))
        lines += [f"*{escape(f.label)}:* {escape(f.value)}" for f in section.facts]
        return (
            [{"type": "context", "elements": [mrkdwn(clip("\n".join(lines), MAX_SECTION_TEXT))]}]
            if lines
            else []
        )
    blocks: list[Block] = []
    body = "\n".join(p for p in (head, escape(section.text)) if p)
    if body:
        blocks.append({"type": "section", "text": mrkdwn(clip(body, MAX_SECTION_TEXT))})
    blocks += fact_blocks(section.facts)
    return blocks


def button(choice: Choice, index: int, version: int, *, opens_modal: bool) -> Block:
    label = choice.label
    if choice.light in LIGHT_EMOJI:
        label = f"{LIGHT_EMOJI[choice.light]} {label}"
    b: Block = {
        "type": "button",
        "action_id": f"{ACTION_PREFIX}{index}",
        "text": {"type": "plain_text", "text": clip(label, MAX_BUTTON_TEXT), "emoji": True},
        "value": encode_value(choice, version, opens_modal=opens_modal),
    }
    if choice.style is Style.PRIMARY:
        b["style"] = "primary"
    elif choice.style is Style.DANGER:
        b["style"] = "danger"
    return b


def opens_modal(card: Card, choice: Choice) -> bool:
    """A choice that submits fields opens a modal with them (Slack messages hold no inputs)."""
    return bool(card.fields) and choice.submits_fields


def choice_blocks(card: Card) -> list[Block]:
    """Light choices in their own row first, then the rest, at most 25 buttons per row."""
    indexed = list(enumerate(card.choices))
    rows = [[p for p in indexed if p[1].light], [p for p in indexed if not p[1].light]]
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


def card_blocks(card: Card, *, interactive: bool = True) -> list[Block]:
    """All blocks of a card, unpaged. ``interactive=False`` (inside a modal): no buttons, and
    no echo of the fields, which the modal shows as inputs."""
    blocks: list[Block] = []
    if card.answered:  # the dialogs' answered state: the outcome, marked as done
        line = f":white_check_mark: {clip(escape(card.note or card.title), 2970)}"
        blocks.append({"type": "context", "elements": [mrkdwn(line)]})
    elif card.note:
        blocks.append(
            {"type": "context", "elements": [mrkdwn(f"_{clip(escape(card.note), 2990)}_")]}
        )
    mark = LIGHT_EMOJI.get(card.light or 0)
    title = clip(card.title, MAX_HEADER - 4)
    blocks.append(
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "emoji": True,
                "text": f"{title} {mark}" if mark else title or " ",
            },
        }
    )
    if card.text:
        blocks += text_sections(card.text)
    blocks += fact_blocks(card.facts)
    history_as_context = any(c.light for c in card.choices)
    for section in card.sections:
        blocks += section_blocks(section, as_context=history_as_context)
    filled = [f for f in card.fields if f.value] if interactive else []
    for i in range(0, len(filled), MAX_CONTEXT_ELEMENTS):
        blocks.append(
            {
                "type": "context",
                "elements": [
                    mrkdwn(clip(f"*{escape(f.label)}:* {escape(f.value)}", MAX_SECTION_TEXT))
                    for f in filled[i : i + MAX_CONTEXT_ELEMENTS]
                ],
            }
        )
    if interactive:
        blocks += choice_blocks(card)
    return blocks


def paginate(blocks: Sequence[Block], *, limit: int = MAX_MESSAGE_BLOCKS) -> list[list[Block]]:
    return [list(blocks[i : i + limit]) for i in range(0, len(blocks), limit)] or [[]]


def fallback_text(card: Card) -> str:
    parts = [card.note, card.title, card.text]
    return clip("\n".join(p for p in parts if p), MAX_FALLBACK_TEXT)


def reply_messages(reply: Reply) -> list[Message]:
    """One reply as messages: its text, then its card (paged when over 50 blocks)."""
    out: list[Message] = []
    if reply.text:
        for page in paginate(text_sections(reply.text)):
            out.append(Message(text=clip(reply.text, MAX_FALLBACK_TEXT), blocks=tuple(page)))
    if reply.card is not None:
        pages = paginate(card_blocks(reply.card))
        for page in pages:
            out.append(Message(text=fallback_text(reply.card), blocks=tuple(page)))
    return out


def replies_messages(replies: Iterable[Reply]) -> list[Message]:
    return [m for r in replies for m in reply_messages(r)]


def answered_blocks(blocks: Sequence[Mapping[str, Any]], label: str, lang: str) -> list[Block]:
    """The answered state of a message: its blocks without buttons, and what was chosen."""
    kept = [dict(b) for b in blocks if b.get("type") not in ("actions", "input")]
    kept = kept[: MAX_MESSAGE_BLOCKS - 1]
    line = f":white_check_mark: {escape(t(lang, 'slack.answered', label=label))}"
    kept.append({"type": "context", "elements": [mrkdwn(clip(line, MAX_SECTION_TEXT))]})
    return kept


def home_view(replies: Sequence[Reply], lang: str, sections: Sequence[Section] = ()) -> Block:
    """The App Home tab: open rounds and progress (``sections``), then the user's start menu
    (shortcuts for their roles)."""
    blocks: list[Block] = [
        {"type": "header", "text": plain(t(lang, "slack.home_title"))},
        {"type": "context", "elements": [mrkdwn(escape(t(lang, "slack.home_hint")))]},
    ]
    for section in sections:
        blocks += section_blocks(section, as_context=False)
    for reply in replies:
        if reply.text:
            blocks += text_sections(reply.text)
        if reply.card is not None:
            blocks += [{"type": "divider"}] + card_blocks(reply.card)
    return {"type": "home", "blocks": blocks[:MAX_VIEW_BLOCKS]}
