"""Domain errors. Each carries a catalogue key and parameters, so the edge can show it in the
user's language (``dialogs.texts``) or as one clear line on the command line."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    key = "error.domain"

    def __init__(self, message: str = "", **params: Any) -> None:
        super().__init__(message or self.key)
        self.params = params


class NotFound(DomainError):
    key = "error.not_found"


class NotAllowed(DomainError):
    key = "error.not_allowed"


class RoundClosed(DomainError):
    key = "error.round_closed"


class RoundNotOpen(DomainError):
    key = "error.round_not_open"


class InvalidTransition(DomainError):
    key = "error.invalid_transition"


class MandatoryFieldMissing(DomainError):
    """``params['fields']`` names the missing fields (``remark``, ``action``)."""

    key = "error.mandatory_missing"


class TextTooLong(DomainError):
    key = "error.text_too_long"


class InvalidInput(DomainError):
    key = "error.invalid_input"
