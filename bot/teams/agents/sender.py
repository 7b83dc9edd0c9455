"""Proactive delivery to Teams on the Agents SDK: the outbox's sender for the ``teams`` channel.

The contract and the outcomes are ``bot.teams.proactive``'s, as for the botbuilder sender.
The stored conversation reference (Bot Framework JSON, written by either backend) is read with
the SDK's ``ConversationReference`` (whose ``agent`` is the stored ``bot``) and continued with
``CloudAdapter.continue_conversation``; without an app id (anonymous, loopback only) with an
anonymous identity, so no token is asked for.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from typing import Any

from microsoft_agents.activity import Activity, ConversationReference

from bot.teams.agents.adapter import anonymous_identity
from bot.teams.proactive import Deliver, ProactiveSender


class AgentsTeamsSender(ProactiveSender):
    def _reference(self, conversation: Mapping[str, Any]) -> Any:
        reference = ConversationReference.model_validate(dict(conversation))
        return reference.get_continuation_activity()

    def _activity(self, message: dict[str, Any]) -> Any:
        return Activity.model_validate(message)

    def _continue(self, continuation: Any, deliver: Deliver) -> Awaitable[Any]:
        if self._app_id:
            return self._adapter.continue_conversation(self._app_id, continuation, deliver)
        return self._adapter.continue_conversation_with_claims(
            anonymous_identity(), continuation, deliver
        )
