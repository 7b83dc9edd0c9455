from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, insert, select

from storage.db import make_engine, unit_of_work
from storage.errors import (
    InvalidInput,
    MandatoryFieldMissing,
    NotAllowed,
    RoundClosed,
    RoundNotOpen,
    TextTooLong,
)
from storage.feedback.entries import (
    bulk_fill,
    feedback_visible_to,
    histories_for,
    next_open_entry,
    progress,
    record_feedback,
    subject_history,
    teacher_queue,
)
from storage.models import AuditEntry, Feedback, Light, Share
from storage.rounds.lifecycle import close_round, create_round
from tests.support.builders import tiny_school

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def _setup(s, *, open_now=True, name="Ronde 2", deadline=None, prefix=""):
    t = tiny_school(s, prefix=prefix)
    rnd = create_round(
        s,
        school_id=t.school_id,
        actor_id=None,
        name=name,
        group_ids=[t.groups["2A"], t.groups["2B"]],
        deadline=deadline or NOW + timedelta(days=7),
        now=NOW,
        open_now=open_now,
    )
    return t, rnd


def _write(
    s, t, rnd, teacher, student, group, light=Light.GA_ZO_DOOR, remark=None, action=None, **kw
):
    return record_feedback(
        s,
        actor_id=t.people[teacher],
        round_id=rnd.id,
        student_id=t.people[student],
        group_id=t.groups[group],
        light=light,
        remark=remark,
        action=action,
        now=kw.get("now", NOW),
        channel="test",
    )


def _count(s, model) -> int:
    return s.scalar(select(func.count()).select_from(model))


