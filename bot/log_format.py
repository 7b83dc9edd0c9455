"""The server's log lines: what people typed reaches an operator's terminal escaped.

Log messages carry people's text (a notification shown by the log sender, an error message that
quotes a value, a traceback); a terminal escape sequence or a bidi control in it would act on the
operator's terminal (recolour, rewrite or reorder what they read). Every formatted line, the
traceback included, is passed through ``dialogs.sanitize.printable``: control characters are
written as escapes, newlines and tabs stay.
"""

from __future__ import annotations

import logging

from dialogs.sanitize import printable

FORMAT = "%(levelname)s %(name)s: %(message)s"


class EscapingFormatter(logging.Formatter):
    """A formatter whose output holds no control character but newline and tab."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


def configure(level: int = logging.INFO) -> None:
    """The root logger's handler for ``serve`` and ``worker``: one stream, escaped lines."""
    logging.basicConfig(level=level, format=FORMAT)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(EscapingFormatter(FORMAT))
