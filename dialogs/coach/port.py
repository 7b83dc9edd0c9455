"""Where the walk asks the feedback coach (``dialogs.coach.advice.check``) for tips on a saved text.

The coach only advises; it never blocks a save. When the coach module is not installed the
walk simply shows no tips.
"""

from __future__ import annotations

import functools
import importlib
from typing import Any

from dialogs.flow import Ctx


@functools.cache
def _checker() -> Any:
    try:
        coach = importlib.import_module("dialogs.coach.advice")
    except ModuleNotFoundError as exc:
        if exc.name == "dialogs.coach.advice":
            return None
        raise
    return getattr(coach, "check", None)


def coach_tips(ctx: Ctx, *, remark: str | None, action: str | None) -> list[str]:
    """The coach's tips for the remark and the action, each prefixed with its field name."""
    check = _checker()
    if check is None:
        return []
    tips: list[str] = []
    for field_name, text in (("remark", remark), ("action", action)):
        if not text:
            continue
        result = check(text, field=field_name, lang=ctx.lang)
        for tip in getattr(result, "tips", ()) or ():
            line = f"{ctx.t('field.' + field_name)}: {tip}"
            if line not in tips:
                tips.append(line)
    return tips


def plan_tip(ctx: Ctx, *, subject: str, text: str | None) -> str | None:
    """The coach's friendly tip on a vague step of the student's plan, None when the step is
    concrete (or the coach is not installed). It never blocks: the step is saved as typed."""
    try:
        coach = importlib.import_module("dialogs.coach.plan_step")
    except ModuleNotFoundError as exc:
        if exc.name == "dialogs.coach.plan_step":
            return None
        raise
    tip = coach.plan_step_tip(text or "", subject=subject, lang=ctx.lang)
    return tip.text if tip is not None else None
