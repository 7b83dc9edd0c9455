"""Judgement and fixed-trait checks of the feedback coach, each a small set of rules.

Every function takes the tokens of one text and the word lists of its language and answers
yes/no, so that a surprising label can be traced to one rule. Third person is in
``coach_person``, vague actions in ``coach_actions``.
"""

from __future__ import annotations

from functools import lru_cache

from dialogs import coach_lexicon as lx
from dialogs.coach_languages import LEXICONS, Lexicon
from dialogs.coach_text import Token

# fmt: off
_INTENSIFIER_PREFIXES = ("super", "hyper", "mega", "ultra", "oer", "aarts", "zeer")
# Adjectives that praise an act as readily as a person: "slim plannen", "clever solution".
_ACT_ADJECTIVES = frozenset(
    lx.adjective_forms("slim") | lx.adjective_forms("knap") | lx.adjective_forms("intelligent")
    | lx.adjective_forms("geniaal") | lx.adjective_forms("briljant")
    | {"smart", "smarter", "clever", "cleverly", "bright", "brilliant", "intelligent",
       "smartly", "intelligently", "brilliantly"}
)
_NEGATIVE_TRAITS = frozenset(
    lx.adjective_forms("dom") | lx.adjective_forms("lui") | lx.adjective_forms("stom")
    | {"stupid", "dumb", "lazy"}
)
_MISTAKES = frozenset({"fout", "fouten", "foutje", "foutjes", "mistake", "mistakes", "error",
                       "errors"})
_EN_ACT_VERBS = frozenset(
    {"work", "worked", "working", "think", "thought", "plan", "planned", "study", "studied",
     "revise", "revised", "learn", "practise", "practice", "prepare", "prepared", "play",
     "played", "act"}
)
_LEVEL_NEGATIONS = frozenset({"niet", "geen", "onder", "not", "no", "below", "under"})
_CLAUSE_OPENERS = frozenset({"dat", "hoe", "that", "how"})  # "Wat knap dat je ... vroeg"
_THING_SUBJECTS = frozenset({"dat", "dit", "het", "that", "this", "it"})
_EN_AMBIGUOUS_TRAITS = frozenset({"natural", "naturally", "bright", "gift", "idle", "thick", "dim"})
_EN_DEGREE = frozenset({"very", "so", "really", "quite", "extremely", "incredibly", "super",
                        "pretty", "bit", "rather", "truly"})
_BORN = frozenset({"geboren", "born"})
_BARE_VERBS = frozenset({"re", "bent", "ben", "doet", "doe", "deed", "do", "did", "does", "gaat",
                         "ga", "rock", "rocks", "best"})
# fmt: on


def _word(tokens: list[Token], i: int) -> str:
    """The normalised word at ``i``, or "" for punctuation or outside the text."""
    if 0 <= i < len(tokens) and tokens[i].is_word:
        return tokens[i].norm
    return ""


