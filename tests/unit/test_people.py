from __future__ import annotations

import pytest

from storage.db import unit_of_work
from storage.errors import InvalidInput, NotFound
from storage.people.directory import (
    groups_by_title_or_id,
    only_school,
    person_by_email,
    person_by_roster_or_email,
)
from tests.support.builders import tiny_school


def test_person_lookups(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t = tiny_school(s)
        other = tiny_school(s, name="Other", prefix="o-")
        anna = person_by_email(s, school_id=t.school_id, email="  ANNA@School.Example ")
        assert anna is not None and anna.id == t.people["anna"]
        assert person_by_email(s, school_id=t.school_id, email="o-anna@school.example") is None
        assert person_by_email(s, school_id=t.school_id, email=" ") is None
        assert person_by_roster_or_email(s, key="r-wim").id == t.people["wim"]
        assert person_by_roster_or_email(s, key="O-WIM@school.example").id == other.people["wim"]
        assert (
            person_by_roster_or_email(s, school_id=t.school_id, key="wim@school.example").id
            == t.people["wim"]
        )
        with pytest.raises(NotFound, match="nobody"):
            person_by_roster_or_email(s, key="nobody")
        with pytest.raises(InvalidInput):
            person_by_roster_or_email(s, key="  ")
        with pytest.raises(InvalidInput, match="several schools"):
            only_school(s)


def test_group_lookup_by_title_or_id(session_factory) -> None:
    with unit_of_work(session_factory) as s:
        t = tiny_school(s)
        tiny_school(s, name="Other", prefix="o-")
        got = groups_by_title_or_id(
            s, school_id=t.school_id, refs=["2a", str(t.groups["2B"]), "2A"]
        )
        assert [g.title for g in got] == ["2A", "2B"]
        with pytest.raises(NotFound, match="'4Z'"):
            groups_by_title_or_id(s, school_id=t.school_id, refs=["2A", "4Z"])
        with pytest.raises(InvalidInput):
            groups_by_title_or_id(s, school_id=t.school_id, refs=[" "])
        assert only_school is not None
