"""Every kind of card the dialogs produce, rendered for Teams from real dialog turns on the demo
school in both languages, checked by the official Adaptive Cards SDK (as Teams parses it) and
for what a person on a phone needs: all buttons visible, the primary one first, typed text
exactly as typed."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from bot.teams import render
from dialogs.types import Reply, Style
from tests.support.card_tour import TYPED, Shown, tour_on_copy
from tests.support.npm import package_dir

CHECK = Path(__file__).resolve().parents[2] / "support" / "adaptive_cards_check.js"
FALLBACK = Path(__file__).resolve().parents[2] / "support" / "adaptive_cards_fallback.js"


@pytest.fixture(scope="module", params=["nl", "en"])
def shown(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path_factory) -> Shown:
    return tour_on_copy(sqlite_template, tmp_path_factory.mktemp("tour"), request.param)


def _cards(shown: Shown) -> list[tuple[str, Reply, dict[str, Any]]]:
    return [(tag, r, render.render_card(r.card)) for tag, r in shown if r.card is not None]


def _walk(node: Any, kind: str) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        found = [node] if node.get("type") == kind else []
        return found + [b for v in node.values() for b in _walk(v, kind)]
    if isinstance(node, list):
        return [b for v in node for b in _walk(v, kind)]
    return []


def test_the_official_sdk_accepts_every_card_as_adaptive_card_1_5(shown: Shown, tmp_path) -> None:
    cards = _cards(shown)
    path = tmp_path / "cards.json"
    path.write_text(json.dumps([c for _, _, c in cards]), encoding="utf-8")
    node = shutil.which("node")
    assert node, "node is needed to run the Adaptive Cards SDK"
    out = subprocess.run(
        [node, str(CHECK), str(path), str(package_dir("adaptivecards"))],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    # The SDK knows Action.Execute, so it keeps no fallback of one (a client that does not
    # know it takes the fallback: test_a_client_without_universal_actions_gets_the_fallbacks).
    problems = {
        tag: [p for p in found if p != "dropped .msteams" and not p.endswith(".fallback")]
        for (tag, _, _), found in zip(cards, json.loads(out.stdout), strict=True)
    }
    assert {tag: found for tag, found in problems.items() if found} == {}


def _sdk(script: Path, cards: list[dict[str, Any]], tmp_path: Path) -> Any:
    path = tmp_path / "cards.json"
    path.write_text(json.dumps(cards), encoding="utf-8")
    node = shutil.which("node")
    assert node, "node is needed to run the Adaptive Cards SDK"
    out = subprocess.run(
        [node, str(script), str(path), str(package_dir("adaptivecards"))],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(out.stdout)


def test_a_client_without_universal_actions_gets_the_fallbacks(shown: Shown, tmp_path) -> None:
    """Parsed by a client that does not know Action.Execute (Teams clients without Universal
    Actions), every button is an Action.Submit with the same title and data."""
    cards = _cards(shown)
    parsed = _sdk(FALLBACK, [c for _, _, c in cards], tmp_path)
    for (tag, _, card), seen in zip(cards, parsed, strict=True):
        ours = [a for s in _walk(card["body"], "ActionSet") for a in s["actions"]]
        theirs = [a for s in _walk(seen["body"], "ActionSet") for a in s["actions"]]
        assert [a["type"] for a in theirs] == ["Action.Submit"] * len(ours), tag
        assert [(a["title"], a["data"]) for a in theirs] == [
            (a["title"], a["data"]) for a in ours
        ], tag


def test_every_button_is_visible_and_the_primary_one_comes_first(shown: Shown) -> None:
    for tag, reply, card in _cards(shown):
        sets = _walk(card["body"], "ActionSet")
        assert all(len(s["actions"]) <= render.MAX_ACTIONS for s in sets), tag
        shown_titles = [a["title"] for s in sets for a in s["actions"]]
        assert len(shown_titles) == len(reply.card.choices), tag  # type: ignore[union-attr]
        others = [c for c in reply.card.choices if c.light is None]  # type: ignore[union-attr]
        if any(c.style is Style.PRIMARY for c in others):
            first_other = shown_titles[len(reply.card.choices) - len(others)]  # type: ignore[union-attr]
            assert first_other in {c.label for c in others if c.style is Style.PRIMARY}, tag


def test_typed_text_is_shown_exactly_as_typed_and_never_as_markdown(shown: Shown) -> None:
    runs: set[str] = set()
    for _, _, card in _cards(shown):
        assert _walk(card["body"], "TextBlock") == [] and _walk(card["body"], "FactSet") == []
        runs |= {r["text"] for r in _walk(card["body"], "TextRun")}
    joined = "\n".join(runs)
    for key, typed in TYPED.items():
        assert typed in joined, key


def test_every_required_input_says_why_it_is_marked(shown: Shown) -> None:
    """Teams marks a required input red and Slack's modal refuses it: both show the card's own
    message, so every field that can be required carries one (Slack needs it where Teams is
    lenient, e.g. a plan step's answer)."""
    seen = 0
    for tag, reply in shown:
        for f in reply.card.fields if reply.card is not None else ():
            if f.required or f.required_for_lights:
                seen += 1
                assert f.error_message.strip(), (tag, f.id)
    assert seen
    for tag, _, card in _cards(shown):
        for block in _walk(card["body"], "Input.Text"):
            if block.get("isRequired"):
                assert block.get("errorMessage"), (tag, block["id"])
