"""``stoplicht school list|show|set`` and ``stoplicht people list``: run a school without SQL.

``school set [SCHOOL] KEY VALUE [KEY VALUE ...]`` changes settings (``storage.school_settings``)
and the platform bindings (``teams_tenant_id``, ``slack_team_id``): every pair is checked and
the whole is refused (one line on stderr, exit 2, nothing written) when one is wrong; what was
changed is audited and printed back as it is now stored. ``default`` puts a setting back to
the default, ``none`` removes a binding. SCHOOL (or ``--school``) is an id or a name; without
it the database's only school is meant. The command acts as the school's first active
organizer (the audit log names them), or as the system when the school has none.
"""

from __future__ import annotations

from typing import Any

import typer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.cli.common import (
    CliError,
    DatabaseOption,
    JsonOption,
    emit,
    handles_errors,
    school_by_ref,
    session_scope,
)
from storage.models import Person, School, utcnow
from storage.people import listing
from storage.people.directory import groups_by_title_or_id
from storage.school_config import KEYS, is_default, set_settings, value_text

school_app = typer.Typer(help="Schools: settings and platform bindings.", no_args_is_help=True)
people_app = typer.Typer(help="The people of a school.", no_args_is_help=True)

SchoolOption = typer.Option(None, "--school", help="School id or name (default: the only one).")


def _one_ref(positional: str | None, option: str | None) -> str | None:
    if positional is not None and option is not None and positional != option:
        raise CliError(f"two schools given: {positional!r} and --school {option!r}")
    return positional if positional is not None else option


def describe(session: Session, school: School) -> dict[str, Any]:
    """A school as ``school show`` prints it: columns, bindings, settings, counts."""
    return {
        "id": school.id,
        "name": school.name,
        "roster_id": school.roster_id,
        "demo": school.demo,
        "settings": {
            key: {"value": value_text(school, key), "default": is_default(school, key)}
            for key in KEYS
        },
        "counts": listing.counts(session, school_id=school.id),
    }


def _describe_text(d: dict[str, Any]) -> str:
    demo = " (demo)" if d["demo"] else ""
    lines = [f"#{d['id']} {d['name']}{demo}", "settings (* = the default):"]
    width = max(map(len, d["settings"]))
    for key, s in d["settings"].items():
        mark = " *" if s["default"] else ""
        lines.append(f"  {key:<{width}}  {s['value']}{mark}")
    counts = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in d["counts"].items())
    lines.append(f"counts: {counts}")
    return "\n".join(lines)


@school_app.command("list")
@handles_errors
def list_cmd(database_url: str | None = DatabaseOption, as_json: bool = JsonOption) -> None:
    """Every school, with its bindings and number of active people."""
    with session_scope(database_url) as session:
        people = dict(
            session.execute(
                select(Person.school_id, func.count())
                .where(Person.active.is_(True))
                .group_by(Person.school_id)
            ).all()
        )
        rows = [
            {
                "id": s.id,
                "name": s.name,
                "demo": s.demo,
                "teams_tenant_id": s.teams_tenant_id,
                "slack_team_id": s.slack_team_id,
                "people": int(people.get(s.id, 0)),
            }
            for s in session.scalars(select(School).order_by(School.id))
        ]

    def text(rows: list[dict[str, Any]]) -> str:
        return (
            "\n".join(
                f"#{r['id']} {r['name']}{' (demo)' if r['demo'] else ''}: {r['people']} people, "
                f"teams {r['teams_tenant_id'] or '-'}, slack {r['slack_team_id'] or '-'}"
                for r in rows
            )
            or "no schools"
        )

    emit(rows, as_json, text)


@school_app.command("show")
@handles_errors
def show_cmd(
    school: str | None = typer.Argument(None, metavar="[SCHOOL]", help="School id or name."),
    school_option: str | None = SchoolOption,
    database_url: str | None = DatabaseOption,
    as_json: bool = JsonOption,
) -> None:
    """Settings (defaults marked), the bound Teams tenant and Slack workspace, counts."""
    with session_scope(database_url) as session:
        sch = school_by_ref(session, _one_ref(school, school_option))
        emit(describe(session, sch), as_json, _describe_text)


