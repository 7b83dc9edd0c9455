"""Binding a Slack workspace from Slack itself: signed events from a workspace no school is
bound to; the organizer is asked and binds it with the button, nobody else gets in."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from storage.models import AuditEntry, ChannelAccount, School
from tests.integration.slack.conftest import Slack
from tests.integration.slack.test_conversation import _settle


def _text(call) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(call.params.get("blocks") or call.params.get("text"), ensure_ascii=False)


async def test_the_organizer_binds_the_workspace_with_the_button(slack: Slack) -> None:
    with slack.sf.begin() as s:
        s.get_one(School, slack.school.school_id).slack_team_id = None
    await slack.dm("UWIS", "feedback")
    await slack.fake.wait_for("chat.postMessage")
    told = _text(slack.last_message("UWIS"))
    assert "nog niet gekoppeld" in told and "slack_team_id T1" in told
    await slack.dm("UORG", "hallo")
    await slack.fake.wait_for("chat.postMessage", 2)
    ask = slack.last_message("UORG")
    assert "Deze Slack-omgeving koppelen aan Testschool?" in _text(ask)
    await _settle(slack)
    with slack.sf() as s:
        assert s.get_one(School, slack.school.school_id).slack_team_id is None
        assert s.scalar(select(func.count()).select_from(ChannelAccount)) == 0
    await slack.click("UORG", ask, "Koppel aan Testschool")
    await _settle(slack)
    with slack.sf() as s:
        assert s.get_one(School, slack.school.school_id).slack_team_id == "T1"
        assert s.scalars(select(AuditEntry.entity)).all() == ["slack_team_id"]
    posted = " ".join(
        _text(c) for c in slack.fake.of("chat.postMessage") + slack.fake.of("chat.update")
    )
    assert "nu gekoppeld aan Testschool" in posted
    before = len(slack.fake.of("chat.postMessage"))
    await slack.dm("UWIS", "feedback")  # the teacher now gets in
    await slack.fake.wait_for("chat.postMessage", before + 1)
    assert "Anna Aalders" in _text(slack.last_message("UWIS"))
