"""The Teams bot on botbuilder: the SDK's ``ActivityHandler`` around ``bot.teams.turns``.

What a turn does is shared with the Agents SDK backend (``bot.teams.turns``); here only the
botbuilder calls: ``send_activity``, ``update_activity``, ``TeamsInfo.get_member``, and the
invoke response. In botbuilder 4.17.1 the ``on_adaptive_card_invoke`` path serialises the
response twice (HTTP 500), and the ``CloudAdapter`` serialises an ``InvokeResponse`` body as a
msrest model (a plain dict fails), so ``on_invoke_activity`` is overridden and returns
``InvokeResponse(body=AdaptiveCardInvokeResponse(...))``, serialised exactly once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.core.teams import TeamsInfo
from botbuilder.schema import Activity, AdaptiveCardInvokeResponse
from msrest.serialization import Model

from bot.teams.turns import MESSAGE_TYPE, TeamsTurns, posted_activity, turn_key

__all__ = ["StoplichtTeamsBot", "turn_key"]


class _Port:
    def __init__(self, turn_context: TurnContext) -> None:
        self._context = turn_context
        activity = turn_context.activity
        self.activity: Mapping[str, Any] = posted_activity(activity.serialize, activity.id)

    async def send(self, payload: dict[str, Any]) -> None:
        await self._context.send_activity(Activity().deserialize(payload))

    async def update(self, payload: dict[str, Any]) -> None:
        await self._context.update_activity(Activity().deserialize(payload))

    async def member(self, member_id: str) -> Mapping[str, Any]:
        activity = self._context.activity
        if activity.channel_data is None:  # TeamsInfo reads it as a mapping (TypeError on None)
            activity.channel_data = {}
        member = await TeamsInfo.get_member(self._context, member_id)
        return {"email": member.email, "userPrincipalName": member.user_principal_name}


class _MessageInvokeResponse(Model):  # type: ignore[misc]
    """An ``adaptiveCard/action`` response of the message type (Teams leaves the card as it is
    and shows ``value``, a text, briefly): ``AdaptiveCardInvokeResponse`` only serialises an
    object as ``value``."""

    _attribute_map = {
        "status_code": {"key": "statusCode", "type": "int"},
        "type": {"key": "type", "type": "str"},
        "value": {"key": "value", "type": "str"},
    }

    def __init__(self, *, status_code: int, value: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.status_code = status_code
        self.type = MESSAGE_TYPE
        self.value = value


class StoplichtTeamsBot(ActivityHandler):
    def __init__(self, turns: TeamsTurns) -> None:
        self.turns = turns

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await self.turns.message(_Port(turn_context))

    async def on_conversation_update_activity(self, turn_context: TurnContext) -> None:
        await self.turns.welcome(_Port(turn_context))

    async def on_installation_update(self, turn_context: TurnContext) -> None:
        await self.turns.welcome(_Port(turn_context))

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        answer = await self.turns.invoke(_Port(turn_context))
        if answer.body is None:
            return InvokeResponse(status=answer.status)
        if answer.body["type"] == MESSAGE_TYPE:
            message = _MessageInvokeResponse(
                status_code=answer.body["statusCode"], value=str(answer.body["value"])
            )
            return InvokeResponse(status=answer.status, body=message)
        body = AdaptiveCardInvokeResponse(
            status_code=answer.body["statusCode"],
            type=answer.body["type"],
            value=answer.body["value"],
        )
        return InvokeResponse(status=answer.status, body=body)
