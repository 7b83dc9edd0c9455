"""Turning the bytes of one roster file into text: encodings, line breaks, invisible characters.

What school information systems and Excel produce, and what becomes of it:

- UTF-8 with or without BOM: read as is;
- UTF-16 with BOM (Excel's "Unicode text") or without (detected from its NUL bytes): read as is;
- bytes that are not UTF-8 (Windows-1252, what Excel on Windows writes, or a file pasted
  together from both): each such byte is read as Windows-1252, with a warning;
- UTF-8 that was read as Windows-1252 and saved again as UTF-8 ("ChloÃ©" for "Chloé"): repaired,
  with a warning;
- CRLF, LF and CR-only (old Mac) line ends; a CR that is not a line end in a file that uses LF
  is read as a space, with a warning;
- NUL bytes, zero-width spaces and stray BOMs are dropped;
- an Excel workbook (``.xlsx`` or ``.xls``) saved under a ``.csv`` name is a clear error.
"""

from __future__ import annotations

import codecs
import re

from storage.roster.errors import RosterFileError

_UTF8_BOM = b"\xef\xbb\xbf"
_INVISIBLE = re.compile("[\x00\u200b\u200c\u200d\u2060\ufeff]")
# A lead byte of a 2-4 byte UTF-8 sequence, then continuation bytes, all as cp1252 shows them.
_CONTINUATION = "\x80-\xbf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc" + (
    "\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"
)
_MOJIBAKE = re.compile(f"(?:[\u00c2-\u00f4][{_CONTINUATION}]{{1,3}})+")
# What the repaired text may hold: Latin-1 and Latin Extended-A letters, typographic punctuation.
_PLAUSIBLE = re.compile("[\u00a0-\u017f\u2010-\u2030\u20ac]+")
_WORKBOOK = {b"PK\x03\x04": ".xlsx", b"\xd0\xcf\x11\xe0": ".xls"}


def _cp1252_fallback(exc: UnicodeError) -> tuple[str, int]:
    assert isinstance(exc, UnicodeDecodeError)
    byte = exc.object[exc.start : exc.start + 1]
    return byte.decode("cp1252", errors="replace"), exc.start + 1


codecs.register_error("stoplicht-cp1252", _cp1252_fallback)


def _utf16_without_bom(data: bytes) -> str | None:
    """``utf-16-le``/``-be`` when most odd/even bytes of the start are NUL (ASCII as UTF-16)."""
    head = data[:200]
    if len(head) < 4 or len(data) % 2:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    half = len(head) // 2
    if odd > 0.6 * half and even == 0:
        return "utf-16-le"
    if even > 0.6 * half and odd == 0:
        return "utf-16-be"
    return None


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def decode(data: bytes, file: str, warnings: list[str]) -> str:
    """The text of ``data``; warnings name ``file`` and what was guessed."""
    for magic, kind in _WORKBOOK.items():
        if data.startswith(magic):
            raise RosterFileError(
                f"{file}: this is an Excel workbook ({kind}), not a CSV file; "
                "in Excel use Save as > 'CSV UTF-8 (comma delimited)'"
            )
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else _utf16_without_bom(data)
    if encoding is not None:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise RosterFileError(
                f"{file}: looks like UTF-16 but byte {exc.start} is not; save it again as "
                "'CSV UTF-8'"
            ) from None
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        text = data.decode("utf-8", errors="stoplicht-cp1252")
        line = data.count(b"\n", 0, exc.start) + 1
        warnings.append(
            f"{file}: not valid UTF-8 (first at line {line}); "
            "those characters were read as Windows-1252 (cp1252)"
        )
        return text


def _repair_mojibake(text: str, file: str, warnings: list[str]) -> str:
    if text.isascii():
        return text
    repaired: list[tuple[str, str, int]] = []

    def fix(match: re.Match[str]) -> str:
        bad = match.group(0)
        try:
            good = bad.encode("cp1252").decode("utf-8")
        except UnicodeError:
            return bad
        if not _PLAUSIBLE.fullmatch(good):
            return bad
        repaired.append((bad, good, match.start()))
        return good

    fixed = _MOJIBAKE.sub(fix, text)
    if repaired:
        bad, good, at = repaired[0]
        warnings.append(
            f"{file}: {len(repaired)} place(s) held UTF-8 that had been read as Windows-1252 and "
            f"saved again (first at line {_line_of(text, at)}: {bad!r} for {good!r}); repaired"
        )
    return fixed


def normalise(text: str, file: str, warnings: list[str]) -> str:
    """One kind of line end (``\\n``), no invisible characters, double-encoding repaired."""
    text = _INVISIBLE.sub("", text)
    if "\r" not in text:
        return _repair_mojibake(text, file, warnings)
    text = re.sub(r"\r+\n", "\n", text)
    if "\n" in text:
        stray = text.find("\r")
        if stray >= 0:
            warnings.append(
                f"{file}: {text.count(chr(13))} carriage return(s) without a line feed "
                f"(first at line {_line_of(text, stray)}) were read as spaces"
            )
            text = text.replace("\r", " ")
    else:
        text = text.replace("\r", "\n")
    return _repair_mojibake(text, file, warnings)
