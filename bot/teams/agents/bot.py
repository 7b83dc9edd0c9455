"""The Teams bot on the Microsoft 365 Agents SDK: its ``ActivityHandler`` around
``bot.teams.turns`` (the turn logic both backends share).

Only the SDK calls live here: ``send_activity``, ``update_activity``, the member lookup through
the turn's connector client, and the invoke response (a plain JSON body).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity, InvokeResponse
from microsoft_agents.hosting.core import ActivityHandler, TurnContext
from microsoft_agents.hosting.core.connector import ConnectorClientBase, TeamsConnectorClient

from bot.teams.turns import TeamsTurns, posted_activity


def activity_json(activity: Activity) -> dict[str, Any]:
    return activity.model_dump(mode="json", by_alias=True, exclude_none=True)


class _Port:
    def __init__(self, turn_context: TurnContext) -> None:
        self._context = turn_context
        activity = turn_context.activity
        self.activity: Mapping[str, Any] = posted_activity(
            lambda: activity_json(activity), activity.id
        )

    async def send(self, payload: dict[str, Any]) -> None:
        await self._context.send_activity(Activity.model_validate(payload))

    async def update(self, payload: dict[str, Any]) -> None:
        await self._context.update_activity(Activity.model_validate(payload))

    async def member(self, member_id: str) -> Mapping[str, Any]:
        client = self._context.services.get(ConnectorClientBase)  # type: ignore[type-abstract]
        conversation = self._context.activity.conversation
        if client is None or conversation is None:
            raise LookupError("no connector client for this turn")
        if isinstance(client, TeamsConnectorClient):
            member: Any = await client.get_conversation_member(conversation.id, member_id)
        else:
            member = await client.conversations.get_conversation_member(conversation.id, member_id)
        return member.model_dump(mode="json", by_alias=True, exclude_none=True)


class AgentsTeamsBot(ActivityHandler):
    def __init__(self, turns: TeamsTurns) -> None:
        self.turns = turns

    async def on_message_activity(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        await self.turns.message(_Port(turn_context))

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        await self.turns.welcome(_Port(turn_context))

    async def on_installation_update(self, turn_context: TurnContext) -> None:  # type: ignore[override]
        await self.turns.welcome(_Port(turn_context))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:  # type: ignore[override]
        answer = await self.turns.invoke(_Port(turn_context))
        return InvokeResponse(status=answer.status, body=answer.body)
