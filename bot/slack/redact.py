"""Slack secrets never reach a log: a filter that blanks tokens in every record it sees.

Bot, user, app, config and refresh tokens all start with a known prefix (``xoxb-``,
``xoxp-``, ``xapp-``, ``xoxe-``, ``xoxe.xoxb-``...); client secrets and refresh tokens also
appear as ``client_secret=...`` form fields. ``install`` makes every record pass the filter.
"""

from __future__ import annotations

import logging
import re

TOKEN = re.compile(r"\bx(?:ox[abposre]|app)(?:\.xox[abp])?-[A-Za-z0-9-]+")
SECRET_FIELD = re.compile(
    r"((?:client_secret|signing_secret|refresh_token)['\"]?\s*[=:]\s*['\"]?)[^&'\"\s,}]+"
)
MASK = "[redacted]"


def redact(text: str) -> str:
    return SECRET_FIELD.sub(lambda m: m.group(1) + MASK, TOKEN.sub(MASK, text))


class TokenFilter(logging.Filter):
    """Rewrites a record's message with secrets masked; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is the handler's problem, not ours
            return True
        clean = redact(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FILTER = TokenFilter()
_installed = False


def install() -> TokenFilter:
    """Mask secrets in every log record from now on: the record factory runs the filter on
    each record as it is made (whatever logger or handler), and root handlers get it too."""
    global _installed
    if not _installed:
        previous = logging.getLogRecordFactory()

        def factory(*args: object, **kwargs: object) -> logging.LogRecord:
            record = previous(*args, **kwargs)  # type: ignore[arg-type]
            _FILTER.filter(record)
            return record

        logging.setLogRecordFactory(factory)
        _installed = True
    for handler in logging.getLogger().handlers:
        if _FILTER not in handler.filters:
            handler.addFilter(_FILTER)
    return _FILTER
