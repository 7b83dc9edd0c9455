"""Slack tokens and secrets never reach a log line."""

from __future__ import annotations

import logging

import pytest

from bot.slack import redact

SECRETS = [
    "xoxb-1234-5678-AbCdEf",
    "xoxp-1-2-3-abc",
    "xapp-1-A111-222-abcdef",
    "xoxe.xoxb-1-abcdef",
    "xoxe-1-refreshtoken",
]


@pytest.mark.parametrize("secret", SECRETS)
def test_tokens_are_masked_from_any_logger(secret: str, caplog: pytest.LogCaptureFixture) -> None:
    redact.install()
    caplog.set_level(logging.DEBUG)
    logging.getLogger("slack_sdk.web.async_base_client").debug("Sending: token=%s ok", secret)
    logging.getLogger("somewhere.else").warning(f"header Bearer {secret}")
    text = caplog.text + "".join(r.getMessage() for r in caplog.records)
    assert secret not in text
    assert "[redacted]" in text


def test_form_secrets_are_masked_and_other_text_kept() -> None:
    line = "client_id=111.222&client_secret=abc123&refresh_token=xyz&code=c1"
    out = redact.redact(line)
    assert "abc123" not in out and "xyz" not in out
    assert "client_id=111.222" in out and "code=c1" in out
    assert redact.redact("nothing to hide: x0xb") == "nothing to hide: x0xb"
