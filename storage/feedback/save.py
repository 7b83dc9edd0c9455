"""Writing one entry of feedback, and what a teacher's walk shows next, in few statements.

A save in a walk is the hottest write of a round: every teacher presses it once per student.
``record_feedback`` costs three statements whatever the size of the school:

1. **One read** (``_AHEAD``) gathers everything the save and the next card need: the facts for
   ``WRITE_FEEDBACK`` (round, school settings, the actor, whether the round expects this
   entry, the group's subject), the id of an existing entry, the teacher's entries in the group
   (as one JSON list), the next student of the walk without an entry (``ahead``: the walk's
   other students in walk order, a JSON list), that student's feedback from earlier rounds in
   the subject with the facts to decide each history row (``READ_FEEDBACK``). On PostgreSQL it
   locks the round ``FOR SHARE`` (``storage.rounds.locks``).
2. **One write**: a new entry is ``INSERT ... SELECT ... WHERE`` the round is still open, ``ON
   CONFLICT DO NOTHING``; a revision is an ``UPDATE ... WHERE`` the round is still open. The
   condition is checked by the writing statement itself, so on SQLite no write lock has to be
   taken before the read: a close that commits between the read and the write makes the write
   change nothing, and the save answers "round closed" (the close cannot miss a saved entry:
   it takes the write lock first). Only then (rare) a further statement tells which case it was.
3. **One audit insert**: the write and, when earlier rounds of colleagues were read for the
   next card, that read (one ``executemany``).

Text is stored exactly as typed; a remark or action that is empty or only whitespace counts as
absent (``None``), both for storing and for the school's mandatory-field rule
(``storage.feedback.write``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Table, and_, bindparam, case, exists, literal_column, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.sql.expression import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.types import JSON, Integer

from storage import audit
from storage.cohort import expected_entries
from storage.db import core
from storage.errors import NotFound, RoundClosed
from storage.facts import is_mentor, teaches_student
from storage.feedback.history import HistoryItem, history_columns, readable_history
from storage.feedback.walk import OwnEntry
from storage.feedback.write import (
    ACTOR_ID,
    GROUP_ID,
    NEW_COLUMNS,
    ROUND_ID,
    STUDENT_ID,
    check_texts,
    facts_select,
    light_of,
)
from storage.free_text import blank_to_none
from storage.frozen import Frozen
from storage.models import Feedback, Group, Light, Person, Round, RoundState
from storage.permissions import Action, Facts, Reason, require
from storage.school_settings import SchoolSettings


@dataclass(frozen=True)
class SavedFeedback:
    """What ``record_feedback`` wrote: the entry's columns as they now are in the database."""

    id: int
    round_id: int
    student_id: int
    group_id: int
    teacher_id: int
    subject: str
    light: Light
    remark: str | None
    action: str | None
    version: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class WalkSave:
    """A save and the walk's next step: the teacher's entries in the group after the save, the
    first of ``ahead`` without an entry (None: every one has one) and that student's readable
    history in the subject, oldest first."""

    saved: SavedFeedback
    entries: dict[int, OwnEntry]
    next_student: int | None
    next_history: list[HistoryItem]


# -- SQL that differs between SQLite and PostgreSQL: JSON in and out ----------------------------


class _EntriesJson(ColumnElement[Any]):
    """The teacher's own entries in the bound round and group, as one JSON list of
    ``[student_id, light, remark, action, version]`` (``[]`` for none)."""

    type = JSON()
    inherit_cache = True
    _traverse_internals = [("own", InternalTraversal.dp_clauseelement)]

    def __init__(self, own: Any) -> None:
        self.own = own


