"""What the engine accepts from a channel before a turn runs: text that can be stored.

A channel's payload is JSON, and JSON can carry a lone UTF-16 surrogate (``"\\ud800"``): Python
reads it as a string that no database can store and no platform can show. It can also carry
U+0000 (``"\\u0000"``), which SQLite stores but PostgreSQL refuses in any text (the turn
would fail and what was typed with it be lost). Nobody types either (a keyboard sends whole,
printable characters), so each is replaced by U+FFFD, the replacement character, as the
terminal channel does for bytes that are not UTF-8; the rest of the text is kept as typed. The
same holds for the ids a channel sends (user, tenant) and the conversation reference it keeps.
Input values and button args that are numbers become their text; values of any other type
(an object, a list, true/false) were never typed text and are left out, so the dialogs see the
field as empty and ask again where it matters.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from dialogs.types import Incoming

log = logging.getLogger(__name__)

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")  # unstorable: U+0000 and lone surrogates
REPLACEMENT = "\ufffd"


def printable(text: str) -> str:
    """``text`` safe to show on an operator's terminal or in a log: every control character
    (escape sequences, bidi controls, zero-width marks: anything not printable) except newline
    and tab written as its Python escape (``\x1b``, ``\u202e``); the rest as typed."""
    if text.isprintable():
        return text
    return "".join(
        ch if ch in "\n\t" or (ch.isprintable() and ch != "\x7f") else repr(ch)[1:-1] for ch in text
    )


def clean_text(text: str) -> str:
    """``text`` with every U+0000 and lone surrogate replaced by U+FFFD (unchanged when there
    is none)."""
    return _UNSTORABLE.sub(REPLACEMENT, text) if _UNSTORABLE.search(text) else text


def _clean_map(values: Mapping[Any, Any], what: str) -> Mapping[str, str]:
    if all(type(k) is str and type(v) is str for k, v in values.items()) and not any(
        _UNSTORABLE.search(k) or _UNSTORABLE.search(v) for k, v in values.items()
    ):
        return values
    out: dict[str, str] = {}
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            log.info("dialog input: %s %r is not text, left out", what, key)
            continue
        out[clean_text(str(key))] = clean_text(str(value))
    return out


def clean_json(value: Any) -> Any:
    """A JSON value with every string in it (keys too) passed through ``clean_text``."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, Mapping):
        return {clean_text(str(k)): clean_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_json(v) for v in value]
    return value


def _has_unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return _UNSTORABLE.search(value) is not None
    if isinstance(value, Mapping):
        return any(_has_unstorable(str(k)) or _has_unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_unstorable(v) for v in value)
    return False


def clean_incoming(inc: Incoming) -> Incoming:
    """``inc`` with storable text everywhere (the same object when it already was)."""
    user = inc.user
    user_fields = {
        name: clean_text(value)
        for name in ("user_id", "tenant", "email", "name", "locale")
        if isinstance(value := getattr(user, name), str) and _UNSTORABLE.search(value)
    }
    text = inc.text if inc.text is None or isinstance(inc.text, str) else str(inc.text)
    changes: dict[str, Any] = {
        "text": clean_text(text) if text is not None else None,
        "args": _clean_map(inc.args, "arg"),
        "values": _clean_map(inc.values, "value"),
    }
    if user_fields:
        changes["user"] = replace(user, **user_fields)
    conv = inc.conversation
    if conv is not None and (
        _has_unstorable(conv.data) or _has_unstorable([conv.user_id, conv.tenant])
    ):
        changes["conversation"] = replace(
            conv,
            user_id=clean_text(conv.user_id),
            tenant=clean_text(conv.tenant),
            data=clean_json(conv.data),
        )
    if all(changes[k] is getattr(inc, k) for k in changes):
        return inc
    return replace(inc, **changes)
