"""Judgement check of the feedback coach: a verdict with no observable behaviour.

Four ways a Dutch or English text passes a verdict, each a small rule:
- a value word (slecht, onvoldoende, zwak; poor, weak, badly), forgiving spelling slips;
- a standard the student stays below ("onder de verwachting", "haalt het niveau niet",
  "below expectations", "not up to standard");
- a positive verdict that is negated ("niet acceptabel", "not satisfactory");
- a verb of disappointment, also when Dutch splits it ("valt tegen", "schiet tekort",
  "laat te wensen over", "falls short").
A grade ("een onvoldoende gehaald") and grammar ("zwakke werkwoorden") are no verdict.
"""

from __future__ import annotations

from functools import lru_cache

from dialogs.coach import lexicon as lx
from dialogs.coach import lexicon_grammar as gr
from dialogs.coach.languages import LEXICONS, Lexicon
from dialogs.coach.text import Token, find_phrase, is_acronym, may_be_slip, word_at

NEGATIVE_TRAITS = frozenset(
    lx.adjective_forms("dom")
    | lx.adjective_forms("lui")
    | lx.adjective_forms("stom")
    | {"stupid", "dumb", "lazy"}
)
MISTAKES = frozenset(
    {"fout", "fouten", "foutje", "foutjes", "mistake", "mistakes", "error", "errors"}
)
# Standards with a negation before them, or (Dutch, verb last) "niet" after them.
_LEVELS = ("niveau", "level", "levels", "peil")
_WEAK_STANDARDS = frozenset({"maat", "gemiddelde", "average", "mark", "expected", "verwacht"})
# Degree words between a negation and a verdict: "niet echt denderend", "not that great".
_DEGREE = frozenset(
    {"echt", "zo", "erg", "heel", "helemaal", "bepaald", "bijzonder", "really", "very",
     "quite", "that", "so", "particularly", "at", "all", "entirely"}
)  # fmt: skip
# "terribly good": these adverbs intensify more often than they judge.
_INTENSIFYING_ADVERBS = frozenset({"terribly", "awfully", "dreadfully", "horribly"})


def _clause(norms: list[str], i: int, before: int, after: int) -> tuple[list[str], list[str]]:
    """Up to ``before`` words before and ``after`` words after ``i``, within its clause."""
    left = norms[max(0, i - before) : i]
    if "|" in left:
        left = left[len(left) - left[::-1].index("|") :]
    right = norms[i + 1 : i + 1 + after]
    if "|" in right:
        right = right[: right.index("|")]
    return left, right


@lru_cache(maxsize=50000)
def _role(word: str, code: str) -> str:
    """What a word can do in a judgement construction; "" for nothing (most words)."""
    lex = LEXICONS[code]
    standard = word if word in gr.STANDARDS or word.endswith(_LEVELS) else None
    standard = standard or lex.standards.lookup(word)  # "nivau", "expectatons"
    if standard:
        if standard.endswith(_LEVELS):
            return "level"
        return "weak_standard" if standard in _WEAK_STANDARDS else "standard"
    if word in (gr.NL_POSITIVE_VERDICTS if code == "nl" else gr.EN_POSITIVE_VERDICTS):
        return "verdict"
    verbs = gr.NL_SEPARABLE_JUDGEMENTS if code == "nl" else gr.EN_PHRASAL_JUDGEMENTS
    if word in verbs:
        return "particle"
    for particle, forms in verbs.items():
        if code == "nl" and word.startswith(particle) and word[len(particle) :] in forms:
            return "joined"  # "tegenvallende", "tekortgeschoten"
    return ""


# Short words are taken as written (no slip is forgiven below five letters), without a call.
def _short_roles(code: str) -> dict[str, str]:
    verdicts = gr.NL_POSITIVE_VERDICTS if code == "nl" else gr.EN_POSITIVE_VERDICTS
    verbs = gr.NL_SEPARABLE_JUDGEMENTS if code == "nl" else gr.EN_PHRASAL_JUDGEMENTS
    words = gr.STANDARDS | verdicts | frozenset(verbs)
    return {word: _role(word, code) for word in words if len(word) < 5}


_SHORT_ROLES = {"nl": _short_roles("nl"), "en": _short_roles("en")}


def _construction(norms: list[str], i: int, role: str, code: str) -> bool:
    """Does the word at ``i``, with its role, make a judgement in its clause?
    - a standard stayed below: "onder de maat", "haalt het niveau niet", "below expectations";
    - a negated verdict: "niet acceptabel", "niet echt denderend", "isn't satisfactory";
    - a verb of disappointment: "je cijfers vallen tegen", "her work falls short"."""
    nl = code == "nl"
    if role == "joined":
        return True
    if role == "verdict":
        prev = norms[i - 1] if i else ""
        if prev in _DEGREE and i >= 2:
            prev = norms[i - 2]
        return prev in gr.NEGATORS  # not "geen": "geen voldoende gehaald" is a grade
    if role == "particle":
        forms = (gr.NL_SEPARABLE_JUDGEMENTS if nl else gr.EN_PHRASAL_JUDGEMENTS)[norms[i]]
        left, right = _clause(norms, i, 6, 6 if nl else 0)
        return bool(forms.intersection(left) or forms.intersection(right))
    left, right = _clause(norms, i, 5, 5)
    if gr.BELOW.intersection(left[-3:]):
        return True
    if role == "weak_standard":
        return False  # "je maat", "je gemiddelde": only below one
    return bool(gr.LEVEL_NEGATIONS.intersection(left)) or (role == "level" and "niet" in right)


