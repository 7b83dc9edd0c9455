"""A terminal conversation: one input per line, replies printed before the next read.

How input is read against the last card shown:
- a number picks that choice; the exact label (any case) picks it too;
- a light choice (and any choice that submits fields) then asks for each field on its own
  line, first saying which fields the chosen light needs (the school's rule, marked ``*``);
  an empty line keeps the value shown, a single ``-`` leaves the field empty; a choice whose
  fields are optional (``stop`` on a plan step) asks nothing (what was typed is already
  sent, one line at a time) and takes the fields only when given inline;
- ``3 | remark | action`` picks choice 3 and fills the fields in order in one line (a part
  left out or a lone ``-`` leaves that field empty); the last field takes the rest of the
  line, ``|`` included, and ``\\|`` writes a ``|`` in any field (``3 | 1\\|2 lukt | oefen``);
- an empty line on a card with fields and one choice that submits them (a plan step, the
  mentor note, an organizer question) presses that choice with the values shown, so Enter
  never wipes an answer given before; on any other card an empty line is ignored;
- anything else is sent as typed text (a command such as ``feedback`` or an answer).
End of input ends the session cleanly; so does ``/quit``.

A reply with a file (the printable report) is written to ``files_dir`` (the current folder by
default) under the file's name, never over an existing file (``-2``, ``-3``, ... are added), and
the path is printed after the reply's text.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot.terminal.render import plain, render_replies
from dialogs import actions as A
from dialogs.types import (
    Card,
    Choice,
    File,
    Incoming,
    IncomingKind,
    InputField,
    Reply,
    TurnHandler,
    UserRef,
)


class TerminalSession:
    def __init__(
        self,
        *,
        handler: TurnHandler,
        user: UserRef,
        stdin: TextIO,
        stdout: TextIO,
        echo: bool = False,
        files_dir: Path | None = None,
    ) -> None:
        self._handler = handler
        self._files_dir = files_dir or Path.cwd()
        self._user = user
        self._in = stdin
        self._out = stdout
        self._echo = echo
        self._card: Card | None = None
        self._interactive = bool(getattr(stdin, "isatty", lambda: False)())

    def run(self, first: list[Incoming] | None = None) -> None:
        opening = Incoming(user=self._user, kind=IncomingKind.ACTION, action=A.MENU)
        for inc in first or [opening]:  # an action: opening never answers a waiting question
            self._send(inc)
        lines = self._lines()
        for line in lines:
            if line.strip() == "/quit":
                return
            if not line.strip():  # Enter alone: keep what is shown, or nothing at all
                kept = self._keep_shown(self._card)
                if kept is not None:
                    self._send(kept)
                continue
            turn = self._incoming(line, lines)
            if turn is None:
                return
            self._send(turn)

    # -- reading ------------------------------------------------------------------------------

    def _lines(self) -> Iterator[str]:
        while True:
            if self._interactive:
                self._write("> ", newline=False)
            line = self._in.readline()
            if not line:
                return
            line = line.rstrip("\r\n")
            if self._echo:
                self._write(f"> {plain(line)}")
            yield line

    def _incoming(self, line: str, lines: Iterator[str]) -> Incoming | None:
        card = self._card
        choice, inline = self._pick(line, card, len(card.fields)) if card else (None, None)
        if choice is None or card is None:
            return Incoming(user=self._user, kind=IncomingKind.MESSAGE, text=line)
        values: dict[str, str] = {}
        asks = not choice.fields_optional or inline is not None
        if choice.submits_fields and card.fields and asks:
            needed = {f.id for f in card.fields if _needed(f, choice)}
            if inline is None:  # the school's rule for this light, before anything is typed
                rules = [f.error_message for f in card.fields if f.id in needed and f.error_message]
                for rule in dict.fromkeys(rules):
                    self._write(f"* {plain(rule)}")
            for i, field in enumerate(card.fields):
                if inline is not None:
                    part = inline[i] if i < len(inline) else ""
                    values[field.id] = "" if part == "-" else part  # "-": empty, as on its own line
                    continue
                shown = f" [{plain(field.value)}]" if field.value else ""
                star = " *" if field.id in needed else ""
                self._write(f"{plain(field.label)}{star}{shown}:")
                answer = _next(lines)
                if answer is None:
                    return None
                values[field.id] = _field_value(answer, field.value)
        return Incoming(
            user=self._user,
            kind=IncomingKind.ACTION,
            action=choice.action,
            args=dict(choice.args),
            values=values,
            version=card.version,
        )

    def _keep_shown(self, card: Card | None) -> Incoming | None:
        """An empty line: the card's only field-submitting choice, with the values shown."""
        if card is None or not card.fields:
            return None
        submits = [c for c in card.choices if c.submits_fields and not c.fields_optional]
        if len(submits) != 1:
            return None
        return Incoming(
            user=self._user,
            kind=IncomingKind.ACTION,
            action=submits[0].action,
            args=dict(submits[0].args),
            values={f.id: f.value for f in card.fields},
            version=card.version,
        )

    @staticmethod
    def _pick(line: str, card: Card, fields: int) -> tuple[Choice | None, list[str] | None]:
        inline: list[str] | None = None
        head = line
        if "|" in line:
            head, *rest = _split_fields(line, fields)
            inline = rest
        key = head.strip()
        number = int(key) if key.isascii() and key.isdigit() else 0
        if 1 <= number <= len(card.choices):
            return card.choices[number - 1], inline
        for choice in card.choices:
            if choice.label.strip().lower() == key.lower() and key:
                return choice, inline
        return None, None

    # -- writing ------------------------------------------------------------------------------

    def _send(self, inc: Incoming) -> None:
        replies: list[Reply] = self._handler.handle(inc)
        cards = [r.card for r in replies if r.card is not None]
        if cards:
            self._card = cards[-1]
        self._write(render_replies(replies))
        for reply in replies:
            if reply.file is not None:
                self._write(f"  -> {plain(self._save(reply.file))}")

    def _save(self, file: File) -> str:
        """Write the file where no file is yet; the path, or what went wrong."""
        stem, suffix = os.path.splitext(os.path.basename(file.name) or "stoplicht.pdf")
        for n in range(1, 1000):
            path = self._files_dir / (f"{stem}{suffix}" if n == 1 else f"{stem}-{n}{suffix}")
            try:
                with open(path, "xb") as out:
                    out.write(file.content)
            except FileExistsError:
                continue
            except OSError as exc:
                return f"{path}: {exc.strerror}"
            return str(path.resolve())
        return f"{self._files_dir}: too many files named {stem}"

    def _write(self, text: str, *, newline: bool = True) -> None:
        self._out.write(text + ("\n" if newline else ""))
        self._out.flush()


def _needed(field: InputField, choice: Choice) -> bool:
    """Whether ``field`` must be filled for ``choice`` (a light's rule, or always)."""
    return field.required or (
        choice.light is not None and choice.light in field.required_for_lights
    )


def _next(lines: Iterator[str]) -> str | None:
    return next(lines, None)


_UNESCAPED_BAR = re.compile(r"(?<!\\)\|")


def _split_fields(line: str, fields: int) -> list[str]:
    """``choice | field 1 | ... | field n``: split on ``|`` not written as ``\\|``, at most
    ``fields`` times (the last field keeps the rest of the line); ``\\|`` becomes ``|``."""
    parts = _UNESCAPED_BAR.split(line, maxsplit=max(fields, 1))
    head, fields_text = parts[0], parts[1:]
    return [head.strip(), *(p.replace("\\|", "|").strip() for p in fields_text)]


def _field_value(answer: str, shown: str) -> str:
    if answer == "":
        return shown
    if answer.strip() == "-":
        return ""
    return answer
