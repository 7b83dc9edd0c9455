"""The Teams adapter keeps one connector client per (bot, service URL, audience) between
activities instead of building one per activity; authentication stays the SDK's own."""

from __future__ import annotations

from typing import Any

from botframework.connector.auth import AuthenticateRequestResult, ClaimsIdentity

from bot.teams.reused_clients import MAX_CLIENTS, ReusedClients


class Factory:
    def __init__(self) -> None:
        self.made: list[tuple[str, str | None]] = []

    async def create(self, service_url: str, audience: str | None = None) -> Any:
        self.made.append((service_url, audience))
        return object()


class Auth:
    """Stands in for the SDK's authentication: a new factory per request, as botbuilder does."""

    def __init__(self) -> None:
        self.factories: list[Factory] = []
        self.user_clients = 0

    async def authenticate_request(self, activity: Any, auth_header: str) -> Any:
        if auth_header != "Bearer good":
            raise PermissionError("Unauthorized")
        factory = Factory()
        self.factories.append(factory)
        result = AuthenticateRequestResult()
        result.claims_identity = ClaimsIdentity({"aud": "bot-app", "ver": "1.0"}, True)
        result.connector_factory = factory
        result.audience = "https://api.botframework.com"
        return result

    async def create_user_token_client(self, identity: Any) -> Any:
        self.user_clients += 1
        return object()

    def create_connector_factory(self, identity: Any) -> Any:
        factory = Factory()
        self.factories.append(factory)
        return factory


async def test_clients_are_built_once_per_service_url_and_reused() -> None:
    inner = Auth()
    auth = ReusedClients(inner)  # type: ignore[arg-type]
    clients = []
    for _ in range(3):
        result = await auth.authenticate_request(None, "Bearer good")
        clients.append(await result.connector_factory.create("https://smba/emea/", result.audience))
    assert clients[0] is clients[1] is clients[2]
    other = await result.connector_factory.create("https://smba/amer/", result.audience)
    assert other is not clients[0]
    assert sum(len(f.made) for f in inner.factories) == 2
    identity = result.claims_identity
    assert await auth.create_user_token_client(identity) is await auth.create_user_token_client(
        identity
    )
    assert inner.user_clients == 1
    proactive = await auth.create_connector_factory(identity).create(
        "https://smba/emea/", "https://api.botframework.com"
    )
    assert proactive is clients[0]


async def test_authentication_is_still_the_sdks_and_the_cache_is_bounded() -> None:
    inner = Auth()
    auth = ReusedClients(inner)  # type: ignore[arg-type]
    try:
        await auth.authenticate_request(None, "Bearer forged")
    except PermissionError:
        pass
    else:
        raise AssertionError("a forged header passed")
    result = await auth.authenticate_request(None, "Bearer good")
    for i in range(MAX_CLIENTS + 10):
        await result.connector_factory.create(f"https://smba/{i}/", None)
    assert len(auth._connectors._items) == MAX_CLIENTS
