"""A bare botbuilder echo bot as a process of its own: the floor a Teams turn costs.

``python -m bench.support.echo_server --port P`` serves ``POST /api/messages`` with the same adapter
and authentication as ``stoplicht serve`` (settings from the environment) but the SDK's own
connector client per activity (``bot/teams/reused_clients.py`` is ours), and answers every
``Action.Execute`` with one card in the invoke response and one message posted back, as the
real bot does, without dialogs or a database. Used by ``bench/teams_load.py``.
"""

from __future__ import annotations

import argparse

from aiohttp import web
from botbuilder.core import ActivityHandler, InvokeResponse, TurnContext
from botbuilder.schema import Activity, AdaptiveCardInvokeResponse

from bot.settings import Settings
from bot.teams.adapter import build_adapter

CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "ok"}]}


class EchoBot(ActivityHandler):
    """Answers a card press with one card, like the real bot, without dialogs."""

    async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:
        await turn_context.send_activity(
            Activity(
                type="message",
                attachments=[
                    {"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}
                ],
            )
        )
        body = AdaptiveCardInvokeResponse(
            status_code=200, type="application/vnd.microsoft.card.adaptive", value=CARD
        )
        return InvokeResponse(status=200, body=body)


def echo_app(settings: Settings) -> web.Application:
    adapter, bot = build_adapter(settings, reuse_clients=False), EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, bot) or web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    settings = Settings()  # type: ignore[call-arg]
    web.run_app(echo_app(settings), host="127.0.0.1", port=args.port, print=None)


if __name__ == "__main__":
    main()
