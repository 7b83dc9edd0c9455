"""Proactive delivery to Teams on the Agents SDK: the outbox's sender for the ``teams`` channel.

The same contract and outcomes as the botbuilder sender (``bot.teams.sender``): one attempt per
call, outcome by exception (``bot.teams.outbound.classify``). The stored conversation reference
(Bot Framework JSON, written by either backend) is read with the SDK's
``ConversationReference`` (whose ``agent`` is the stored ``bot``) and continued with
``CloudAdapter.continue_conversation``; without an app id (anonymous, loopback only) with an
anonymous identity, so no token is asked for.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from microsoft_agents.activity import Activity, ConversationReference
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import TurnContext

from bot.teams import render
from bot.teams.agents.adapter import anonymous_identity
from bot.teams.graph import GraphInstaller, reach_without_conversation
from bot.teams.outbound import classify
from bot.teams.sender import SEND_TIMEOUT
from dialogs.types import Reply
from schedules.delivery import Target, Unreachable

log = logging.getLogger(__name__)


class AgentsTeamsSender:
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
            reference = ConversationReference.model_validate(dict(target.conversation))
            continuation = reference.get_continuation_activity()
        except Exception as exc:
            raise Unreachable(f"stored conversation reference is unusable: {exc}") from exc
        activities = [
            Activity.model_validate(render.message(r, mode=self._mode))
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

        if self._app_id:
            run = self._adapter.continue_conversation(self._app_id, continuation, deliver)
        else:
            run = self._adapter.continue_conversation_with_claims(
                anonymous_identity(), continuation, deliver
            )
        try:
            await asyncio.wait_for(run, timeout=self._timeout)
        except Exception as exc:
            raise classify(exc) from exc
        if failure:
            raise classify(failure[0]) from failure[0]
        log.debug("teams: delivered %s to person %s", key, target.person_id)

    async def _no_conversation(self, target: Target) -> None:
        await reach_without_conversation(self._installer, target.tenant, target.external_id)
