"""Tokens for the feedback coach: normalised words with their position in sentence and clause.

Normalising lowers case and strips accents ("geïnteresseerd" -> "geinteresseerd") so that the
lexicon needs one spelling. ``fuzzy_lookup`` forgives one slip in a word of five or more
letters, two in a word of ten or more ("onvoldonde", "slect", "dissapointing").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

_TOKEN = re.compile(
    r"\b(?:[zZ]'[nN]|[dD]'[rR]|[mM]'[nN])\b"  # Dutch z'n (zijn), d'r (haar), m'n (mijn)
    r"|[^\W\d_]+(?:-[^\W\d_]+)*|'[^\W\d_]+|\d+(?:[.,]\d+)?|[.!?;:,()\n]"
)
_SENTENCE_END = frozenset(".!?;:\n()")
_CLAUSE_END = _SENTENCE_END | {","}
_CLAUSE_WORDS = frozenset(
    {
        "en",
        "maar",
        "of",
        "want",
        "dus",
        "dan",
        "and",
        "but",
        "or",
        "so",
        "then",
        "dat",
        "omdat",
        "als",
        "wanneer",
        "that",
        "because",
        "if",
        "when",
    }
)
_NAME = re.compile(r"[^\W\d_a-z]\w*(?:-[^\W\d_a-z]\w*)*")


@lru_cache(maxsize=50000)
def normalise(text: str) -> str:
    """Lower case, no accents, typographic apostrophes made plain."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Token:
    """One word or punctuation mark. ``sentence_start``: first word of a sentence."""

    norm: str
    orig: str
    is_word: bool
    sentence_start: bool
    clause_start: bool

    @property
    def looks_like_name(self) -> bool:
        """Capitalised word with lower-case letters after the first (not "PvA", "I")."""
        return (
            self.is_word
            and len(self.orig) >= 2
            and _NAME.fullmatch(self.orig) is not None
            and any(ch.islower() for ch in self.orig)
            and not any(ch.isupper() for ch in self.orig[1:].split("-")[0])
        )


def tokenise(text: str) -> list[Token]:
    """Words and sentence punctuation, with sentence and clause starts marked."""
    tokens: list[Token] = []
    sentence_start = True
    clause_start = True
    for match in _TOKEN.finditer(text.replace("\u2019", "'").replace("\u2018", "'")):
        orig = match.group()
        norm = normalise(orig)
        is_word = orig[0].isalnum() or orig[0] == "'"
        if not is_word:
            tokens.append(Token(norm, orig, False, False, False))
            if orig in _SENTENCE_END:
                sentence_start = True
            if orig in _CLAUSE_END:
                clause_start = True
            continue
        if norm in _CLAUSE_WORDS:
            clause_start = True
        tokens.append(Token(norm, orig, True, sentence_start, clause_start))
        sentence_start = False
        clause_start = norm in _CLAUSE_WORDS
    return tokens


def words(tokens: Iterable[Token]) -> list[str]:
    return [tok.norm for tok in tokens if tok.is_word]


def distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance, stopping early once above ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


class FuzzyIndex:
    """Exact matches of a word, and near matches against the long, distinctive entries."""

    def __init__(
        self, entries: Iterable[str], *, fuzzy: frozenset[str], protected: frozenset[str]
    ) -> None:
        self._exact = frozenset(entries)
        self._protected = protected
        by_initial: dict[str, list[str]] = {}
        for entry in self._exact:
            if entry in fuzzy:
                by_initial.setdefault(entry[0], []).append(entry)
        self._by_initial = {k: tuple(sorted(v)) for k, v in by_initial.items()}
        self.lookup = lru_cache(maxsize=20000)(self._lookup)

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.lookup(word) is not None

    def _lookup(self, word: str) -> str | None:
        if word in self._exact:
            return word
        if len(word) < 5 or word in self._protected:
            return None
        limit = 2 if len(word) >= 10 else 1
        best: tuple[int, str] | None = None
        for entry in self._by_initial.get(word[0], ()):
            d = distance(word, entry, limit)
            if d <= limit and (best is None or d < best[0]):
                best = (d, entry)
        return best[1] if best else None
