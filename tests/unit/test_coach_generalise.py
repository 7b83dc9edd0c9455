"""The coach's rules for texts it has not seen: the probe table and the building blocks."""

from __future__ import annotations

from pathlib import Path

import pytest

from dialogs.coach.advice import LABELS, check
from dialogs.coach.languages import LEXICONS
from dialogs.coach.mention import hide_mentions
from dialogs.coach.text import sound_key, tokenise

_PROBES = Path(__file__).resolve().parents[1] / "fixtures" / "coach" / "generalise.tsv"


def _rows() -> list[tuple[str, str, tuple[str, ...]]]:
    rows = []
    for line in _PROBES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        field, text, labels = line.split("\t")
        found = {part.strip() for part in labels.split(",")} - {"ok"}
        assert found <= set(LABELS), line
        rows.append((field, text, tuple(label for label in LABELS if label in found)))
    return rows


PROBES = _rows()


def test_the_probe_table_is_there() -> None:
    assert len(PROBES) >= 300
    assert {label for _, _, labels in PROBES for label in labels} == set(LABELS)
    assert len({(field, text) for field, text, _ in PROBES}) == len(PROBES)


@pytest.mark.parametrize(("field", "text", "labels"), PROBES, ids=[r[1][:40] for r in PROBES])
def test_probe_table(field: str, text: str, labels: tuple[str, ...]) -> None:
    assert check(text, field=field).labels == labels  # type: ignore[arg-type]


def test_quotes_are_marked_and_an_opening_quote_is_no_apostrophe() -> None:
    words = [
        (tok.norm, tok.quoted)
        for tok in tokenise("Je bent 'lui' en \u201cdom\u201d")
        if tok.is_word
    ]
    assert words == [("je", False), ("bent", False), ("lui", True), ("en", False), ("dom", True)]
    clitics = [tok.norm for tok in tokenise("Zet 'm op, Jesse's plan") if tok.is_word]
    assert clitics == ["zet", "'m", "op", "jesse", "'s", "plan"]


@pytest.mark.parametrize(
    ("text", "hidden", "kept"),
    [
        ('Je zei: "ik ben lui"', {"lui"}, set()),
        ("Je vertelde dat je jezelf dom vindt, maar je had een 8", {"dom"}, {"maar", "had", "8"}),
        ("Je bent lui, zei je", {"lui"}, set()),
        ("Je zegt dat je moe bent, ik vind je lui", {"moe"}, {"ik", "vind", "lui"}),
        ("Hij is 'lui'", set(), {"lui"}),  # a scare quote is still the teacher's word
        ("Ik vind je lui", set(), {"lui"}),
        ("Je schreef een slecht verslag", set(), {"slecht"}),  # reports only with "dat"
    ],
)
def test_the_students_own_words_are_hidden(text: str, hidden: set[str], kept: set[str]) -> None:
    tokens = tokenise(text)
    after = hide_mentions(tokens)
    assert len(after) == len(tokens)
    gone = {a.norm for a, b in zip(tokens, after, strict=True) if a.is_word and not b.is_word}
    assert hidden <= gone
    assert not kept & gone
    if not hidden:
        assert after == tokens


def test_dutch_spellings_that_sound_alike_share_a_key() -> None:
    assert sound_key("slegte", "nl") == sound_key("slechte", "nl")
    assert sound_key("matich", "nl") == sound_key("matig", "nl")
    assert sound_key("teleurstelend", "nl") == sound_key("teleurstellend", "nl")
    assert sound_key("slaap", "nl") != sound_key("slap", "nl")  # long vowels stay long
    assert sound_key("dissapointing", "en") == sound_key("disappointing", "en")


@pytest.mark.parametrize(
    ("code", "word", "entry"),
    [
        ("nl", "slegt", "slecht"),
        ("nl", "ondervoldoende", "onvoldoende"),
        ("nl", "matich", "matig"),
        ("en", "insuficient", "insufficient"),
        ("nl", "talen", None),  # a real word one slip from "talent"
        ("nl", "beroert", None),
    ],
)
def test_slips_and_the_real_words_near_them(code: str, word: str, entry: str | None) -> None:
    lex = LEXICONS[code]
    found = lex.judgement.lookup(word) or lex.trait_strong.lookup(word)
    assert found == entry


@pytest.mark.parametrize(
    ("code", "word", "entry"),
    [("nl", "lerling", "leerling"), ("nl", "leerlingen", None), ("en", "stuent", "student")],
)
def test_person_nouns_forgive_a_slip_but_not_a_plural(
    code: str, word: str, entry: str | None
) -> None:
    assert LEXICONS[code].persons.lookup(word) == entry
