"""The terminal's one-line shortcut ``3 | remark | action`` (how a ``|`` inside a text is kept),
and what an empty line does: keep the value shown, never wipe it."""

from __future__ import annotations

import io
from dataclasses import replace

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


STEP = Card(
    kind="plan_step",
    title="Stap 4 van 4",
    choices=(
        Choice(label="Volgende", action="s_answer"),
        Choice(label="Vorige", action="s_prev", submits_fields=False),
        Choice(label="Stop", action="s_stop", fields_optional=True),  # takes the field along
    ),
    fields=(InputField(id="answer", label="Jouw antwoord", value="Niets"),),
    version=7,
)


class Recorder:
    def __init__(self, card: Card = CARD) -> None:
        self.seen: list[Incoming] = []
        self.card = card

    def handle(self, incoming: Incoming) -> list[Reply]:
        self.seen.append(incoming)
        return [Reply(card=self.card)]


def _session(text: str, card: Card = CARD) -> Recorder:
    rec = Recorder(card)
    session = TerminalSession(handler=rec, user=USER, stdin=io.StringIO(text), stdout=io.StringIO())
    session.run()
    return rec


def _send(line: str) -> Incoming:
    return _session(line + "\n").seen[-1]


@pytest.mark.parametrize(
    ("line", "remark", "action"),
    [
        ("1 | Goed | Oefen", "Goed", "Oefen"),
        ("1 | Goed", "Goed", ""),
        ("1 | Goed | Oefen | elke | dag", "Goed", "Oefen | elke | dag"),
        ("1 | 1\\|2 lukt al | Oefen", "1|2 lukt al", "Oefen"),
        ("1 | a \\| b | c \\| d", "a | b", "c | d"),
        ("ga zo door | Goed |", "Goed", ""),
        ("1 | Goed | -", "Goed", ""),  # "-" leaves the field empty, as on its own line
        ("1 | - | Oefen", "", "Oefen"),
        ("1 | Goed | - of niets", "Goed", "- of niets"),
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


@pytest.mark.parametrize("line", ["", "   "])
def test_an_empty_line_on_a_one_question_card_keeps_the_answer_shown(line: str) -> None:
    rec = _session(line + "\n", STEP)
    inc = rec.seen[-1]
    assert (inc.action, inc.version) == ("s_answer", 7)
    assert dict(inc.values) == {"answer": "Niets"}  # not wiped to ""


def test_an_empty_line_where_no_single_choice_applies_sends_nothing() -> None:
    lights = tuple(
        Choice(label=f"licht {n}", action="t_save", args={"light": str(n)}, light=n)
        for n in (1, 2, 3, 4)
    )
    student = replace(CARD, choices=lights)
    rec = _session("\n\n", student)  # the student card: four lights, none is meant
    assert len(rec.seen) == 1  # only the opening menu, asked as an action (never typed text)
    assert (rec.seen[0].action, rec.seen[0].text) == ("menu", None)


@pytest.mark.parametrize(
    ("line", "values"),
    [("3", {}), ("stop", {}), ("3 | Iets anders", {"answer": "Iets anders"})],
)
def test_a_choice_with_optional_fields_asks_nothing(line: str, values: dict[str, str]) -> None:
    rec = _session(line + "\nnext line is not an answer\n", STEP)
    inc = rec.seen[1]
    assert (inc.action, dict(inc.values)) == ("s_stop", values)
    assert rec.seen[2].text == "next line is not an answer"  # sent as typed, not as a field


RULED = Card(
    kind="student",
    title="Anna",
    choices=(
        Choice(label="Ga zo door", action="t_save", args={"light": "2"}, light=2),
        Choice(label="Let op", action="t_save", args={"light": "3"}, light=3),
    ),
    fields=(
        InputField(
            id="remark",
            label="Opmerking",
            required_for_lights=frozenset({4}),
            error_message="Bij dit stoplicht is een opmerking verplicht.",
        ),
        InputField(
            id="action",
            label="Actie",
            required_for_lights=frozenset({3, 4}),
            error_message="Bij dit stoplicht is een actie verplicht.",
        ),
    ),
)


def _printed(text: str) -> str:
    out = io.StringIO()
    session = TerminalSession(
        handler=Recorder(RULED), user=USER, stdin=io.StringIO(text), stdout=out
    )
    session.run()
    return out.getvalue()


def test_the_lights_rule_is_said_before_the_fields_are_asked() -> None:
    printed = _printed("let op\nGoed\nOefen\n")
    rule = printed.index("* Bij dit stoplicht is een actie verplicht.")
    assert rule < printed.index("Opmerking:") < printed.index("Actie *:")
    assert "opmerking verplicht" not in printed  # Let op needs no remark here
    calm = _printed("ga zo door\n\n\n")  # a light without a rule: no stars, no rule
    assert "verplicht" not in calm and "Opmerking:" in calm and "Actie:" in calm
