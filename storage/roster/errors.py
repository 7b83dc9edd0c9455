"""The two outcomes of bad roster input: a fatal error, or one row left out with its reason."""

from __future__ import annotations

from dataclasses import dataclass


class RosterFileError(Exception):
    """A problem that makes the whole import impossible: missing directory, file or column."""


@dataclass(frozen=True)
class Rejected:
    """One input row that was not imported, and why."""

    file: str
    line: int
    reason: str
