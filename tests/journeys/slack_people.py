"""People of the small school on Slack: each one a Slack user in a direct message with the bot,
driving the real Bolt app with signed requests while the fake Slack Web API records what each
of them is shown (``tests.integration.slack``)."""

from __future__ import annotations

import json

from bot.slack.app import SLACK_KEY
from tests.integration.slack.conftest import Slack
from tests.integration.slack.fake_api import Call
from tests.journeys.term import EMAILS

SLACK_IDS = {who: f"U{who.upper()}" for who in EMAILS}


def text_of(call: Call) -> str:
    return json.dumps(call.params.get("blocks") or call.params.get("text"), ensure_ascii=False)


class SlackPerson:
    def __init__(self, slack: Slack, who: str) -> None:
        self.slack, self.who, self.uid = slack, who, SLACK_IDS[who]

    @property
    def channel(self) -> str:
        return f"D{self.uid}"

    def posts(self) -> list[Call]:
        return [
            c
            for c in self.slack.fake.of("chat.postMessage")
            if c.params.get("channel") == self.channel
        ]

    def updates(self) -> list[Call]:
        return [
            c for c in self.slack.fake.of("chat.update") if c.params.get("channel") == self.channel
        ]

    def last(self) -> Call:
        posts = self.posts()
        assert posts, f"{self.who} was shown nothing"
        return posts[-1]

    def seen(self, since: int = 0) -> str:
        """Everything posted to this person since their ``since``-th message, as one text."""
        return "\n".join(text_of(c) for c in self.posts()[since:])

    def find(self, needle: str) -> Call:
        """The last message to this person that contains ``needle``."""
        for c in reversed(self.posts()):
            if needle in text_of(c):
                return c
        raise AssertionError(f"{self.who} was never shown {needle!r}")

    async def _settle(self) -> None:
        await self.slack.client.app[SLACK_KEY].turns.drain()

    async def say(self, text: str) -> list[Call]:
        n = len(self.posts())
        response = await self.slack.dm(self.uid, text)
        assert response.status == 200
        await self._settle()
        return self.posts()[n:]

    async def press(self, message: Call, label: str) -> list[Call]:
        """Press a button (by label, or ``action:<id>``) on one of this person's messages;
        returns what was posted to them in answer."""
        n = len(self.posts())
        response = await self.slack.click(self.uid, message, label)
        assert response.status == 200, await response.text()
        await self._settle()
        return self.posts()[n:]

    async def fill(self, message: Call, label: str, values: dict[str, str]) -> list[Call]:
        """Press a button that opens the fields modal, type ``values`` and submit."""
        views = len(self.slack.fake.of("views.update"))
        n = len(self.posts())
        response = await self.slack.click(self.uid, message, label)
        assert response.status == 200
        view = (await self.slack.fake.wait_for("views.update", views + 1))[-1].params["view"]
        response = await self.slack.submit(self.uid, view, values)
        assert response.status == 200, await response.text()
        body = await response.text()
        assert body == "", f"the modal refused: {body}"
        await self._settle()
        return self.posts()[n:]

    def still_usable(self, message: Call) -> bool:
        """The message's buttons were not taken away by an update since it was posted."""
        ts = message.result["ts"]
        for u in self.updates():
            if u.params.get("ts") == ts:
                return any(b["type"] == "actions" for b in u.params.get("blocks") or [])
        return True
