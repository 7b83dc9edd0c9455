"""Placeholder flow (filled in below)."""

from __future__ import annotations

from dialogs.flow import Ctx, StepResult, Sub
from dialogs.types import Incoming, Reply


def accepts_text(sub: Sub) -> bool:
    return False


def handle(sub: Sub, inc: Incoming, ctx: Ctx) -> StepResult:
    return sub, prompt(sub, ctx)


def prompt(sub: Sub, ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("hint.everyone"))]
