"""The database side of composing notifications, for the dispatcher and a round's close.

``Composer`` adds what ``schedules.compose.compose`` (pure) needs from the database: the
recipient's language (their own, else the school's) and, for digests, the round's mentee
summaries, read once per round per batch (``storage.mentoring.service.mentee_summaries_for_round``),
and whether the school shares feedback with students. ``compose_digests`` makes every mentor's
digest of a closed round.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialogs.texts import LANGUAGES, language
from dialogs.types import Reply
from schedules.compose import compose, digest
from storage.mentoring.picture import ClassPicture, class_pictures_for_round
from storage.mentoring.service import MenteeSummary
from storage.models import Person, Round, School
from storage.school_settings import SchoolSettings


def spoken(locale: str | None) -> str | None:
    """The language a platform locale ("en-US") names, when it is one we speak; else None."""
    short = (locale or "").strip().lower()[:2]
    return short if short in LANGUAGES else None


class Composer:
    """Composes outbox rows with what the database adds; one instance per dispatcher batch
    (its caches hold the batch's languages and each round's mentee summaries)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._pictures: dict[int, dict[int, ClassPicture]] = {}
        self._shares: dict[int, bool] = {}

    def languages(
        self, person_ids: Sequence[int], locales: Mapping[int, str | None] | None = None
    ) -> dict[int, str]:
        """Each person's language as the dialogs choose it: their own (chosen), else the
        platform locale of the account a notification goes to (``locales``, when it names a
        language we speak), else the school's."""
        rows = self._session.execute(
            select(Person.id, Person.language, School.language)
            .join(School, School.id == Person.school_id)
            .where(Person.id.in_(list(set(person_ids))))
        ).all()
        hints = locales or {}
        return {pid: language(own or spoken(hints.get(pid)) or school) for pid, own, school in rows}

    def picture(self, round_id: int, mentor_id: int) -> ClassPicture | None:
        """The mentor's class picture of the round (every mentor's read at once per round)."""
        if round_id not in self._pictures:
            self._pictures[round_id] = class_pictures_for_round(self._session, round_id=round_id)
        return self._pictures[round_id].get(mentor_id)

    def mentees(self, round_id: int, mentor_id: int) -> list[MenteeSummary]:
        picture = self.picture(round_id, mentor_id)
        return [row.summary for row in picture.rows] if picture is not None else []

    def shares(self, round_id: int) -> bool:
        """Whether the round's school shares feedback with students (the full package)."""
        if round_id not in self._shares:
            settings = self._session.scalar(
                select(School.settings)
                .join(Round, Round.school_id == School.id)
                .where(Round.id == round_id)
            )
            self._shares[round_id] = SchoolSettings.from_json(settings).full_package
        return self._shares[round_id]

    def replies(
        self,
        *,
        kind: str,
        payload: Mapping[str, Any],
        lang: str,
        round_id: int | None,
        recipient_id: int,
    ) -> list[Reply]:
        mentees: Sequence[MenteeSummary] = ()
        picture = None
        if kind == "mentor_digest" and round_id is not None:
            picture = self.picture(round_id, recipient_id)
            mentees = self.mentees(round_id, recipient_id)
            payload = {**payload, "share": self.shares(round_id)}
        if round_id is not None and not (payload.get("round") or payload.get("round_name")):
            # a row queued without the round's name (before it was kept in the payload)
            name = self._session.scalar(select(Round.name).where(Round.id == round_id))
            payload = {**payload, "round": name or ""}
        return compose(kind, payload, lang, round_id=round_id, mentees=mentees, picture=picture)


def compose_digests(session: Session, *, round_id: int) -> dict[int, list[Reply]]:
    """Every mentor's digest for a closed round (mentor id → replies), in each mentor's
    language: the work of a close, in a constant number of statements."""
    composer = Composer(session)
    pictures = class_pictures_for_round(session, round_id=round_id)
    langs = composer.languages(list(pictures))
    rnd = session.get(Round, round_id)
    round_name = rnd.name if rnd else ""
    share = composer.shares(round_id)
    out: dict[int, list[Reply]] = {}
    for mentor_id, picture in pictures.items():
        items = [row.summary for row in picture.rows]
        lang = langs.get(mentor_id, "nl")
        card = digest(round_name, round_id, items, lang, share=share, picture=picture)
        out[mentor_id] = [Reply(card=card)]
    return out
