"""``storage.school_config`` on SQLite and PostgreSQL: a change is checked as a whole, written
and audited; a refusal writes nothing; bindings are unique and a new one forgets the old
tenant's accounts; ``storage.people.listing`` counts and lists in a fixed number of statements."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from storage.db import unit_of_work
from storage.models import AuditEntry, ChannelAccount, Light, School
from storage.people import listing
from storage.rounds.lifecycle import create_round
from storage.school_config import SettingRefused, bind_platform, set_settings
from storage.school_settings import SchoolSettings
from tests.support.builders import tiny_school

NOW = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)


def _set(sf, school_id: int, *changes: tuple[str, str]) -> list:
    with unit_of_work(sf) as s:
        return set_settings(
            s,
            school=s.get_one(School, school_id),
            changes=list(changes),
            actor_id=None,
            channel="cli",
            now=NOW,
        )


def _state(sf, school_id: int) -> tuple:
    with sf() as s:
        school = s.get_one(School, school_id)
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
        return dict(school.settings), school.teams_tenant_id, school.slack_team_id, audits


def test_a_change_is_written_audited_and_a_refusal_writes_nothing(session_factory) -> None:
    sf = session_factory
    with unit_of_work(sf) as s:
        t = tiny_school(s)
    done = _set(sf, t.school_id, ("required.excellent", "both"), ("plan_reminder_days", "0"))
    assert [(c.key, c.old, c.new) for c in done] == [
        ("required.excellent", "none", "both"),
        ("plan_reminder_days", "5", "0"),
    ]
    with sf() as s:
        settings = SchoolSettings.from_json(s.get_one(School, t.school_id).settings)
        assert settings.requirement(Light.EXCELLENT).remark and settings.plan_reminder_days == 0
        assert settings.requirement(Light.PAS_OP).action  # the other lights keep their rule
        assert settings.reminders_changed_at is None  # the reminder plan did not change
    before = _state(sf, t.school_id)
    for bad in (
        [("auto_close", "on"), ("quiet_end", "later")],
        [("quiet_start", "06:30"), ("quiet_end", "06:00")],
        [("reminder_offsets_hours", "1000")],
        [("teams_tenant_id", "not-a-guid")],
        [("nonsense", "1")],
        [],
    ):
        with pytest.raises(SettingRefused), unit_of_work(sf) as s:
            set_settings(
                s,
                school=s.get_one(School, t.school_id),
                changes=bad,
                actor_id=None,
                channel="cli",
                now=NOW,
            )
        assert _state(sf, t.school_id) == before


def test_retention_is_checked_against_draft_and_open_rounds(session_factory) -> None:
    sf = session_factory
    with unit_of_work(sf) as s:
        t = tiny_school(s)
        create_round(
            s,
            school_id=t.school_id,
            actor_id=t.people["olga"],
            name="Lang",
            group_ids=[t.groups["2A"]],
            deadline=NOW + timedelta(days=45, hours=1),
            now=NOW,
        )
    with pytest.raises(SettingRefused, match="keep at least 46"):
        _set(sf, t.school_id, ("retention_days", "45"))
    assert [c.new for c in _set(sf, t.school_id, ("retention_days", "46"))] == ["46"]


def test_bindings_are_unique_and_a_new_one_forgets_old_accounts(session_factory) -> None:
    sf = session_factory
    with unit_of_work(sf) as s:
        a = tiny_school(s, name="A", prefix="a-")
        b = tiny_school(s, name="B", prefix="b-")
        for tenant in ("T-OLD", "TNEW"):
            s.add(
                ChannelAccount(
                    person_id=a.people["wim"],
                    channel="slack",
                    tenant=tenant,
                    external_id=f"U-{tenant}",
                    updated_at=NOW,
                )
            )
    with unit_of_work(sf) as s:
        bind_platform(
            s,
            school=s.get_one(School, a.school_id),
            channel="slack",
            tenant="TNEW",
            actor_id=a.people["olga"],
            now=NOW,
        )
    with sf() as s:
        assert s.scalars(select(ChannelAccount.tenant)).all() == ["TNEW"]
        assert s.get_one(School, a.school_id).slack_team_id == "TNEW"
    before = _state(sf, b.school_id)
    with pytest.raises(SettingRefused, match="already bound to school 'A'"):
        _set(sf, b.school_id, ("slack_team_id", "tnew"))
    with pytest.raises(SettingRefused), unit_of_work(sf) as s:
        bind_platform(
            s,
            school=s.get_one(School, b.school_id),
            channel="slack",
            tenant="TNEW",
            actor_id=None,
            now=NOW,
        )
    assert _state(sf, b.school_id) == before
    _set(sf, a.school_id, ("slack_team_id", "none"))
    with sf() as s:
        assert s.scalars(select(ChannelAccount)).all() == []


def test_listing_reads_in_a_fixed_number_of_statements(session_factory) -> None:
    sf = session_factory
    with unit_of_work(sf) as s:
        t = tiny_school(s)
    with sf() as s:
        statements: list[str] = []
        event.listen(s.get_bind(), "before_cursor_execute", lambda *a: statements.append(a[2]))
        school = s.get_one(School, t.school_id)
        rows = listing.people(s, school=school)
        counts = listing.counts(s, school_id=t.school_id)
    assert len(statements) <= 11  # the school, 6 for the people, 4 for the counts
    assert counts["students"] == 6 and counts["organizers"] == 1
    by_name = {r.name: r for r in rows}
    assert not by_name[next(n for n in by_name if "ivo" in n.lower())].active
    assert all(not r.reach[0].reachable for r in rows)