@lru_cache(maxsize=50000)
def _kind(word: str, code: str) -> tuple[str | None, str]:
    """The value word a word stands for (slips and English -ly forms included), and its role
    in a construction ("" for none): one cached look-up per word."""
    role = _role(word, code) if len(word) >= 5 else _SHORT_ROLES[code].get(word, "")
    lex = LEXICONS[code]
    hit = lex.judgement.lookup(word)
    if hit is None and "-" in word:
        hit = lex.judgement.lookup(word.rsplit("-", 1)[1])  # "super-slecht"
    if (
        hit is None
        and code == "en"
        and word.endswith("ly")
        and len(word) >= 5
        and word not in _INTENSIFYING_ADVERBS
    ):
        stem = word[:-3] + "y" if word.endswith("ily") else word[:-2]
        hit = stem if stem in lex.judgement else None  # "badly", "weakly", "sloppily"
    return hit, role


def _no_verdict(tokens: list[Token], i: int, hit: str) -> bool:
    """A value word that is no verdict on the student's work: a term of the subject ("zwakke
    zuren", "weak acids"), a part of the work described after it ("het zwakke punt in je
    betoog is de tweede alinea: ..."), a grade ("scoor je zwak op"), or about something else
    (sleep, weather: "het slechte weer", "je slaapt slecht")."""
    for k in range(i + 1, min(len(tokens), i + 4)):
        word = word_at(tokens, k)
        if word in gr.SUBJECT_TERMS:
            if word not in gr.PARTS_OF_WORK:
                return True
            return sum(tok.is_word for tok in tokens[k + 1 :]) >= 5  # and what was seen there
        if word not in gr.TERM_JOINERS:
            break
    back = [word_at(tokens, k) for k in range(i - 1, max(-1, i - 4), -1)]
    nxt = word_at(tokens, i + 1)
    for word in back:
        if word in gr.SCORE_VERBS:
            return hit not in _OWN_GRADES and (not nxt or nxt in _GRADE_FOR)
        if word not in gr.GRADE_FILLERS:
            break
    if tokens[i].quoted and back and back[0] in _GRADE_OWNERS:
        return True  # "je 'matig' bij ...", "your 'weak' on ...": the grade given
    near = range(max(0, i - 4), min(len(tokens), i + 5))
    if any(word_at(tokens, k) in gr.NOT_THE_WORK for k in near if _same_clause(tokens, i, k)):
        return True
    return _weather(tokens, i)


def _weather(tokens: list[Token], i: int) -> bool:
    """ "het slechte weer", "het weer was slecht" (not "weer een slechte toets": again)."""
    if word_at(tokens, i + 1) == "weer":
        return True
    return any(
        word_at(tokens, k) == "weer" and word_at(tokens, k - 1) == "het"
        for k in range(max(0, i - 4), i)
    )


# A grade after a score verb is followed by what it was for: "scoor je zwak op bronnen".
_GRADE_FOR = frozenset({"op", "bij", "voor", "in", "on", "for", "at"})
# These have their own grade rule ("een onvoldoende gehaald").
_OWN_GRADES = frozenset({"onvoldoende", "insufficient"})
_GRADE_OWNERS = frozenset({"je", "jouw", "your", "een", "a", "the", "de", "het"})


def _same_clause(tokens: list[Token], i: int, k: int) -> bool:
    low, high = min(i, k), max(i, k)
    return all(tok.is_word or tok.norm == "," for tok in tokens[low:high])


def judgement(tokens: list[Token], lex: Lexicon) -> str:
    """A value word (slecht, onvoldoende, poor) or construction ("niet goed genoeg"): the
    words that pass the verdict, "" for none."""
    nl = lex.code == "nl"
    norms = [tok.norm if tok.is_word else "|" for tok in tokens]
    norms.append("|")
    if not nl and "'t" in norms:
        norms = ["not" if word == "'t" else word for word in norms]  # "isn't", "wasn't"
    parts = norms
    joined = " ".join(norms)
    if "-" in joined:
        parts = joined.replace("-", " ").split(" ")  # "below-par" as two words
    runs = gr.NL_JUDGEMENT_RUNS if nl else gr.EN_JUDGEMENT_RUNS
    found = find_phrase(parts, lex.judgement_phrases) or find_phrase(parts, runs)
    if found:
        return found
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        hit, role = _kind(tok.norm, lex.code)
        if role and _construction(norms, i, role, lex.code):
            return _around(tokens, i, role)
        nxt = word_at(tokens, i + 1)
        if tok.norm in NEGATIVE_TRAITS and nxt in MISTAKES:
            return f"{tok.orig} {tokens[i + 1].orig}"
        if hit is None or not may_be_slip(tok) or is_acronym(tokens, i):
            continue
        if nl:
            if nxt in lx.NL_JUDGEMENT_EXEMPT_NEXT:
                continue  # "zwakke werkwoorden" is grammar
            if (
                hit == "onvoldoende"
                and word_at(tokens, i - 1) in lx.NL_GRADE_DETERMINERS
                and (nxt not in lex.generic_nouns)
            ):
                continue  # "een onvoldoende gehaald" is a grade
        if _no_verdict(tokens, i, hit):
            continue
        return tok.orig
    return ""


def _around(tokens: list[Token], i: int, role: str) -> str:
    """The words of a construction for the tip: the word with its neighbour(s)."""
    if role == "joined":
        return tokens[i].orig
    low = i - 1 if i and tokens[i - 1].is_word else i
    high = i + 1 if i + 1 < len(tokens) and tokens[i + 1].is_word and role != "verdict" else i
    return " ".join(tok.orig for tok in tokens[low : high + 1])
