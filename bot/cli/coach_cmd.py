"""``stoplicht coach``: the feedback coach on the command line, for one text or a batch.

With TEXT it checks that one text; without, it reads one text per line from stdin and prints
one result per line, in the same order. An empty line has nothing to coach and gives an empty
result (``{"labels": [], "tips": [], "words": []}``, or ``ok``). Plain output is ``ok`` or
``label, label: tip | tip``; ``--json`` prints one JSON object per line, with the words each
tip is about.
"""

from __future__ import annotations

import io
import json
import sys

import typer

from bot.cli.common import fail
from dialogs.coach.advice import FIELDS, CoachResult, check
from dialogs.texts import LANGUAGES


def _line(result: CoachResult, as_json: bool) -> str:
    if as_json:
        data = {
            "labels": list(result.labels),
            "tips": list(result.tips),
            "words": list(result.words),
        }
        return json.dumps(data, ensure_ascii=False)
    if not result.labels:
        return "ok"
    return f"{', '.join(result.labels)}: {' | '.join(result.tips)}"


def coach(
    text: str | None = typer.Argument(None, help="The text; omit to read one per line."),
    field: str | None = typer.Option(None, "--field", help="remark or action"),
    lang: str | None = typer.Option(None, "--lang", help="Language of the tips: nl or en."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
) -> None:
    """Advice on a remark or action: third person, judgement, fixed trait, vague action."""
    field = field.strip().lower() if field else field
    lang = lang.strip().lower() if lang else lang
    if field not in FIELDS:
        fail(f"--field must be one of {', '.join(FIELDS)}" + (f", not {field!r}" if field else ""))
    if lang is not None and lang not in LANGUAGES:
        fail(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    if text is not None:
        typer.echo(_line(check(text, field=field, lang=lang), as_json))  # type: ignore[arg-type]
        return
    stream = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", errors="replace", newline=None)
    for raw in stream:
        line = raw.rstrip("\n")
        result = check(line, field=field, lang=lang)  # type: ignore[arg-type]
        typer.echo(_line(result, as_json))


def register(app: typer.Typer) -> None:
    app.command("coach")(coach)
