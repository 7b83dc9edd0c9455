"""Where the walk asks the feedback coach (``dialogs.coach.advice.check``) for tips on a saved text.

The coach only advises; it never blocks a save. When the coach module is not installed the
walk simply shows no tips.
"""

from __future__ import annotations

import importlib
from typing import Any

from dialogs.flow import Ctx


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
