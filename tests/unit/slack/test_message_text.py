"""Slack's markup and rich text → what the person typed."""

from __future__ import annotations

from typing import Any

import pytest

from bot.slack.message_text import from_markup, from_rich_text, typed_text


@pytest.mark.parametrize(
    ("markup", "typed"),
    [
        ("<@UBOT> feedback", "feedback"),
        ("<@UBOT|stoplicht>  Feedback ", "Feedback"),
        ("vraag <@U9|jan> even", "vraag @jan even"),
        ("vraag <@U9> even", "vraag @U9 even"),
        ("Ik &amp; jij &lt;3 &gt;", "Ik & jij <3 >"),
        ("&amp;lt; blijft", "&lt; blijft"),
        ("zie <https://x.org/a_b|de site> en <https://y.org>", "zie de site en https://y.org"),
        ("<mailto:a@b.nl|a@b.nl>", "a@b.nl"),
        ("<!here> <!channel|@channel> <#C1|klas-3a> <#C2>", "@here @channel #klas-3a #C2"),
        ("<!subteam^S1|@docenten> <!date^1392734382^{date}|18 feb>", "@docenten 18 feb"),
        ("*Feedback*", "Feedback"),
        ("*Ik vind je* _echt_ ~niet~ goed", "Ik vind je echt niet goed"),
        ("5 * 3 * 2 en snake_case_naam", "5 * 3 * 2 en snake_case_naam"),
        ("regel 1\r\nregel 2\n\n\n\nregel 3  ", "regel 1\nregel 2\n\nregel 3"),
        ("feedback\u00a0", "feedback"),
        ("<broken", "<broken"),
    ],
)
def test_markup(markup: str, typed: str) -> None:
    assert from_markup(markup, bot="UBOT") == typed


RICH: list[dict[str, Any]] = [
    {
        "type": "rich_text",
        "block_id": "b1",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "user", "user_id": "UBOT"},
                    {"type": "text", "text": " Ik & jij "},
                    {"type": "text", "text": "*echt*", "style": {"bold": True}},
                    {"type": "emoji", "name": "thumbsup", "unicode": "1f44d"},
                    {"type": "emoji", "name": "flag-nl", "unicode": "1f1f3-1f1f1"},
                    {"type": "emoji", "name": "custom_school"},
                    {"type": "text", "text": " zie "},
                    {"type": "link", "url": "https://x.org", "text": "site"},
                    {"type": "text", "text": " en "},
                    {"type": "link", "url": "https://y.org"},
                    {"type": "text", "text": " "},
                    {"type": "user", "user_id": "U9"},
                    {"type": "channel", "channel_id": "C1"},
                    {"type": "broadcast", "range": "here"},
                    {"type": "date", "timestamp": 1, "fallback": "1 jan"},
                    {"type": "color", "value": "#ff0000"},
                    {"type": "someday_new", "text": "!"},
                    "not an element",
                ],
            },
            {
                "type": "rich_text_list",
                "style": "bullet",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "een"}]},
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "twee"}]},
                ],
            },
            {"type": "rich_text_quote", "elements": [{"type": "text", "text": "citaat"}]},
            {"type": "rich_text_preformatted", "elements": [{"type": "text", "text": "a  <b>"}]},
        ],
    }
]


def test_rich_text_is_literal_text() -> None:
    assert from_rich_text(RICH, bot="UBOT") == (
        "Ik & jij *echt*👍🇳🇱:custom_school: zie site en https://y.org @U9#C1@here1 jan#ff0000!\n"
        "een\ntwee\ncitaat\na  <b>"
    )


@pytest.mark.parametrize(
    "blocks",
    [None, "x", [], [{"type": "section"}], [{"type": "rich_text", "elements": "x"}], [1, None]],
)
def test_malformed_or_missing_rich_text(blocks: Any) -> None:
    found = from_rich_text(blocks)
    assert found in (None, "")


def test_typed_text_prefers_rich_text_and_falls_back_to_markup() -> None:
    assert typed_text({"text": "*x* &amp;", "blocks": RICH[:0]}) == "x &"
    rich = [
        {
            "type": "rich_text",
            "elements": [
                {
                    "type": "rich_text_section",
                    "elements": [{"type": "text", "text": "5 * 3 & meer"}],
                }
            ],
        }
    ]
    assert typed_text({"text": "5 * 3 &amp; meer", "blocks": rich}) == "5 * 3 & meer"
    empty_rich = [{"type": "rich_text", "elements": []}]
    assert typed_text({"text": "feedback", "blocks": empty_rich}) == "feedback"
    assert typed_text({"text": None}) == "" and typed_text({}) == ""
