"""Optional: install the Teams app for a roster user who never opened it (Microsoft Graph).

A proactive message needs a conversation, and Teams only creates one when the app is installed
for the user. With Graph configured (``STOPLICHT_GRAPH_ENABLED=1``, the bot's app registration
granted ``TeamsAppInstallation.ReadWriteSelfForUser.All`` and the app published in the tenant's
catalog as ``STOPLICHT_TEAMS_CATALOG_APP_ID``), the sender asks Graph to install it:
``POST /users/{id}/teamwork/installedApps``. Teams then sends the bot an ``installationUpdate``
whose conversation reference is stored like any other. 409 means it is installed already.

Tokens come from msal's client-credentials flow for the user's tenant (cached per tenant).
Blocking HTTP runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import msal
import requests

from schedules.delivery import PermanentFailure, RetryLater, Unreachable

SCOPE = "https://graph.microsoft.com/.default"


class GraphInstaller:
    def __init__(
        self,
        *,
        client_id: str,
        client_secret: str,
        catalog_app_id: str,
        graph_url: str = "https://graph.microsoft.com/v1.0",
        login_url: str = "https://login.microsoftonline.com",
        scope: str = SCOPE,
        http: requests.Session | None = None,
        validate_authority: bool = True,
    ) -> None:
        self._client_id = client_id
        self._secret = client_secret
        self._catalog_app_id = catalog_app_id
        self._graph = graph_url.rstrip("/")
        self._login = login_url.rstrip("/")
        self._scope = scope
        self._http = http or requests.Session()
        self._validate = validate_authority
        self._apps: dict[str, msal.ConfidentialClientApplication] = {}
        self._lock = threading.Lock()

    def _token(self, tenant: str) -> str:
        with self._lock:
            app = self._apps.get(tenant)
            if app is None:
                app = msal.ConfidentialClientApplication(
                    self._client_id,
                    client_credential=self._secret,
                    authority=f"{self._login}/{tenant}",
                    http_client=self._http,
                    validate_authority=self._validate,
                    instance_discovery=self._validate,
                )
                self._apps[tenant] = app
        result: dict[str, Any] = app.acquire_token_for_client(scopes=[self._scope])
        if "access_token" not in result:
            raise PermanentFailure(f"graph token: {result.get('error', 'unknown error')}")
        return str(result["access_token"])

    def _install(self, tenant: str, user_id: str) -> None:
        token = self._token(tenant)
        try:
            response = self._http.post(
                f"{self._graph}/users/{user_id}/teamwork/installedApps",
                json={
                    "teamsApp@odata.bind": f"{self._graph}/appCatalogs/teamsApps/"
                    f"{self._catalog_app_id}"
                },
                headers={"Authorization": f"Bearer {token}"},
                timeout=20,
            )
        except requests.RequestException as exc:
            raise RetryLater(f"graph unreachable: {exc.__class__.__name__}") from exc
        status = response.status_code
        if status in (200, 201, 409):
            return
        if status == 429 or status >= 500:
            retry = response.headers.get("Retry-After")
            raise RetryLater(
                f"graph answered {status}", retry_after=float(retry) if retry else None
            )
        if status in (403, 404):
            raise Unreachable(f"graph cannot install the app for the user ({status})")
        raise PermanentFailure(f"graph answered {status}")

    async def install_for(self, tenant: str, user_id: str) -> None:
        """Install the app for the AAD user ``user_id``; an installed app is fine."""
        await asyncio.to_thread(self._install, tenant, user_id)


async def reach_without_conversation(
    installer: GraphInstaller | None, tenant: str, user_id: str
) -> None:
    """A notification for someone without a stored conversation (either Teams backend):
    ``Unreachable``, or with Graph configured install the app for them and ``RetryLater``."""
    if installer is None:
        raise Unreachable("no Teams conversation yet (the user never opened the app)")
    await installer.install_for(tenant, user_id)
    raise RetryLater("the app was installed for the user; waiting for the conversation")
