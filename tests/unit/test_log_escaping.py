"""What people typed reaches the server log escaped: terminal escape sequences and bidi
controls in a remark never act on an operator's terminal (the chat escapes them as well)."""

from __future__ import annotations

import asyncio
import logging
import subprocess
import sys

import pytest

from bot.log_format import EscapingFormatter
from dialogs.sanitize import printable
from dialogs.types import Card, Fact, Reply
from schedules.delivery import Target
from schedules.log_sender import LogSender

HOSTILE = "Goed\x1b[2J\x1b]0;pwned\x07 gedaan \u202egnippan\u202c\u200b\r\x7f"


def _raw_controls(text: str) -> set[str]:
    return {ch for ch in text if not ch.isprintable() and ch not in "\n\t"}


def test_printable_escapes_controls_and_keeps_the_rest() -> None:
    shown = printable(HOSTILE + "\nregel twee\tmet tab, Zoë")
    assert _raw_controls(shown) == set()
    assert "\\x1b[2J" in shown and "\\u202e" in shown and "\\r" in shown and "\\x7f" in shown
    assert "\nregel twee\tmet tab, Zoë" in shown
    assert printable("gewoon") == "gewoon"


def test_the_log_sender_logs_typed_text_escaped(caplog: pytest.LogCaptureFixture) -> None:
    card = Card(kind="notify_digest", title="Periode 2", facts=(Fact("wiskunde", HOSTILE),))
    target = Target(person_id=7, channel="log", tenant="-", external_id="7")
    with caplog.at_level(logging.INFO, logger="stoplicht.notifications"):
        asyncio.run(LogSender().send(target, [Reply(card=card)], key="k1"))
    [message] = [r.getMessage() for r in caplog.records]
    assert _raw_controls(message) == set() and "\\x1b[2J" in message and "gedaan" in message


def test_the_formatter_escapes_messages_and_tracebacks() -> None:
    try:
        raise ValueError(f"bad value {HOSTILE}")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "turn %s", (HOSTILE,), None)
        record.exc_info = sys.exc_info()
    line = EscapingFormatter("%(levelname)s %(message)s").format(record)
    assert _raw_controls(line) == set()
    assert "Traceback" in line and line.count("\\x1b[2J") == 2


def test_the_server_logging_setup_escapes(tmp_path) -> None:
    """``serve`` and ``worker`` configure the root handler with the escaping formatter."""
    code = (
        "import logging\n"
        "from bot import log_format\n"
        "log_format.configure()\n"
        f"logging.getLogger('stoplicht.test').info('typed: %s', {HOSTILE!r})\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert "typed: Goed\\x1b[2J" in proc.stderr and _raw_controls(proc.stderr) == set()
