"""Proactive delivery to Teams: the outbox's sender for the ``teams`` channel.

Implements ``schedules.delivery.Sender``: one attempt per call, outcome by exception.
The stored conversation reference (``ChannelAccount.conversation``, refreshed on every inbound
activity) is continued with ``CloudAdapter.continue_conversation``.

- no reference: ``Unreachable`` — or, with Graph configured, the app is installed for the user
  (which makes Teams send the bot an ``installationUpdate`` that stores the reference) and the
  outcome is ``RetryLater`` so the dispatcher tries again once the reference is there;
- 429 (``Retry-After`` honoured), 412, 5xx, timeouts, connection errors: ``RetryLater``;
- 403 (blocked/uninstalled) and 404 (conversation gone): ``Unreachable``;
- anything else (e.g. 400): ``PermanentFailure``.

The adapter's ``on_turn_error`` would swallow a failure inside the continuation, so the
callback catches it and the sender re-raises it after the turn.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from botbuilder.core import TurnContext
from botbuilder.integration.aiohttp import CloudAdapter
from botbuilder.schema import Activity, ConversationReference

from bot.teams import render
from bot.teams.graph import GraphInstaller, reach_without_conversation
from bot.teams.outbound import classify
from dialogs.types import Reply
from schedules.delivery import Target, Unreachable

log = logging.getLogger(__name__)
SEND_TIMEOUT = 30.0


class TeamsSender:
    channel = "teams"

    def __init__(
        self,
        *,
        adapter: CloudAdapter,
        app_id: str,
        mode: render.ActionMode = "execute",
        installer: GraphInstaller | None = None,
        timeout: float = SEND_TIMEOUT,
    ) -> None:
        self._adapter = adapter
        self._app_id = app_id
        self._mode = mode
        self._installer = installer
        self._timeout = timeout

    async def send(self, target: Target, replies: Sequence[Reply], *, key: str) -> None:
        if not target.conversation or not target.conversation.get("serviceUrl"):
            await self._no_conversation(target)
            return
        try:
            reference = ConversationReference().deserialize(dict(target.conversation))
        except Exception as exc:
            raise Unreachable(f"stored conversation reference is unusable: {exc}") from exc
        activities = [
            Activity().deserialize(render.message(r, mode=self._mode))
            for r in replies
            if r.text or r.card is not None
        ]
        failure: list[BaseException] = []

        async def deliver(turn_context: TurnContext) -> None:
            try:
                for activity in activities:
                    await turn_context.send_activity(activity)
            except Exception as exc:  # re-raised below, classified
                failure.append(exc)

        try:
            await asyncio.wait_for(
                self._adapter.continue_conversation(reference, deliver, self._app_id),
                timeout=self._timeout,
            )
        except Exception as exc:
            raise classify(exc) from exc
        if failure:
            raise classify(failure[0]) from failure[0]
        log.debug("teams: delivered %s to person %s", key, target.person_id)

    async def _no_conversation(self, target: Target) -> None:
        await reach_without_conversation(self._installer, target.tenant, target.external_id)
