"""The Slack channel: a Bolt ``AsyncApp`` on the shared aiohttp server.

``mount_slack(app, services)`` adds ``POST /slack/events`` (Events API, the ``/stoplicht``
command and interactivity) and, with OAuth configured, ``GET /slack/install`` and
``GET /slack/oauth_redirect``; with ``SLACK_APP_TOKEN`` it also connects Socket Mode.

Every request is acknowledged at once (``process_before_response`` with lazy listeners: the ack
function does no I/O) and the work runs after the ack in ``bot.slack.turns``. Requests are
checked before Bolt sees them: a bad signature or a timestamp older than five minutes is 401,
a body that is not a Slack payload 400 (also a signed one whose ``event``, ``view``, ``user``,
``actions``, ... have the wrong type, which would crash Bolt's middleware with a 500), a body
over the server's limit 413. A signed request
no listener takes (an event or a button Stoplicht does not use) gets an empty 200, where Bolt
would answer 404: Slack retries an event that failed and, after many, turns the app's event
subscriptions off; a button shows a warning. Bolt itself answers ``url_verification`` and
``ssl_check``.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack import redact
from bot.slack.install import BotTokens, StoreAuthorize, make_stores
from bot.slack.manifest import bot_scopes
from bot.slack.modals import CALLBACK_ID, ModalContext, field_errors
from bot.slack.render import ACTION_PREFIX
from bot.slack.sender import SlackSender
from bot.slack.translate import dedupe_key, team_of, unreadable_fields, view_values
from bot.slack.turns import SOURCE, Turns
from dialogs.types import TurnHandler
from storage.conversation import inbox

log = logging.getLogger(__name__)

COMMAND = "/stoplicht"
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


def api_url(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def web_client(base_url: str, token: str | None = None) -> AsyncWebClient:
    """A Web API client on ``base_url``; in-turn calls retry once on 429 and connection
    errors (the outbox sender uses its own client without retries: the dispatcher retries)."""
    return AsyncWebClient(
        token=token or None,
        base_url=api_url(base_url),
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=1),
        ],
    )


class SlackChannel:
    """The Bolt app, its listeners and the HTTP entry points."""

    def __init__(self, *, services: Any, handler: TurnHandler) -> None:
        settings = services.settings
        self.settings = settings
        self.services = services
        self.client = web_client(settings.slack_api_url, settings.slack_bot_token)
        self.verifier = SignatureVerifier(settings.slack_signing_secret)
        oauth = bool(settings.slack_client_id and settings.slack_client_secret)
        kwargs: dict[str, Any] = {}
        installations = None
        if oauth:
            installations, states = make_stores(
                client_id=settings.slack_client_id, engine=services.engine
            )
        self.tokens = BotTokens(
            client=self.client,
            single_token="" if oauth else settings.slack_bot_token,
            installations=installations,
            client_id=settings.slack_client_id,
            client_secret=settings.slack_client_secret,
        )
        if installations is not None:
            kwargs.update(
                installation_store=installations,
                # the store through a short cache: no auth.test, no rotation before the ack
                authorize=StoreAuthorize(self.tokens),
                oauth_settings=AsyncOAuthSettings(
                    client_id=settings.slack_client_id,
                    client_secret=settings.slack_client_secret,
                    scopes=bot_scopes(),
                    installation_store=installations,
                    state_store=states,
                    install_path=INSTALL_PATH,
                    redirect_uri_path=REDIRECT_PATH,
                ),
            )
        self.bolt = AsyncApp(
            signing_secret=settings.slack_signing_secret,
            client=self.client,
            process_before_response=True,
            **kwargs,
        )
        self.turns = Turns(
            handler=handler, session_factory=services.session_factory, clock=services.clock
        )
        self.sender = SlackSender(base_url=settings.slack_api_url, tokens=self.tokens)
        self._register()

    # -- listeners: ack functions do no I/O; the work is in the lazy functions ---------------

    def _register(self) -> None:
        b, turns, fresh = self.bolt, self.turns, self._fresh
        kept = turns.kept  # requests kept in the inbox before the ack (``keeps``)
        b.event("message")(ack=_ack, lazy=[kept(fresh(turns.on_message))])
        b.event("app_home_opened")(ack=_ack, lazy=[fresh(turns.on_home)])
        b.command(COMMAND)(ack=_ack_command, lazy=[fresh(turns.on_command)])
        b.action(re.compile(f"^{re.escape(ACTION_PREFIX)}"))(
            ack=_ack, lazy=[fresh(turns.on_action)]
        )
        b.view_submission(CALLBACK_ID)(ack=_ack_submission, lazy=[kept(fresh(turns.on_submission))])
        b.view_closed(CALLBACK_ID)(ack=_ack, lazy=[fresh(turns.on_closed)])
        if b.installation_store is not None:  # OAuth: a workspace that uninstalls or revokes
            b.enable_token_revocation_listeners()  # has its tokens deleted (Bolt's listeners)

    def _fresh(self, listener: Any) -> Any:
        """``listener`` with the workspace's current token: Bolt's client carries the token
        authorize found in the store before the ack; when that token is due, the turn rotates
        it now, after the ack (waiting for a rotation under way elsewhere) and uses the new one.
        Single-workspace mode: the fixed token, unchanged."""
        if self.bolt.installation_store is None:
            return listener

        async def run(body: dict[str, Any], client: AsyncWebClient) -> None:
            token = await self.tokens.token(team_of(body) or "")
            if token and token != client.token:
                client = web_client(self.settings.slack_api_url, token)
            await listener(body, client)

        run.__name__ = getattr(listener, "__name__", "run")
        return run

    # -- HTTP ----------------------------------------------------------------------------------

    async def events(self, request: web.Request) -> web.Response:
        raw = await request.read()  # over the app's client_max_size: 413 from aiohttp
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            return web.Response(status=400, text="malformed payload")
        plain = {k.lower(): v for k, v in request.headers.items()}
        headers: dict[str, str | Sequence[str]] = dict(plain.items())
        if not signed_by_slack(self.verifier, text, plain):
            return web.Response(status=401, text="invalid signature")
        try:
            bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=headers)
        except Exception:  # any parse failure of outside input is the sender's fault: 400
            return web.Response(status=400, text="malformed payload")
        if not isinstance(bolt_request.body, dict) or shape_error(bolt_request.body):
            return web.Response(status=400, text="malformed payload")
        event = bolt_request.body.get("event") or {}
        if event.get("type") in ("app_uninstalled", "tokens_revoked"):  # Bolt deletes them
            self.tokens.forget(team_of(bolt_request.body) or "")  # no cached token survives
        await self._keep(bolt_request.body)
        response = await self.bolt.async_dispatch(bolt_request)
        if response.status == 404:  # no listener: nothing Stoplicht does; taken, quietly
            log.info("slack: ignored %s", _kind(bolt_request.body))
            return web.Response(status=200)
        return await to_aiohttp_response(response)

    async def _keep(self, body: dict[str, Any]) -> None:
        """Before the ack: keep a request that leads to a turn, committed, so a crash after
        the ack loses nothing (``storage.conversation.inbox``; ``Turns.replay`` runs it)."""
        key = dedupe_key(body)
        if key is None or not keeps(body):
            return
        await asyncio.to_thread(
            inbox.receive,
            self.services.session_factory,
            source=SOURCE,
            key=key,
            body=body,
            now=self.services.clock(),
        )

    async def replay_due(self, *, grace: timedelta) -> int:
        """Run the kept requests that a crash left undone; how many were taken."""
        sf, clock = self.services.session_factory, self.services.clock
        due = await asyncio.to_thread(inbox.take_due, sf, source=SOURCE, now=clock(), grace=grace)
        for pending in due:
            team = team_of(pending.body) or ""
            token = await self.tokens.token(team)
            client = web_client(self.settings.slack_api_url, token)
            log.info("slack: running again a request left undone (%s)", pending.key)
            await self.turns.replay(pending.body, client)
        return len(due)

    async def oauth(self, request: web.Request) -> web.Response:
        flow = self.bolt.oauth_flow
        if flow is None:
            raise web.HTTPNotFound()
        headers: dict[str, str | Sequence[str]] = dict(request.headers.items())
        bolt_request = AsyncBoltRequest(body="", query=request.query_string, headers=headers)
        if request.path == flow.install_path:
            response = await flow.handle_installation(bolt_request)
        else:
            response = await flow.handle_callback(bolt_request)
        return await to_aiohttp_response(response)


SLACK_KEY = web.AppKey("slack", SlackChannel)


def keeps(body: dict[str, Any]) -> bool:
    """Whether a request is kept in the inbox before its ack: the two that carry what someone
    typed and that nothing on screen answers once Slack has its 200: a submitted modal (it
    closes at the ack) and a DM. A button is not kept (its ack stays as fast as bare Bolt's):
    its message shows the answered state only once the turn is stored, so a press lost to a
    crash is seen as not taken, and pressed again."""
    if body.get("type") == "event_callback":
        return (body.get("event") or {}).get("type") == "message"
    return body.get("type") == "view_submission"


def signed_by_slack(verifier: SignatureVerifier, body: str, headers: dict[str, str]) -> bool:
    """The request's signature and timestamp are Slack's. The SDK's check turns the timestamp
    into a number with ``int`` and compares the signature with ``hmac.compare_digest``: a
    timestamp that is no whole number (``abc``, ``1e9``, ``12.5``, empty, thousands of digits)
    or a signature that is not ASCII would raise there (a 500); here they are just unsigned."""
    timestamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not (timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12):
        return False
    if not (signature.isascii() and signature.startswith("v0=")):
        return False
    try:
        return verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
    except (ValueError, TypeError):
        return False


_OBJECTS = ("event", "view", "user", "team", "enterprise", "container", "channel", "message")


def shape_error(body: dict[str, Any]) -> str | None:
    """Why a signed body is not a Slack payload Bolt can read (it would fail with a 500)."""
    if not body:
        return "empty"
    for key in _OBJECTS:
        if body.get(key) is not None and not isinstance(body[key], dict):
            return f"{key} is not an object"
    actions = body.get("actions")
    if actions is not None and not (
        isinstance(actions, list) and all(isinstance(a, dict) for a in actions)
    ):
        return "actions is not a list of objects"
    return None


def _kind(body: dict[str, Any]) -> str:
    """A payload's kind for the log (no user text)."""
    event = body.get("event")
    if isinstance(event, dict):
        return f"event {event.get('type')!r}/{event.get('subtype')!r}"
    return repr(body.get("type") or body.get("command") or "payload")


async def _ack(ack: Any) -> None:
    await ack()


async def _ack_command(ack: Any) -> None:
    """Answers go to the user's DM with the bot; typed elsewhere, the lazy turn says so in the
    user's language (``Turns.on_command``: the ack itself knows no language, it does no I/O)."""
    await ack()


async def _ack_submission(ack: Any, body: dict[str, Any]) -> None:
    """Mandatory fields are checked here, so Slack shows the errors in the open modal."""
    view = body.get("view") or {}
    try:
        ctx = ModalContext.from_metadata(str(view.get("private_metadata") or ""))
    except ValueError:
        await ack()
        return
    errors = field_errors(view_values(view), ctx, unreadable_fields(view))
    if errors:
        await ack(response_action="errors", errors=errors)
    else:
        await ack()


def mount_slack(
    app: web.Application, services: Any, *, handler: TurnHandler | None = None
) -> SlackChannel:
    """Add the Slack routes (and Socket Mode, when configured) to the shared aiohttp app and
    register the Slack sender for the outbox."""
    redact.install()
    handler = handler or getattr(services, "handler", None)
    if handler is None:
        from dialogs.engine import DialogEngine

        handler = DialogEngine(
            session_factory=services.session_factory,
            clock=services.clock,
            demo=services.settings.demo,
        )
    channel = SlackChannel(services=services, handler=handler)
    app[SLACK_KEY] = channel
    services.senders["slack"] = channel.sender
    app.router.add_post(EVENTS_PATH, channel.events)
    if channel.bolt.oauth_flow is not None:
        app.router.add_get(INSTALL_PATH, channel.oauth)
        app.router.add_get(REDIRECT_PATH, channel.oauth)
    if services.settings.slack_app_token:
        _socket_mode(app, channel, services.settings.slack_app_token)

    _inbox_sweep(app, channel)

    async def _drain(_app: web.Application) -> None:
        await channel.turns.drain()

    app.on_shutdown.append(_drain)
    return channel


def _inbox_sweep(app: web.Application, channel: SlackChannel) -> None:
    """Every server runs the kept requests a crash left undone: at start and then every
    ``inbox_sweep_seconds``, those older than ``inbox_grace_seconds`` (a turn still running
    in another server is not taken from it)."""
    settings = channel.settings
    grace = timedelta(seconds=settings.inbox_grace_seconds)
    tasks: set[asyncio.Task[None]] = set()

    async def sweep() -> None:
        while True:
            try:
                await channel.replay_due(grace=grace)
            except Exception:
                log.exception("slack: the inbox sweep failed")
            await asyncio.sleep(settings.inbox_sweep_seconds)

    async def _start(_app: web.Application) -> None:
        tasks.add(asyncio.create_task(sweep()))

    async def _stop(_app: web.Application) -> None:
        for task in tasks:
            task.cancel()

    app.on_startup.append(_start)
    app.on_shutdown.insert(0, _stop)


def _socket_mode(app: web.Application, channel: SlackChannel, app_token: str) -> None:
    """Development: receive over a WebSocket instead of public HTTP endpoints. The SDK's handler
    is made when the server starts, inside the running event loop (it needs one), so building
    the application (``serve``, and ``worker``, which only registers the senders) needs none."""
    from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

    handlers: list[AsyncSocketModeHandler] = []
    tasks: set[asyncio.Task[None]] = set()

    async def _start(_app: web.Application) -> None:
        handler = AsyncSocketModeHandler(channel.bolt, app_token, web_client=channel.client)
        handlers.append(handler)
        # In the background: the SDK retries until it connects; the server starts regardless.
        tasks.add(asyncio.create_task(handler.connect_async()))

    async def _stop(_app: web.Application) -> None:
        for handler in handlers:
            await handler.close_async()
        for task in tasks:
            task.cancel()

    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