class _FirstWithout(ColumnElement[int]):
    """The first id of the JSON list bound as ``ahead``, in list order, for which ``taken`` (a
    SELECT correlated to ``ahead.value``, see ``_AHEAD_ID``) finds no row; NULL when none."""

    type = Integer()
    inherit_cache = True
    _traverse_internals = [
        ("ahead", InternalTraversal.dp_clauseelement),
        ("taken", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, ahead: Any, taken: Any) -> None:
        self.ahead, self.taken = ahead, taken


_ENTRY_COLUMNS = ("student_id", "light", "remark", "action", "version")


def _entries_sql(element: _EntriesJson, compiler: Any, aggregate: str, **kw: Any) -> str:
    own = compiler.process(element.own, **kw)
    return f"(SELECT {aggregate} FROM ({own}) AS own_entries)"


@compiles(_EntriesJson)  # any other dialect (and ``str()`` of the statement): SQLite's SQL
@compiles(_EntriesJson, "sqlite")
def _entries_sqlite(element: _EntriesJson, compiler: Any, **kw: Any) -> str:
    cols = ", ".join(f"own_entries.{c}" for c in _ENTRY_COLUMNS)
    return _entries_sql(element, compiler, f"json_group_array(json_array({cols}))", **kw)


@compiles(_EntriesJson, "postgresql")
def _entries_postgresql(element: _EntriesJson, compiler: Any, **kw: Any) -> str:
    cols = ", ".join(f"own_entries.{c}" for c in _ENTRY_COLUMNS)
    aggregate = f"coalesce(json_agg(json_build_array({cols})), '[]'::json)"
    return _entries_sql(element, compiler, aggregate, **kw)


# The JSON list as rows ``ahead(key, value)``: its order and its ids (integers).
_AHEAD_ROWS = {
    "sqlite": "json_each({ahead}) AS ahead",
    "postgresql": (
        "(SELECT CAST(e.value AS INTEGER) AS value, e.n AS key "
        "FROM json_array_elements_text(CAST({ahead} AS JSON)) WITH ORDINALITY AS e(value, n)) "
        "AS ahead"
    ),
}


@compiles(_FirstWithout)
@compiles(_FirstWithout, "sqlite")
@compiles(_FirstWithout, "postgresql")
def _first_without(element: _FirstWithout, compiler: Any, **kw: Any) -> str:
    rows = _AHEAD_ROWS.get(compiler.dialect.name, _AHEAD_ROWS["sqlite"])
    rows = rows.format(ahead=compiler.process(element.ahead, **kw))
    taken = compiler.process(element.taken, **kw)
    return f"(SELECT ahead.value FROM {rows} WHERE NOT EXISTS ({taken}) ORDER BY ahead.key LIMIT 1)"


# -- the read ----------------------------------------------------------------------------------

_KEY = (
    Feedback.round_id == ROUND_ID,
    Feedback.student_id == STUDENT_ID,
    Feedback.group_id == GROUP_ID,
    Feedback.teacher_id == ACTOR_ID,
)
_own = aliased(Feedback)
_OWN_IN_GROUP = (
    _own.round_id == ROUND_ID,
    _own.teacher_id == ACTOR_ID,
    _own.group_id == GROUP_ID,
)
# an id of the list, inside ``_FirstWithout``
_AHEAD_ID: ColumnElement[int] = literal_column("ahead.value")
_taken = aliased(Feedback)
_FIRST = _FirstWithout(
    bindparam("ahead"),
    select(_taken.id).where(  # the unique key's index: one lookup per id of the list
        _taken.round_id == ROUND_ID,
        _taken.student_id == _AHEAD_ID,
        _taken.group_id == GROUP_ID,
        _taken.teacher_id == ACTOR_ID,
    ),
)
# computed once (a CTE), used by the columns and the history below
_NEXT_CTE = select(_FIRST.label("next_id")).cte("next_student")
_NEXT = select(_NEXT_CTE.c.next_id).scalar_subquery()
_SUBJECT = select(Group.subject).where(Group.id == GROUP_ID).scalar_subquery()


def _ahead_select() -> Any:
    h = history_columns(student_id=_NEXT, subject=_SUBJECT)
    return (
        facts_select(
            expected_entries(
                ROUND_ID, teacher_id=ACTOR_ID, group_id=GROUP_ID, student_id=STUDENT_ID
            ).exists(),
            select(Feedback.id).where(*_KEY).scalar_subquery().label("existing"),
            _EntriesJson(
                select(*(getattr(_own, c) for c in _ENTRY_COLUMNS)).where(*_OWN_IN_GROUP)
            ).label("entries"),
            _NEXT.label("next_id"),
            teaches_student(ACTOR_ID, _NEXT).label("n_teaches"),
            is_mentor(ACTOR_ID, _NEXT).label("n_mentor"),
            select(Person.school_id).where(Person.id == _NEXT).scalar_subquery().label("n_school"),
            *(c for c in h.c),
        )
        .outerjoin(
            h,
            and_(
                h.c.h_school == Round.school_id,
                h.c.round_id != Round.id,
                h.c.deadline < Round.deadline,
            ),
        )
        .order_by(h.c.deadline, h.c.round_id, h.c.feedback_id)
    )


# Built once, with bound parameters, and compiled once per dialect (``storage.frozen``).
_AHEAD = Frozen(_ahead_select())


# -- the writes --------------------------------------------------------------------------------

_T: Table = Feedback.__table__  # type: ignore[assignment]
_OPEN = exists().where(Round.id == ROUND_ID, Round.state == RoundState.OPEN)
# An UPDATE reserves its columns' names for the SET values: the key is bound as ``key_*``.
_KEY_OF: dict[str, BindParameter[int]] = {
    c: bindparam(f"key_{c}") for c in ("round_id", "student_id", "group_id", "teacher_id")
}
_NEW = {c: bindparam(f"new_{c}", type_=_T.c[c].type) for c in NEW_COLUMNS}
_CHANGED = (
    _T.c.light.is_distinct_from(_NEW["light"])
    | _T.c.remark.is_distinct_from(_NEW["remark"])
    | _T.c.action.is_distinct_from(_NEW["action"])
)
# A revision; an identical resubmit (a stale button) keeps the version and the time. SET reads
# the row as it was, so every CASE compares with the old values.
_REVISE = (
    update(_T)
    .where(
        *(_T.c[c] == p for c, p in _KEY_OF.items()),
        exists().where(Round.id == _KEY_OF["round_id"], Round.state == RoundState.OPEN),
    )
    .values(
        version=case((_CHANGED, _T.c.version + 1), else_=_T.c.version),
        updated_at=case((_CHANGED, _NEW["updated_at"]), else_=_T.c.updated_at),
        light=_NEW["light"],
        remark=_NEW["remark"],
        action=_NEW["action"],
    )
    .returning(_T.c.id, *(_T.c[c] for c in NEW_COLUMNS))
)
_STATE = select(Round.state).where(Round.id == ROUND_ID)


def _insert_statement(dialect: str) -> Any:
    """INSERT ... SELECT the new values WHERE the round is open, ON CONFLICT DO NOTHING,
    RETURNING the id: None when the entry exists (a double submit racing this one) or the round
    closed meanwhile."""
    ins: Any = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        ins(_T)
        .from_select(list(NEW_COLUMNS), select(*_NEW.values()).where(_OPEN))
        .on_conflict_do_nothing(index_elements=["round_id", "student_id", "group_id", "teacher_id"])
        .returning(_T.c.id)
    )


