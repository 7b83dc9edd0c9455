"""The card to choose a round from: the teacher's earlier rounds, the mentor's and the student's
other rounds. Most recent first (as ``storage.rounds.finder`` lists them), at most
``ROUNDS_SHOWN`` with the number of older ones said; the round on screen is marked. Rendering
only: which rounds a person may open is decided in storage, and every choice is checked again
when it comes back (a forged or outdated id is refused without saying why)."""

from __future__ import annotations

from collections.abc import Sequence

from dialogs.flow import Ctx, date_text
from dialogs.types import Card, Choice, Style
from storage.models import Round, RoundState

ROUNDS_SHOWN = 6  # two to three rounds a year: the last two years or so


def round_label(ctx: Ctx, rnd: Round) -> str:
    """ "Periode 1 (gesloten 12-02-2026)", "Periode 2 (loopt, deadline 27-11-2026)"."""
    closed = rnd.state == RoundState.CLOSED
    when = (rnd.closed_at or rnd.deadline) if closed else rnd.deadline
    key = "rounds.choice_closed" if closed else "rounds.choice_open"
    return ctx.t(key, round=rnd.name, date=date_text(ctx.lang, when, ctx.school.time_zone))


def rounds_card(
    ctx: Ctx,
    *,
    title: str,
    text: str,
    rounds: Sequence[Round],
    action: str,
    shown_id: int | None = None,
    back: Choice | None = None,
    note: str = "",
) -> Card:
    """One choice per round (``action`` with ``round_id``), then ``back``."""
    listed = list(rounds[:ROUNDS_SHOWN])
    choices = [
        Choice(
            label=_marked(ctx, r, shown_id),
            action=action,
            args={"round_id": str(r.id)},
            style=Style.PRIMARY if r.id == shown_id else Style.DEFAULT,
            submits_fields=False,
        )
        for r in listed
    ]
    older = len(rounds) - len(listed)
    if older:
        text = f"{text}\n{ctx.t('rounds.older', count=older)}"
    return Card(
        kind="pick_round",
        title=title,
        text=text,
        choices=tuple(choices) + ((back,) if back is not None else ()),
        note=note,
    )


def _marked(ctx: Ctx, rnd: Round, shown_id: int | None) -> str:
    label = round_label(ctx, rnd)
    return ctx.t("rounds.shown", label=label) if rnd.id == shown_id else label
