"""The journeys' clock is the process's clock (time-machine): whatever happens to a journey,
its term's travel ends with the test, so later tests in the same worker see the real time."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.journeys.term import Term


@pytest.fixture
def new_term() -> Iterator[Callable[[sessionmaker[Session]], Term]]:
    terms: list[Term] = []

    def make(sf: sessionmaker[Session]) -> Term:
        terms.append(Term(sf))
        return terms[-1]

    yield make
    for term in terms:
        term.stop()
