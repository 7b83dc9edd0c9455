"""Tokens for the feedback coach: normalised words with their position in sentence and clause.

Normalising lowers case and strips accents ("geïnteresseerd" -> "geinteresseerd") so that the
lexicon needs one spelling. ``fuzzy_lookup`` forgives one slip in a word of five or more
letters, two in a word of ten or more ("onvoldonde", "slect", "dissapointing").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, replace
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
_QUOTES = frozenset("\"'\u201c\u201d\u201e\u00ab\u00bb")
# A stretch in quotation marks: "lui", “lazy”, 'slecht' (not the apostrophe of z'n, 's, 'm).
_QUOTED = re.compile(
    r'["“”„«»]([^"“”„«»\n]{1,80})["“”»]'
    r"|(?<![\w'])'([^'\n]{1,60})'(?![\w'])"
)


@lru_cache(maxsize=50000)
def normalise(text: str) -> str:
    """Lower case, no accents, typographic apostrophes made plain."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class Token:
    """One word or punctuation mark. ``sentence_start``: first word of a sentence;
    ``quoted``: inside quotation marks."""

    norm: str
    orig: str
    is_word: bool
    sentence_start: bool
    clause_start: bool
    quoted: bool = False

    @property
    def looks_like_name(self) -> bool:
        """Capitalised word with lower-case letters after the first (not "PvA", "I")."""
        return self.is_word and self.orig[0].isupper() and _name_like(self.orig)


@lru_cache(maxsize=50000)
def _name_like(orig: str) -> bool:
    return (
        len(orig) >= 2
        and _NAME.fullmatch(orig) is not None
        and any(ch.islower() for ch in orig)
        and not any(ch.isupper() for ch in orig[1:].split("-")[0])
    )


def tokenise(text: str) -> list[Token]:
    """Words and sentence punctuation, with sentence and clause starts and quotes marked."""
    tokens: list[Token] = []
    sentence_start = True
    clause_start = True
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    for match in _TOKEN.finditer(text):
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
    if not _QUOTES.isdisjoint(text):
        _mark_quotes(text, tokens)
    return tokens


def _mark_quotes(text: str, tokens: list[Token]) -> None:
    """Mark the words inside quotation marks; the opening quote of 'lui' is no apostrophe."""
    spans = [m.span() for m in _QUOTED.finditer(text)]
    if not spans:
        return  # apostrophes only: z'n, Jesse's
    span = 0  # the first quoted stretch that does not end before the current token
    for k, match in enumerate(_TOKEN.finditer(text)):
        at = match.start()
        while span < len(spans) and spans[span][1] <= at:
            span += 1
        if span == len(spans):
            return
        if spans[span][0] <= at and tokens[k].is_word:
            orig = tokens[k].orig
            if orig[0] == "'" and at == spans[span][0]:
                orig = orig[1:]
            tokens[k] = replace(tokens[k], orig=orig, norm=normalise(orig), quoted=True)


def word_at(tokens: list[Token], i: int) -> str:
    """The normalised word at ``i``, or "" for punctuation or outside the text."""
    if 0 <= i < len(tokens) and tokens[i].is_word:
        return tokens[i].norm
    return ""


@lru_cache(maxsize=64)
def _firsts(phrases: tuple[tuple[str, ...], ...]) -> frozenset[str]:
    return frozenset(phrase[0] for phrase in phrases)


