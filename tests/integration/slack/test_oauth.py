"""Workspace install through OAuth against the fake Slack API: the state is checked, the
installation stored in the project's database, and each workspace keeps its own token."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import inspect

from bot.slack.app import SLACK_KEY
from tests.integration.slack.conftest import SECRET, Slack, oauth_settings, running, sample
from tests.integration.slack.fake_api import FakeSlack


@pytest.fixture
async def oauth(sqlite_url: str, fake: FakeSlack) -> AsyncIterator[Slack]:
    async with running(sqlite_url, fake, **oauth_settings("111.222")) as slack:
        fake.teams_by_code.update({"code-1": "T1", "code-2": "T2"})
        yield slack


async def _begin(slack: Slack) -> tuple[str, str]:
    response = await slack.client.get("/slack/install")
    assert response.status == 200
    html = await response.text()
    state = re.search(r"state=([A-Za-z0-9_-]+)", html)
    assert state and "client_id=111.222" in html and "chat%3Awrite" in html.replace(":", "%3A")
    cookie = response.headers["Set-Cookie"].split(";")[0]
    return state.group(1), cookie


async def _finish(slack: Slack, code: str, state: str, cookie: str) -> Any:
    return await slack.client.get(
        f"/slack/oauth_redirect?code={code}&state={state}", headers={"Cookie": cookie}
    )


async def test_install_round_trip_keeps_workspaces_apart(
    oauth: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    store = oauth.client.app[SLACK_KEY].bolt.installation_store
    assert {"slack_bots", "slack_installations", "slack_oauth_states"} <= set(
        inspect(oauth.sf.kw["bind"]).get_table_names()
    )
    state, cookie = await _begin(oauth)
    response = await _finish(oauth, "code-1", state, cookie)
    assert response.status == 200, await response.text()
    access = oauth.fake.of("oauth.v2.access")[0]
    assert access.params["code"] == "code-1"

    state2, cookie2 = await _begin(oauth)
    assert (await _finish(oauth, "code-2", state2, cookie2)).status == 200

    bot1 = await store.async_find_bot(enterprise_id=None, team_id="T1")
    bot2 = await store.async_find_bot(enterprise_id=None, team_id="T2")
    assert bot1 is not None and bot1.bot_token == "xoxb-T1-secret"
    assert bot2 is not None and bot2.bot_token == "xoxb-T2-secret"

    # Each workspace's events are answered with its own token.
    for team, user in (("T1", "UWIS"), ("T2", "UOTHER")):
        p = sample("event_message_im.json")
        p["event_id"] = f"Ev-{team}"
        p["team_id"] = team
        p["authorizations"][0]["team_id"] = team
        p["event"].update(user=user, team=team, channel=f"D{user}")
        oauth.fake.users.setdefault(user, f"{user.lower()}@elsewhere.example")
        assert (await oauth.event(p)).status == 200
    posts = await oauth.fake.wait_for("chat.postMessage", 2)
    tokens = {c.params["channel"]: c.token for c in posts}
    assert tokens == {"DUWIS": "xoxb-T1-secret", "DUOTHER": "xoxb-T2-secret"}
    await oauth.client.app[SLACK_KEY].turns.drain()
    logged = caplog.text + " ".join(r.getMessage() for r in caplog.records)
    assert "oauth.v2.access" in logged  # the SDK did log its calls, at DEBUG
    for secret in ("xoxb-T1-secret", "xoxb-T2-secret", "client-secret-value", SECRET):
        assert secret not in logged


async def test_bad_or_reused_state_installs_nothing(oauth: Slack) -> None:
    store = oauth.client.app[SLACK_KEY].bolt.installation_store
    state, cookie = await _begin(oauth)
    forged = await _finish(oauth, "code-1", "forged-state", cookie)
    assert forged.status >= 400
    no_cookie = await oauth.client.get(f"/slack/oauth_redirect?code=code-1&state={state}")
    assert no_cookie.status >= 400
    assert oauth.fake.of("oauth.v2.access") == []
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None

    assert (await _finish(oauth, "code-1", state, cookie)).status == 200
    replay = await _finish(oauth, "code-2", state, cookie)
    assert replay.status >= 400
    await asyncio.sleep(0)
    assert await store.async_find_bot(enterprise_id=None, team_id="T2") is None


async def test_uninstall_and_revoked_tokens_delete_the_workspaces_tokens(oauth: Slack) -> None:
    store = oauth.client.app[SLACK_KEY].bolt.installation_store
    for code in ("code-1", "code-2"):
        state, cookie = await _begin(oauth)
        assert (await _finish(oauth, code, state, cookie)).status == 200
    for kind, team in (("app_uninstalled", "T1"), ("tokens_revoked", "T2")):
        p = sample("event_message_im.json")
        p.update(event_id=f"Ev-{kind}", team_id=team)
        p["authorizations"][0]["team_id"] = team
        p["event"] = {"type": kind, "event_ts": "1763632801.000100"}
        if kind == "tokens_revoked":
            p["event"]["tokens"] = {"bot": ["UBOT"]}
        assert (await oauth.event(p)).status == 200
    await oauth.client.app[SLACK_KEY].turns.drain()
    for _ in range(100):  # Bolt's listeners run after the ack
        if (
            await store.async_find_bot(enterprise_id=None, team_id="T1") is None
            and await store.async_find_bot(enterprise_id=None, team_id="T2") is None
        ):
            break
        await asyncio.sleep(0.05)
    assert await store.async_find_bot(enterprise_id=None, team_id="T1") is None
    assert await store.async_find_bot(enterprise_id=None, team_id="T2") is None
