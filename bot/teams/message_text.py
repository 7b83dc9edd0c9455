"""What a person typed in Teams, as plain text: mentions and HTML markup taken off.

A Teams message's ``text`` is mostly plain, but not always:

- an @mention arrives as ``<at>Stoplicht</at>`` (some clients: ``<at id="0">Stoplicht</at>``),
  the mentioned account listed in ``entities``; in a channel the text is wrapped in ``\\r\\n``;
- with ``textFormat: "xml"``, and from some clients, the text is HTML (``<p>…</p>``, ``<br>``,
  ``&nbsp;``, ``&amp;``); a formatted message also carries its HTML as a ``text/html``
  attachment, which is all there is when ``text`` comes empty.

The bot's own mention is dropped (it only addresses the bot, so "@Stoplicht Feedback" is the
command "Feedback"); another person's mention keeps their name. HTML is read only when the text
is HTML (``textFormat`` xml/html, or it holds HTML tags or ``&nbsp;``), so a plain message keeps
a typed ``<`` or ``&`` as typed. Line ends become ``\\n``; the text is stripped.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from typing import Any

from bot.typed import tidy_lines

HTML_TYPE = "text/html"
_AT = re.compile(  # <at>Name</at>, and in the HTML copy <span itemtype=".../Mention">Name</span>
    r"<at(?:\s[^<>]*)?>(?P<at>.*?)</at\s*>"
    r"|<span\s[^<>]*schema\.skype\.com/Mention[^<>]*>(?P<span>.*?)</span\s*>",
    re.IGNORECASE | re.DOTALL,
)
_LINE_END = re.compile(r"<br\s*/?>|</(?:p|div|li|h[1-6]|blockquote|pre|tr)\s*>", re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_HTML = re.compile(
    r"</?(?:p|div|span|br|b|i|u|s|em|strong|a|ol|ul|li|blockquote|pre|code|img|h[1-6]|table|tr|td)"
    r"(?:\s[^<>]*)?/?>|&nbsp;",
    re.IGNORECASE,
)


def _mentioned(match: re.Match[str]) -> str:
    return match.group("at") if match.group("at") is not None else match.group("span") or ""


def _plain(fragment: str) -> str:
    return html.unescape(_TAG.sub("", fragment)).replace("\xa0", " ").strip()


def _obj(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def bot_names(activity: Mapping[str, Any]) -> set[str]:
    """The names the bot goes by in this activity's mentions (case-folded)."""
    recipient = _obj(activity.get("recipient"))
    bot_id = recipient.get("id")
    names = {recipient.get("name")}
    for entity in map(_obj, _list(activity.get("entities"))):
        mentioned = entity.get("mentioned")
        if str(entity.get("type", "")).lower() != "mention" or not isinstance(mentioned, Mapping):
            continue
        if bot_id and mentioned.get("id") == bot_id:
            names.add(mentioned.get("name"))
            if isinstance(entity.get("text"), str):
                names.update(_mentioned(m) for m in _AT.finditer(entity["text"]))
    return {_plain(n).casefold() for n in names if isinstance(n, str) and _plain(n)}


def is_html(activity: Mapping[str, Any], text: str) -> bool:
    fmt = activity.get("textFormat")
    fmt = fmt if isinstance(fmt, str) else ""
    return fmt.lower() in ("xml", "html") or bool(_HTML.search(text))


def _html_attachment(activity: Mapping[str, Any]) -> str:
    for attachment in map(_obj, _list(activity.get("attachments"))):
        content = attachment.get("content")
        if attachment.get("contentType") == HTML_TYPE and isinstance(content, str):
            return content
    return ""


def _clean(text: str, *, markup: bool, names: set[str]) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")

    def mention(match: re.Match[str]) -> str:
        inner = _mentioned(match)
        name = _plain(inner)
        before = _plain(text[: match.start()])
        if not before or name.casefold() in names:  # a leading mention addresses the bot
            return " "
        return inner if markup else name

    text = _AT.sub(mention, text)
    if markup:
        text = html.unescape(_TAG.sub("", _LINE_END.sub("\n", text)))
    return tidy_lines(text)


def typed_text(activity: Mapping[str, Any]) -> str:
    """The text the person typed ("" for a message without text, e.g. only a file)."""
    text = activity.get("text")
    text = text if isinstance(text, str) else ""
    names = bot_names(activity)
    typed = _clean(text, markup=is_html(activity, text), names=names)
    if not typed:  # nothing in ``text``: the HTML copy of a formatted message, if any
        typed = _clean(_html_attachment(activity), markup=True, names=names)
    return typed
