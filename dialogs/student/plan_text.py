"""An action plan's answers as card sections, for the student's review and the mentor.

The answers' shape is ``storage.mentoring.plans``' schema: ``went_well``, ``subjects``
(subject → text), ``help``, ``other``; every key optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from dialogs.flow import Ctx
from dialogs.types import Section


def plan_sections(ctx: Ctx, answers: Mapping[str, Any]) -> tuple[Section, ...]:
    empty = ctx.t("plan.not_answered")
    sections = [
        Section(title=ctx.t("plan.went_well_title"), text=answers.get("went_well") or empty)
    ]
    for subject, text in (answers.get("subjects") or {}).items():
        sections.append(Section(title=ctx.t("plan.subject_title", subject=subject), text=text))
    sections.append(Section(title=ctx.t("plan.help_title"), text=answers.get("help") or empty))
    sections.append(Section(title=ctx.t("plan.other_title"), text=answers.get("other") or empty))
    return tuple(sections)