def has_phrase(norms: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    """Does one of the phrases occur as a contiguous run of ``norms``?"""
    return bool(find_phrase(norms, phrases))


def find_phrase(norms: list[str], phrases: tuple[tuple[str, ...], ...]) -> str:
    """The first of the phrases that occurs as a contiguous run of ``norms`` ("" for none)."""
    firsts = _firsts(phrases)
    if firsts.isdisjoint(norms):
        return ""
    for i, word in enumerate(norms):
        if word in firsts:
            for phrase in phrases:
                if tuple(norms[i : i + len(phrase)]) == phrase:
                    return " ".join(w for w in phrase if w != "|")
    return ""


def all_capitals(tokens: list[Token]) -> bool:
    """The whole text typed in capitals ("TOM IS LUI"): no word in it is an acronym."""
    return "".join(tok.orig for tok in tokens if tok.is_word).isupper()


# "je bent echt LUI", "he is so LAZY": capitals said of a person are emphasis, not an acronym.
_PERSONS = frozenset({"je", "jij", "hij", "zij", "ze", "you", "he", "she", "u"})
_COPULAS = frozenset({"bent", "ben", "is", "was", "are", "'re", "'s", "were", "lijkt", "seem"})
_EMPHASIS = frozenset({"echt", "zo", "heel", "erg", "gewoon", "really", "so", "very", "just"})


def is_acronym(tokens: list[Token], i: int) -> bool:
    """ "SMART", "SMART-doelen", "ADHD": capitals only (before a hyphen), two letters or more,
    in a text not typed in capitals, and not said of a person ("Je bent echt LUI!") or shouted
    on its own ("LUI!")."""
    tok = tokens[i]
    head = tok.orig.split("-")[0]
    if len(head) < 2 or not head.isalpha() or not head.isupper() or all_capitals(tokens):
        return False
    if "-" in tok.orig:
        return True  # "SMART-doelen": part of a name
    k = i - 1
    while k >= 0 and tokens[k].is_word and tokens[k].norm in _EMPHASIS:
        k -= 1
    if k >= 1 and tokens[k].norm in _COPULAS and tokens[k - 1].norm in _PERSONS:
        return False
    alone = tok.sentence_start and (i + 1 == len(tokens) or not tokens[i + 1].is_word)
    return not alone


def may_be_slip(tok: Token) -> bool:
    """A capitalised word inside a sentence is a name: never read it as a misspelt word."""
    return tok.sentence_start or not tok.orig[:1].isupper() or not tok.looks_like_name


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


# Dutch spellings that sound alike: "slegt"/"slecht", "matich"/"matig", "teleurstelent".
_NL_SOUNDS = (("sch", "sg"), ("ch", "g"), ("ij", "ei"), ("y", "ei"), ("au", "ou"), ("ph", "f"),
              ("dt", "t"), ("c", "k"), ("x", "ks"), ("qu", "kw"))  # fmt: skip
_DOUBLE = re.compile(r"(.)\1+")
_DOUBLE_CONSONANT = re.compile(r"([^aeiou])\1+")  # not Dutch vowels: "slaap" is no "slap"
# A prefix typed as a longer one that sounds alike: "ondervoldoende" for "onvoldoende".
_NL_PREFIX_SLIPS = (("onder", "on"),)


@lru_cache(maxsize=50000)
def sound_key(word: str, code: str) -> str:
    """The word as it sounds, for matching slips: doubled letters once ("dissapointing",
    "insuficient"; in Dutch consonants only), and in Dutch ch/g, ij/ei, au/ou, a final d or
    dt as t."""
    if code == "nl":
        for written, sound in _NL_SOUNDS:
            word = word.replace(written, sound)
        if word.endswith("d"):
            word = word[:-1] + "t"
        return _DOUBLE_CONSONANT.sub(r"\1", word)
    return _DOUBLE.sub(r"\1", word)


class FuzzyIndex:
    """Exact matches of a word, words that sound like an entry, and near matches against the
    long, distinctive entries."""

    def __init__(
        self,
        entries: Iterable[str],
        *,
        fuzzy: frozenset[str],
        protected: frozenset[str],
        code: str = "nl",
    ) -> None:
        self._exact = frozenset(entries)
        self._protected = protected
        self._code = code
        self._sounds = {
            sound_key(entry, code): entry for entry in sorted(self._exact) if len(entry) >= 4
        }
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
        if len(word) < 4 or not word[0].isalpha() or word in self._protected:
            return None
        heard = self._sounds.get(sound_key(word, self._code))
        if heard is not None:
            return heard
        if self._code == "nl":
            for slip, prefix in _NL_PREFIX_SLIPS:
                if word.startswith(slip) and prefix + word[len(slip) :] in self._exact:
                    return prefix + word[len(slip) :]
        if len(word) < 5:
            return None
        limit = 2 if len(word) >= 10 else 1
        best: tuple[int, str] | None = None
        for entry in self._by_initial.get(word[0], ()):
            d = distance(word, entry, limit)
            if d <= limit and (best is None or d < best[0]):
                best = (d, entry)
        return best[1] if best else None
