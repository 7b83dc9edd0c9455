"""The organizer's cards: the rounds of the school (a draft with "open"), a value asked, the
round about to be created, a round's status (per group, per teacher, who has not started;
after close the follow-through per class and the mentors who have not shared) and
the open and close confirmations. Rendering only; ``dialogs.organizer.rounds`` steps the dialog.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from dialogs import actions as A
from dialogs.flow import Ctx, choice, when_text
from dialogs.organizer.dates import full_text
from dialogs.types import Card, Choice, Fact, FieldKind, InputField, Reply, Section, Style
from storage.models import Group, GroupKind, Round, RoundState
from storage.rounds import lifecycle as rounds
from storage.rounds.finder import rounds_of_school
from storage.rounds.follow import follow_through
from storage.school_time import school_zone


def classes(ctx: Ctx) -> list[tuple[int, str]]:
    """The school's active classes (id, title), by title."""
    rows = ctx.session.execute(
        select(Group.id, Group.title)
        .where(
            Group.school_id == ctx.school.id,
            Group.kind == GroupKind.CLASS,
            Group.active.is_(True),
        )
        .order_by(Group.title)
    ).all()
    return [(r[0], r[1]) for r in rows]


def confirm_card(ctx: Ctx, new: Mapping[str, Any]) -> Card:
    """The round about to be created (name, classes, deadline): create or cancel."""
    titles = dict(classes(ctx))
    groups = ", ".join(titles.get(int(g), str(g)) for g in new.get("groups", []))
    deadline = full(ctx, datetime.fromisoformat(str(new.get("deadline"))))
    facts = [
        Fact(ctx.t("organizer.name_label"), str(new.get("name", ""))),
        Fact(ctx.t("organizer.groups_label"), groups),
        Fact(ctx.t("organizer.deadline_label"), deadline),
    ]
    if new.get("explanation"):
        facts.append(Fact(ctx.t("organizer.ask_explanation_label"), str(new["explanation"])))
    return Card(
        kind="confirm",
        title=ctx.t("organizer.confirm_title"),
        text=ctx.t("organizer.confirm_text"),
        facts=tuple(facts),
        choices=(
            choice(ctx, "organizer.create", A.O_CREATE, Style.PRIMARY),
            choice(ctx, "organizer.save_draft", A.O_DRAFT),
            choice(ctx, "organizer.cancel", A.CANCEL),
        ),
    )


def extend_card(ctx: Ctx, round_id: int, deadline: datetime) -> Card:
    """The new deadline in full, to confirm before it changes."""
    rnd = ctx.session.get(Round, round_id)
    name = rnd.name if rnd is not None else ""
    facts = [Fact(ctx.t("organizer.new_deadline_label"), full(ctx, deadline))]
    if rnd is not None:
        facts.insert(0, Fact(ctx.t("organizer.old_deadline_label"), full(ctx, rnd.deadline)))
    return Card(
        kind="confirm",
        title=ctx.t("organizer.extend_title", round=name),
        facts=tuple(facts),
        choices=(
            choice(ctx, "organizer.extend_yes", A.O_EXTEND_YES, Style.PRIMARY, round_id=round_id),
            choice(ctx, "organizer.other_date", A.O_EXTEND, round_id=round_id),
            choice(ctx, "organizer.back", A.O_STATUS, round_id=round_id),
        ),
    )


def home(ctx: Ctx) -> list[Reply]:
    """The school's rounds, each with its state (a draft, made on the command line, also
    with "open"), and "new round"."""
    choices = [choice(ctx, "organizer.new", A.O_NEW, Style.PRIMARY)]
    for r in rounds_of_school(ctx.session, school_id=ctx.school.id):
        state = ctx.t(f"organizer.state_{r.state.value}")
        label = ctx.t("organizer.round_choice", round=r.name, state=state)
        choices.append(_about(r, label, A.O_STATUS))
        if r.state == RoundState.DRAFT:
            choices.append(_about(r, ctx.t("organizer.open_choice", round=r.name), A.O_OPEN))
    choices.append(choice(ctx, "settings.open", A.O_SETTINGS))
    card = Card(kind="rounds", title=ctx.t("organizer.home_title"), choices=tuple(choices))
    return [Reply(card=card)]


def _about(rnd: Round, label: str, action: str) -> Choice:
    """A button about one round (its name is in the label, so not a text key)."""
    return Choice(label=label, action=action, args={"round_id": str(rnd.id)}, submits_fields=False)


def ask_card(ctx: Ctx, ask: str, value: str = "") -> Card:
    """The question for ``ask`` (with the classes to choose from), ``value`` typed so far."""
    facts: tuple[Fact, ...] = ()
    if ask == "groups":
        facts = (Fact(ctx.t("organizer.classes"), ", ".join(t for _, t in classes(ctx))),)
    field_id = ask
    optional = ask == "explanation"
    return Card(
        kind="ask",
        title=ctx.t(f"organizer.ask_{ask}_title"),
        text=ctx.t(f"organizer.ask_{ask}_text"),
        facts=facts,
        fields=(
            InputField(
                id=field_id,
                label=ctx.t(f"organizer.ask_{ask}_label"),
                kind=FieldKind.MULTILINE if optional else FieldKind.TEXT,
                value=value,
                required=not optional,
                error_message="" if optional else ctx.t(f"organizer.ask_{ask}_required"),
            ),
        ),
        choices=(
            Choice(label=ctx.t("organizer.next"), action=A.O_VALUE, style=Style.PRIMARY),
            choice(ctx, "organizer.cancel", A.CANCEL),
        ),
    )


