"""The text catalogues: both languages hold the same keys and the same placeholders."""

from __future__ import annotations

import string

import pytest

from dialogs.texts import catalogue, language, t


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def test_languages_have_the_same_keys() -> None:
    nl, en = catalogue("nl"), catalogue("en")
    assert set(nl) - set(en) == set(), "keys missing in English"
    assert set(en) - set(nl) == set(), "keys missing in Dutch"


def test_placeholders_match_between_languages() -> None:
    nl, en = catalogue("nl"), catalogue("en")
    mismatched = {k for k in nl if _fields(nl[k]) != _fields(en[k])}
    assert mismatched == set()


@pytest.mark.parametrize(
    ("hint", "expected"),
    [("en-US", "en"), ("EN", "en"), ("nl-BE", "nl"), ("fr-FR", "nl"), (None, "nl"), ("", "nl")],
)
def test_language_hint(hint: str | None, expected: str) -> None:
    assert language(hint) == expected


def test_lookup_formats_and_falls_back() -> None:
    assert t("en", "error.text_too_long", length=1200, max=1000).startswith("Your text")
    assert "1200" in t("nl", "error.text_too_long", length=1200, max=1000)
    with pytest.raises(KeyError):
        t("nl", "no.such.key")
