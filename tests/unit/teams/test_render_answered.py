"""The dialogs' answered state as an Adaptive Card: the outcome marked done, no inputs or
buttons; a card shown again with a reason keeps its inputs and their typed values."""

from __future__ import annotations

import json

from bot.teams import render
from dialogs.types import Card, Choice, Fact, InputField


def test_answered_card_is_read_only_with_the_outcome_first() -> None:
    card = Card(
        kind="student",
        title="Anna Aalders",
        facts=(Fact("Stoplicht", "Let op"),),
        note="Bewaard: Anna Aalders, Let op.",
        light=3,
        answered=True,
    )
    out = render.render_card(card)
    assert out["body"][0]["inlines"][0]["text"] == "✓ Bewaard: Anna Aalders, Let op."
    text = json.dumps(out, ensure_ascii=False)
    assert "Input." not in text and "Action." not in text and "Let op" in text


def test_card_shown_again_keeps_inputs_and_typed_values() -> None:
    card = Card(
        kind="student",
        title="Anna Aalders",
        fields=(InputField(id="remark", label="Opmerking", value="Al getypt"),),
        choices=(Choice(label="Let op", action="t_save", args={"light": "3"}, light=3),),
        note="Nog niet bewaard: vul de actie in.",
    )
    text = json.dumps(render.render_card(card), ensure_ascii=False)
    assert "✓" not in text and "Al getypt" in text and "Input.Text" in text
