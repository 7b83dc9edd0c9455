"""Requests that must be turned away before they reach the dialogs: 401/400, nothing changed."""

from __future__ import annotations

import base64
import json
import logging
import time
from typing import Any

import jwt
import pytest

from tests.integration.teams.conftest import Channel, snapshot


def _unsigned(claims: dict[str, Any]) -> str:
    def b64(obj: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    return f"{b64({'alg': 'none', 'typ': 'JWT', 'kid': 'stoplicht-test-key'})}.{b64(claims)}."


def _tokens(channel: Channel) -> dict[str, str | None]:
    fake = channel.fake
    now = int(time.time())
    return {
        "missing": None,
        "forged (other key)": fake.token(key=fake.other_key),
        "expired": fake.token(exp=now - 3600, nbf=now - 7200),
        "wrong audience": fake.token(aud="11111111-2222-3333-4444-555555555555"),
        "no audience": fake.token(aud=None),
        "wrong issuer": fake.token(iss="https://evil.example"),
        "wrong serviceurl": fake.token(serviceurl="http://127.0.0.1:9/connector/"),
        "unknown key id": fake.token(kid="someone-else"),
        "unsigned": _unsigned({"iss": "https://api.botframework.com", "aud": fake.app_id}),
        "HS256 with the public key": jwt.encode(
            {"iss": "https://api.botframework.com", "aud": fake.app_id, "exp": now + 60},
            "secret",
            algorithm="HS256",
            headers={"kid": "stoplicht-test-key"},
        ),
        "garbage": "not.a.jwt",
    }


CASES = [
    "missing",
    "forged (other key)",
    "expired",
    "wrong audience",
    "no audience",
    "wrong issuer",
    "wrong serviceurl",
    "unknown key id",
    "unsigned",
    "HS256 with the public key",
    "garbage",
]


@pytest.mark.parametrize("case", CASES)
def test_bad_tokens_are_401_and_change_nothing(channel: Channel, case: str) -> None:
    before = snapshot(channel.session_factory)
    token = _tokens(channel)[case]
    r = channel.post(channel.activity("message", text="feedback"), token=token or "")
    assert r.status_code == 401, (case, r.status_code, r.text)
    assert snapshot(channel.session_factory) == before
    assert channel.fake.sent == [] and channel.fake.member_lookups == []


def test_wrong_scheme_is_401(channel: Channel) -> None:
    r = channel.post(
        channel.activity("message", text="feedback"),
        token=None,
        headers={"Authorization": f"Basic {channel.fake.token()}"},
    )
    assert r.status_code == 401


def _without(body: dict[str, Any], *path: str) -> dict[str, Any]:
    node = body
    for key in path[:-1]:
        node = node[key]
    del node[path[-1]]
    return body


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: _without(b, "from", "id"),
        lambda b: _without(b, "from"),
        lambda b: _without(b, "type"),
        lambda b: _without(b, "serviceUrl"),
        lambda b: _without(b, "conversation"),
        lambda b: dict(b, text=42),
        lambda b: dict(b, **{"from": "29:someone"}),
        lambda b: dict(b, type=["message"]),
        lambda b: [b],
    ],
    ids=[
        "no from.id",
        "no from",
        "no type",
        "no serviceUrl",
        "no conversation",
        "text is a number",
        "from is a string",
        "type is a list",
        "a list",
    ],
)
def test_malformed_activities_are_400_and_change_nothing(channel: Channel, mangle: Any) -> None:
    before = snapshot(channel.session_factory)
    r = channel.post(mangle(channel.activity("message", text="feedback")))
    assert r.status_code == 400, r.text
    assert "error" in r.json()
    assert snapshot(channel.session_factory) == before
    assert channel.fake.sent == []


@pytest.mark.parametrize("body", ["{not json", b"\xff\xfe", ""])
def test_non_json_is_400(channel: Channel, body: Any) -> None:
    assert channel.post(body).status_code == 400


def test_wrong_content_type_is_415(channel: Channel) -> None:
    r = channel.post("{}", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


@pytest.mark.parametrize(
    "mangle",
    [
        lambda b: dict(b, type="someFutureActivityType"),
        lambda b: dict(b, recipient="28:bot"),
        lambda b: dict(b, entities="clientInfo"),
        lambda b: dict(b, timestamp="gisteren"),
        lambda b: dict(b, attachments={"contentType": "image/png"}),
        lambda b: dict(b, conversation=dict(b["conversation"], isGroup="ja")),
        lambda b: dict(b, value=[1, 2]),
        lambda b: dict(b, channelData="x"),
    ],
    ids=[
        "unknown type",
        "recipient is a string",
        "entities is a string",
        "timestamp is not a time",
        "attachments is an object",
        "isGroup is text",
        "value is a list",
        "channelData is text",
    ],
)
def test_odd_activities_get_no_5xx_and_no_traceback(
    channel: Channel, mangle: Any, caplog: pytest.LogCaptureFixture
) -> None:
    """What an SDK's object model may not take: a clear 4xx or an ignored 2xx, never a 500,
    and no stack trace in the answer or at error level in the log."""
    before = snapshot(channel.session_factory)
    r = channel.post(mangle(channel.activity("message", text="feedback")))
    assert r.status_code < 500, r.text
    assert "Traceback" not in r.text
    assert not [x for x in caplog.records if x.levelno >= logging.ERROR and x.exc_info], [
        x.getMessage() for x in caplog.records
    ]
    if r.status_code >= 400:
        assert snapshot(channel.session_factory) == before
