"""What every write of feedback shares: the light and the texts checked against the school's
rules, and the facts for ``WRITE_FEEDBACK`` gathered in one statement.

``facts_select`` builds that statement around the bound parameters ``ROUND_ID``, ``ACTOR_ID``
and ``GROUP_ID``; the writers (``storage.feedback.entries.record_feedback``,
``storage.feedback.bulk.bulk_fill``) build theirs once at import, so SQLAlchemy's
compiled-statement cache serves every call. ``NEW_COLUMNS`` are the columns a new entry is
written with.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from storage.db import core
from storage.errors import InvalidInput, MandatoryFieldMissing, NotFound
from storage.free_text import check_text
from storage.models import Group, Light, Person, Round, School
from storage.permissions import Facts
from storage.rounds.locks import take_write_lock
from storage.school_settings import SchoolSettings

ROUND_ID: BindParameter[int] = bindparam("round_id")
ACTOR_ID: BindParameter[int] = bindparam("actor_id")
GROUP_ID: BindParameter[int] = bindparam("group_id")
STUDENT_ID: BindParameter[int] = bindparam("student_id")

NEW_COLUMNS = (
    "round_id",
    "student_id",
    "group_id",
    "teacher_id",
    "subject",
    "light",
    "remark",
    "action",
    "version",
    "created_at",
    "updated_at",
)


def light_of(value: Light | int) -> Light:
    """``value`` as a ``Light``; ``InvalidInput`` (field ``light``) when it is none."""
    try:
        return Light(value)
    except (ValueError, TypeError):
        raise InvalidInput(f"unknown light {value!r}", field="light") from None


def check_texts(settings: SchoolSettings, light: Light, texts: dict[str, str | None]) -> None:
    """The school's mandatory remark/action for ``light``, and its limit on a text's length."""
    req = settings.requirement(light)
    missing = [name for name in ("remark", "action") if getattr(req, name) and not texts[name]]
    if missing:
        raise MandatoryFieldMissing(
            f"{' and '.join(missing)} required for light {light.key}",
            fields=missing,
            light=light.key,
        )
    for name, text in texts.items():
        if text is not None:
            check_text(text, field=name, max_length=settings.max_text_length)


def facts_select(teaches: Any, *extra: Any) -> Any:
    """The round's school and state, the school's settings, the actor's school and activity,
    ``teaches`` and the group's subject, for the bound ``round_id``, ``actor_id``, ``group_id``."""
    return (
        select(
            Round.school_id,
            Round.state,
            School.settings,
            select(Person.school_id).where(Person.id == ACTOR_ID).scalar_subquery(),
            select(Person.active).where(Person.id == ACTOR_ID).scalar_subquery(),
            teaches,
            select(Group.subject).where(Group.id == GROUP_ID).scalar_subquery(),
            *extra,
        )
        .join(School, School.id == Round.school_id)
        .where(Round.id == ROUND_ID)
        .with_for_update(read=True, of=Round)  # a close waits for this save (rounds.locks)
    )


def write_facts(
    session: Session, stmt: Any, params: dict[str, int]
) -> tuple[int, SchoolSettings, Facts, str | None, int | None]:
    """The round's school, the school's settings, the Facts for WRITE_FEEDBACK, the group's
    subject and (for one entry) the id of the existing feedback row, in one statement (on
    SQLite after taking the write lock: ``storage.rounds.locks``)."""
    take_write_lock(session, params["round_id"])
    row = core(session).execute(stmt, params).first()
    if row is None:
        raise NotFound(
            f"round {params['round_id']} not found", what="round", ref=params["round_id"]
        )
    school_id, state, settings_json, actor_school, actor_active, teaches, subject = row[:7]
    if actor_school is None:
        actor_id = params["actor_id"]
        raise NotFound(f"person {actor_id} not found", what="person", ref=actor_id)
    facts = Facts(
        same_school=actor_school == school_id,
        actor_active=bool(actor_active),
        teaches_group=bool(teaches),
        round_state=state,
    )
    existing = row[7] if len(row) > 7 else None
    return school_id, SchoolSettings.from_json(settings_json), facts, subject, existing
