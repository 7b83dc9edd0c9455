"""The terminal renderer shows typed text as text: markup of Teams, Slack or HTML stays
literal, and control characters (escapes, carriage returns, bidi overrides) are made visible
so nothing typed can move the cursor, recolour the screen or pose as a line of the bot."""

from __future__ import annotations

import pytest

from bot.terminal.render import plain, render_card, render_replies
from dialogs.types import Card, Choice, Fact, InputField, Reply, Section

MARKUP = "<at>Els</at> **vet** _schuin_ <script>alert(1)</script> &amp; <!channel> [a](b)"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("\x1b[2J\x1b[31mrood", "\\x1b[2J\\x1b[31mrood"),
        ("regel\r== Bot ==", "regel\\r== Bot =="),
        ("bel\x07 nul\x00 del\x7f", "bel\\x07 nul\\x00 del\\x7f"),
        ("rechts\u202elinks", "rechts\\u202elinks"),
        ("onzichtbaar\u200b", "onzichtbaar\\u200b"),
        ("twee\nregels\tmet tab", "twee\nregels\tmet tab"),
        ("café 🚦 ĳ", "café 🚦 ĳ"),
        (MARKUP, MARKUP),
    ],
)
def test_plain_makes_control_characters_visible_and_keeps_markup(typed: str, shown: str) -> None:
    assert plain(typed) == shown


def test_every_part_of_a_card_is_shown_plain() -> None:
    evil = "\x1b[31m" + MARKUP
    card = Card(
        kind="report",
        title=evil,
        text=evil,
        note=evil,
        facts=(Fact(evil, evil),),
        sections=(Section(title=evil, text=evil, facts=(Fact(evil, evil),), light=4),),
        fields=(InputField(id="remark", label=evil, value=evil),),
        choices=(Choice(label=evil, action="x"),),
    )
    out = render_card(card) + render_replies([Reply(text=evil)])
    assert "\x1b" not in out
    assert out.count("\\x1b[31m" + MARKUP) == 13
