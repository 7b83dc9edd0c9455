"""Every kind of card the dialogs produce, rendered as Block Kit from real dialog turns on the
demo school in both languages: within Slack's limits (messages, modals for the cards' fields),
the primary button first, typed text exactly as typed and never as ``mrkdwn``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.slack import render
from bot.slack.modals import MAX_TITLE, ModalContext, field_view
from dialogs.types import Style
from tests.support.card_tour import TYPED, Shown, tour_on_copy


@pytest.fixture(scope="module", params=["nl", "en"])
def shown(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path_factory) -> Shown:
    return tour_on_copy(sqlite_template, tmp_path_factory.mktemp("tour"), request.param)


def _walk(node: Any, kind: str) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == kind else []
        return found + [b for v in node.values() for b in _walk(v, kind)]
    if isinstance(node, list):
        return [b for v in node for b in _walk(v, kind)]
    return []


def _check(blocks: list[dict[str, Any]], limit: int, tag: str) -> None:
    assert len(blocks) <= limit, tag
    assert '"mrkdwn"' not in json.dumps(blocks), tag
    for b in blocks:
        if b["type"] == "rich_text":
            assert sum(len(e["text"]) for e in _walk(b, "text")) <= 3000, tag
        if b["type"] == "actions":
            assert len(b["elements"]) <= render.MAX_ACTIONS, tag
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= render.MAX_HEADER, tag
    for button in _walk(blocks, "button"):
        assert 1 <= len(button["text"]["text"]) <= render.MAX_BUTTON_TEXT, tag
        assert len(button["value"]) <= render.MAX_BUTTON_VALUE, tag
    for text in _walk(blocks, "plain_text"):
        assert len(text["text"]) <= 3000 and text["emoji"] is False, tag


def test_every_message_and_modal_is_within_slacks_limits(shown: Shown) -> None:
    lang = "en" if any(r.text.startswith("I will speak English") for _, r in shown) else "nl"
    for tag, reply in shown:
        for message in render.reply_messages(reply):
            _check(list(message.blocks), render.MAX_MESSAGE_BLOCKS, tag)
            assert len(message.text) <= render.MAX_FALLBACK_TEXT, tag
        card = reply.card
        if card is None or not card.fields or card.answered:
            continue
        for choice in (c for c in card.choices if c.submits_fields):
            ctx = ModalContext(
                channel="D1", ts="1.2", action=choice.action, label=choice.label, light=choice.light
            )
            view = field_view(card, ctx, lang)
            _check(view["blocks"], render.MAX_VIEW_BLOCKS, tag)
            assert all(len(view[k]["text"]) <= MAX_TITLE for k in ("title", "submit", "close"))
            assert len(view["private_metadata"]) <= 3000, tag


def test_the_primary_button_comes_first_after_the_lights(shown: Shown) -> None:
    for tag, reply in shown:
        if reply.card is None:
            continue
        others = [c for c in reply.card.choices if c.light is None]
        primary = {c.label for c in others if c.style is Style.PRIMARY}
        rows = [b for b in render.card_blocks(reply.card) if b["type"] == "actions"]
        labels = [e["text"]["text"] for r in rows for e in r["elements"]]
        assert len(labels) == len(reply.card.choices), tag
        if primary:
            assert labels[len(reply.card.choices) - len(others)] in primary, tag


def test_typed_text_reaches_slack_exactly_as_typed(shown: Shown) -> None:
    texts = []
    for _, reply in shown:
        for message in render.reply_messages(reply):
            texts += [e["text"] for e in _walk(list(message.blocks), "text") if "text" in e]
            texts += [e["text"] for e in _walk(list(message.blocks), "plain_text")]
    joined = "\n".join(t for t in texts if isinstance(t, str))
    for key, typed in TYPED.items():
        assert typed in joined, key
