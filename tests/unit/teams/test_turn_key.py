"""The key that makes a redelivered Teams activity the same turn (``bot.teams.bot.turn_key``)."""

from __future__ import annotations

from typing import Any

from bot.teams.turns import turn_key
from dialogs.types import Incoming, IncomingKind, UserRef

USER = UserRef(channel="teams", tenant="t", user_id="u")
# A real personal conversation id is this long; a channel's adds ";messageid=...".
LONG = "a:1" + "mhKB8oR0xBQKqFHpWH8ecwf-qVg9iJsSyjtX-jRdTufzNyo9ImBeGaL6rdZi6GKwBTuu74" * 4


def _activity(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"type": "message", "id": "1763632801123", "conversation": {"id": LONG}}
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


def test_each_activity_has_its_own_short_key_even_in_a_long_conversation() -> None:
    message = Incoming(user=USER, text="feedback")
    a = turn_key(_activity(), message)
    b = turn_key(_activity(id="1763632801124"), message)
    assert a is not None and b is not None and a != b
    assert len(a) < 200 and a.startswith("1763632801123|")
    assert turn_key(_activity(), message) == a  # a redelivery
    other = turn_key(_activity(conversation={"id": LONG + "x"}), message)
    assert other != a


def test_without_an_id_there_is_no_key() -> None:
    assert turn_key(_activity(id=None), Incoming(user=USER, text="x")) is None


def test_both_install_activities_of_a_day_share_the_welcome_key() -> None:
    installed = Incoming(user=USER, kind=IncomingKind.INSTALLED)
    first = _activity(type="installationUpdate", id="f:1", timestamp="2026-11-20T09:59:57Z")
    second = _activity(type="conversationUpdate", id="f:2", timestamp="2026-11-20T09:59:58Z")
    later = _activity(type="installationUpdate", id="f:3", timestamp="2026-12-01T08:00:00Z")
    assert turn_key(first, installed) == turn_key(second, installed) != turn_key(later, installed)
