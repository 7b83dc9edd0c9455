"""What the App Home tab shows above the user's shortcuts: open rounds and their progress.

Read-only and small: the linked person (by their Slack account), the school's open rounds with
deadlines for staff, and for a teacher their own progress per round (the same counts the
teacher walk shows them). A student, or someone not linked yet, sees only the shortcuts.
"""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from dialogs.flow import when_text
from dialogs.texts import t
from dialogs.types import Fact, Section
from storage.feedback.walk import walk_groups
from storage.models import ChannelAccount, Person, PersonKind, School
from storage.rounds.lifecycle import open_rounds


def home_sections(
    factory: sessionmaker[Session], *, team: str, user_id: str, lang: str
) -> list[Section]:
    with factory() as session:
        person = session.scalars(
            select(Person)
            .join(ChannelAccount, ChannelAccount.person_id == Person.id)
            .where(
                ChannelAccount.channel == "slack",
                ChannelAccount.tenant == team,
                ChannelAccount.external_id == user_id,
                Person.active.is_(True),
            )
        ).first()
        if person is None or person.kind == PersonKind.STUDENT:
            return []
        lang = person.language or lang
        rounds = open_rounds(session, school_id=person.school_id)
        if not rounds:
            return [Section(title=t(lang, "slack.home_rounds"), text=t(lang, "slack.home_none"))]
        progress: dict[int, list[int]] = defaultdict(lambda: [0, 0])
        for g in walk_groups(session, teacher_id=person.id, school_id=person.school_id):
            progress[g.round_id][0] += g.done
            progress[g.round_id][1] += g.total
        zone = session.scalar(select(School.time_zone).where(School.id == person.school_id))
        facts = []
        for r in rounds:
            deadline = when_text(lang, r.deadline, zone)
            value = t(lang, "slack.home_deadline", deadline=deadline)
            if r.id in progress:
                done, total = progress[r.id]
                value += " · " + t(lang, "slack.home_progress", done=done, total=total)
            facts.append(Fact(r.name, value))
        return [Section(title=t(lang, "slack.home_rounds"), facts=tuple(facts))]
