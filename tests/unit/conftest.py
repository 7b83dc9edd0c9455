"""Fixtures of the unit tests that run the command line against the demo school."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.demo_cli import copy_of, seed_demo_file


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo school, seeded once and copied per test (``db``)."""
    return seed_demo_file(tmp_path_factory.mktemp("demo") / "demo.sqlite")


@pytest.fixture
def db(demo_template: Path, tmp_path: Path) -> Path:
    return copy_of(demo_template, tmp_path)
