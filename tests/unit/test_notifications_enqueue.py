from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storage.db import unit_of_work
from storage.models import Notification, Person, PersonKind, School
from storage.notifications import enqueue, enqueue_many


def _school_and_person(session):
    school = School(name="S")
    session.add(school)
    session.flush()
    p = Person(school_id=school.id, roster_id="t1", kind=PersonKind.TEACHER, display_name="T")
    session.add(p)
    session.flush()
    return school, p


def test_enqueue_is_idempotent(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        school, p = _school_and_person(s)
        assert enqueue(
            s, school_id=school.id, recipient_id=p.id, kind="round_opened", round_id=None
        )
        assert not enqueue(s, school_id=school.id, recipient_id=p.id, kind="round_opened")
        assert enqueue(
            s, school_id=school.id, recipient_id=p.id, kind="deadline_reminder", occasion="72h"
        )
        items = [
            dict(school_id=school.id, recipient_id=p.id, kind="deadline_reminder", occasion=o)
            for o in ("72h", "24h", "3h")
        ]
        assert enqueue_many(s, items) == 2
    with unit_of_work(session_factory) as s:
        assert s.scalar(select(func.count()).select_from(Notification)) == 4


def test_unknown_kind_is_refused(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        school, p = _school_and_person(s)
        with pytest.raises(ValueError):
            enqueue(s, school_id=school.id, recipient_id=p.id, kind="spam")
