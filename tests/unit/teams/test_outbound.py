"""Connector failures of either Teams backend onto the delivery contract (``classify``)."""

from __future__ import annotations

import aiohttp
import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from bot.teams.outbound import classify
from schedules.delivery import PermanentFailure, RetryLater, Unreachable


def _agents_error(status: int, retry_after: str | None = None) -> aiohttp.ClientResponseError:
    """What the Agents SDK's connector client raises for a refused call."""
    headers = CIMultiDict({"Retry-After": retry_after} if retry_after is not None else {})
    info = aiohttp.RequestInfo(URL("http://127.0.0.1/v3"), "POST", CIMultiDictProxy(CIMultiDict()))
    return aiohttp.ClientResponseError(
        info, (), status=status, message="x", headers=CIMultiDictProxy(headers)
    )


@pytest.mark.parametrize(
    ("status", "retry_after", "outcome", "wait"),
    [
        (429, "7", RetryLater, 7.0),
        (429, "soon", RetryLater, None),
        (503, None, RetryLater, None),
        (412, None, RetryLater, None),
        (403, None, Unreachable, None),
        (404, None, Unreachable, None),
        (401, None, PermanentFailure, None),
        (400, None, PermanentFailure, None),
    ],
)
def test_agents_connector_errors(
    status: int, retry_after: str | None, outcome: type, wait: float | None
) -> None:
    result = classify(_agents_error(status, retry_after))
    assert type(result) is outcome
    if isinstance(result, RetryLater):
        assert result.retry_after == wait


def test_unreachable_connector_is_retry_later() -> None:
    assert isinstance(classify(aiohttp.ClientConnectionError("refused")), RetryLater)
    assert isinstance(classify(TimeoutError()), RetryLater)
    assert isinstance(classify(PermissionError("token endpoint answered 401")), PermanentFailure)