_INSERT = Frozen(_insert_statement)  # compiled once per dialect (``storage.frozen``)


def _still_open(session: Session, params: dict[str, Any]) -> None:
    """After a write that changed nothing: ``RoundClosed`` when the round closed since the
    read (the write's own condition refused it)."""
    if core(session).execute(_STATE, params).scalar() != RoundState.OPEN:
        raise RoundClosed(reason=Reason.ROUND_CLOSED)


def _write(
    session: Session, params: dict[str, Any], values: dict[str, Any], existing: int | None
) -> SavedFeedback:
    conn = core(session)
    new = {f"new_{c}": v for c, v in values.items()}
    if existing is None:
        new_id = _INSERT.execute(conn, {**params, **new}).scalar()
        if new_id is not None:
            return SavedFeedback(new_id, *(values[c] for c in NEW_COLUMNS))
        _still_open(session, params)  # else a concurrent submit of the same entry won: revise
    key = {f"key_{c}": values[c] for c in _KEY_OF}
    row = conn.execute(_REVISE, {**key, **new}).first()
    if row is None:
        _still_open(session, params)
        raise NotFound("feedback entry not found", what="feedback", ref=params["student_id"])
    return SavedFeedback(*row)


# -- the operation -----------------------------------------------------------------------------


def record_feedback(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    student_id: int,
    group_id: int,
    light: Light | int,
    remark: str | None,
    action: str | None,
    now: datetime,
    channel: str,
) -> SavedFeedback:
    """Write or revise the actor's feedback for one student in one subject group."""
    return record_and_look_ahead(
        session,
        actor_id=actor_id,
        round_id=round_id,
        student_id=student_id,
        group_id=group_id,
        light=light,
        remark=remark,
        action=action,
        now=now,
        channel=channel,
        ahead=(),
    ).saved


