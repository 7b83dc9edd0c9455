"""Text that Slack shows exactly as written: ``rich_text`` blocks and ``plain_text`` objects.

Stoplicht stores what people type as typed and never lets it be read as markup. Slack's
``mrkdwn`` would draw ``*bold*``, ``_italic_``, ``~strike~``, code, quotes and ``:emoji:``
codes in it, and auto-link addresses; escaping cannot switch that off. So text never goes
into ``mrkdwn``. It goes into

- a ``rich_text`` block, whose ``text`` elements are literal: their look comes only from a
  ``style`` (our bold labels, our italic notes), and mentions, links and emoji would be
  elements of their own, which Stoplicht never writes;
- a ``plain_text`` object with ``emoji`` off, where no formatting is needed (headers,
  buttons, the small print of context blocks, modal titles and labels).

Neither takes Slack's ``&amp;`` escapes: the text is sent as it is. Our own marks (the lights,
the tick of an answered message) are Unicode emoji, so ``emoji`` can stay off everywhere.

Sizes: a ``rich_text`` block here holds at most 3,000 characters (the size Slack allows a
section's text; Slack documents no limit of its own for rich text, and a message's blocks
together are bounded too), a line of label and value at most 2,000 (a section field's).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

Block = dict[str, Any]
Line = list[Block]  # the text elements of one line

MAX_RICH_TEXT = 3000
MAX_LINE = 2000


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str) -> Block:
    """A ``plain_text`` object shown as written (``:codes:`` stay text); never empty."""
    return {"type": "plain_text", "text": text or " ", "emoji": False}


def run(text: str, *, bold: bool = False, italic: bool = False) -> Block:
    """One literal ``text`` element of a rich text, with our style if any."""
    element: Block = {"type": "text", "text": text}
    style = {name: True for name, on in (("bold", bold), ("italic", italic)) if on}
    if style:
        element["style"] = style
    return element


def rich_text(elements: Sequence[Block], *, quote: bool = False) -> Block:
    """A ``rich_text`` block of one section (or, with ``quote``, one quote) of elements."""
    kind = "rich_text_quote" if quote else "rich_text_section"
    return {"type": "rich_text", "elements": [{"type": kind, "elements": list(elements)}]}


def chunks(text: str, limit: int) -> list[str]:
    """``text`` in pieces of at most ``limit`` characters, cut at line ends where possible."""
    out: list[str] = []
    chunk = ""
    for line in text.split("\n"):
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
    out.append(chunk)
    return [c for c in out if c.strip()]


def paragraph_blocks(text: str, *, italic: bool = False) -> list[Block]:
    """A text as rich text blocks, split at line ends into blocks of at most 3,000 characters."""
    return [rich_text([run(c, italic=italic)]) for c in chunks(text, MAX_RICH_TEXT)]


def labelled(label: str, value: str) -> Line:
    """``Label: value`` with the label in bold, each text its own element, as written; at most
    2,000 characters (clipped)."""
    return clip_line([run(label, bold=True), run(": "), run(value)] if label else [run(value)])


def _size(line: Line) -> int:
    return sum(len(e["text"]) for e in line)


def clip_line(line: Line, limit: int = MAX_LINE) -> Line:
    out: Line = []
    room = limit
    for element in line:
        if not element["text"]:
            continue
        if room <= 0:
            break
        text = clip(element["text"], room)
        out.append({**element, "text": text})
        room -= len(text)
    return out


def line_blocks(lines: Iterable[Line], *, quote: bool = False) -> list[Block]:
    """Lines (each clipped to 3,000 characters) in as few rich text blocks as fit 3,000
    characters each, one line under the other."""
    blocks: list[Block] = []
    current: Line = []
    size = 0
    for raw in lines:
        line = clip_line(raw, MAX_RICH_TEXT)
        if not line:
            continue
        n = _size(line)
        if current and size + 1 + n > MAX_RICH_TEXT:
            blocks.append(rich_text(current, quote=quote))
            current, size = [], 0
        if current:
            current.append(run("\n"))
            size += 1
        current += line
        size += n
    if current:
        blocks.append(rich_text(current, quote=quote))
    return blocks
