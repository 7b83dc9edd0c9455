"""Turning an outbox row into what the recipient sees: ``list[Reply]`` in their language.

``compose(kind, payload, lang, mentees=...)`` is pure: texts come from
``dialogs/texts/<lang>/notify.yml``, buttons carry the action ids of ``dialogs.actions`` so a
press lands in the right dialog:

- ``round_opened`` / ``deadline_reminder``: ``start_feedback`` (round_id);
- ``deadline_reached``: ``o_close`` (round_id; the dialog asks to confirm) and ``o_status``;
- ``mentor_digest``: ``m_student`` (student_id, round_id) for the mentees who need attention
  first, ``m_share`` (student_id, round_id; the dialog asks to confirm) for the first few
  mentees when the school shares with students, and ``m_start`` (round_id) for the overview;
- ``feedback_shared``: ``s_plan`` and ``s_feedback``; ``plan_reminder``: ``s_plan``;
- ``plan_submitted``: ``m_student`` (student_id, round_id).

``Composer`` adds the database side for the dispatcher: the recipient's language (their own,
else the school's) and, for digests, the round's mentee summaries, read once per round per
batch (``storage.mentoring.mentee_summaries_for_round``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dialogs import actions as A
from dialogs.texts import language, t
from dialogs.types import Card, Choice, Fact, Reply, Section, Style
from storage.mentoring import Concern, MenteeSummary, mentee_summaries_for_round
from storage.models import Light, Person, Round, School
from storage.school_settings import SchoolSettings

DIGEST_BUTTONS = 5  # mentees with their own "open" button; the rest via the overview
DIGEST_SHARE_BUTTONS = 3  # mentees with their own "share" button (cards stay small)


def when(value: str | None, lang: str) -> str:
    """A local ISO timestamp from a payload, the way the dialogs show dates."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return moment.strftime("%d-%m-%Y %H:%M" if lang == "nl" else "%Y-%m-%d %H:%M")


def _args(**kw: object) -> dict[str, str]:
    return {k: str(v) for k, v in kw.items() if v is not None}


def _card(kind: str, title: str, text: str, **kw: Any) -> list[Reply]:
    return [Reply(card=Card(kind=f"notify_{kind}", title=title, text=text, **kw))]


def counts_line(counts: Mapping[Light, int], lang: str) -> str:
    parts = [
        f"{t(lang, f'light.{light.key}')} {counts.get(light, 0)}"
        for light in sorted(Light, reverse=True)
        if counts.get(light, 0)
    ]
    return " · ".join(parts) if parts else t(lang, "notify.digest.no_feedback")


_CONCERN_KEY = {
    Concern.PAS_OP: "notify.digest.concern.pas_op",
    Concern.TWO_LET_OP: "notify.digest.concern.two_let_op",
    Concern.WORSE_THAN_BEFORE: "notify.digest.concern.worse",
}


def digest(
    round_name: str,
    round_id: int,
    mentees: Sequence[MenteeSummary],
    lang: str,
    *,
    share: bool = True,
) -> Card:
    """The mentor's digest: mentees sorted by concern, light counts, the key remarks; with
    ``share`` (the school shares with students) a share button for the first mentees."""
    if not mentees:
        return Card(
            kind="notify_digest",
            title=t(lang, "notify.digest.title", round=round_name),
            text=t(lang, "notify.digest.empty"),
            choices=(
                Choice(t(lang, "notify.digest.overview"), A.M_START, _args(round_id=round_id)),
            ),
        )
    sections: list[Section] = []
    calm = 0
    for m in mentees:
        if m.concern is Concern.NONE:
            calm += 1
            continue
        title = f"{m.name} ({m.class_title})" if m.class_title else m.name
        reason = t(lang, _CONCERN_KEY[m.concern])
        worst = max((light for light, n in m.counts.items() if n), default=None)
        sections.append(
            Section(
                title=title,
                text=f"{counts_line(m.counts, lang)} — {reason}",
                facts=tuple(Fact(r.subject, r.text) for r in m.remarks),
                light=int(worst) if worst is not None else None,
            )
        )
    if calm:
        sections.append(Section(text=t(lang, "notify.digest.more", n=calm)))
    choices = [
        Choice(
            t(lang, "notify.digest.open", name=m.name),
            A.M_STUDENT,
            _args(student_id=m.student_id, round_id=round_id),
        )
        for m in mentees[:DIGEST_BUTTONS]
        if m.concern is not Concern.NONE
    ]
    if share:
        choices += [
            Choice(
                t(lang, "notify.digest.share", name=m.name),
                A.M_SHARE,
                _args(student_id=m.student_id, round_id=round_id),
            )
            for m in mentees[:DIGEST_SHARE_BUTTONS]
        ]
    choices.append(
        Choice(
            t(lang, "notify.digest.overview"), A.M_START, _args(round_id=round_id), Style.PRIMARY
        )
    )
    return Card(
        kind="notify_digest",
        title=t(lang, "notify.digest.title", round=round_name),
        text=t(lang, "notify.digest.text", count=len(mentees)),
        sections=tuple(sections),
        choices=tuple(choices),
    )


