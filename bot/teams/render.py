"""``Reply`` / ``Card`` → Adaptive Card 1.5 JSON for Microsoft Teams. Pure: no botbuilder.

Layout rules, so a card reads well on a phone: one column of blocks, every text wraps, no
``ColumnSet`` and no ``FactSet`` (whose value column is narrow on a phone and whose values
Teams reads as markdown): a fact is one line, its label in bold, its value after it.
Buttons live in ``ActionSet`` blocks in the body: the four lights together, then the other
choices with the primary ones first (``bot.button_order``). Teams shows at most six actions
of an ``ActionSet`` and moves the rest into a "..." menu, so the other choices go in sets of
at most six (``MAX_ACTIONS``).

A ``Table`` (the mentor's class picture) becomes an Adaptive Card ``Table`` (new in 1.5): the
first row is the header, columns of names and words wider than those of marks; each cell a
``RichTextBlock``; the legend follows as one line. Teams scrolls a wide table sideways on a phone.

Every text is shown with ``RichTextBlock``/``TextRun``, which Adaptive Cards never interpret
as markdown: what someone typed (names, remarks, notes) appears exactly as typed, line breaks
included. Only a message's plain ``text`` is markdown, so it is escaped.

A choice becomes ``Action.Execute`` (verb = the action; Teams answers in place through an
``adaptiveCard/action`` invoke) with an ``Action.Submit`` fallback (the same title, style,
inputs and data, for clients without Universal Actions), or only ``Action.Submit``; all carry
``data = {"stoplicht": {"action", "args", "version"}}`` and, unless ``submits_fields`` is
false, the inputs (merged into the same object by the client, keyed by field id; a field may
not be called ``stoplicht``). A card with a choice whose fields are optional (``stop`` on a plan
step sends what was typed) marks no input required, so Teams never blocks that choice; a field
required for some lights only is never marked required either (``_field``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

from bot.button_order import button_rows
from dialogs.types import (
    Card,
    Cell,
    CellMark,
    Choice,
    Fact,
    FieldKind,
    File,
    InputField,
    Reply,
    Section,
    Style,
    Table,
)

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
DATA_KEY = "stoplicht"
RESERVED_KEYS = frozenset({DATA_KEY})
ActionMode = Literal["execute", "submit"]
MAX_ACTIONS = 6  # Teams' host config: more actions in one set go into a "..." menu

# The four lights as the manual draws them: a hat, green, orange, a red exclamation mark.
LIGHT_MARK = {1: "🎩", 2: "🟢", 3: "🟠", 4: "❗"}
LIGHT_COLOR = {1: "accent", 2: "good", 3: "warning", 4: "attention"}
_STYLE = {Style.PRIMARY: "positive", Style.DANGER: "destructive"}
_MD_INLINE = re.compile(r"([\\`*_\[\]~])")
_MD_LINE_MARK = re.compile(r"(?m)^(\s*)([-+#>])")
_MD_LINE_NUMBER = re.compile(r"(?m)^(\s*\d+)\.(?=\s|$)")


def escape_markdown(text: str) -> str:
    """Neutralise the markdown Adaptive Cards interpret (emphasis, links, lists, code) and
    HTML-like tags in text that is shown where markdown applies (fact values, message text)."""
    text = text.replace("<", "\uff1c").replace(">", "\uff1e")
    text = _MD_INLINE.sub(r"\\\1", text)
    text = _MD_LINE_MARK.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)
    return _MD_LINE_NUMBER.sub(lambda m: f"{m.group(1)}\\.", text)


def _plain(text: str, **style: Any) -> dict[str, Any]:
    """A wrapped block of plain text (``TextRun`` takes no markdown)."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def _facts(facts: Iterable[Fact]) -> list[dict[str, Any]]:
    """One line per fact: the label in bold, then the value as written (no markdown)."""
    lines: list[dict[str, Any]] = []
    for f in facts:
        inlines: list[dict[str, Any]] = []
        if f.label:
            label = f"{f.label}: " if f.value else f.label
            inlines.append({"type": "TextRun", "text": label, "weight": "bolder"})
        if f.value or not f.label:
            inlines.append({"type": "TextRun", "text": f.value or " "})
        line: dict[str, Any] = {"type": "RichTextBlock", "inlines": inlines}
        if lines:
            line["spacing"] = "small"
        lines.append(line)
    return lines


def _light_text(light: int | None, label: str) -> str:
    mark = LIGHT_MARK.get(light or 0)
    return f"{mark} {label}" if mark else label