@school_app.command("set", context_settings={"ignore_unknown_options": True})
@handles_errors
def set_cmd(
    words: list[str] = typer.Argument(  # noqa: B008
        ..., metavar="[SCHOOL] KEY VALUE [KEY VALUE ...]", help="Settings to change."
    ),
    school_option: str | None = SchoolOption,
    database_url: str | None = DatabaseOption,
    as_json: bool = JsonOption,
) -> None:
    """Change settings and bindings; each value is checked, nothing is written if one is wrong.

    Keys: required.<light> (none|remark|action|both), full_package, quiet_weekends,
    auto_close (on|off), reminder_offsets_hours (e.g. 72,24,3 or none), quiet_start,
    quiet_end (HH:MM), plan_reminder_days, retention_days, max_text_length, time_zone,
    language (nl|en), teams_tenant_id, slack_team_id (or none). The value default resets a
    setting.
    """
    ref, pairs = _split_words(words)
    with session_scope(database_url) as session:
        sch = school_by_ref(session, _one_ref(ref, school_option))
        actor = session.scalar(
            select(Person.id)
            .where(
                Person.school_id == sch.id,
                Person.is_organizer.is_(True),
                Person.active.is_(True),
            )
            .order_by(Person.id)
            .limit(1)
        )
        changes = set_settings(
            session, school=sch, changes=pairs, actor_id=actor, channel="cli", now=utcnow()
        )
        data = {
            "school": sch.name,
            "changed": [{"key": c.key, "old": c.old, "new": c.new} for c in changes],
            "now": {key: value_text(sch, key) for key, _ in pairs},
        }

    def text(d: dict[str, Any]) -> str:
        changed = {c["key"]: c["old"] for c in d["changed"]}
        return "\n".join(
            f"{key} = {value}" + (f" (was {changed[key]})" if key in changed else " (unchanged)")
            for key, value in d["now"].items()
        )

    emit(data, as_json, text)


def _split_words(words: list[str]) -> tuple[str | None, list[tuple[str, str]]]:
    """``[SCHOOL] KEY VALUE ...``: an odd count starts with the school."""
    ref: str | None = None
    if len(words) % 2 == 1:
        if words[0] in KEYS:
            raise CliError(f"no value given for {words[0]!r}")
        ref, words = words[0], words[1:]
    if not words:
        raise CliError("give at least one KEY VALUE pair")
    return ref, [(words[i], words[i + 1]) for i in range(0, len(words), 2)]


@people_app.command("list")
@handles_errors
def people_cmd(
    school: str | None = SchoolOption,
    role: str | None = typer.Option(
        None, "--role", help="Only people with this role: teacher, mentor, student, organizer."
    ),
    group: str | None = typer.Option(None, "--group", help="Only this group (title or id)."),
    database_url: str | None = DatabaseOption,
    as_json: bool = JsonOption,
) -> None:
    """Who is there: roles, groups, and whether Teams and Slack can reach them (and why not)."""
    if role is not None and role not in listing.ROLES:
        raise CliError(f"unknown role {role!r}; use one of {', '.join(listing.ROLES)}")
    with session_scope(database_url) as session:
        sch = school_by_ref(session, school)
        group_id = None
        if group is not None:
            group_id = groups_by_title_or_id(session, school_id=sch.id, refs=[group])[0].id
        rows = listing.people(session, school=sch, role=role, group_id=group_id)
        data = [r.to_json() for r in rows]
    emit(data, as_json, _people_text)


def _people_text(rows: list[dict[str, Any]]) -> str:
    lines = []
    for r in rows:
        inactive = " (inactive)" if not r["active"] else ""
        reach = "; ".join(
            f"{platform}: " + ("yes" if v["reachable"] else f"no ({v['why_not']})")
            for platform, v in r["reach"].items()
        )
        lines.append(
            f"{r['name']} <{r['email'] or '-'}>{inactive} [{', '.join(r['roles']) or '-'}] "
            f"groups {', '.join(r['groups']) or '-'} | {reach}"
        )
    return "\n".join(lines) or "nobody"


def register(app: typer.Typer) -> None:
    app.add_typer(school_app, name="school")
    app.add_typer(people_app, name="people")
