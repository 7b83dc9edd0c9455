"""``stoplicht chat --as EMAIL``: talk to the dialogs in a terminal (see bot.terminal.session)."""

from __future__ import annotations

import io
import sys
from datetime import UTC, datetime
from pathlib import Path

import typer
from sqlalchemy import inspect

from bot.cli.common import DatabaseOption, fail, handles_errors
from bot.terminal.session import TerminalSession
from dialogs import actions as A
from dialogs.engine import DialogEngine
from dialogs.types import Incoming, IncomingKind, UserRef
from storage.db import database_url_from_env, make_engine, make_session_factory


def _now() -> datetime:
    return datetime.now(UTC)


FilesDirOption = typer.Option(
    Path("."), "--files-dir", help="Where files the bot hands you (a report PDF) are written."
)


@handles_errors
def chat(
    as_: str = typer.Option(..., "--as", help="Email of the person to play (a roster email)."),
    database_url: str | None = DatabaseOption,
    lang: str | None = typer.Option(None, "--lang", help="nl or en; stored as your language."),
    demo: bool = typer.Option(
        False, "--demo", help="Offer the demo identities when the email is unknown."
    ),
    echo: bool = typer.Option(False, "--echo", help="Repeat each input line (for transcripts)."),
    files_dir: Path = FilesDirOption,
) -> None:
    """Chat with Stoplicht in the terminal. Choices are numbered: type the number or the label.
    After a light, type the remark and the action on the next lines, or all at once as
    3 | remark | action. One input per line, so a script can be piped in; end of input ends."""
    if lang is not None and lang not in ("nl", "en"):
        raise typer.BadParameter("--lang must be nl or en")
    engine = make_engine(database_url_from_env(database_url))
    try:
        if not inspect(engine).has_table("alembic_version"):
            fail(
                "the database has no Stoplicht tables yet: run `stoplicht demo --if-empty` for "
                "the demo school, or `stoplicht db upgrade` and `stoplicht roster import`"
            )
        handler = DialogEngine(session_factory=make_session_factory(engine), clock=_now, demo=demo)
        user = UserRef(
            channel="terminal", tenant="local", user_id=as_.strip().lower(), email=as_, locale=lang
        )
        # Opening the session asks for the menu as an action, never as typed text: a question
        # that waits for typed text (a plan step, the mentor note) must not take it as answer.
        first = [Incoming(user=user, kind=IncomingKind.ACTION, action=A.MENU)]
        if lang:  # stored on the person; the reply re-shows the menu in that language
            first = [
                Incoming(user=user, kind=IncomingKind.ACTION, action=A.LANG, args={"lang": lang})
            ]
        # Bytes that are not UTF-8 become U+FFFD instead of ending the session (or reaching
        # the database as unstorable surrogates).
        raw = getattr(sys.stdin, "buffer", None)
        stdin = io.TextIOWrapper(raw, encoding="utf-8", errors="replace") if raw else sys.stdin
        TerminalSession(
            handler=handler,
            user=user,
            stdin=stdin,
            stdout=sys.stdout,
            echo=echo,
            files_dir=files_dir,
        ).run(first)
    finally:
        engine.dispose()


def register(app: typer.Typer) -> None:
    app.command("chat")(chat)