def status(ctx: Ctx, round_id: int, note: str = "") -> list[Reply]:
    """A round's progress per group and per teacher, who has not started, and what can be
    done next; another school's round is not found."""
    rnd = ctx.session.get(Round, round_id)
    if rnd is None or rnd.school_id != ctx.school.id:  # another school's round: not found
        return [Reply(text=ctx.t("error.not_found"))] + home(ctx)
    status = rounds.round_status(ctx.session, round_id=round_id)
    groups = Section(
        title=ctx.t("organizer.per_group"),
        facts=tuple(Fact(g.title, f"{g.done}/{g.total}") for g in status.groups),
    )
    teachers = Section(
        title=ctx.t("organizer.per_teacher"),
        facts=tuple(Fact(t.name, f"{t.done}/{t.total}") for t in status.teachers),
    )
    not_started = Section(
        title=ctx.t("organizer.not_started"),
        text=", ".join(t.name for t in status.not_started) or ctx.t("organizer.everyone_started"),
    )
    sections = [groups, teachers, not_started]
    follow = follow_through(
        ctx.session, round_id=round_id, actor_id=ctx.person.id, channel=ctx.channel
    )
    if follow is not None:  # after close: how far sharing, reading, plans and meetings are
        sections.append(
            Section(
                title=ctx.t("follow.title"),
                text=ctx.t("follow.per_class"),
                facts=tuple(
                    Fact(
                        c.title,
                        ctx.t(
                            "follow.class_line",
                            shared=c.shared,
                            read=c.read,
                            submitted=c.submitted,
                            agreed=c.agreed,
                            students=c.students,
                        ),
                    )
                    for c in follow.classes
                ),
            )
        )
        sections.append(
            Section(
                title=ctx.t("follow.not_shared_title"),
                text="" if follow.mentors_behind else ctx.t("follow.everyone_shared"),
                facts=tuple(
                    Fact(m.name, ctx.t("follow.not_shared_line", count=m.not_shared))
                    for m in follow.mentors_behind
                ),
            )
        )
    choices: list[Choice] = []
    if status.state == RoundState.DRAFT:
        choices.append(choice(ctx, "organizer.open", A.O_OPEN, Style.PRIMARY, round_id=round_id))
    if status.state != RoundState.CLOSED:
        choices.append(choice(ctx, "organizer.extend", A.O_EXTEND, round_id=round_id))
    if status.state == RoundState.OPEN:
        choices.append(choice(ctx, "organizer.close", A.O_CLOSE, Style.DANGER, round_id=round_id))
    choices.append(choice(ctx, "organizer.back", A.O_START))
    card = Card(
        kind="status",
        title=ctx.t("organizer.status_title", round=status.name),
        facts=(
            Fact(ctx.t("organizer.state_label"), ctx.t(f"mentor.state_{status.state.value}")),
            Fact(ctx.t("organizer.deadline_label"), show(ctx, status.deadline)),
            Fact(ctx.t("organizer.done_label"), f"{status.done}/{status.total}"),
            *_explanation_fact(ctx, rnd),
        ),
        sections=tuple(sections),
        choices=tuple(choices),
        note=note,
    )
    return [Reply(card=card)]


def open_card(ctx: Ctx, round_id: int) -> Card:
    """Confirm opening a draft round: its classes and deadline, who gets an invitation; a
    deadline already past is said, with the way to move it."""
    rnd = ctx.session.get(Round, round_id)
    if rnd is None:
        return Card(kind="confirm", title=ctx.t("error.not_found"))
    facts = (
        Fact(ctx.t("organizer.groups_label"), ", ".join(g.title for g in rnd.groups)),
        Fact(ctx.t("organizer.deadline_label"), show(ctx, rnd.deadline)),
    )
    title = ctx.t("organizer.open_title", round=rnd.name)
    back = choice(ctx, "organizer.back", A.O_STATUS, round_id=round_id)
    if rnd.state != RoundState.DRAFT:
        text = ctx.t("organizer.not_draft")
        return Card(kind="confirm", title=title, text=text, facts=facts, choices=(back,))
    if rnd.deadline <= ctx.now:
        extend = choice(ctx, "organizer.extend", A.O_EXTEND, Style.PRIMARY, round_id=round_id)
        text = ctx.t("organizer.open_past")
        return Card(kind="confirm", title=title, text=text, facts=facts, choices=(extend, back))
    return Card(
        kind="confirm",
        title=title,
        text=ctx.t("organizer.open_text"),
        facts=facts,
        choices=(
            choice(ctx, "organizer.open_yes", A.O_OPEN_YES, Style.PRIMARY, round_id=round_id),
            choice(ctx, "organizer.close_no", A.O_STATUS, round_id=round_id),
        ),
    )


def close_card(ctx: Ctx, round_id: int) -> Card:
    """Confirm closing the round."""
    rnd = ctx.session.get(Round, round_id)
    name = rnd.name if rnd is not None else ""
    return Card(
        kind="confirm",
        title=ctx.t("organizer.close_title", round=name),
        text=ctx.t("organizer.close_text"),
        choices=(
            choice(ctx, "organizer.close_yes", A.O_CLOSE_YES, Style.DANGER, round_id=round_id),
            choice(ctx, "organizer.close_no", A.O_STATUS, round_id=round_id),
        ),
    )


def _explanation_fact(ctx: Ctx, rnd: Round) -> tuple[Fact, ...]:
    if not rnd.explanation:
        return ()
    return (Fact(ctx.t("organizer.ask_explanation_label"), rnd.explanation),)


def full(ctx: Ctx, when: datetime) -> str:
    """A moment in full on the school's clock: "vrijdag 4 december 2026, 17:00"."""
    return full_text(ctx.lang, when.astimezone(school_zone(ctx.school.time_zone)))


def show(ctx: Ctx, when: datetime) -> str:
    """A moment as the school reads it."""
    return when_text(ctx.lang, when, ctx.school.time_zone)
