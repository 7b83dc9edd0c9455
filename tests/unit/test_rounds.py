from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from storage.db import unit_of_work
from storage.errors import InvalidInput, InvalidTransition, NotAllowed, NotFound
from storage.models import Feedback, Light, Notification, Round, RoundState
from storage.rounds.lifecycle import (
    close_round,
    create_round,
    extend_round,
    open_round,
    open_rounds,
    round_status,
    rounds_for_teacher,
)
from tests.support.builders import tiny_school

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
WEEK = NOW + timedelta(days=7)


def _create(s, t, **kw):
    args = dict(
        school_id=t.school_id,
        actor_id=t.people["olga"],
        name="Ronde 1",
        group_ids=[t.groups["2A"], t.groups["2B"]],
        deadline=WEEK,
        now=NOW,
    )
    args.update(kw)
    return create_round(s, **args)


def _notes(s, rid):
    return sorted(
        (n.kind, n.recipient_id, tuple(sorted(n.payload.items())))
        for n in s.scalars(select(Notification).where(Notification.round_id == rid))
    )


def test_lifecycle_with_outbox_once(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t = tiny_school(s)
        p = t.people
        rnd = _create(s, t)
        assert rnd.state is RoundState.DRAFT
        assert [g.title for g in rnd.groups] == ["2A", "2B"]
        assert _notes(s, rnd.id) == []
        open_round(s, round_id=rnd.id, actor_id=p["olga"], now=NOW)
        notes = _notes(s, rnd.id)
        assert [(k, r) for k, r, _ in notes] == sorted(
            [("round_opened", p["wim"]), ("round_opened", p["dora"])]
        )
        payload = dict(next(pl for k, r, pl in notes if r == p["wim"]))
        assert payload["total"] == 5 and payload["round"] == "Ronde 1"
        assert payload["deadline"].startswith("2026-11-29T09:00:00+01:00")  # Amsterdam
        assert [r.id for r in open_rounds(s, school_id=t.school_id)] == [rnd.id]
        assert [r.id for r in rounds_for_teacher(s, teacher_id=p["wim"])] == [rnd.id]
        assert rounds_for_teacher(s, teacher_id=p["mia"]) == []
        with pytest.raises(InvalidTransition):
            open_round(s, round_id=rnd.id, actor_id=p["olga"], now=NOW)
        extend_round(
            s, round_id=rnd.id, actor_id=p["olga"], deadline=WEEK + timedelta(days=1), now=NOW
        )
        close_round(s, round_id=rnd.id, actor_id=None, now=NOW + timedelta(days=1))
        assert rnd.state is RoundState.CLOSED and rnd.closed_at is not None
        kinds = [(k, r) for k, r, _ in _notes(s, rnd.id)]
        assert ("mentor_digest", p["mia"]) in kinds
        assert ("colleagues_visible", p["wim"]) in kinds
        assert ("colleagues_visible", p["dora"]) in kinds
        assert len(kinds) == 5
        assert rounds_for_teacher(s, teacher_id=p["wim"], states=[RoundState.CLOSED])[0] is rnd
    with unit_of_work(session_factory) as s:
        with pytest.raises(InvalidTransition):
            close_round(s, round_id=rnd.id, actor_id=None, now=NOW + timedelta(days=2))
        with pytest.raises(InvalidTransition):
            extend_round(s, round_id=rnd.id, actor_id=None, deadline=WEEK + timedelta(9), now=NOW)
        with pytest.raises(InvalidTransition):
            open_round(s, round_id=rnd.id, actor_id=None, now=NOW)
    with unit_of_work(session_factory) as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == 5
        assert s.get(Round, rnd.id).state is RoundState.CLOSED


def test_create_validates_input(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t = tiny_school(s)
        other = tiny_school(s, name="Other", prefix="o-")
        with pytest.raises(InvalidInput, match="name"):
            _create(s, t, name="  ")
        with pytest.raises(InvalidInput, match="at least one group"):
            _create(s, t, group_ids=[])
        with pytest.raises(InvalidInput, match="unknown group"):
            _create(s, t, group_ids=[other.groups["2A"]])
        with pytest.raises(InvalidInput, match="not in the future"):
            _create(s, t, deadline=NOW - timedelta(minutes=1))
        with pytest.raises(InvalidInput, match="time zone"):
            _create(s, t, deadline=datetime(2027, 1, 1))
        with pytest.raises(NotAllowed):
            _create(s, t, actor_id=t.people["wim"])
        with pytest.raises(NotAllowed):
            _create(s, t, actor_id=other.people["olga"])
        assert s.scalar(select(func.count()).select_from(Round)) == 0


def test_only_organizer_manages_and_close_needs_open(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t = tiny_school(s)
        rnd = _create(s, t)
        with pytest.raises(NotAllowed):
            open_round(s, round_id=rnd.id, actor_id=t.people["wim"], now=NOW)
        with pytest.raises(InvalidTransition):
            close_round(s, round_id=rnd.id, actor_id=t.people["olga"], now=NOW)
        with pytest.raises(InvalidInput):
            extend_round(s, round_id=rnd.id, actor_id=None, deadline=NOW, now=NOW)
        with pytest.raises(NotFound):
            open_round(s, round_id=9999, actor_id=None, now=NOW)
        with pytest.raises(InvalidTransition, match="deadline has passed"):
            open_round(s, round_id=rnd.id, actor_id=None, now=WEEK + timedelta(hours=1))
        assert rnd.state is RoundState.DRAFT


def test_status_counts_per_teacher_and_group(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t = tiny_school(s)
        p, g = t.people, t.groups
        rnd = _create(s, t, open_now=True)
        s.add(
            Feedback(
                round_id=rnd.id,
                student_id=p["dewi"],
                group_id=g["2-du"],
                teacher_id=p["dora"],
                subject="Duits",
                light=Light.GA_ZO_DOOR,
            )
        )
        s.flush()
        st = round_status(s, round_id=rnd.id)
        assert (st.done, st.total, st.state) == (1, 11, RoundState.OPEN)
        by = {x.name: (x.done, x.total, x.started) for x in st.teachers}
        assert by == {"Dora Duits": (1, 6, True), "Wim Wiskerke": (0, 5, False)}
        assert [x.name for x in st.not_started] == ["Wim Wiskerke"]
        groups = {x.title: (x.done, x.total) for x in st.groups}
        assert groups == {"2A": (0, 8), "2B": (1, 3)}
        assert st.to_json()["not_started"] == ["Wim Wiskerke"]
