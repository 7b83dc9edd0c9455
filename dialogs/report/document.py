"""The report's content as plain values, built from the same texts the report card shows.

The subject sections are the report card's own sections (``dialogs.mentor.cards.report_card``):
the light, the remark, the action and the earlier rounds' lights per subject and teacher, so the
PDF says what the card says. Around them: the header (school, class, mentor, student, round,
date made), the mentor note, the student's plan and the agreements (their text, or ruled space
to write them down in the meeting).
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.flow import Ctx, date_text
from dialogs.mentor.cards import report_card
from dialogs.student import plan_text
from dialogs.types import Fact, Section
from storage.mentoring.printable import PrintableReport


@dataclass(frozen=True)
class Part:
    """A heading with its sections; ``text`` stands alone below the heading; ``write_lines``:
    ruled lines to write on (the agreements before they are recorded)."""

    heading: str
    sections: tuple[Section, ...] = ()
    text: str = ""
    write_lines: int = 0


@dataclass(frozen=True)
class Document:
    title: str
    facts: tuple[Fact, ...]
    parts: tuple[Part, ...]
    footer: str
    page_template: str  # "Pagina {page} van {pages}"
    subject: str  # the PDF's metadata subject


WRITE_LINES = 12


def build(ctx: Ctx, printable: PrintableReport) -> Document:
    report = printable.report
    facts = [Fact(ctx.t("report.school"), printable.school_name)]
    facts.append(Fact(ctx.t("report.student"), report.student_name))
    if printable.class_title:
        facts.append(Fact(ctx.t("report.class"), printable.class_title))
    if printable.mentor_names:
        facts.append(Fact(ctx.t("report.mentor"), ", ".join(printable.mentor_names)))
    facts.append(Fact(ctx.t("report.round"), report.round_name))
    facts.append(Fact(ctx.t("report.made"), date_text(ctx.lang, ctx.now, ctx.school.time_zone)))

    card = report_card(ctx, report)
    subjects = Part(
        heading=ctx.t("report.subjects"),
        sections=card.sections,
        text="" if card.sections else ctx.t("report.no_subjects"),
    )
    parts = [subjects]
    parts.append(
        Part(
            heading=ctx.t("report.mentor_note"), text=report.mentor_note or ctx.t("report.no_note")
        )
    )
    if report.plan_answers is not None and report.plan_state is not None:
        state = ctx.t(f"mentor.plan_{report.plan_state}")
        parts.append(
            Part(
                heading=f"{ctx.t('report.plan')} ({state})",
                sections=plan_text.plan_sections(ctx, report.plan_answers),
            )
        )
    else:
        parts.append(Part(heading=ctx.t("report.plan"), text=ctx.t("report.no_plan")))
    if report.agreements:
        parts.append(Part(heading=ctx.t("report.agreements"), text=report.agreements))
    else:
        parts.append(
            Part(
                heading=ctx.t("report.agreements"),
                text=ctx.t("report.agreements_space"),
                write_lines=WRITE_LINES,
            )
        )
    title = ctx.t("report.title")
    return Document(
        title=title,
        facts=tuple(facts) + _card_facts(card.facts, ctx),
        parts=tuple(parts),
        footer=ctx.t("report.confidential"),
        page_template=ctx.t("report.page", page="{page}", pages="{pages}"),
        subject=ctx.t("mentor.report_title", name=report.student_name, round=report.round_name),
    )


def _card_facts(facts: tuple[Fact, ...], ctx: Ctx) -> tuple[Fact, ...]:
    """The card's own facts that belong in the header (shared, plan state); the note and the
    agreements get parts of their own."""
    own = {ctx.t("mentor.note_label"), ctx.t("mentor.agreements_label")}
    return tuple(f for f in facts if f.label not in own)
