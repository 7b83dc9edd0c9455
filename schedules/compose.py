"""Turning an outbox row into what the recipient sees: ``list[Reply]`` in their language.

``compose(kind, payload, lang, mentees=...)`` is pure: texts come from
``dialogs/texts/<lang>/notify.yml``, buttons carry the action ids of ``dialogs.actions`` so a
press lands in the right dialog, and no version (``dialogs.types``: a notification's button works
whenever it is pressed):

- ``round_opened`` / ``deadline_reminder``: ``start_feedback`` (round_id);
- ``deadline_reached``: ``o_close`` (round_id; the dialog asks to confirm) and ``o_status``;
- ``mentor_digest``: ``m_student`` (student_id, round_id) for the mentees who need attention
  first, ``m_share`` (student_id, round_id; the dialog asks to confirm) for the first few
  of those mentees when the school shares with students (no button names a mentee the card
  does not list), and ``m_start`` (round_id) for the overview;
- ``feedback_shared``: ``s_plan`` and ``s_feedback``; ``plan_reminder``: ``s_plan`` (first
  ``s_feedback`` when the payload says the student has not read the feedback yet);
- ``plan_submitted``: ``m_student`` (student_id, round_id).

``schedules.composer`` adds the database side (the recipient's language, a digest's mentees).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from dialogs import actions as A
from dialogs.flow import local_text
from dialogs.mentor.picture import picture_table
from dialogs.texts import language, t
from dialogs.types import Card, Choice, Fact, Reply, Section, Style
from storage.mentoring.picture import ClassPicture
from storage.mentoring.service import Concern, MenteeSummary
from storage.models import Light

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
    return local_text(lang, moment)


def _args(**kw: object) -> dict[str, str]:
    """A button's args: the given values as strings, leaving out None."""
    return {k: str(v) for k, v in kw.items() if v is not None}


def _button(
    lang: str, key: str, action: str, style: Style = Style.DEFAULT, **args: object
) -> Choice:
    """A button labelled with the text ``key``, with ``args`` (see ``_args``)."""
    return Choice(t(lang, key), action, _args(**args), style)


def _card(kind: str, title: str, text: str, **kw: Any) -> list[Reply]:
    """A notification's card: no version (``dialogs.types``), its buttons work when pressed."""
    return [Reply(card=Card(kind=f"notify_{kind}", title=title, text=text, version=None, **kw))]


def _explanation(text: Any, lang: str) -> tuple[Fact, ...]:
    """The organizer's explanation of the round (toelichting), when the round has one."""
    if not text:
        return ()
    return (Fact(t(lang, "notify.round_opened.explanation"), str(text)),)


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
    picture: ClassPicture | None = None,
) -> Card:
    """The mentor's digest: mentees sorted by concern, light counts, the key remarks; with
    ``share`` (the school shares with students) a share button for the first mentees; with
    ``picture`` the class picture's rows of the mentees who need attention first (the same
    grid as the mentor's overview)."""
    if not mentees:
        return Card(
            kind="notify_digest",
            title=t(lang, "notify.digest.title", round=round_name),
            text=t(lang, "notify.digest.empty"),
            choices=(_button(lang, "notify.digest.overview", A.M_START, round_id=round_id),),
            version=None,
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
    # Buttons only for the mentees the digest lists by name (the calm ones are a count):
    # a button never names someone the card does not show.
    listed = [m for m in mentees if m.concern is not Concern.NONE]
    choices = [
        Choice(
            t(lang, "notify.digest.open", name=m.name),
            A.M_STUDENT,
            _args(student_id=m.student_id, round_id=round_id),
        )
        for m in listed[:DIGEST_BUTTONS]
    ]
    if share:
        choices += [
            Choice(
                t(lang, "notify.digest.share", name=m.name),
                A.M_SHARE,
                _args(student_id=m.student_id, round_id=round_id),
            )
            for m in listed[:DIGEST_SHARE_BUTTONS]
        ]
    choices.append(
        _button(lang, "notify.digest.overview", A.M_START, Style.PRIMARY, round_id=round_id)
    )
    table = None
    text = t(lang, "notify.digest.text", count=len(mentees))
    if picture is not None:
        first = [row for row in picture.rows if row.summary.concern is not Concern.NONE]
        if first:
            table = picture_table(lang, picture, first)
            text = f"{text}\n{t(lang, 'picture.digest_table')}"
    return Card(
        kind="notify_digest",
        title=t(lang, "notify.digest.title", round=round_name),
        text=text,
        table=table,
        sections=tuple(sections),
        choices=tuple(choices),
        version=None,
    )


def compose(
    kind: str,
    payload: Mapping[str, Any],
    lang: str | None,
    *,
    round_id: int | None = None,
    mentees: Sequence[MenteeSummary] = (),
    picture: ClassPicture | None = None,
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
            facts=_explanation(p.get("explanation"), lang),
            choices=(
                _button(
                    lang, "notify.round_opened.start", A.START_FEEDBACK, Style.PRIMARY, round_id=rid
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
                _button(
                    lang, "notify.reminder.continue", A.START_FEEDBACK, Style.PRIMARY, round_id=rid
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
                _button(lang, "notify.deadline.close", A.O_CLOSE, Style.PRIMARY, round_id=rid),
                _button(lang, "notify.deadline.status", A.O_STATUS, round_id=rid),
            ),
        )
    if kind == "mentor_digest":
        share = bool(p.get("share", True))
        card = digest(name, int(rid or 0), mentees, lang, share=share, picture=picture)
        return [Reply(card=card)]
    if kind == "colleagues_visible":
        return _card(
            kind,
            t(lang, "notify.colleagues.title", round=name),
            t(lang, "notify.colleagues.text"),
            choices=(_button(lang, "notify.menu", A.MENU),),
        )
    if kind == "feedback_shared":
        return _card(
            kind,
            t(lang, "notify.shared.title", round=name),
            t(lang, "notify.shared.text"),
            choices=(
                _button(lang, "notify.shared.plan", A.S_PLAN, Style.PRIMARY, round_id=rid),
                _button(lang, "notify.shared.feedback", A.S_FEEDBACK, round_id=rid),
            ),
        )
    if kind == "plan_reminder" and p.get("read") is False:  # not opened yet: read first
        return _card(
            kind,
            t(lang, "notify.plan_reminder.title"),
            t(lang, "notify.plan_reminder.unread_text", round=name),
            choices=(
                _button(
                    lang, "notify.plan_reminder.read", A.S_FEEDBACK, Style.PRIMARY, round_id=rid
                ),
                _button(lang, "notify.plan_reminder.plan", A.S_PLAN, round_id=rid),
            ),
        )
    if kind == "plan_reminder":
        return _card(
            kind,
            t(lang, "notify.plan_reminder.title"),
            t(lang, "notify.plan_reminder.text", round=name),
            choices=(
                _button(lang, "notify.plan_reminder.plan", A.S_PLAN, Style.PRIMARY, round_id=rid),
            ),
        )
    if kind == "plan_submitted":
        student = str(p.get("student_name") or "")
        return _card(
            kind,
            t(lang, "notify.plan_submitted.title", student=student),
            t(lang, "notify.plan_submitted.text", round=name or "-"),
            choices=(
                _button(
                    lang,
                    "notify.plan_submitted.open",
                    A.M_STUDENT,
                    student_id=p.get("student_id"),
                    round_id=rid,
                ),
            ),
        )
    raise ValueError(f"no composition for notification kind {kind!r}")
