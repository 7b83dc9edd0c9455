"""The Agents SDK backend keeps its connector clients (and their HTTP sessions) between turns
instead of building and closing them per activity; a new token gives new clients, and the
clients dropped from the bounded set are closed."""

from __future__ import annotations

from typing import Any

from microsoft_agents.hosting.core.authorization import ClaimsIdentity

from bot.teams.agents.reused_clients import MAX_CLIENTS, ReusedClientFactory


class Tokens:
    """The SDK's token-provider interface: a fixed token until ``token`` is changed."""

    def __init__(self) -> None:
        self.token = "token-1"

    async def get_access_token(
        self, resource_url: str, scopes: list[str], force: bool = False
    ) -> str:
        return self.token


class Connections:
    def __init__(self) -> None:
        self.tokens = Tokens()

    def get_token_provider(self, identity: Any, service_url: str) -> Tokens:
        return self.tokens


def _identity() -> ClaimsIdentity:
    return ClaimsIdentity({"aud": "bot-app", "ver": "1.0", "appid": "bot-app"}, True)


async def test_one_client_per_service_url_and_token_survives_the_turns_close() -> None:
    connections = Connections()
    factory = ReusedClientFactory(connections)
    identity = _identity()
    audience = "https://api.botframework.com"
    first = await factory.create_connector_client(None, identity, "https://smba/emea/", audience)
    await first.close()  # what the adapter does at the end of each turn
    again = await factory.create_connector_client(None, identity, "https://smba/emea/", audience)
    assert again is first and not first.client.closed
    other = await factory.create_connector_client(None, identity, "https://smba/amer/", audience)
    assert other is not first
    connections.tokens.token = "token-2"  # refreshed: the new token is what gets sent
    renewed = await factory.create_connector_client(None, identity, "https://smba/emea/", audience)
    assert renewed is not first
    assert renewed.client.headers["Authorization"] == "Bearer token-2"
    users = await factory.create_user_token_client(None, identity)
    await users.close()
    assert await factory.create_user_token_client(None, identity) is users
    for client in list(factory._kept.values()):
        await client.really_close()


async def test_the_kept_clients_are_bounded_and_the_dropped_ones_closed() -> None:
    connections = Connections()
    factory = ReusedClientFactory(connections)
    identity = _identity()
    made = []
    for i in range(MAX_CLIENTS + 3):
        made.append(
            await factory.create_connector_client(None, identity, f"https://smba/{i}/", "aud")
        )
    assert len(factory._kept) == MAX_CLIENTS
    assert all(c.client.closed for c in made[:3])
    assert not any(c.client.closed for c in made[3:])
    for client in list(factory._kept.values()):
        await client.really_close()
