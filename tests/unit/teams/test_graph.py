"""Graph install for roster users without a conversation: msal client credentials against a
loopback fake (HTTPS, self-signed: msal only takes https authorities) token + Graph endpoint."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from bot.teams.graph import GraphInstaller
from bot.teams.sender import TeamsSender
from schedules.delivery import PermanentFailure, RetryLater, Target, Unreachable
from tests.support.bot_framework import ServerThread

TENANT = "tenant-graph"
CATALOG_ID = "catalog-app-1"


def _cert(tmp: Path) -> tuple[Path, Path]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp / "cert.pem", tmp / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class FakeGraph:
    def __init__(self) -> None:
        self.installs: list[tuple[str, dict[str, Any], str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.status = 201
        self.base = ""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(f"/{TENANT}/v2.0/.well-known/openid-configuration", self.openid)
        app.router.add_post(f"/{TENANT}/oauth2/v2.0/token", self.token)
        app.router.add_post("/v1.0/users/{uid}/teamwork/installedApps", self.install)
        return app

    async def openid(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "token_endpoint": f"{self.base}/{TENANT}/oauth2/v2.0/token",
                "authorization_endpoint": f"{self.base}/{TENANT}/oauth2/v2.0/authorize",
                "issuer": f"{self.base}/{TENANT}/v2.0",
            }
        )

    async def token(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.token_requests.append(form)
        if form.get("client_secret") != "secret":
            return web.json_response({"error": "invalid_client"}, status=401)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3600, "access_token": "graph-token"}
        )

    async def install(self, request: web.Request) -> web.Response:
        self.installs.append(
            (request.match_info["uid"], await request.json(), request.headers["Authorization"])
        )
        return web.json_response({}, status=self.status)


@pytest.fixture
def graph(tmp_path: Path) -> Iterator[tuple[FakeGraph, requests.Session]]:
    cert, key = _cert(tmp_path)
    fake = FakeGraph()
    server = ServerThread(fake.app())
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    server.ssl = ctx  # type: ignore[attr-defined]
    server.start()
    fake.base = f"https://127.0.0.1:{server.port}"
    http = requests.Session()
    http.verify = str(cert)
    http.trust_env = False  # REQUESTS_CA_BUNDLE/proxies from the environment would override verify
    yield fake, http
    server.stop()


def _installer(fake: FakeGraph, http: requests.Session, secret: str = "secret") -> GraphInstaller:
    return GraphInstaller(
        client_id="app-1",
        client_secret=secret,
        catalog_app_id=CATALOG_ID,
        graph_url=f"{fake.base}/v1.0",
        login_url=fake.base,
        http=http,
        validate_authority=False,
    )


async def test_install_for_a_user(graph: tuple[FakeGraph, requests.Session]) -> None:
    fake, http = graph
    await _installer(fake, http).install_for(TENANT, "aad-user-1")
    uid, body, auth = fake.installs[0]
    assert uid == "aad-user-1" and auth == "Bearer graph-token"
    assert body["teamsApp@odata.bind"].endswith(f"/appCatalogs/teamsApps/{CATALOG_ID}")
    assert fake.token_requests[0]["grant_type"] == "client_credentials"


async def test_already_installed_is_fine(graph: tuple[FakeGraph, requests.Session]) -> None:
    fake, http = graph
    fake.status = 409
    await _installer(fake, http).install_for(TENANT, "aad-user-1")


@pytest.mark.parametrize(
    ("status", "error"),
    [(429, RetryLater), (503, RetryLater), (403, Unreachable), (400, PermanentFailure)],
)
async def test_failures_are_classified(
    graph: tuple[FakeGraph, requests.Session], status: int, error: type
) -> None:
    fake, http = graph
    fake.status = status
    with pytest.raises(error):
        await _installer(fake, http).install_for(TENANT, "aad-user-1")


async def test_bad_secret_is_permanent(graph: tuple[FakeGraph, requests.Session]) -> None:
    fake, http = graph
    with pytest.raises(PermanentFailure):
        await _installer(fake, http, secret="wrong").install_for(TENANT, "aad-user-1")
    assert fake.installs == []


async def test_sender_installs_when_there_is_no_conversation(
    graph: tuple[FakeGraph, requests.Session],
) -> None:
    fake, http = graph
    sender = TeamsSender(adapter=None, app_id="app-1", installer=_installer(fake, http))  # type: ignore[arg-type]
    target = Target(person_id=1, channel="teams", tenant=TENANT, external_id="aad-user-2")
    with pytest.raises(RetryLater):
        await sender.send(target, [], key="n-1")
    assert [i[0] for i in fake.installs] == ["aad-user-2"]