def test_queue_order_progress_and_next(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t, rnd = _setup(s)
        q = teacher_queue(s, round_id=rnd.id, teacher_id=t.people["dora"])
        assert [(e.group_title, e.student_name) for e in q] == [
            ("2-du", "Bram Aalders"),
            ("2-du", "Anna Bakker"),
            ("2-du", "Dewi Dijk"),
            ("2A ne", "Bram Aalders"),
            ("2A ne", "Anna Bakker"),
            ("2A ne", "Cas Claes"),
        ]
        assert progress(s, round_id=rnd.id, teacher_id=t.people["dora"]) == (0, 6)
        _write(s, t, rnd, "dora", "bram", "2-du")
        nxt = next_open_entry(s, round_id=rnd.id, teacher_id=t.people["dora"])
        assert (nxt.student_name, nxt.group_title, nxt.subject) == ("Anna Bakker", "2-du", "Duits")
        skip = next_open_entry(
            s,
            round_id=rnd.id,
            teacher_id=t.people["dora"],
            exclude=[(t.people["anna"], t.groups["2-du"])],
        )
        assert skip.student_name == "Dewi Dijk"
        assert progress(s, round_id=rnd.id, teacher_id=t.people["dora"]) == (1, 6)
        assert progress(
            s, round_id=rnd.id, teacher_id=t.people["dora"], group_id=t.groups["2A ne"]
        ) == (0, 3)
        q = teacher_queue(
            s, round_id=rnd.id, teacher_id=t.people["dora"], group_id=t.groups["2-du"]
        )
        assert [e.light for e in q] == [Light.GA_ZO_DOOR, None, None]
        assert q[0].done and q[0].version == 1


def test_record_mandatory_too_long_blank_and_revision(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t, rnd = _setup(s)
        with pytest.raises(MandatoryFieldMissing) as exc:
            _write(s, t, rnd, "wim", "anna", "2A wi", Light.PAS_OP, remark="   ", action="")
        assert exc.value.params["fields"] == ["remark", "action"]
        with pytest.raises(MandatoryFieldMissing) as exc:
            _write(s, t, rnd, "wim", "anna", "2A wi", Light.LET_OP, remark="Goed bezig")
        assert exc.value.params["fields"] == ["action"]
        with pytest.raises(TextTooLong) as exc:
            _write(s, t, rnd, "wim", "anna", "2A wi", remark="x" * 1001)
        assert exc.value.params["length"] == 1001 and exc.value.params["max"] == 1000
        with pytest.raises(InvalidInput):
            _write(s, t, rnd, "wim", "anna", "2A wi", 7)
        assert _count(s, Feedback) == 0
        fb = _write(
            s,
            t,
            rnd,
            "wim",
            "anna",
            "2A wi",
            Light.LET_OP,
            remark="  \t",
            action="  Laat je schrift zien.\n",
        )
        assert (fb.remark, fb.action, fb.version) == (None, "  Laat je schrift zien.\n", 1)
        later = NOW + timedelta(hours=2)
        fb2 = _write(
            s, t, rnd, "wim", "anna", "2A wi", Light.EXCELLENT, remark="Top 🎩 Daniël", now=later
        )
        assert fb2.id == fb.id and fb2.version == 2 and fb2.updated_at == later
        assert (fb2.remark, fb2.action) == ("Top 🎩 Daniël", None)
        same = _write(s, t, rnd, "wim", "anna", "2A wi", Light.EXCELLENT, remark="Top 🎩 Daniël")
        assert same.version == 2
        assert _count(s, Feedback) == 1
        assert _count(s, AuditEntry) == 3


def test_record_denied_cases(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t, rnd = _setup(s)
        other = tiny_school(s, name="Other", prefix="o-")
        with pytest.raises(NotAllowed):  # Wim does not teach Duits
            _write(s, t, rnd, "wim", "anna", "2-du")
        with pytest.raises(NotAllowed):  # Cas is not in the cluster
            _write(s, t, rnd, "dora", "cas", "2-du")
        with pytest.raises(NotAllowed):  # 3C is not in the round
            _write(s, t, rnd, "wim", "fenna", "3C wi")
        with pytest.raises(NotAllowed):  # inactive teacher
            _write(s, t, rnd, "ivo", "anna", "2A wi")
        with pytest.raises(NotAllowed):  # another school's student
            record_feedback(
                s,
                actor_id=t.people["wim"],
                round_id=rnd.id,
                student_id=other.people["anna"],
                group_id=other.groups["2A wi"],
                light=Light.GA_ZO_DOOR,
                remark=None,
                action=None,
                now=NOW,
                channel="test",
            )
        with pytest.raises(NotAllowed):  # another school's teacher
            record_feedback(
                s,
                actor_id=other.people["wim"],
                round_id=rnd.id,
                student_id=t.people["anna"],
                group_id=t.groups["2A wi"],
                light=Light.GA_ZO_DOOR,
                remark=None,
                action=None,
                now=NOW,
                channel="test",
            )
        assert _count(s, Feedback) == 0 and _count(s, AuditEntry) == 0


def test_draft_and_closed_rounds_refuse_and_change_nothing(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t, rnd = _setup(s, open_now=False)
        with pytest.raises(RoundNotOpen):
            _write(s, t, rnd, "wim", "anna", "2A wi")
    with unit_of_work(session_factory) as s:
        t, rnd = _setup(s, prefix="b-")
        fb = _write(s, t, rnd, "wim", "anna", "2A wi", Light.GA_ZO_DOOR, remark="Ok")
        close_round(s, round_id=rnd.id, actor_id=None, now=NOW + timedelta(days=1))
        with pytest.raises(RoundClosed):
            _write(s, t, rnd, "wim", "anna", "2A wi", Light.PAS_OP, remark="a", action="b")
        with pytest.raises(RoundClosed):
            bulk_fill(
                s,
                actor_id=t.people["wim"],
                round_id=rnd.id,
                group_id=t.groups["2A wi"],
                light=Light.GA_ZO_DOOR,
                now=NOW,
                channel="test",
            )
        s.expire_all()
        fb = s.get(Feedback, fb.id)
        assert (fb.light, fb.remark, fb.version) == (Light.GA_ZO_DOOR, "Ok", 1)
        assert _count(s, Feedback) == 1


def test_bulk_fill_never_overwrites(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t, rnd = _setup(s)
        p, g = t.people, t.groups
        _write(s, t, rnd, "wim", "bram", "2A wi", Light.LET_OP, action="Oefen elke dag")
        with pytest.raises(MandatoryFieldMissing) as exc:
            bulk_fill(
                s,
                actor_id=p["wim"],
                round_id=rnd.id,
                group_id=g["2A wi"],
                light=Light.PAS_OP,
                now=NOW,
                channel="test",
            )
        assert exc.value.params["fields"] == ["remark", "action"]
        filled = bulk_fill(
            s,
            actor_id=p["wim"],
            round_id=rnd.id,
            group_id=g["2A wi"],
            light=Light.GA_ZO_DOOR,
            now=NOW,
            channel="test",
        )
        assert sorted(filled) == sorted([p["anna"], p["cas"]])
        again = bulk_fill(
            s,
            actor_id=p["wim"],
            round_id=rnd.id,
            group_id=g["2A wi"],
            light=Light.EXCELLENT,
            now=NOW,
            channel="test",
        )
        assert again == []
        lights = {
            e.student_name: e.light
            for e in teacher_queue(s, round_id=rnd.id, teacher_id=p["wim"], group_id=g["2A wi"])
        }
        assert lights == {
            "Anna Bakker": Light.GA_ZO_DOOR,
            "Bram Aalders": Light.LET_OP,
            "Cas Claes": Light.GA_ZO_DOOR,
        }
        with pytest.raises(NotAllowed):
            bulk_fill(
                s,
                actor_id=p["wim"],
                round_id=rnd.id,
                group_id=g["2-du"],
                light=Light.GA_ZO_DOOR,
                now=NOW,
                channel="test",
            )
        assert progress(s, round_id=rnd.id, teacher_id=p["wim"]) == (3, 5)


def test_visibility_before_and_after_close(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t, rnd = _setup(s)
        p = t.people
        _write(s, t, rnd, "wim", "anna", "2A wi", remark="Wiskunde gaat goed")
        _write(s, t, rnd, "dora", "anna", "2-du", remark="Duits gaat goed")

        def seen(who, student="anna"):
            views = feedback_visible_to(
                s, actor_id=p[who], round_id=rnd.id, student_id=p[student], channel="test"
            )
            return sorted(v.subject for v in views)

        assert seen("wim") == ["wiskunde"]
        assert seen("dora") == ["Duits"]
        assert seen("mia") == ["Duits", "wiskunde"]  # mentor, live
        assert seen("anna") == []
        assert seen("olga") == []
        assert seen("wim", "fenna") == []
        assert _count(s, AuditEntry) == 2 + 1  # two writes, Mia's read of others' feedback
        close_round(s, round_id=rnd.id, actor_id=None, now=NOW + timedelta(days=1))
        assert seen("wim") == ["Duits", "wiskunde"]
        assert seen("anna") == []  # not shared yet
        s.add(Share(round_id=rnd.id, student_id=p["anna"], mentor_id=p["mia"], shared_at=NOW))
        s.flush()
        assert seen("anna") == ["Duits", "wiskunde"]
        assert seen("bram") == []
        audit = s.scalars(
            select(AuditEntry).where(AuditEntry.operation == "read").order_by(AuditEntry.id)
        ).all()
        assert [(a.actor_id, a.count) for a in audit] == [
            (p["mia"], 2),
            (p["wim"], 1),
            (p["anna"], 2),
        ]


def test_history_from_earlier_closed_rounds(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t, old = _setup(s, name="Ronde 1", deadline=NOW + timedelta(days=1))
        p, g = t.people, t.groups
        _write(s, t, old, "wim", "anna", "2A wi", Light.LET_OP, action="Maak je huiswerk")
        _write(s, t, old, "dora", "anna", "2A ne", remark="Mooi opstel")
        close_round(s, round_id=old.id, actor_id=None, now=NOW + timedelta(days=2))
        new = create_round(
            s,
            school_id=t.school_id,
            actor_id=None,
            name="Ronde 2",
            group_ids=[g["2A"]],
            deadline=NOW + timedelta(days=30),
            now=NOW + timedelta(days=3),
            open_now=True,
        )
        hist = subject_history(
            s, actor_id=p["wim"], student_id=p["anna"], subject="wiskunde", before_round_id=new.id
        )
        assert [(h.round_name, h.light, h.action, h.teacher_name) for h in hist] == [
            ("Ronde 1", Light.LET_OP, "Maak je huiswerk", "Wim Wiskerke")
        ]
        assert (
            subject_history(
                s,
                actor_id=p["wim"],
                student_id=p["fenna"],
                subject="wiskunde",
                before_round_id=new.id,
            )
            == []
        )
        assert (
            subject_history(
                s,
                actor_id=p["anna"],
                student_id=p["anna"],
                subject="wiskunde",
                before_round_id=new.id,
            )
            == []
        )  # not shared
        assert (
            subject_history(
                s,
                actor_id=p["wim"],
                student_id=p["anna"],
                subject="wiskunde",
                before_round_id=old.id,
            )
            == []
        )
        batch = histories_for(s, actor_id=p["wim"], round_id=new.id)
        assert list(batch) == [(p["anna"], "wiskunde")]
        assert batch[(p["anna"], "wiskunde")] == hist
        dora = histories_for(s, actor_id=p["dora"], round_id=new.id, group_id=g["2A ne"])
        assert [h.remark for h in dora[(p["anna"], "Nederlands")]] == ["Mooi opstel"]


def test_double_submit_race_revises_instead_of_failing(db_url, engine, session_factory) -> None:
    """Another request commits the same entry between our read and our insert: the insert
    changes nothing and the save revises that entry (on SQLite too: a save reads before it
    writes, without taking the write lock first)."""
    with unit_of_work(session_factory) as s:
        t, rnd = _setup(s, prefix="r-")
    p, g = t.people, t.groups
    fired: list[bool] = []
    before = "INSERT INTO FEEDBACK"

    def sneak(conn, cursor, statement, params, context, executemany) -> None:
        if fired or not statement.lstrip().upper().startswith(before):
            return
        fired.append(True)
        other = make_engine(db_url)
        with other.begin() as c:
            c.execute(
                insert(Feedback).values(
                    round_id=rnd.id,
                    student_id=p["anna"],
                    group_id=g["2A wi"],
                    teacher_id=p["wim"],
                    subject="wiskunde",
                    light=Light.GA_ZO_DOOR,
                    version=1,
                    created_at=NOW,
                    updated_at=NOW,
                )
            )
        other.dispose()

    event.listen(engine, "before_cursor_execute", sneak)
    try:
        with unit_of_work(session_factory) as s:
            fb = _write(s, t, rnd, "wim", "anna", "2A wi", Light.EXCELLENT, remark="Knap")
            assert (fb.version, fb.light, fb.remark) == (2, Light.EXCELLENT, "Knap")
    finally:
        event.remove(engine, "before_cursor_execute", sneak)
    assert fired
    with unit_of_work(session_factory) as s:
        assert _count(s, Feedback) == 1
        assert s.scalars(select(Feedback)).one().version == 2


def test_subjects_are_listed_whatever_their_case(session_factory) -> None:
    """ "aardrijkskunde" comes before "Duits": a list by subject ignores the capital."""
    from sqlalchemy import update

    with unit_of_work(session_factory) as s:
        t, rnd = _setup(s)
        p = t.people
        geo = _write(s, t, rnd, "wim", "anna", "2A wi", remark="Kaart goed gelezen")
        _write(s, t, rnd, "dora", "anna", "2-du", remark="Duits gaat goed")
        s.execute(update(Feedback).where(Feedback.id == geo.id).values(subject="aardrijkskunde"))
        views = feedback_visible_to(
            s, actor_id=p["mia"], round_id=rnd.id, student_id=p["anna"], channel="test"
        )
        assert [v.subject for v in views] == ["aardrijkskunde", "Duits"]
