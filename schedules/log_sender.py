"""A sender that shows notifications in the log (and optionally appends them to a file).

For the demo (``make run``) and for a school without Teams or Slack configured yet: what the
bot *would* have sent is visible, one readable block per notification. Never fails.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from pathlib import Path

from dialogs.sanitize import printable
from dialogs.types import Reply
from schedules.delivery import Target

log = logging.getLogger("stoplicht.notifications")


def as_text(replies: Sequence[Reply]) -> str:
    """A plain-text rendering of replies: title, text, facts, sections and [buttons]."""
    lines: list[str] = []
    for r in replies:
        if r.text:
            lines.append(r.text)
        card = r.card
        if card is None:
            continue
        lines.append(f"== {card.title}")
        if card.text:
            lines.append(card.text)
        lines += [f"  {f.label}: {f.value}" for f in card.facts]
        for s in card.sections:
            head = " ".join(x for x in (s.title, s.text) if x)
            lines.append(f"  * {head}")
            lines += [f"      {f.label}: {f.value}" for f in s.facts]
        if card.choices:
            lines.append("  " + "  ".join(f"[{c.label}]" for c in card.choices))
    return "\n".join(lines)


class LogSender:
    channel = "log"

    def __init__(self, *, path: Path | None = None) -> None:
        self._path = path

    async def send(self, target: Target, replies: Sequence[Reply], *, key: str) -> None:
        text = as_text(replies)
        # what people typed (remarks, notes, names) never reaches the terminal raw
        log.info("notification %s to person %s:\n%s", key, target.person_id, printable(text))
        if self._path is not None:
            with self._path.open("a", encoding="utf-8") as fh:
                fh.write(
                    json.dumps(
                        {"key": key, "person_id": target.person_id, "text": text},
                        ensure_ascii=False,
                    )
                    + "\n"
                )
