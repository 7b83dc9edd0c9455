"""The bot's outgoing token from a configured OAuth 2.0 endpoint (client credentials).

Both Teams backends get their outgoing tokens from their SDK's own client for Microsoft's
login (botbuilder's msal credentials; the Agents SDK's ``authentication-msal``). A sovereign or
private cloud whose login URL is not Microsoft's (and the channel tests' loopback fake) cannot
go through msal, which only accepts Microsoft's https authorities; for such a login URL the
token comes from a plain client-credentials request to ``<login url>/oauth2/v2.0/token``,
cached until shortly before it expires.
"""

from __future__ import annotations

import threading
import time

import requests

MICROSOFT_LOGIN_PREFIXES = (
    "https://login.microsoftonline.com",
    "https://login.microsoftonline.us",
)


def is_microsoft_login(url: str) -> bool:
    return not url or url.lower().startswith(MICROSOFT_LOGIN_PREFIXES)


class ClientCredentials:
    """Tokens for ``app_id`` from ``login_url``, one cache per process."""

    _cache: dict[tuple[str, str, str], tuple[str, float]] = {}
    _lock = threading.Lock()

    def __init__(self, *, app_id: str, password: str, login_url: str) -> None:
        self.app_id = app_id
        self._password = password
        self.login_url = login_url.rstrip("/")

    def token(self, scope: str, *, force_refresh: bool = False) -> str:
        """A token for ``scope`` (``/.default`` is added when missing). Raises
        ``PermissionError`` when the endpoint refuses."""
        if not scope.endswith("/.default"):
            scope += "/.default"
        key = (self.login_url, self.app_id, scope)
        with self._lock:
            hit = self._cache.get(key)
            if hit and not force_refresh and hit[1] > time.time() + 60:
                return hit[0]
        response = requests.post(
            f"{self.login_url}/oauth2/v2.0/token",
            data={
                "grant_type": "client_credentials",
                "client_id": self.app_id,
                "client_secret": self._password,
                "scope": scope,
            },
            timeout=10,
        )
        if response.status_code != 200:
            raise PermissionError(f"token endpoint answered {response.status_code}")
        body = response.json()
        token = str(body["access_token"])
        with self._lock:
            self._cache[key] = (token, time.time() + float(body.get("expires_in", 3600)))
        return token
