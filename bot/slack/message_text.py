"""What a person typed in Slack, as plain text: markup, escapes and the bot's mention taken off.

Slack sends a message's text twice. ``text`` is in Slack's markup: ``&``, ``<`` and ``>`` are
escaped as ``&amp;``, ``&lt;``, ``&gt;``; mentions and links are ``<@U123>``, ``<#C1|general>``,
``<!here>``, ``<https://x.org|label>``; bold typed in the composer is ``*bold*``. Current
clients also send ``blocks`` with a ``rich_text`` block: the composer's structured output, where
text is literal and styles are attributes. The rich text is read when there is one, else
``text`` is unescaped and its emphasis marks taken off (so "Feedback" typed in bold is
"Feedback" either way; "5 * 3" keeps its star). A slash command's text is escaped the same
way and has no blocks.

The bot's own mention is dropped ("@Stoplicht feedback" is the command "feedback"); another
user or channel becomes ``@U123`` / ``#general``; a link its label, else its address.
Anything malformed is skipped, never an error: this is outside input.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.typed import tidy_lines

_TOKEN = re.compile(r"<([^<>]*)>")
# *bold*, _italic_, ~strike~ as Slack draws them: the marks hug a word, not a space.
_EMPHASIS = re.compile(r"(?<![\w*_~])([*_~])(?=\S)([^\n]*?\S)\1(?![\w*_~])")


def unescape(text: str) -> str:
    """Slack's three escapes, ``&amp;`` last so ``&amp;lt;`` stays the typed ``&lt;``."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _token(inner: str, bot: str | None) -> str:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return "" if target[1:] == bot else "@" + (label or target[1:]).lstrip("@")
    if target.startswith("#"):
        return "#" + (label or target[1:]).lstrip("#")
    if target.startswith("!date^"):
        return label
    if target.startswith("!"):  # <!here>, <!channel|@channel>, <!subteam^S1|@docenten>
        return "@" + (label or target[1:].removeprefix("subteam^")).lstrip("@")
    return label or target.removeprefix("mailto:")


def from_markup(text: str, *, bot: str | None = None) -> str:
    """Plain text from Slack's markup (a message's ``text``, a command's ``text``): tokens
    resolved, emphasis marks off, escapes undone."""
    text = _EMPHASIS.sub(r"\2", _TOKEN.sub(lambda m: _token(m.group(1), bot), text))
    return _tidy(unescape(text))


def _emoji(element: Mapping[str, Any]) -> str:
    code = element.get("unicode")
    if isinstance(code, str) and code:
        try:
            return "".join(chr(int(part, 16)) for part in code.split("-"))
        except ValueError:
            pass
    return f":{element.get('name') or ''}:"


def _inline(element: Any, bot: str | None) -> str:
    if not isinstance(element, Mapping):
        return ""
    kind = element.get("type")
    if kind == "user":
        user = str(element.get("user_id") or "")
        return "" if user == bot else f"@{user}"
    if kind == "usergroup":
        return f"@{element.get('usergroup_id') or ''}"
    if kind == "channel":
        return f"#{element.get('channel_id') or ''}"
    if kind == "broadcast":
        return f"@{element.get('range') or ''}"
    if kind == "emoji":
        return _emoji(element)
    if kind == "link":
        return str(element.get("text") or element.get("url") or "")
    if kind == "date":
        return str(element.get("fallback") or "")
    if kind == "color":
        return str(element.get("value") or "")
    value = element.get("text")  # "text", and any kind Slack adds later that carries text
    return value if isinstance(value, str) else ""


def _part(element: Any, bot: str | None) -> str:
    """One element of a ``rich_text`` block: a section, list, quote or preformatted text."""
    if not isinstance(element, Mapping):
        return ""
    children = element.get("elements")
    children = children if isinstance(children, list) else []
    if element.get("type") == "rich_text_list":
        return "\n".join(_part(item, bot) for item in children)
    return "".join(_inline(child, bot) for child in children)


def from_rich_text(blocks: Any, *, bot: str | None = None) -> str | None:
    """Plain text from the ``rich_text`` blocks of a message; None when it has none."""
    if not isinstance(blocks, Sequence) or isinstance(blocks, str):
        return None
    parts: list[str] = []
    found = False
    for block in blocks:
        if isinstance(block, Mapping) and block.get("type") == "rich_text":
            found = True
            elements = block.get("elements")
            for element in elements if isinstance(elements, list) else []:
                part = _part(element, bot)
                if parts and not parts[-1].endswith("\n"):
                    parts.append("\n")
                parts.append(part)
    return _tidy("".join(parts)) if found else None


def typed_text(event: Mapping[str, Any], *, bot: str | None = None) -> str:
    """What a message event's sender typed: its rich text, else its unescaped ``text``."""
    rich = from_rich_text(event.get("blocks"), bot=bot)
    if rich:
        return rich
    text = event.get("text")
    return from_markup(text, bot=bot) if isinstance(text, str) else ""


def _tidy(text: str) -> str:
    return tidy_lines(text)