def _has_phrase(norms: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    firsts = {phrase[0] for phrase in phrases}
    for i, word in enumerate(norms):
        if word in firsts:
            for phrase in phrases:
                if tuple(norms[i : i + len(phrase)]) == phrase:
                    return True
    return False


def _may_be_slip(tok: Token) -> bool:
    """A capitalised word inside a sentence is a name: never read it as a misspelt word."""
    return tok.sentence_start or not tok.looks_like_name


# ---------------------------------------------------------------- judgement
def _lacks_the_level(norms: list[str]) -> bool:
    """ "heeft het niveau van havo 4 niet", "niet op niveau", "not at the expected level"."""
    for i, word in enumerate(norms):
        if word.endswith(("niveau", "level")):
            before = norms[max(0, i - 5) : i]
            if "|" in before:
                before = before[len(before) - before[::-1].index("|") :]
            after = norms[i + 1 : i + 6]
            if "|" in after:
                after = after[: after.index("|")]
            if "niet" in after or _LEVEL_NEGATIONS.intersection(before):
                return True
    return False


def judgement(tokens: list[Token], lex: Lexicon) -> bool:
    """A value word (slecht, onvoldoende, poor) or phrase ("niet goed genoeg")."""
    norms = [tok.norm if tok.is_word else "|" for tok in tokens] + ["|"]
    if _has_phrase(norms, lex.judgement_phrases) or _lacks_the_level(norms):
        return True
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        nxt = _word(tokens, i + 1)
        if tok.norm in _NEGATIVE_TRAITS and nxt in _MISTAKES:
            return True
        hit = lex.judgement.lookup(tok.norm) if _may_be_slip(tok) else None
        if hit is None:
            continue
        if lex.code == "nl":
            if nxt in lx.NL_JUDGEMENT_EXEMPT_NEXT:
                continue  # "zwakke werkwoorden" is grammar
            if (
                hit == "onvoldoende"
                and _word(tokens, i - 1) in lx.NL_GRADE_DETERMINERS
                and (nxt not in lex.generic_nouns)
            ):
                continue  # "een onvoldoende gehaald" is a grade
        return True
    return False


# ---------------------------------------------------------------- fixed traits
def _strong_trait(word: str, lex: Lexicon) -> bool:
    return _strong_trait_in(word, lex.code)


@lru_cache(maxsize=20000)
def _strong_trait_in(word: str, code: str) -> bool:
    lex = LEXICONS[code]
    if word in lex.trait_strong:
        return True
    if lex.code == "nl":
        for prefix in _INTENSIFIER_PREFIXES:
            if word.startswith(prefix) and word[len(prefix) :] in lex.trait_strong:
                return True
        return any(
            word.endswith(suffix) and len(word) > len(suffix) + 2 for suffix in lx.NL_TRAIT_SUFFIXES
        )
    return False


def _qualifies_an_act(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """ "slim plannen", "slimme aanpak", "knap werk", "work smarter", "dat was slim"."""
    nxt, prev = _word(tokens, i + 1), _word(tokens, i - 1)
    if nxt in lex.act_nouns or nxt in lex.task_nouns or nxt in _CLAUSE_OPENERS:
        return True
    if prev in lex.copulas and _word(tokens, i - 2) in _THING_SUBJECTS:
        return True
    if lex.code == "nl":
        person = nxt in lx.NL_PERSON_NOUNS
        infinitive = len(nxt) >= 5 and nxt.endswith("en") and not person
        participle = len(nxt) >= 5 and nxt.startswith("ge") and nxt[-1] in "dt"
        return infinitive or participle or _finite(prev, lex) or _finite(nxt, lex)
    return nxt.endswith(("ing", "ly", "ed")) or prev in _EN_ACT_VERBS


def _finite(word: str, lex: Lexicon) -> bool:
    """A Dutch finite verb other than a copula: "je plant slim", "dat je slim plant"."""
    return (
        len(word) >= 3
        and word.endswith("t")
        and word not in lx.NL_NOT_VERB_T
        and word not in lex.copulas
        and word not in lex.concrete_nouns
    )


def _en_ambiguous_is_trait(tokens: list[Token], i: int) -> bool:
    word, nxt, prev = tokens[i].norm, _word(tokens, i + 1), _word(tokens, i - 1)
    if word == "natural":
        return prev in lx.EN_NATURAL_BEFORE or nxt in lx.EN_NATURAL_AFTER
    if word == "naturally":
        return nxt in {"gifted", "talented", "smart", "clever", "bright", "good"}
    if word == "bright":
        return nxt in lx.EN_BRIGHT_AFTER or (prev in lx.EN_COPULAS | _EN_DEGREE and not nxt)
    if word == "gift":
        return nxt == "for"
    return prev in lx.EN_COPULAS | _EN_DEGREE


def _names_behaviour(tokens: list[Token], lex: Lexicon) -> bool:
    """The text says what the student did: a task named, or "je/you" doing something more
    specific than being or doing well ("Je doet het super, kanjer!" names nothing)."""
    for i, tok in enumerate(tokens):
        if tok.norm in lex.task_nouns:
            return True
        if tok.norm in {"je", "jij", "you", "u"}:
            nxt = _word(tokens, i + 1).lstrip("'")
            if nxt and nxt not in lex.copulas | lex.trait_soft | _BARE_VERBS:
                return True
    return False


def fixed_trait(tokens: list[Token], lex: Lexicon) -> bool:
    """Praise or blame of a fixed quality: slim, lui, knobbel, talent; smart, lazy, gifted."""
    soft = False
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        word = tok.norm
        if word in lex.trait_soft:
            soft = True
            continue
        if not _may_be_slip(tok) or not _strong_trait(word, lex):
            continue
        if word in _NEGATIVE_TRAITS and _word(tokens, i + 1) in _MISTAKES:
            continue  # a judgement of the mistake, counted there
        if lex.code == "en" and word.endswith("ly") and word != "naturally":
            continue  # an adverb qualifies an act: "you solved it brilliantly"
        if word in _ACT_ADJECTIVES and _qualifies_an_act(tokens, i, lex):
            continue
        if (
            lex.code == "en"
            and word in _EN_AMBIGUOUS_TRAITS
            and not _en_ambiguous_is_trait(tokens, i)
        ):
            continue
        if word in _BORN and _word(tokens, i - 1) not in {"een", "a", "an"}:
            continue  # only "een geboren rekenaar", "a born leader"
        return True
    return soft and not _names_behaviour(tokens, lex)
