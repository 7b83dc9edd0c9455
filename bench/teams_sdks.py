"""Teams: the card submit round trip on both Teams backends in one run, each beside a bare echo
bot of the same SDK.

For each backend (``STOPLICHT_TEAMS_SDK``: botbuilder, the Microsoft 365 Agents SDK) a teacher
on the 2,000-student bench school (``bench.teams_latency``) presses a light on a student card
(``Action.Execute`` through ``/api/messages``, auth on) until the next card reaches the Bot
Connector; after each press the same teacher presses a button of a bare echo bot of the same
SDK on the same adapter and authentication (``/api/echo``: one card back, no dialogs, no
database). The ratio shows what Stoplicht adds to each SDK's own cost; the two echo rows
compare the SDKs themselves. The Bot Framework is the loopback fake of the channel tests.
"""

from __future__ import annotations

import itertools
import shutil
import tempfile
from pathlib import Path
from typing import Any

from aiohttp import web

from bench import teams_latency as tl
from bot.app import build_services, build_web_app
from bot.settings import Settings
from tests.integration.teams.activities import load
from tests.support.bot_framework import FakeBotFramework, ServerThread

SDKS = ("botbuilder", "agents")
SUBMITS = 20
SCHOOL: dict[str, int] = {}  # teams_latency's school sizes to use instead (none: its own)
SMOKE = {  # sizes of a smoke run (bench.__main__): a school of 4 teachers, 2 presses each
    "SUBMITS": 2,
    "SCHOOL": {"CLASSES": 1, "PER_CLASS": 4, "SUBJECTS": 4, "TEACHERS": 4},
}
CARD = {"type": "AdaptiveCard", "version": "1.5", "body": [{"type": "TextBlock", "text": "ok"}]}
_IDS = itertools.count(1)


class Rig(tl.Rig):
    """Every activity with its own id, as Teams sends them (a repeated id is a redelivery)."""

    def activity(self, name: str, t: tl.Teacher, **subs: Any) -> dict[str, Any]:
        return load(
            name,
            SERVICE_URL=self.fake.service_url,
            USER_ID=t.user_id,
            USER_NAME=t.email,
            AAD_ID=t.aad_id,
            TENANT=tl.TENANT,
            CONVERSATION_ID=t.conversation_id,
            APP_ID=self.fake.app_id,
            ACTIVITY_ID=f"bench-{next(_IDS)}",
            **subs,
        )


def _agents_echo(settings: Settings):  # type: ignore[no-untyped-def]
    """The Agents SDK's bare echo bot behind the same authentication as the real backend."""
    from microsoft_agents.activity import Activity, InvokeResponse
    from microsoft_agents.hosting.core import ActivityHandler, TurnContext

    from bot.teams.agents.adapter import PostedRequest, build_adapter

    class EchoBot(ActivityHandler):
        async def on_invoke_activity(self, turn_context: TurnContext) -> InvokeResponse:  # type: ignore[override]
            attachment = {"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}
            await turn_context.send_activity(
                Activity(type="message", attachments=[attachment])  # type: ignore[list-item]
            )
            body = {"statusCode": 200, "type": attachment["contentType"], "value": CARD}
            return InvokeResponse(status=200, body=body)

    adapter, auth = build_adapter(settings)
    bot = EchoBot()

    async def echo(request: web.Request) -> web.StreamResponse:
        body = await request.json()
        identity = await auth.identity(request.headers.get("Authorization"), body)
        answer = await adapter.process_request(PostedRequest(request, body, identity), bot)
        return web.json_response(answer.body, status=answer.status_code)

    return echo


def _botbuilder_echo(settings: Settings):  # type: ignore[no-untyped-def]
    from bot.teams.adapter import build_adapter

    adapter, bot = build_adapter(settings), tl.EchoBot()

    async def echo(request: web.Request) -> web.StreamResponse:
        return await adapter.process(request, bot) or web.Response(status=201)

    return echo


def _measure(
    sdk: str, url: str, fake: FakeBotFramework, teacher: tl.Teacher
) -> list[tuple[str, str]]:
    settings = Settings(  # type: ignore[call-arg]
        STOPLICHT_DATABASE_URL=url,
        STOPLICHT_TEAMS_SDK=sdk,
        STOPLICHT_SCHEDULER=False,
        **fake.env(sdk),
    )
    services = build_services(settings, clock=lambda: tl.NOW)
    app = build_web_app(services)
    echo = _agents_echo(settings) if sdk == "agents" else _botbuilder_echo(settings)
    app.router.add_post("/api/echo", echo)
    server = ServerThread(app).start()
    rig = Rig(fake, server.url)
    try:
        card = tl._open_card(rig, teacher)
        tl._echo(rig, teacher)  # warm up both paths
        bot_times: list[float] = []
        echo_times: list[float] = []
        for _ in range(SUBMITS):
            took, card = tl._submit(rig, teacher, card)
            bot_times.append(took)
            echo_times.append(tl._echo(rig, teacher))
    finally:
        server.stop()
    b50, e50 = tl._pct(bot_times, 50), tl._pct(echo_times, 50)
    return [
        (f"{sdk} submit→next card p50", f"{b50:.1f} ms"),
        (f"{sdk} submit→next card p99", f"{tl._pct(bot_times, 99):.1f} ms"),
        (f"{sdk} echo bot p50", f"{e50:.1f} ms"),
        (f"{sdk} echo bot p99", f"{tl._pct(echo_times, 99):.1f} ms"),
        (f"{sdk} p50 ratio bot/echo", f"{b50 / e50:.2f}x (n={len(bot_times)})"),
    ]


def run() -> list[tuple[str, str]]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-teams-sdks-"))
    template = tmp / "school.sqlite"
    saved = {k: getattr(tl, k) for k in SCHOOL}
    try:
        for k, v in SCHOOL.items():
            setattr(tl, k, v)
        emails = tl.build_school(f"sqlite:///{template}")
    finally:
        for k, v in saved.items():
            setattr(tl, k, v)
    teachers = [
        tl.Teacher(e, f"29:bench{i}", f"aad-bench-{i}", f"a:bench{i}") for i, e in enumerate(emails)
    ]
    fake = FakeBotFramework(
        members={
            t.user_id: {"id": t.user_id, "email": t.email, "userPrincipalName": t.email}
            for t in teachers
        }
    ).start()
    rows: list[tuple[str, str]] = []
    try:
        for i, sdk in enumerate(SDKS):
            db = tmp / f"{sdk}.sqlite"
            shutil.copy(template, db)
            rows += _measure(sdk, f"sqlite:///{db}", fake, teachers[i])
    finally:
        fake.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    return rows


if __name__ == "__main__":
    for name, value in run():
        print(f"{name:45s} {value}")
