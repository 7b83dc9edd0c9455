"""A ``Document`` as an A4 PDF, laid out with fpdf2.

Text is set in DejaVu Sans (Debian's ``fonts-dejavu-core``, which ``make`` installs when it is
missing), which has every accent of Dutch and of the names in a roster; ``STOPLICHT_PDF_FONT_DIR``
points to another folder holding ``DejaVuSans.ttf`` and ``DejaVuSans-Bold.ttf``. Without the
font the PDF falls back to the PDF core font Helvetica, whose Latin-1 still covers Dutch; a
character it lacks prints as ``?``, so nothing fails.

The lights are drawn, not typed: a coloured disc (the manual's colours) before the subject's
title and before each earlier round's light, next to the light's name, so they print in any
font and read back as text.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from dialogs.report.document import Document, Part
from dialogs.types import Fact, Section

FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts/dejavu",
)
REGULAR, BOLD = "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"
FAMILY = "stoplicht"

# The manual's lights: Excellent (blue-violet hat), Ga zo door (green), Let op (orange),
# Pas op (red).
LIGHT_RGB = {1: (88, 86, 214), 2: (46, 160, 67), 3: (240, 140, 0), 4: (215, 38, 38)}

MARGIN = 18.0
LINE = 5.2
DISC = 1.8  # radius, mm


def font_dir() -> Path | None:
    """The folder with DejaVu Sans (regular and bold), or None."""
    candidates = [os.environ.get("STOPLICHT_PDF_FONT_DIR", ""), *FONT_DIRS]
    for folder in candidates:
        if folder and (Path(folder) / REGULAR).is_file() and (Path(folder) / BOLD).is_file():
            return Path(folder)
    return None


class _Pdf(FPDF):
    def __init__(self, doc: Document, unicode_font: bool) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        self.doc = doc
        self.unicode_font = unicode_font
        self.fam = FAMILY if unicode_font else "helvetica"
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN)

    def text_of(self, text: str) -> str:
        if self.unicode_font:
            return text
        return text.encode("latin-1", "replace").decode("latin-1")

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.fam, "", 7.5)
        self.set_text_color(110, 110, 110)
        self.cell(0, 4, self.text_of(self.doc.footer), align="L")
        page = self.doc.page_template.format(page=self.page_no(), pages="{nb}")
        self.set_x(MARGIN)
        self.cell(0, 4, self.text_of(page), align="R")
        self.set_text_color(0, 0, 0)


def render(doc: Document, *, lights: Mapping[str, int], made: datetime) -> bytes:
    """The PDF's bytes. ``lights`` maps a light's name (as the facts show it) to its number,
    so earlier rounds' lights get their disc; ``made`` is the creation date in the metadata."""
    folder = font_dir()
    pdf = _Pdf(doc, unicode_font=folder is not None)
    if folder is not None:
        pdf.add_font(FAMILY, "", str(folder / REGULAR))
        pdf.add_font(FAMILY, "B", str(folder / BOLD))
    pdf.set_title(pdf.text_of(doc.subject))
    pdf.set_subject(pdf.text_of(doc.title))
    pdf.set_creator("Stoplicht")
    pdf.set_creation_date(made)
    pdf.set_lang("nl")
    pdf.add_page()
    _title(pdf, doc.title)
    _facts(pdf, doc.facts, lights)
    for part in doc.parts:
        _part(pdf, part, lights)
    return bytes(pdf.output())


def _title(pdf: _Pdf, title: str) -> None:
    pdf.set_font(pdf.fam, "B", 15)
    pdf.multi_cell(0, 7.5, pdf.text_of(title), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(2)


def _facts(
    pdf: _Pdf, facts: tuple[Fact, ...], lights: Mapping[str, int], indent: float = 0
) -> None:
    for fact in facts:
        pdf.set_x(MARGIN + indent)
        # a light alone ("Let op") or leading an earlier round's line ("Let op · remark")
        light = lights.get(fact.value, lights.get(fact.value.split(" · ", 1)[0]))
        label = f"{fact.label}: " if fact.label and fact.value else fact.label
        pdf.set_font(pdf.fam, "B", 10)
        width = pdf.get_string_width(pdf.text_of(label)) + 0.5
        usable = pdf.w - MARGIN * 2 - indent
        if width > usable * 0.45:  # a long label gets its own line
            pdf.multi_cell(
                usable, LINE, pdf.text_of(label), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
            )
            pdf.set_x(MARGIN + indent)
            width = 0
        else:
            pdf.cell(width, LINE, pdf.text_of(label))
        if light is not None:
            _disc(pdf, light, pdf.get_x() + DISC, pdf.get_y() + LINE / 2)
            pdf.set_x(pdf.get_x() + DISC * 2 + 1.5)
            width += DISC * 2 + 1.5
        pdf.set_font(pdf.fam, "", 10)
        pdf.multi_cell(
            usable - width,
            LINE,
            pdf.text_of(fact.value),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )


def _disc(pdf: _Pdf, light: int, cx: float, cy: float) -> None:
    r, g, b = LIGHT_RGB.get(light, (150, 150, 150))
    pdf.set_fill_color(r, g, b)
    pdf.set_draw_color(r, g, b)
    pdf.circle(cx, cy, DISC, style="F")
    pdf.set_draw_color(0, 0, 0)


def _part(pdf: _Pdf, part: Part, lights: Mapping[str, int]) -> None:
    pdf.ln(3)
    if pdf.get_y() > pdf.h - MARGIN - 30:  # a heading never ends a page alone
        pdf.add_page()
    pdf.set_font(pdf.fam, "B", 12.5)
    pdf.multi_cell(0, 7, pdf.text_of(part.heading), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    y = pdf.get_y()
    pdf.set_draw_color(180, 180, 180)
    pdf.line(MARGIN, y, pdf.w - MARGIN, y)
    pdf.set_draw_color(0, 0, 0)
    pdf.ln(1.5)
    if part.text:
        pdf.set_font(pdf.fam, "", 10)
        pdf.multi_cell(
            0, LINE, pdf.text_of(part.text), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    for section in part.sections:
        _section(pdf, section, lights)
    if part.write_lines:
        _ruled(pdf, part.write_lines)


def _section(pdf: _Pdf, section: Section, lights: Mapping[str, int]) -> None:
    pdf.ln(1.5)
    if pdf.get_y() > pdf.h - MARGIN - 20:
        pdf.add_page()
    indent = 0.0
    if section.light is not None:
        _disc(pdf, section.light, MARGIN + DISC, pdf.get_y() + 3)
        indent = DISC * 2 + 2
    if section.title:
        pdf.set_x(MARGIN + indent)
        pdf.set_font(pdf.fam, "B", 10.5)
        pdf.multi_cell(
            pdf.w - MARGIN * 2 - indent,
            6,
            pdf.text_of(section.title),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    if section.text:
        pdf.set_x(MARGIN + indent)
        pdf.set_font(pdf.fam, "", 10)
        pdf.multi_cell(
            pdf.w - MARGIN * 2 - indent,
            LINE,
            pdf.text_of(section.text),
            align="L",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
    _facts(pdf, section.facts, lights, indent=indent)


def _ruled(pdf: _Pdf, lines: int) -> None:
    pdf.ln(2)
    pdf.set_draw_color(170, 170, 170)
    for _ in range(lines):
        if pdf.get_y() > pdf.h - MARGIN - 10:
            pdf.add_page()
        pdf.ln(8)
        y = pdf.get_y()
        pdf.line(MARGIN, y, pdf.w - MARGIN, y)
    pdf.set_draw_color(0, 0, 0)
