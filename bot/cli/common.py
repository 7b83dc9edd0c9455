"""What every command shares: the database option, JSON output, one-line errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session

from storage.db import database_url_from_env, make_engine, make_session_factory, unit_of_work
from storage.errors import DomainError

P = ParamSpec("P")
R = TypeVar("R")

DatabaseOption = typer.Option(
    None,
    "--database-url",
    help="SQLAlchemy URL; default $STOPLICHT_DATABASE_URL or sqlite:///stoplicht.sqlite",
)
JsonOption = typer.Option(False, "--json", help="Machine-readable output.")


class CliError(Exception):
    """A problem with the user's input: shown as one line on stderr, exit code 2."""


def fail(message: str, code: int = 2) -> NoReturn:
    """Exit with ``message`` as one line (a driver's message may span several)."""
    typer.echo(f"stoplicht: {' '.join(message.split())}", err=True)
    sys.exit(code)


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn domain and database errors into one line on stderr."""

    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except CliError as exc:
            fail(str(exc))
        except DomainError as exc:
            fail(str(exc))
        except OperationalError as exc:
            fail(f"database error: {exc.orig}")
        except SQLAlchemyError as exc:
            fail(f"database error: {exc.__class__.__name__}: {exc}")

    return wrapper


@contextmanager
def session_scope(database_url: str | None) -> Iterator[Session]:
    engine = make_engine(database_url_from_env(database_url))
    try:
        with unit_of_work(make_session_factory(engine)) as session:
            yield session
    finally:
        engine.dispose()


def emit(data: Any, as_json: bool, text: Callable[[Any], str]) -> None:
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(text(data))