def record_and_look_ahead(
    session: Session,
    *,
    actor_id: int,
    round_id: int,
    student_id: int,
    group_id: int,
    light: Light | int,
    remark: str | None,
    action: str | None,
    now: datetime,
    channel: str,
    ahead: Sequence[int],
) -> WalkSave:
    """``record_feedback``, and the walk's next step: the teacher's entries in the group, the
    first student of ``ahead`` (the walk's other students, in walk order) without an entry,
    and that student's history in the subject."""
    light = light_of(light)
    params: dict[str, Any] = {
        "round_id": round_id,
        "actor_id": actor_id,
        "group_id": group_id,
        "student_id": student_id,
        "ahead": json.dumps([int(i) for i in ahead]),
    }
    rows = _AHEAD.execute(core(session), params).all()
    if not rows:
        raise NotFound(f"round {round_id} not found", what="round", ref=round_id)
    first = rows[0]
    school_id, state, settings_json, actor_school, actor_active, teaches, subject = first[:7]
    if actor_school is None:
        raise NotFound(f"person {actor_id} not found", what="person", ref=actor_id)
    settings = SchoolSettings.from_json(settings_json)
    require(
        Action.WRITE_FEEDBACK,
        Facts(
            same_school=actor_school == school_id,
            actor_active=bool(actor_active),
            teaches_group=bool(teaches),
            round_state=state,
        ),
    )
    texts = {"remark": blank_to_none(remark), "action": blank_to_none(action)}
    check_texts(settings, light, texts)
    values = dict(
        round_id=round_id,
        student_id=student_id,
        group_id=group_id,
        teacher_id=actor_id,
        subject=subject or "",
        light=light,
        remark=texts["remark"],
        action=texts["action"],
        version=1,
        created_at=now,
        updated_at=now,
    )
    saved = _write(session, params, values, first.existing)
    entries = {
        int(e[0]): OwnEntry(int(e[0]), Light(e[1]), e[2], e[3], int(e[4]))
        for e in first.entries or []
    }
    entries[student_id] = OwnEntry(
        student_id, saved.light, saved.remark, saved.action, saved.version
    )
    next_id = first.next_id
    history: list[HistoryItem] = []
    if next_id is not None:
        history = readable_history(
            rows,
            actor_id=actor_id,
            student_id=int(next_id),
            round_school=school_id,
            actor_school=actor_school,
            actor_active=bool(actor_active),
            teaches=bool(first.n_teaches),
            mentor=bool(first.n_mentor),
            student_school=first.n_school,
            settings=settings,
        )
    others = sum(1 for h in history if h.teacher_id != actor_id)
    write = dict(
        school_id=school_id,
        actor_id=actor_id,
        operation="write",
        entity="feedback",
        student_id=student_id,
        round_id=round_id,
        count=1,
        channel=channel,
        at=now,
    )
    read = dict(write, operation="read", student_id=next_id, round_id=None, count=others)
    audit.record_many(session, [write, read] if others else [write])
    return WalkSave(saved, entries, None if next_id is None else int(next_id), history)
