"""What both chat platforms add around typed text, taken off the same way: no-break spaces
(from HTML and rich-text editors), Windows line ends, spaces at line ends and runs of blank
lines. Nothing else of the text changes."""

from __future__ import annotations

import re

_BLANK_LINES = re.compile(r"\n\s*\n(\s*\n)+")


def tidy_lines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\xa0", " ")
    return _BLANK_LINES.sub("\n\n", "\n".join(line.rstrip() for line in text.split("\n"))).strip()
