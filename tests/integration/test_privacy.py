"""Export, erase and purge on both backends."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from dialogs.texts import t
from storage.db import unit_of_work
from storage.errors import NotFound
from storage.mentoring.plans import save_plan, submit_plan
from storage.mentoring.service import (
    record_agreements,
    set_mentor_note,
    share_with_student,
    student_report,
)
from storage.models import (
    AuditEntry,
    ChannelAccount,
    DialogState,
    Feedback,
    Notification,
    NotificationStatus,
    Person,
    Round,
    RoundState,
)
from storage.privacy import (
    AmbiguousStudent,
    erase_student,
    export_student,
    person_references,
    purge_older_than,
)
from tests.support.small_school import NOW, build


def _full_cycle(s):
    ids = build(s, state=RoundState.CLOSED)
    set_mentor_note(
        s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, text="Top", now=NOW
    )
    share_with_student(s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, now=NOW)
    save_plan(s, actor_id=ids.anna, round_id=ids.round, now=NOW, answers={"help": "Bijles"})
    submit_plan(s, actor_id=ids.anna, round_id=ids.round, now=NOW)
    record_agreements(
        s, actor_id=ids.mia, round_id=ids.round, student_id=ids.anna, text="Ok", now=NOW
    )
    student_report(s, actor_id=ids.anna, round_id=ids.round, student_id=ids.anna)
    s.add(ChannelAccount(person_id=ids.anna, channel="teams", tenant="t", external_id="aad-anna"))
    s.add(DialogState(person_id=ids.anna, state={"step": "plan"}))
    s.flush()
    return ids


def test_export_holds_everything_about_her(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = _full_cycle(s)
        data = export_student(s, school_id=ids.school, key="anna")
        by_email = export_student(s, school_id=None, key="ANNA@alfa.example")
    assert json.loads(json.dumps(data)) == data
    assert data["person"]["display_name"] == "Anna"
    assert {e["group"] for e in data["enrolments"]} == {"3A", "3A wiskunde", "3A engels"}
    assert [m["name"] for m in data["mentors"]] == ["Mia"]
    assert len(data["feedback"]) == 4
    assert {f["teacher"] for f in data["feedback"]} == {"Wim", "Els"}
    assert {f["light"] for f in data["feedback"]} == {"ga_zo_door", "let_op"}
    assert data["mentor_notes"][0]["text"] == "Top" and data["mentor_notes"][0]["mentor"] == "Mia"
    assert data["shares"][0]["round"] == "Periode 2"
    assert data["plans"][0]["answers"] == {"help": "Bijles"}
    assert data["plans"][0]["state"] == "submitted"
    assert data["agreements"][0]["text"] == "Ok"
    assert [n["kind"] for n in data["notifications"]] == ["feedback_shared"]
    assert data["channel_accounts"][0]["external_id"] == "aad-anna"
    assert data["dialog_state"]["state"] == {"step": "plan"}
    assert {a["operation"] for a in data["audit"]} >= {"share", "write", "submit", "read"}
    assert by_email["person"]["id"] == data["person"]["id"]
    with unit_of_work(session_factory) as s:
        exports = s.scalars(select(AuditEntry).where(AuditEntry.operation == "export")).all()
        assert len(exports) == 2 and all(a.student_id == ids.anna for a in exports)


def test_lookup_errors(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s)
        with pytest.raises(NotFound):
            export_student(s, school_id=None, key="nobody")
        with pytest.raises(NotFound):
            export_student(s, school_id=ids.school, key="wim")  # a teacher
        with pytest.raises(NotFound):  # other school's student under this school
            export_student(s, school_id=ids.school, key="anna@beta.example")
        with pytest.raises(AmbiguousStudent) as err:
            export_student(s, school_id=None, key="anna")  # roster id in both schools
        assert "meer dan één school" in t("nl", err.value.key, **err.value.params)
        with pytest.raises(AmbiguousStudent):
            erase_student(s, school_id=None, key="anna")
        assert export_student(s, school_id=ids.other_school, key="anna")["person"]["id"] == (
            ids.other_student
        )
        assert s.get(Person, ids.anna) is not None


def test_erase_leaves_nothing_that_references_her(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = _full_cycle(s)
        audits_before = s.scalar(select(func.count()).select_from(AuditEntry))
        counts = erase_student(s, school_id=ids.school, key="anna", channel="cli")
        assert counts["feedback"] == 4 and counts["person"] == 1
        assert counts["notification"] >= 2  # her own and the mentor's plan_submitted
    with unit_of_work(session_factory) as s:
        assert s.get(Person, ids.anna) is None
        refs = person_references()
        assert {t.name for t, _, _ in refs} >= {
            "feedback",
            "audit_log",
            "mentorship",
            "notification",
        }
        for table, column, _ in refs:
            n = s.scalar(select(func.count()).select_from(table).where(column == ids.anna))
            assert n == 0, f"{table.name}.{column.name} still references the erased student"
        left = s.scalars(select(Notification)).all()
        assert all((n.payload or {}).get("student_id") != ids.anna for n in left)
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audits_before + 1
        erase = s.scalars(select(AuditEntry).where(AuditEntry.operation == "erase")).one()
        assert erase.student_id is None and erase.school_id == ids.school
        # the others are untouched
        assert s.get(Person, ids.bram) is not None
        assert s.scalar(select(func.count()).select_from(Feedback)) == 6  # Bram, Cor
    with unit_of_work(session_factory) as s, pytest.raises(NotFound):
        erase_student(s, school_id=ids.school, key="anna")


def test_purge_removes_only_what_is_older_than_retention(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        ids = build(s, settings={"retention_days": 30})
        old = NOW - timedelta(days=60)
        s.add(
            AuditEntry(school_id=ids.school, actor_id=ids.mia, operation="read", entity="x", at=old)
        )
        s.add(
            AuditEntry(school_id=ids.school, actor_id=ids.mia, operation="read", entity="x", at=NOW)
        )
        s.add(AuditEntry(school_id=ids.other_school, operation="read", entity="x", at=old))
        for key, status in (("a", NotificationStatus.DELIVERED), ("b", NotificationStatus.PENDING)):
            s.add(
                Notification(
                    school_id=ids.school,
                    recipient_id=ids.mia,
                    kind="mentor_digest",
                    idempotency_key=key,
                    status=status,
                    created_at=old,
                )
            )
        s.flush()
        counts = purge_older_than(s, school_id=ids.school, now=NOW)
        assert counts["review_round"] == 1 and counts["feedback"] == 6
        assert counts["audit_log"] == 1 and counts["notification"] == 1
    with unit_of_work(session_factory) as s:
        assert {r.id for r in s.scalars(select(Round))} == {ids.round, ids.other_round}
        assert s.scalar(select(func.count()).select_from(Feedback)) == 4
        assert [n.idempotency_key for n in s.scalars(select(Notification))] == ["b"]
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.school_id == ids.other_school)
            )
            == 1
        )
        again = purge_older_than(s, school_id=ids.school, now=NOW)
        assert sum(again.values()) == 0
        with pytest.raises(NotFound):
            purge_older_than(s, school_id=424242, now=NOW)
