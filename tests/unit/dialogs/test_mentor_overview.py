"""The mentor's overview: within the same concern, who also did worse than last time comes
first, and the overview says so even when another reason puts the student at the top."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from dialogs.types import Style
from storage.models import Feedback, Light
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import NOW, SmallSchool
from tests.unit.dialogs.test_mentor_student import MENTOR


def entry(
    sf: sessionmaker[Session],
    school: SmallSchool,
    round_key: str,
    student: int,
    subject: str,
    light: Light,
) -> None:
    group, teacher = ("g_wis", "wis") if subject == "wiskunde" else ("g_eng", "eng")
    with sf.begin() as s:
        s.add(
            Feedback(
                round_id=school.ids[round_key],
                student_id=school.students[student],
                group_id=school.ids[group],
                teacher_id=school.ids[teacher],
                subject=subject,
                light=light,
                created_at=NOW - timedelta(days=1),
                updated_at=NOW - timedelta(days=1),
            )
        )


def test_worse_than_last_time_goes_first_within_a_concern_and_is_said(
    sf, school: SmallSchool
) -> None:
    # Periode 1: Anna already had "Pas op" (and "Let op"); Bram had only "Excellent".
    entry(sf, school, "old", 0, "engels", Light.PAS_OP)
    entry(sf, school, "old", 1, "wiskunde", Light.EXCELLENT)
    # Periode 2: both have one "Pas op"; for Bram that is new.
    entry(sf, school, "round", 0, "wiskunde", Light.PAS_OP)
    entry(sf, school, "round", 0, "engels", Light.EXCELLENT)
    entry(sf, school, "round", 1, "wiskunde", Light.PAS_OP)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    facts = m.card.facts
    assert facts[0].label.startswith("Bram") and facts[1].label.startswith("Anna")
    assert facts[0].value.endswith("eerst aandacht: Pas op, en slechter dan vorige keer")
    assert facts[1].value.endswith("eerst aandacht: Pas op")
    m.say("english")
    m.say("waar was ik")
    assert m.card.facts[0].value.endswith("attention first: Worried, and worse than last time")


def test_a_student_needing_attention_is_said_in_words_not_with_the_delete_style(
    sf, school: SmallSchool
) -> None:
    """The destructive style means "delete" on Teams and Slack: a student's button keeps the
    normal style, and the reason stands in the text next to the name."""
    entry(sf, school, "round", 0, "wiskunde", Light.PAS_OP)
    m = Chat(sf, MENTOR)
    m.say("mentor")
    students = [c for c in m.card.choices if c.args.get("student_id")]
    assert students and all(c.style is Style.DEFAULT for c in students)
    assert all(c.style is not Style.DANGER for c in m.card.choices)
    anna = next(f for f in m.card.facts if f.label.startswith("Anna"))
    assert "eerst aandacht: Pas op" in anna.value
