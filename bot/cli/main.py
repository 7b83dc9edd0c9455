"""The ``stoplicht`` command line: one Typer app, one sub-module per area.

Wrong input gets one clear line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from bot.cli import common

app = typer.Typer(
    name="stoplicht",
    help="Stoplicht: the review round (leerlingbespreking) in Teams and Slack.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


_registered = False


def _register() -> None:
    """Add every area's commands once (tests call ``main`` and ``_register`` repeatedly)."""
    global _registered
    if _registered:
        return
    _registered = True
    from bot.cli import db_cmd

    db_cmd.register(app)
    # Each area adds its commands here (roster, round, student, coach, chat, serve, ...).
    for name in (
        "roster_cmd",
        "round_cmd",
        "student_cmd",
        "report_cmd",
        "coach_cmd",
        "chat_cmd",
        "serve_cmd",
        "manifest_cmd",
        "worker_cmd",
        "demo_cmd",
        "school_cmd",
    ):
        try:
            module = __import__(f"bot.cli.{name}", fromlist=["register"])
        except ModuleNotFoundError as exc:
            if exc.name == f"bot.cli.{name}":
                continue
            raise
        module.register(app)


def main(argv: list[str] | None = None) -> None:
    _register()
    try:
        app(args=argv, standalone_mode=True)
    except common.CliError as exc:
        common.fail(str(exc))
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
