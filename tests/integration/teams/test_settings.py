"""The organizer's settings card through the running Teams app: an ``adaptiveCard/action``
invoke changes a setting and the invoke's answer is the card itself, redrawn with the new value;
a teacher pressing the same button is refused and nothing changes."""

from __future__ import annotations

from typing import Any

from storage.demo.seed import DEMO_ORGANIZER_EMAIL
from storage.models import School
from storage.school_settings import SchoolSettings
from tests.integration.teams.conftest import (
    WIM,
    Channel,
    TeamsUser,
    _member,
    actions,
    cards,
    execute,
    texts,
)

ORG = TeamsUser(DEMO_ORGANIZER_EMAIL, "29:1organizer", "aad-0003-org", "Organisator", "a:1convOR")


def _settings(channel: Channel) -> SchoolSettings:
    with channel.session_factory() as s:
        return SchoolSettings.from_json(s.get_one(School, channel.school.school_id).settings)


def _button(card: dict[str, Any], **args: str) -> dict[str, Any]:
    return next(
        a
        for a in actions(card)
        if all(a["data"]["stoplicht"]["args"].get(k) == v for k, v in args.items())
    )


def test_a_toggle_redraws_the_card_in_place(channel: Channel) -> None:
    channel.fake.members[ORG.user_id] = _member(ORG)
    count = len(channel.fake.sent)
    r = channel.post(channel.activity("message", user=ORG, text="instellingen"))
    assert r.status_code == 201, r.text
    card = cards(channel.fake.wait_for_sent(count + 1))[-1]
    assert "Automatisch sluiten bij de deadline" in texts(card)
    toggle = _button(card, key="auto_close", to="on")
    assert toggle["associatedInputs"] == "none"  # the typed fields never block a toggle
    r = execute(channel, toggle, ORG)
    assert r.status_code == 200, r.text
    redrawn = r.json()["value"]
    assert "Opgeslagen. Automatisch sluiten bij de deadline: aan." in texts(redrawn)
    assert _button(redrawn, key="auto_close", to="off")  # live, with the new value
    assert _settings(channel).auto_close
    # the teacher presses the organizer's button: refused, nothing changes
    channel.fake.members.setdefault(WIM.user_id, _member(WIM))
    r = execute(channel, _button(redrawn, key="auto_close", to="off"), WIM)
    assert r.status_code == 200, r.text
    assert "niets veranderd" in texts(r.json()["value"])  # an outdated card to them
    assert _settings(channel).auto_close
