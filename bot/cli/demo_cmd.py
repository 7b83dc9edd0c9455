"""``stoplicht demo``: bring the schema up to date and seed the demo school."""

from __future__ import annotations

import typer
from sqlalchemy import select

from bot.cli.common import DatabaseOption, JsonOption, emit, handles_errors, session_scope
from storage.db import database_url_from_env, upgrade
from storage.demo.seed import (
    DEMO_MENTOR_EMAIL,
    DEMO_ORGANIZER_EMAIL,
    DEMO_STUDENT_EMAIL,
    DEMO_TEACHER_EMAIL,
    seed_demo,
)
from storage.models import School, utcnow

LOGINS = {
    "organizer": DEMO_ORGANIZER_EMAIL,
    "teacher": DEMO_TEACHER_EMAIL,
    "mentor": DEMO_MENTOR_EMAIL,
    "student": DEMO_STUDENT_EMAIL,
}


def _text(data: dict[str, object]) -> str:
    if not data["seeded"]:
        return "the database already holds a school; demo not seeded"
    logins = data["logins"]
    assert isinstance(logins, dict)
    lines = [f"seeded demo school {data['school']!r} (id {data['school_id']})"]
    lines += [f"  {role:<10} {email}" for role, email in logins.items()]
    return "\n".join(lines)


@handles_errors
def demo_cmd(
    if_empty: bool = typer.Option(
        False, "--if-empty", help="Only seed when the database holds no school yet."
    ),
    database_url: str | None = DatabaseOption,
    as_json: bool = JsonOption,
) -> None:
    """Seed a realistic demo school (classes, teachers, mentors, a closed and an open round)."""
    url = database_url_from_env(database_url)
    upgrade(url)
    with session_scope(url) as session:
        if if_empty and session.scalar(select(School.id).limit(1)) is not None:
            emit({"seeded": False}, as_json, _text)
            return
        school = seed_demo(session, now=utcnow().replace(second=0, microsecond=0))
        data = {"seeded": True, "school": school.name, "school_id": school.id, "logins": LOGINS}
    emit(data, as_json, _text)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_cmd)
