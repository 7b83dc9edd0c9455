"""Proactive delivery to Teams on botbuilder: the outbox's sender for the ``teams`` channel.

The contract and the outcomes are ``bot.teams.proactive``'s; here only what is botbuilder's:
the stored reference is read with botbuilder's ``ConversationReference`` and continued with
``CloudAdapter.continue_conversation``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any

from botbuilder.schema import Activity, ConversationReference

from bot.teams.proactive import Deliver, ProactiveSender


class TeamsSender(ProactiveSender):
    def _reference(self, conversation: Mapping[str, Any]) -> Any:
        return ConversationReference().deserialize(dict(conversation))

    def _activity(self, message: dict[str, Any]) -> Any:
        return Activity().deserialize(message)

    def _continue(self, reference: Any, deliver: Deliver) -> Awaitable[Any]:
        return self._adapter.continue_conversation(reference, deliver, self._app_id)
