"""U+0000 in what Teams sends (the sender's ids, the tenant, the activity id, the text) on
SQLite and PostgreSQL (which refuses U+0000 in any text): every turn is answered, none fails
with the apology, and what was typed is kept (U+0000 becomes U+FFFD, ``dialogs.sanitize``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from storage.models import ChannelAccount, ProcessedEvent
from tests.integration.teams.conftest import (
    WIM,
    Channel,
    DemoSchool,
    cards,
    make_channel,
    texts,
)
from tests.support.bot_framework import FakeBotFramework

APOLOGY = "er ging iets mis"


@pytest.fixture
def channel_any(any_db: tuple[str, DemoSchool], fake: FakeBotFramework) -> Iterator[Channel]:
    url, school = any_db
    services, server = make_channel(url, fake)
    yield Channel(fake=fake, server=server, services=services, school=school)
    server.stop()


def _said(channel: Channel, since: int) -> str:
    sent = channel.fake.wait_for_sent(since + 1)[since:]
    shown = [texts(c) for c in cards(sent)] + [str(r.body.get("text") or "") for r in sent]
    return "\n".join(shown).lower()


@pytest.mark.parametrize(
    "subs",
    [
        {"ACTIVITY_ID": "17636\x00"},
        {"AAD_ID": WIM.aad_id + "\x00"},
        {"TENANT": "tenant-1\x00"},
        {"USER_ID": WIM.user_id + "\x00x"},
    ],
    ids=["activity-id", "aad-object-id", "tenant", "from-id"],
)
def test_nul_in_ids_is_answered_not_failed(channel_any: Channel, subs: dict[str, str]) -> None:
    n = len(channel_any.fake.sent)
    r = channel_any.post(channel_any.activity("message", text="feed\x00back", **subs))
    assert r.status_code == 201, r.text
    said = _said(channel_any, n)
    assert said and APOLOGY not in said, said
    with channel_any.session_factory() as s:  # the database took the turn's rows
        keys = s.scalars(select(ProcessedEvent.event_id)).all()
        assert all("\x00" not in k for k in keys)
        ids = s.scalars(select(ChannelAccount.external_id)).all()
        assert all("\x00" not in i for i in ids)
