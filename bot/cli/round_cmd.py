"""``stoplicht round ...``: create, open, close, extend rounds and see their completion.

The command line is the school's admin tool: it acts as the organizer given with
``--organizer`` or, without it, as the school's first active organizer (or the system when the
school has none). Deadlines are ISO 8601; without an offset they are in the school's time
zone, and a bare date means the end of that day (23:59).
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import typer
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot.cli.common import (
    CliError,
    DatabaseOption,
    JsonOption,
    emit,
    handles_errors,
    school_by_ref,
    session_scope,
)
from schedules.reach import format_report, unreachable_report
from storage.errors import InvalidInput, NotFound
from storage.models import Person, Round, School, utcnow
from storage.people.directory import (
    MAX_ID,
    groups_by_title_or_id,
    person_by_email,
)
from storage.rounds.follow import FollowThroughStatus, follow_through
from storage.rounds.lifecycle import (
    close_round,
    create_round,
    extend_round,
    open_round,
    round_status,
)
from storage.rounds.status import RoundStatus
from storage.school_time import localize, school_zone

round_app = typer.Typer(
    help="Review rounds: create, open, close, extend, status.", no_args_is_help=True
)

SchoolOption = typer.Option(None, "--school", help="School id or name (default: the only one).")
RoundIdArgument = typer.Argument(..., min=1, max=MAX_ID, help="Round id.")


def parse_deadline(text: str, tz: ZoneInfo) -> datetime:
    """ISO 8601 with or without offset (then the school's zone); a date means 23:59 that day."""
    raw = text.strip()
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise CliError(
            f"invalid deadline {text!r}: use ISO 8601, e.g. 2026-12-04T17:00 or 2026-12-04"
        ) from None
    if len(raw) == 10:  # a date only
        value = datetime.combine(value.date(), time(23, 59))
    if value.tzinfo is None:
        try:
            value = localize(value, tz)
        except InvalidInput as exc:
            raise CliError(f"invalid deadline {text!r}: {exc}") from None
    try:
        value.astimezone(UTC)  # stored in UTC: 9999-12-31T23:59-14:00 is past year 9999
    except OverflowError:
        raise CliError(f"invalid deadline {text!r}: out of range") from None
    return value


def _zone(school: School) -> ZoneInfo:
    return school_zone(school.time_zone)


def _organizer(session: Session, school: School, email: str | None) -> int | None:
    if email:
        p = person_by_email(session, school_id=school.id, email=email)
        if p is None:
            raise CliError(f"unknown organizer {email!r} in school {school.name!r}")
        return p.id
    return session.scalar(
        select(Person.id)
        .where(
            Person.school_id == school.id, Person.is_organizer.is_(True), Person.active.is_(True)
        )
        .order_by(Person.id)
        .limit(1)
    )


def _round(session: Session, round_id: int) -> Round:
    rnd = session.get(Round, round_id)
    if rnd is None:
        raise NotFound(f"round {round_id} not found")
    return rnd


def _local(dt: datetime | None, school: School) -> str:
    return dt.astimezone(_zone(school)).strftime("%Y-%m-%d %H:%M %Z") if dt else "-"


def _summary(rnd: Round, school: School) -> dict[str, Any]:
    return {
        "id": rnd.id,
        "school": school.name,
        "name": rnd.name,
        "state": rnd.state.value,
        "deadline": rnd.deadline.astimezone(_zone(school)).isoformat(),
        "groups": [g.title for g in rnd.groups],
    }


def _summary_text(d: dict[str, Any]) -> str:
    return (
        f"#{d['id']} {d['name']} [{d['state']}] deadline {d['deadline']} "
        f"groups {', '.join(d['groups'])}"
    )


@round_app.command("create")
@handles_errors
def create_cmd(
    name: str = typer.Option(..., "--name", help="Name of the round."),
    group: list[str] = typer.Option(  # noqa: B008
        ..., "--group", help="Group title or id; repeat for more."
    ),
    deadline: str = typer.Option(..., "--deadline", help="ISO 8601 date or date-time."),
    open_now: bool = typer.Option(False, "--open", help="Open the round at once."),
    organizer: str | None = typer.Option(None, "--organizer", help="Organizer's email."),
    school: str | None = SchoolOption,
    database_url: str | None = DatabaseOption,
    as_json: bool = JsonOption,
) -> None:
    """Create a round for one or more groups (classes)."""
    with session_scope(database_url) as session:
        sch = school_by_ref(session, school)
        groups = groups_by_title_or_id(session, school_id=sch.id, refs=group)
        rnd = create_round(
            session,
            school_id=sch.id,
            actor_id=_organizer(session, sch, organizer),
            name=name,
            group_ids=[g.id for g in groups],
            deadline=parse_deadline(deadline, _zone(sch)),
            now=utcnow(),
            open_now=open_now,
        )
        session.refresh(rnd)
        emit(_summary(rnd, sch), as_json, lambda d: "created " + _summary_text(d))


def _transition(round_id: int, database_url: str | None, op: Any, **kw: Any) -> None:
    with session_scope(database_url) as session:
        rnd = _round(session, round_id)
        sch = session.get_one(School, rnd.school_id)
        op(session, round_id=rnd.id, actor_id=_organizer(session, sch, None), now=utcnow(), **kw)
        typer.echo(_summary_text(_summary(rnd, sch)))


@round_app.command("open")
@handles_errors
def open_cmd(round_id: int = RoundIdArgument, database_url: str | None = DatabaseOption) -> None:
    """Open a draft round: teachers get their invitation."""
    _transition(round_id, database_url, open_round)


@round_app.command("close")
@handles_errors
def close_cmd(round_id: int = RoundIdArgument, database_url: str | None = DatabaseOption) -> None:
    """Close an open round: mentors get their digest, teachers see colleagues' feedback."""
    _transition(round_id, database_url, close_round)


@round_app.command("extend")
@handles_errors
def extend_cmd(
    round_id: int = RoundIdArgument,
    deadline: str = typer.Option(..., "--deadline", help="New ISO 8601 deadline."),
    database_url: str | None = DatabaseOption,
) -> None:
    """Move the deadline of a draft or open round."""
    with session_scope(database_url) as session:
        rnd = _round(session, round_id)
        sch = session.get_one(School, rnd.school_id)
        extend_round(
            session,
            round_id=rnd.id,
            actor_id=_organizer(session, sch, None),
            deadline=parse_deadline(deadline, _zone(sch)),
            now=utcnow(),
        )
        typer.echo(_summary_text(_summary(rnd, sch)))


def _status_text(st: RoundStatus, school: School) -> str:
    pct = f" ({100 * st.done // st.total}%)" if st.total else ""
    lines = [
        f"#{st.round_id} {st.name} [{st.state.value}] deadline {_local(st.deadline, school)}",
        f"done {st.done}/{st.total}{pct}",
        "per teacher:",
        *(f"  {t.name:<28} {t.done:>4}/{t.total:<4}" for t in st.teachers),
        "per group:",
        *(f"  {g.title:<28} {g.done:>4}/{g.total:<4}" for g in st.groups),
        "not started: " + (", ".join(t.name for t in st.not_started) or "-"),
    ]
    return "\n".join(lines)


def _follow_text(f: FollowThroughStatus) -> str:
    lines = [
        "follow-through per class (shared / read / plan submitted / agreements of students):",
        *(
            f"  {c.title:<28} {c.shared:>4} / {c.read:>4} / {c.submitted:>4} / {c.agreed:>4}"
            f" of {c.students}"
            for c in f.classes
        ),
        "mentors not yet shared with all mentees: " + ("-" if not f.mentors_behind else ""),
        *(f"  {m.name:<28} {m.not_shared:>4} not shared" for m in f.mentors_behind),
    ]
    return "\n".join(lines)


@round_app.command("status")
@handles_errors
def status_cmd(
    round_id: int = RoundIdArgument,
    database_url: str | None = DatabaseOption,
    as_json: bool = JsonOption,
) -> None:
    """State, deadline, completion per teacher and per group, and who was not reached; after
    close the follow-through per class and the mentors who have not shared yet."""
    with session_scope(database_url) as session:
        rnd = _round(session, round_id)
        sch = session.get_one(School, rnd.school_id)
        st = round_status(session, round_id=round_id)
        missed = unreachable_report(session, round_id=round_id)
        follow = follow_through(session, round_id=round_id)
        if as_json:
            data = {**st.to_json(), "not_reached": [m.to_json() for m in missed]}
            data["follow_through"] = follow.to_json() if follow is not None else None
            emit(data, True, str)
        else:
            typer.echo(_status_text(st, sch))
            if follow is not None:
                typer.echo(_follow_text(follow))
            typer.echo("not reached: " + ("-" if not missed else ""))
            if missed:
                typer.echo("\n".join("  " + line for line in format_report(missed).splitlines()))


@round_app.command("list")
@handles_errors
def list_cmd(
    school: str | None = SchoolOption,
    database_url: str | None = DatabaseOption,
    as_json: bool = JsonOption,
) -> None:
    """All rounds of the school, newest deadline first."""
    with session_scope(database_url) as session:
        sch = school_by_ref(session, school)
        rounds = session.scalars(
            select(Round)
            .options(selectinload(Round.groups))
            .where(Round.school_id == sch.id)
            .order_by(Round.deadline.desc(), Round.id.desc())
        ).all()
        data = [_summary(r, sch) for r in rounds]
        emit(data, as_json, lambda rows: "\n".join(map(_summary_text, rows)) or "no rounds")


def register(app: typer.Typer) -> None:
    app.add_typer(round_app, name="round")
