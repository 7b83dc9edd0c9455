"""Reading a PDF back as a person would: its text (pypdf) and page 1 as an image (pypdfium2)."""

from __future__ import annotations

import io
import re

import pypdfium2 as pdfium
from pypdf import PdfReader


def pdf_text(content: bytes) -> str:
    """All pages' text, whitespace folded to single spaces (lines wrap where the layout says)."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    return squeeze(text)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_count(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def render_first_page(content: bytes, scale: float = 1.0) -> tuple[int, int, int]:
    """Page 1 as an image: (width, height, number of distinct non-white pixels' colours)."""
    doc = pdfium.PdfDocument(content)
    try:
        image = doc[0].render(scale=scale).to_pil().convert("RGB")
    finally:
        doc.close()
    colours = {c for _, c in (image.getcolors(maxcolors=1 << 20) or []) if c != (255, 255, 255)}
    inked = sum(n for n, c in (image.getcolors(maxcolors=1 << 20) or []) if c != (255, 255, 255))
    return image.width, image.height, inked if colours else 0


def first_page_png(content: bytes, path: str, scale: float = 1.5) -> None:
    doc = pdfium.PdfDocument(content)
    try:
        doc[0].render(scale=scale).to_pil().save(path)
    finally:
        doc.close()
