"""Proactive delivery to Teams, whichever SDK carries it: the outbox's sender for ``teams``.

Implements ``schedules.delivery.Sender``: one attempt per call, outcome by exception.
The stored conversation reference (``ChannelAccount.conversation``, Bot Framework JSON written
by either backend) is continued with the SDK's ``continue_conversation``; the two SDKs differ
only in how they read the reference and an activity and how they continue a conversation
(``bot.teams.sender`` for botbuilder, ``bot.teams.agents.sender`` for the Agents SDK).

- no reference: ``Unreachable`` — or, with Graph configured, the app is installed for the user
  (which makes Teams send the bot an ``installationUpdate`` that stores the reference) and the
  outcome is ``RetryLater`` so the dispatcher tries again once the reference is there;
- 429 (``Retry-After`` honoured), 412, 5xx, timeouts, connection errors: ``RetryLater``;
- 403 (blocked/uninstalled) and 404 (conversation gone): ``Unreachable``;
- anything else (e.g. 400): ``PermanentFailure`` (``bot.teams.outbound.classify``).

The adapter's turn-error handler would swallow a failure inside the continuation, so the
callback catches it and the sender re-raises it after the turn.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from bot.teams import render
from bot.teams.graph import GraphInstaller, reach_without_conversation
from bot.teams.outbound import classify
from dialogs.types import Reply
from schedules.delivery import Target, Unreachable

log = logging.getLogger(__name__)
SEND_TIMEOUT = 30.0
Deliver = Callable[[Any], Awaitable[None]]


class ProactiveSender(ABC):
    channel = "teams"

    def __init__(
        self,
        *,
        adapter: Any,
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

    @abstractmethod
    def _reference(self, conversation: Mapping[str, Any]) -> Any:
        """The SDK's reference (or continuation) from the stored JSON; raises if unusable."""

    @abstractmethod
    def _activity(self, message: dict[str, Any]) -> Any:
        """The SDK's activity for one rendered message."""

    @abstractmethod
    def _continue(self, reference: Any, deliver: Deliver) -> Awaitable[Any]:
        """Continue the conversation of ``reference`` with ``deliver`` as the turn."""

    async def send(self, target: Target, replies: Sequence[Reply], *, key: str) -> None:
        if not target.conversation or not target.conversation.get("serviceUrl"):
            await reach_without_conversation(self._installer, target.tenant, target.external_id)
            return
        try:
            reference = self._reference(dict(target.conversation))
        except Exception as exc:
            raise Unreachable(f"stored conversation reference is unusable: {exc}") from exc
        activities = [
            self._activity(render.message(r, mode=self._mode))
            for r in replies
            if r.text or r.card is not None
        ]
        failure: list[BaseException] = []

        async def deliver(turn_context: Any) -> None:
            try:
                for activity in activities:
                    await turn_context.send_activity(activity)
            except Exception as exc:  # re-raised below, classified
                failure.append(exc)

        try:
            await asyncio.wait_for(self._continue(reference, deliver), timeout=self._timeout)
        except Exception as exc:
            raise classify(exc) from exc
        if failure:
            raise classify(failure[0]) from failure[0]
        log.debug("teams: delivered %s to person %s", key, target.person_id)
