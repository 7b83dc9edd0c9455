"""The PDF layout on its own: the font that prints Dutch, the fallback without it, text that is
long, hostile or outside the font, and the page numbers; read back with pypdf and pypdfium2."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dialogs.report import pdf
from dialogs.report.document import Document, Part
from dialogs.types import Fact, Section
from tests.support.pdf_check import page_count, pdf_text, render_first_page

MADE = datetime(2026, 3, 10, 12, tzinfo=UTC)
LIGHTS = {"Excellent": 1, "Ga zo door": 2, "Let op": 3, "Pas op": 4}


def _doc(remark: str = "Ik zie dat je één keer te laat was; blijf oefenen.") -> Document:
    section = Section(
        title="Nederlands · Ëlise van 't Hoff",
        facts=(
            Fact("Stoplicht", "Let op"),
            Fact("Opmerking", remark),
            Fact("Periode 1", "Ga zo door"),
            Fact("Periode 0", "Pas op · Ik maak me zorgen. · Kom naar de bijles."),
        ),
        light=3,
    )
    return Document(
        title="Leerlingbespreking: verslag voor het driehoeksgesprek",
        facts=(Fact("Leerling", "Zoë Çelik-Ĳsselmuiden"), Fact("Klas", "3A")),
        parts=(
            Part(heading="Feedback per vak", sections=(section,)),
            Part(heading="Afspraken", text="Schrijf hier de afspraken op.", write_lines=3),
        ),
        footer="Vertrouwelijk.",
        page_template="Pagina {page} van {pages}",
        subject="Zoë: Periode 2",
    )


def test_dutch_text_and_names_print_whole() -> None:
    assert pdf.font_dir() is not None, "make test installs fonts-dejavu-core"
    content = pdf.render(_doc(), lights=LIGHTS, made=MADE)
    text = pdf_text(content)
    for expected in (
        "Zoë Çelik-Ĳsselmuiden",
        "Ëlise van 't Hoff",
        "één keer te laat",
        "Stoplicht: Let op",
        "Periode 1: Ga zo door",
        "Periode 0: Pas op · Ik maak me zorgen. · Kom naar de bijles.",
        "Pagina 1 van 1",
    ):
        assert expected in text, expected
    assert _red_pixels(content) > 50  # the Pas op disc of the earlier round is drawn
    width, height, inked = render_first_page(content)
    assert abs(width - 595) <= 1 and abs(height - 842) <= 1 and inked > 1000  # A4 at 72 dpi


def test_without_the_font_it_falls_back_and_still_prints(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf, "FONT_DIRS", ())
    monkeypatch.setenv("STOPLICHT_PDF_FONT_DIR", "/nonexistent")
    assert pdf.font_dir() is None
    content = pdf.render(_doc(), lights=LIGHTS, made=MADE)
    text = pdf_text(content)
    assert "één keer te laat" in text and "Zoë Çelik-?sselmuiden" in text
    assert render_first_page(content)[2] > 1000


def test_long_and_odd_text_flows_over_pages() -> None:
    odd = "🙂 漢字 \u202e<script>alert(1)</script> %PDF-1.4 (\\) " + "Oefen elke dag. " * 400
    content = pdf.render(_doc(odd), lights=LIGHTS, made=MADE)
    assert page_count(content) >= 2
    text = pdf_text(content)
    assert "<script>alert(1)</script>" in text and "Pagina 2 van" in text


def _red_pixels(content: bytes) -> int:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(content)
    try:
        image = doc[0].render(scale=1.0).to_pil().convert("RGB")
    finally:
        doc.close()
    r, g, b = pdf.LIGHT_RGB[4]
    return sum(n for n, c in image.getcolors(maxcolors=1 << 20) or [] if c == (r, g, b))