def _section(section: Section) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    if section.title:
        style: dict[str, Any] = {"weight": "bolder"}
        if section.light in LIGHT_COLOR:
            style["color"] = LIGHT_COLOR[section.light or 0]
        items.append(_plain(_light_text(section.light, section.title), **style))
    if section.text:
        items.append(_plain(section.text))
    items.extend(_facts(section.facts))
    return {"type": "Container", "separator": True, "spacing": "medium", "items": items}


CELL_MARK = {CellMark.PENDING: "⋯", CellMark.ABSENT: "—"}
WORSE_MARK = "↓"


def cell_text(cell: Cell) -> str:
    """A cell as one short text: its light's mark or its own mark, its text, ↓ when worse."""
    parts = [LIGHT_MARK.get(cell.light or 0) or CELL_MARK.get(cell.mark, ""), cell.text]
    text = " ".join(p for p in parts if p)
    if not cell.worse:
        return text
    return f"{text} {WORSE_MARK}" if cell.text else f"{text}{WORSE_MARK}"


def _table(table: Table) -> list[dict[str, Any]]:
    def row(cells: Iterable[str], *, header: bool = False) -> dict[str, Any]:
        style: dict[str, Any] = {"weight": "bolder"} if header else {}
        return {
            "type": "TableRow",
            "cells": [
                {"type": "TableCell", "items": [_plain(text or " ", **style)]} for text in cells
            ],
        }

    width = len(table.columns)
    texts = [list(table.columns), *([cell_text(c) for c in r[:width]] for r in table.rows)]
    longest = [max(len(r[i]) if i < len(r) else 0 for r in texts) for i in range(width)]
    block = {
        "type": "Table",
        "separator": True,
        "spacing": "medium",
        # firstRowAsHeader and showGridLines are true by default (the SDK drops them)
        # marks narrow, names and stages wider: relative widths from the longest text
        "columns": [{"width": 1 if n <= 4 else 2 if n <= 14 else 3} for n in longest],
        "rows": [
            row(table.columns, header=True),
            *(row(cell_text(c) for c in cells[:width]) for cells in table.rows),
        ],
    }
    out: list[dict[str, Any]] = [block]
    if table.legend:
        legend = " · ".join(f"{cell_text(c)} {meaning}" for c, meaning in table.legend)
        out.append({**_plain(legend, isSubtle=True), "spacing": "small"})
    return out


def _field(f: InputField, *, lenient: bool = False) -> dict[str, Any]:
    """One input. Only an always required field is marked required: Teams blocks every button
    that sends the inputs while a required one is empty, so a field required for some lights
    only (``required_for_lights``) is never marked, or choosing another light (even one that
    needs no text) would be blocked; the server checks the school's rule and says what is
    missing. ``lenient``: not even then, because a choice of the card sends the fields without
    needing them (``Choice.fields_optional``; the dialogs check the answer themselves)."""
    required = f.required and not lenient
    block: dict[str, Any] = {"type": "Input.Text", "id": f.id, "label": f.label}
    if f.kind == FieldKind.DATETIME:
        block = {"type": "Input.Text", "id": f.id, "label": f.label, "style": "text"}
    if f.kind == FieldKind.MULTILINE:
        block["isMultiline"] = True
    if f.value:
        block["value"] = f.value
    if f.placeholder:
        block["placeholder"] = f.placeholder
    if f.max_length:
        block["maxLength"] = f.max_length
    if required:
        block["isRequired"] = True
    if f.error_message and (required or f.max_length):
        block["errorMessage"] = f.error_message
    return block


def action_data(choice: Choice, version: int | None, *, keep: bool = False) -> dict[str, Any]:
    """A button's data; a card without a version (a notification's) sends none. ``keep``: the
    card shows information (``keeps_content``), so a press that answers nothing in place
    leaves it on screen as it is (``bot.teams.turns``)."""
    press: dict[str, Any] = {"action": choice.action, "args": dict(choice.args)}
    if version is not None:
        press["version"] = version
    if keep:
        press["keep"] = True
    return {DATA_KEY: press}


def keeps_content(card: Card) -> bool:
    """Whether the card stays as it is after a press that answers nothing in place: a card
    that shows information (no inputs: a report, an overview, a digest, the student's
    feedback, any notification) keeps showing it; its buttons are navigation."""
    return not card.fields and not card.answered


