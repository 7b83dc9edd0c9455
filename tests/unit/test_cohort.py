from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from storage.cohort import expected_entries
from storage.db import unit_of_work
from storage.models import Enrolment, Round, RoundGroup, RoundState
from tests.support.builders import tiny_school

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)


def _round(s, tiny, *classes: str) -> int:
    r = Round(
        school_id=tiny.school_id, name="R", deadline=NOW + timedelta(days=7), state=RoundState.OPEN
    )
    s.add(r)
    s.flush()
    for c in classes:
        s.add(RoundGroup(round_id=r.id, group_id=tiny.groups[c]))
    s.flush()
    return r.id


def _entries(s, rid, **kw):
    return {
        (row.student_id, row.group_id, row.teacher_id)
        for row in s.execute(expected_entries(rid, **kw))
    }


def test_expected_entries_cover_clusters_across_classes(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t = _tiny = tiny_school(s)
        rid = _round(s, t, "2A", "2B")
        p, g = t.people, t.groups
        got = _entries(s, rid)
        want = {
            *((p[n], g["2A wi"], p["wim"]) for n in ("anna", "bram", "cas")),
            *((p[n], g["2B wi"], p["wim"]) for n in ("dewi", "eva")),
            *((p[n], g["2-du"], p["dora"]) for n in ("anna", "bram", "dewi")),
            *((p[n], g["2A ne"], p["dora"]) for n in ("anna", "bram", "cas")),
        }
        assert got == want  # no inactive Ivo, no class rows, no 3C
        assert len(_entries(s, rid, teacher_id=p["wim"])) == 5
        assert _entries(s, rid, teacher_id=p["dora"], group_id=g["2-du"]) == {
            (p[n], g["2-du"], p["dora"]) for n in ("anna", "bram", "dewi")
        }
        assert _tiny is t


def test_round_of_one_class_includes_cluster_only_for_its_students(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t = tiny_school(s)
        rid = _round(s, t, "2B")
        p, g = t.people, t.groups
        assert _entries(s, rid, teacher_id=p["dora"]) == {(p["dewi"], g["2-du"], p["dora"])}


def test_inactive_enrolment_drops_out(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t = tiny_school(s)
        rid = _round(s, t, "2A", "2B")
        p, g = t.people, t.groups
        s.execute(
            update(Enrolment)
            .where(Enrolment.student_id == p["dewi"], Enrolment.group_id == g["2-du"])
            .values(active=False)
        )
        assert (p["dewi"], g["2-du"], p["dora"]) not in _entries(s, rid)
        s.execute(
            update(Enrolment)
            .where(Enrolment.student_id == p["eva"], Enrolment.group_id == g["2B"])
            .values(active=False)
        )
        assert not any(e[0] == p["eva"] for e in _entries(s, rid))
