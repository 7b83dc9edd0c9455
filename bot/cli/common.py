"""What every command shares: the database option, JSON output, one-line errors."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NoReturn, ParamSpec, TypeVar

import typer
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from storage.db import database_url_from_env, make_engine, make_session_factory, unit_of_work
from storage.errors import DomainError
from storage.models import School
from storage.people.directory import only_school, parse_id

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
        except DBAPIError as exc:  # the driver's message, without the SQL statement
            fail(f"database error: {str(exc.orig).splitlines()[0] if str(exc.orig) else exc}")
        except SQLAlchemyError as exc:
            fail(f"database error: {exc.__class__.__name__}: {str(exc).split(chr(10))[0]}")
        except UnicodeEncodeError as exc:  # a command-line argument that is not UTF-8
            bad = exc.object[exc.start : exc.end] if isinstance(exc.object, str) else ""
            fail(f"an argument is not UTF-8 text (at {bad!r}); give it as UTF-8")

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


def school_by_ref(session: Session, ref: str | None) -> School:
    """The school with this id or name (``--school``); the only school when ``ref`` is None.
    Unknown or ambiguous is a ``CliError`` naming what was given."""
    if ref is None:
        return only_school(session)
    school_id = parse_id(ref)
    stmt = select(School).where(School.id == school_id if school_id else School.name == ref)
    found = list(session.scalars(stmt.limit(2)))
    if not found:
        raise CliError(f"unknown school {ref!r}")
    if len(found) > 1:
        raise CliError(f"several schools are called {ref!r}; use the id")
    return found[0]