def _action(
    choice: Choice, version: int | None, mode: ActionMode, *, keep: bool = False
) -> dict[str, Any]:
    action: dict[str, Any] = {
        "type": "Action.Submit",
        "title": _light_text(choice.light, choice.label),
        "data": action_data(choice, version, keep=keep),
        "associatedInputs": "auto" if choice.submits_fields else "none",
    }
    if choice.style in _STYLE:
        action["style"] = _STYLE[choice.style]
    if mode == "submit":
        return action
    # A client without Universal Actions shows the fallback: the same button as a submit,
    # with the same data, which the bot takes as the same press (bot.teams.turns).
    execute: dict[str, Any] = {"type": "Action.Execute", "verb": choice.action}
    execute.update({k: v for k, v in action.items() if k != "type"})
    execute["fallback"] = dict(action, data=action_data(choice, version, keep=keep))
    return execute


def render_card(card: Card, *, mode: ActionMode = "execute") -> dict[str, Any]:
    """The Adaptive Card for ``card``."""
    clash = {f.id for f in card.fields} & RESERVED_KEYS
    if clash:
        raise ValueError(f"field ids clash with the submit data keys: {sorted(clash)}")
    body: list[dict[str, Any]] = []
    if card.answered:  # the dialogs' answered state: the outcome first, marked as done
        body.append(_plain("✓ " + (card.note or card.title), weight="bolder"))
    elif card.note:
        body.append(_plain(card.note, italic=True, color="accent"))
    title_style: dict[str, Any] = {"weight": "bolder", "size": "medium"}
    if card.light in LIGHT_COLOR:
        title_style["color"] = LIGHT_COLOR[card.light or 0]
    body.append(_plain(_light_text(card.light, card.title), **title_style))
    if card.text:
        body.append(_plain(card.text))
    body.extend(_facts(card.facts))
    if card.table is not None:
        body.extend(_table(card.table))
    body.extend(_section(s) for s in card.sections)
    lenient = any(c.submits_fields and c.fields_optional for c in card.choices)
    body.extend(_field(f, lenient=lenient) for f in card.fields)
    keep = keeps_content(card)
    lights, others = button_rows(card)
    sets = [(lights, "medium")] if lights else []
    for i in range(0, len(others), MAX_ACTIONS):  # a longer list goes on in the next set
        sets.append((others[i : i + MAX_ACTIONS], "medium" if i == 0 else "small"))
    for group, spacing in sets:
        body.append(
            {
                "type": "ActionSet",
                "spacing": spacing,
                "actions": [_action(c, card.version, mode, keep=keep) for _, c in group],
            }
        )
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }


def attachment(content: dict[str, Any]) -> dict[str, Any]:
    return {"contentType": CONTENT_TYPE, "content": content}


def message(reply: Reply, *, mode: ActionMode = "execute") -> dict[str, Any]:
    """One Bot Framework message activity (as JSON) for ``reply``; a file is offered with a
    consent card (Teams asks the person before the bot may put it in their OneDrive)."""
    activity: dict[str, Any] = {"type": "message"}
    if reply.text:
        activity["text"] = escape_markdown(reply.text)
        activity["textFormat"] = "markdown"
    attachments = []
    if reply.card is not None:
        attachments.append(attachment(render_card(reply.card, mode=mode)))
    if reply.file is not None:
        attachments.append(consent_card(reply.file))
    if attachments:
        activity["attachments"] = attachments
    return activity


CONSENT_TYPE = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_TYPE = "application/vnd.microsoft.teams.card.file.info"


def consent_card(file: File) -> dict[str, Any]:
    """Teams' FileConsentCard for ``file``: accepting or declining sends a
    ``fileConsent/invoke`` whose context is the action that makes the file again."""
    context = {DATA_KEY: {"action": file.action, "args": dict(file.args)}}
    return {
        "contentType": CONSENT_TYPE,
        "name": file.name,
        "content": {
            "description": file.description,
            "sizeInBytes": len(file.content),
            "acceptContext": context,
            "declineContext": context,
        },
    }


def file_info_card(
    *, name: str, content_url: str, unique_id: str, file_type: str
) -> dict[str, Any]:
    """The message that shows an uploaded file in the chat (Teams' FileInfoCard)."""
    return {
        "contentType": FILE_INFO_TYPE,
        "contentUrl": content_url,
        "name": name,
        "content": {"uniqueId": unique_id, "fileType": file_type},
    }


def answered_card(summary: str) -> dict[str, Any]:
    """The read-only state of a card after its submit: the outcome, no inputs, no buttons, so
    the same card cannot be submitted twice."""
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": [_plain("✓ " + summary, weight="bolder")],
    }


def answered_summary(replies: list[Reply]) -> str | None:
    """What a card's answered state says: the turn's first text, else the next card's note."""
    for reply in replies:
        if reply.text:
            return reply.text
        if reply.card is not None and reply.card.note:
            return reply.card.note
    return None