def compose(
    kind: str,
    payload: Mapping[str, Any],
    lang: str | None,
    *,
    round_id: int | None = None,
    mentees: Sequence[MenteeSummary] = (),
) -> list[Reply]:
    """The replies for one notification (pure). Unknown kinds raise ``ValueError``."""
    lang = language(lang)
    p = dict(payload)
    rid = p.get("round_id", round_id)
    name = str(p.get("round") or p.get("round_name") or "")
    deadline = when(p.get("deadline"), lang)
    if kind == "round_opened":
        return _card(
            kind,
            t(lang, "notify.round_opened.title", round=name),
            t(lang, "notify.round_opened.text", total=p.get("total", "?"), deadline=deadline),
            choices=(
                Choice(
                    t(lang, "notify.round_opened.start"),
                    A.START_FEEDBACK,
                    _args(round_id=rid),
                    Style.PRIMARY,
                ),
            ),
        )
    if kind == "deadline_reminder":
        done, total = p.get("done", 0), p.get("total", 0)
        return _card(
            kind,
            t(lang, "notify.reminder.title", round=name),
            t(lang, "notify.reminder.text", done=done, total=total, deadline=deadline),
            facts=(
                Fact(
                    t(lang, "notify.reminder.progress"),
                    t(lang, "notify.reminder.progress_value", done=done, total=total),
                ),
            ),
            choices=(
                Choice(
                    t(lang, "notify.reminder.continue"),
                    A.START_FEEDBACK,
                    _args(round_id=rid),
                    Style.PRIMARY,
                ),
            ),
        )
    if kind == "deadline_reached":
        text = t(
            lang,
            "notify.deadline.text",
            done=p.get("done", 0),
            total=p.get("total", 0),
            behind=p.get("teachers_behind", 0),
            teachers=p.get("teachers", 0),
        )
        return _card(
            kind,
            t(lang, "notify.deadline.title", round=name),
            text,
            choices=(
                Choice(
                    t(lang, "notify.deadline.close"), A.O_CLOSE, _args(round_id=rid), Style.PRIMARY
                ),
                Choice(t(lang, "notify.deadline.status"), A.O_STATUS, _args(round_id=rid)),
            ),
        )
    if kind == "mentor_digest":
        share = bool(p.get("share", True))
        return [Reply(card=digest(name, int(rid or 0), mentees, lang, share=share))]
    if kind == "colleagues_visible":
        return _card(
            kind,
            t(lang, "notify.colleagues.title", round=name),
            t(lang, "notify.colleagues.text"),
            choices=(Choice(t(lang, "notify.menu"), A.MENU),),
        )
    if kind == "feedback_shared":
        return _card(
            kind,
            t(lang, "notify.shared.title", round=name),
            t(lang, "notify.shared.text"),
            choices=(
                Choice(t(lang, "notify.shared.plan"), A.S_PLAN, _args(round_id=rid), Style.PRIMARY),
                Choice(t(lang, "notify.shared.feedback"), A.S_FEEDBACK, _args(round_id=rid)),
            ),
        )
    if kind == "plan_reminder":
        return _card(
            kind,
            t(lang, "notify.plan_reminder.title"),
            t(lang, "notify.plan_reminder.text", round=name),
            choices=(
                Choice(
                    t(lang, "notify.plan_reminder.plan"),
                    A.S_PLAN,
                    _args(round_id=rid),
                    Style.PRIMARY,
                ),
            ),
        )
    if kind == "plan_submitted":
        student = str(p.get("student_name") or "")
        return _card(
            kind,
            t(lang, "notify.plan_submitted.title", student=student),
            t(lang, "notify.plan_submitted.text", round=name or "-"),
            choices=(
                Choice(
                    t(lang, "notify.plan_submitted.open"),
                    A.M_STUDENT,
                    _args(student_id=p.get("student_id"), round_id=rid),
                ),
            ),
        )
    raise ValueError(f"no composition for notification kind {kind!r}")


class Composer:
    """Composes outbox rows with what the database adds; one instance per dispatcher batch
    (its caches hold the batch's languages and each round's mentee summaries)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._summaries: dict[int, dict[int, list[MenteeSummary]]] = {}
        self._shares: dict[int, bool] = {}

    def languages(self, person_ids: Sequence[int]) -> dict[int, str]:
        rows = self._session.execute(
            select(Person.id, Person.language, School.language)
            .join(School, School.id == Person.school_id)
            .where(Person.id.in_(list(set(person_ids))))
        ).all()
        return {pid: language(own or school) for pid, own, school in rows}

    def mentees(self, round_id: int, mentor_id: int) -> list[MenteeSummary]:
        if round_id not in self._summaries:
            self._summaries[round_id] = mentee_summaries_for_round(self._session, round_id=round_id)
        return self._summaries[round_id].get(mentor_id, [])

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
        if kind == "mentor_digest" and round_id is not None:
            mentees = self.mentees(round_id, recipient_id)
            payload = {**payload, "share": self.shares(round_id)}
        return compose(kind, payload, lang, round_id=round_id, mentees=mentees)


def compose_digests(session: Session, *, round_id: int) -> dict[int, list[Reply]]:
    """Every mentor's digest for a closed round (mentor id → replies), in each mentor's
    language: the work of a close, in a constant number of statements."""
    composer = Composer(session)
    summaries = mentee_summaries_for_round(session, round_id=round_id)
    langs = composer.languages(list(summaries))
    rnd = session.get(Round, round_id)
    round_name = rnd.name if rnd else ""
    share = composer.shares(round_id)
    return {
        mentor_id: [
            Reply(card=digest(round_name, round_id, items, langs.get(mentor_id, "nl"), share=share))
        ]
        for mentor_id, items in summaries.items()
    }
