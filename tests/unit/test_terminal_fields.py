"""The terminal's one-line shortcut ``3 | remark | action``: how a ``|`` inside a text is kept."""

from __future__ import annotations

import io

import pytest

from bot.terminal.session import TerminalSession
from dialogs.types import Card, Choice, Incoming, InputField, Reply, UserRef

USER = UserRef(channel="terminal", tenant="local", user_id="t@x", email="t@x")
CARD = Card(
    kind="student",
    title="Anna",
    choices=(Choice(label="Ga zo door", action="t_save", args={"light": "2"}),),
    fields=(InputField(id="remark", label="Opmerking"), InputField(id="action", label="Actie")),
    version=4,
)


class Recorder:
    def __init__(self) -> None:
        self.seen: list[Incoming] = []

    def handle(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        return [Reply(card=CARD)]


def _send(line: str) -> Incoming:
    rec = Recorder()
    session = TerminalSession(
        handler=rec, user=USER, stdin=io.StringIO(line + "\n"), stdout=io.StringIO()
    )
    session.run()
    return rec.seen[-1]


@pytest.mark.parametrize(
    ("line", "remark", "action"),
    [
        ("1 | Goed | Oefen", "Goed", "Oefen"),
        ("1 | Goed", "Goed", ""),
        ("1 | Goed | Oefen | elke | dag", "Goed", "Oefen | elke | dag"),
        ("1 | 1\\|2 lukt al | Oefen", "1|2 lukt al", "Oefen"),
        ("1 | a \\| b | c \\| d", "a | b", "c | d"),
        ("ga zo door | Goed |", "Goed", ""),
    ],
)
def test_the_one_line_shortcut_fills_fields_in_order(line: str, remark: str, action: str) -> None:
    inc = _send(line)
    assert (inc.action, dict(inc.args), inc.version) == ("t_save", {"light": "2"}, 4)
    assert dict(inc.values) == {"remark": remark, "action": action}


@pytest.mark.parametrize("line", ["9 | Goed | Oefen", "a | b", "| Goed"])
def test_a_line_with_bars_but_no_choice_is_sent_as_typed_text(line: str) -> None:
    inc = _send(line)
    assert inc.action is None and inc.text == line
