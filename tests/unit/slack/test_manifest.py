"""The Slack manifest: it parses, asks for exactly the scopes the code uses, and
``stoplicht manifest slack`` fills in the URLs."""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from typer.testing import CliRunner

from bot.cli.main import _register, app
from bot.slack.app import COMMAND, EVENTS_PATH, REDIRECT_PATH
from bot.slack.manifest import FEATURE_SCOPES, METHOD_SCOPES, bot_scopes, load, render

SLACK_DIR = Path(__file__).parents[3] / "bot" / "slack"
CALL = re.compile(r"client\.([a-z]+(?:_[a-zA-Z0-9]+)+)\(")


def _method(python_name: str) -> str:
    """``chat_postMessage`` → ``chat.postMessage``; ``oauth_v2_access`` → ``oauth.v2.access``."""
    return python_name.replace("_", ".")


def called_methods() -> set[str]:
    found: set[str] = set()
    for path in SLACK_DIR.glob("*.py"):
        found |= {_method(m) for m in CALL.findall(path.read_text(encoding="utf-8"))}
    return found


def test_manifest_parses_with_the_features_the_code_serves() -> None:
    m = load()
    assert m["display_information"]["name"] == "Stoplicht"
    assert m["features"]["bot_user"]["display_name"]
    assert m["features"]["app_home"]["home_tab_enabled"] is True
    assert m["features"]["app_home"]["messages_tab_enabled"] is True
    [command] = m["features"]["slash_commands"]
    assert command["command"] == COMMAND
    assert m["settings"]["interactivity"]["is_enabled"] is True
    assert set(m["settings"]["event_subscriptions"]["bot_events"]) == {
        "app_home_opened",
        "app_uninstalled",
        "message.im",
        "tokens_revoked",
    }


def test_every_called_method_is_covered_and_every_scope_used() -> None:
    called = called_methods()
    assert {"chat.postMessage", "chat.update", "views.open", "users.info"} <= called
    unknown = called - set(METHOD_SCOPES)
    assert not unknown, f"add these methods to METHOD_SCOPES: {unknown}"
    needed = {s for m in called for s in METHOD_SCOPES[m]}
    needed |= {s for scopes in FEATURE_SCOPES.values() for s in scopes}
    granted = set(bot_scopes())
    assert needed <= granted, f"missing scopes: {needed - granted}"
    assert granted <= needed, f"unused scopes: {granted - needed}"


def test_cli_fills_in_the_urls() -> None:
    _register()
    result = CliRunner().invoke(app, ["manifest", "slack", "--url", "https://bot.example.org/"])
    assert result.exit_code == 0, result.output
    m = yaml.safe_load(result.output)
    events = f"https://bot.example.org{EVENTS_PATH}"
    assert m["settings"]["event_subscriptions"]["request_url"] == events
    assert m["settings"]["interactivity"]["request_url"] == events
    assert m["features"]["slash_commands"][0]["url"] == events
    assert m["oauth_config"]["redirect_urls"] == [f"https://bot.example.org{REDIRECT_PATH}"]
    assert "HOST" not in result.output
    assert render("https://a.example").count("https://a.example/slack/") == 4


def test_cli_refuses_a_plain_http_url() -> None:
    _register()
    result = CliRunner().invoke(app, ["manifest", "slack", "--url", "http://bot.example.org"])
    assert result.exit_code != 0


def test_docs_say_what_the_manifest_says_of_token_rotation() -> None:
    enabled = load()["settings"]["token_rotation_enabled"]
    docs = (Path(__file__).parents[3] / "docs" / "slack.md").read_text(encoding="utf-8")
    flat = " ".join(docs.split())
    assert f"`token_rotation_enabled: {str(enabled).lower()}`" in flat
    assert ("Token rotation is off" if not enabled else "Token rotation is on") in flat
