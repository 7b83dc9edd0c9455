"""Replies as plain terminal text: title, facts, sections, fields, numbered choices.

An answered card (``Card.answered``: the acted card after its action, ``Reply.replace``) prints
as one line, ``✔`` and what was done: a terminal cannot change what it printed before, and the
next prompt follows at once.

Texts typed by users are shown exactly, with control characters made visible, so nothing a user
typed can move the cursor, change colours or pose as another line of the bot.
"""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.types import Card, Reply

LIGHT_MARK = {1: "[^]", 2: "[G]", 3: "[O]", 4: "[!]"}


def plain(text: str) -> str:
    """Printable text: every control character except newline and tab shown as an escape."""
    return "".join(
        ch if ch in "\n\t" or (ch.isprintable() and ch not in "\x7f") else repr(ch)[1:-1]
        for ch in text
    )


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
