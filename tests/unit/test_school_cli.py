"""``stoplicht school list|show|set`` and ``stoplicht people list`` on the demo school: what is
stored is shown back, every change is audited, and refusals write nothing."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from storage.db import make_engine, make_session_factory, unit_of_work
from storage.demo.seed import DEMO_ORGANIZER_EMAIL, DEMO_TEACHER_EMAIL
from storage.models import AuditEntry, ChannelAccount, Light, Person, School, utcnow
from storage.school_settings import SchoolSettings
from tests.support.demo_cli import dump, run_cli

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def run(db: Path, *args: str, stdin: bytes | str | None = None):  # type: ignore[no-untyped-def]
    return run_cli(db, *args, stdin=stdin)


def ok(db: Path, *args: str) -> str:
    result = run(db, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def session(db: Path):
    return unit_of_work(make_session_factory(make_engine(f"sqlite:///{db}")))


def test_show_marks_defaults_and_counts_people_and_groups(db: Path) -> None:
    data = json.loads(ok(db, "school", "show", "--json"))
    assert data["name"] == "Stoplicht Demo College" and data["demo"] is True
    s = data["settings"]
    assert s["required.let_op"] == {"value": "action", "default": True}
    assert s["required.pas_op"] == {"value": "both", "default": True}
    assert s["reminder_offsets_hours"] == {"value": "72,24,3", "default": True}
    assert s["teams_tenant_id"]["value"] == "none" and s["slack_team_id"]["value"] == "none"
    counts = data["counts"]
    assert counts["students"] == 60 and counts["organizers"] == 1 and counts["classes"] == 3
    assert counts["rounds_open"] == 1 and counts["rounds_closed"] == 1
    text = ok(db, "school", "show", "Stoplicht Demo College")  # by name, positional
    assert "required.let_op         action *" in text and "counts: students 60" in text
    assert ok(db, "school", "show", "--school", "1") == ok(db, "school", "show", "1")


def test_list_names_every_school_with_its_bindings(db: Path) -> None:
    ok(db, "school", "set", "teams_tenant_id", TENANT.upper())
    rows = json.loads(ok(db, "school", "list", "--json"))
    assert [(r["id"], r["teams_tenant_id"], r["slack_team_id"]) for r in rows] == [
        (1, TENANT, None)  # stored lower-case, as Teams sends it
    ]
    assert f"teams {TENANT}, slack -" in ok(db, "school", "list")


def test_set_checks_writes_audits_and_shows_back_what_is_stored(db: Path) -> None:
    out = ok(
        db,
        "school",
        "set",
        "1",
        "reminder_offsets_hours",
        "3, 72h;24",
        "required.ga_zo_door",
        "remark",
        "auto_close",
        "ja",
        "quiet_start",
        "22.00",
        "slack_team_id",
        "t0123abcd",
    )
    assert out.splitlines() == [
        "reminder_offsets_hours = 72,24,3 (unchanged)",
        "required.ga_zo_door = remark (was none)",
        "auto_close = on (was off)",
        "quiet_start = 22:00 (was 21:00)",
        "slack_team_id = T0123ABCD (was none)",
    ]
    with session(db) as s:
        school = s.get_one(School, 1)
        settings = SchoolSettings.from_json(school.settings)
        assert settings.auto_close and settings.requirement(Light.GA_ZO_DOOR).remark
        assert school.slack_team_id == "T0123ABCD"
        organizer = s.scalar(select(Person.id).where(Person.email == DEMO_ORGANIZER_EMAIL))
        audited = s.execute(
            select(AuditEntry.entity, AuditEntry.actor_id, AuditEntry.channel).where(
                AuditEntry.operation == "setting"
            )
        ).all()
    assert sorted(audited) == sorted(
        (k, organizer, "cli")
        for k in ("required.ga_zo_door", "auto_close", "quiet_start", "slack_team_id")
    )
    shown = json.loads(ok(db, "school", "show", "--json"))["settings"]
    assert shown["required.ga_zo_door"] == {"value": "remark", "default": False}
    assert shown["auto_close"] == {"value": "on", "default": False}
    # "default" puts a setting back; "none" removes a binding
    out = ok(db, "school", "set", "auto_close", "default", "slack_team_id", "none", "--json")
    assert json.loads(out)["now"] == {"auto_close": "off", "slack_team_id": "none"}


def test_a_new_binding_forgets_the_accounts_of_the_old_tenant(db: Path) -> None:
    ok(db, "school", "set", "teams_tenant_id", TENANT)
    with session(db) as s:
        teacher = s.scalar(select(Person.id).where(Person.email == DEMO_TEACHER_EMAIL))
        for tenant in (TENANT, "old-tenant"):
            s.add(
                ChannelAccount(
                    person_id=teacher,
                    channel="teams",
                    tenant=tenant,
                    external_id=f"aad-{tenant}",
                    conversation={"id": "c"},
                    updated_at=utcnow(),
                )
            )
    ok(db, "school", "set", "teams_tenant_id", TENANT)  # unchanged: nothing forgotten
    with session(db) as s:
        assert len(s.scalars(select(ChannelAccount)).all()) == 2
    other = "00000000-0000-0000-0000-0000000000aa"
    ok(db, "school", "set", "teams_tenant_id", other)
    with session(db) as s:
        assert s.scalars(select(ChannelAccount)).all() == []


def test_a_tenant_bound_to_another_school_is_refused(db: Path) -> None:
    ok(db, "school", "set", "teams_tenant_id", TENANT)
    with session(db) as s:
        s.add(School(name="Tweede School", settings={}))
    before = dump(db)
    result = run(db, "school", "set", "Tweede School", "teams_tenant_id", TENANT)
    assert result.exit_code == 2
    assert "already bound to school 'Stoplicht Demo College'" in result.stderr
    assert dump(db) == before
    result = run(db, "school", "show")  # two schools now: which one?
    assert result.exit_code == 2 and "several schools" in result.stderr


def test_retention_shorter_than_an_open_round_is_refused(db: Path) -> None:
    far = (utcnow() + timedelta(days=70)).date().isoformat()
    ok(db, "round", "create", "--name", "Lang", "--group", "3A", "--deadline", far)
    before = dump(db)
    result = run(db, "school", "set", "retention_days", "40")
    assert result.exit_code == 2, result.output
    assert "shorter than round 'Lang'" in result.stderr
    assert dump(db) == before


def test_people_list_with_roles_groups_and_reach(db: Path) -> None:
    rows = json.loads(ok(db, "people", "list", "--role", "organizer", "--json"))
    assert [r["email"] for r in rows] == [DEMO_ORGANIZER_EMAIL]
    assert rows[0]["reach"]["teams"] == {
        "reachable": False,
        "why_not": "school not bound to Teams",
    }
    ok(db, "school", "set", "teams_tenant_id", TENANT)
    with session(db) as s:
        teacher = s.scalars(select(Person).where(Person.email == DEMO_TEACHER_EMAIL)).one()
        s.add(
            ChannelAccount(
                person_id=teacher.id,
                channel="teams",
                tenant=TENANT,
                external_id="aad-1",
                conversation={"id": "c"},
                updated_at=utcnow(),
            )
        )
    teachers = json.loads(ok(db, "people", "list", "--role", "teacher", "--json"))
    reach = {r["email"]: r["reach"]["teams"] for r in teachers}
    assert reach[DEMO_TEACHER_EMAIL] == {"reachable": True, "why_not": None}
    assert {v["why_not"] for e, v in reach.items() if e != DEMO_TEACHER_EMAIL} == {
        "has not used Stoplicht on Teams yet"
    }
    with session(db) as s:
        s.scalars(select(ChannelAccount)).one().unreachable_reason = "bot blocked by the user"
    teachers = json.loads(ok(db, "people", "list", "--role", "teacher", "--json"))
    mine = next(r for r in teachers if r["email"] == DEMO_TEACHER_EMAIL)
    assert mine["reach"]["teams"]["why_not"] == "last delivery failed: bot blocked by the user"
    assert "teacher" in mine["roles"] and mine["groups"]
    in_3a = json.loads(ok(db, "people", "list", "--group", "3A", "--json"))
    assert in_3a and all("3A" in r["groups"] for r in in_3a)
    assert {tuple(r["roles"]) for r in in_3a} == {("student",)}
    text = ok(db, "people", "list", "--role", "teacher")
    assert "teams: yes" not in text and "last delivery failed" in text
