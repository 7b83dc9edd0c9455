"""Free text typed by people (remarks, actions, mentor notes, agreements, plan answers).

One rule for all of them: the text is stored exactly as typed (spaces, line breaks, markup
characters and all), a blank text counts as empty, and a text longer than the school's
``max_text_length`` is refused with ``TextTooLong`` naming the field, its length and the limit.
"""

from __future__ import annotations

from storage.errors import TextTooLong


def check_text(text: str, *, field: str, max_length: int) -> str:
    """``text`` unchanged, or "" when it is blank; raise ``TextTooLong`` beyond the limit."""
    if not text.strip():
        return ""
    if len(text) > max_length:
        raise TextTooLong(
            f"{field} is {len(text)} characters, at most {max_length} allowed",
            field=field,
            length=len(text),
            max=max_length,
        )
    return text


def blank_to_none(text: str | None) -> str | None:
    return None if text is None or not text.strip() else text
