"""The four checks of the feedback coach, each a small set of explainable rules.

Every function takes the tokens of one text and the word lists of its language and answers
yes/no. They are separate so that a surprising label can be traced to one rule.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs import coach_lexicon as lx
from dialogs.coach_text import FuzzyIndex, Token

_INTENSIFIER_PREFIXES = ("super", "hyper", "mega", "ultra", "oer", "aarts", "zeer")
_ACT_ADJECTIVES = frozenset(
    lx.adjective_forms("slim") | lx.adjective_forms("knap") | lx.adjective_forms("intelligent")
    | lx.adjective_forms("geniaal") | lx.adjective_forms("briljant")
    | {"smart", "smarter", "clever", "cleverly", "bright", "brilliant", "intelligent",
       "smartly", "intelligently", "brilliantly"}
)
_NEGATIVE_TRAITS = frozenset(lx.adjective_forms("dom") | lx.adjective_forms("lui")
                             | lx.adjective_forms("stom") | {"stupid", "dumb", "lazy"})
_MISTAKES = frozenset({"fout", "fouten", "foutje", "foutjes", "mistake", "mistakes", "error",
                       "errors"})
_EN_ACT_VERBS = frozenset({"work", "worked", "working", "think", "thought", "plan", "planned",
                           "study", "studied", "revise", "revised", "learn", "practise",
                           "practice", "prepare", "prepared", "play", "played", "act"})
_THING_SUBJECTS = frozenset({"dat", "dit", "het", "that", "this", "it"})
_EN_AMBIGUOUS_TRAITS = frozenset({"natural", "naturally", "bright", "gift", "idle", "thick",
                                  "dim"})
_EN_DEGREE = frozenset({"very", "so", "really", "quite", "extremely", "incredibly", "super",
                        "pretty", "bit", "rather", "truly"})
_QUESTION_WORDS = frozenset({"wat", "hoe", "welke", "wanneer", "waarom", "waar", "wie",
                             "waarmee", "what", "how", "which", "when", "why", "where", "who"})


@dataclass(frozen=True)
class Lexicon:
    """The word lists of one language, with fuzzy indexes for the value words."""

    code: str
    second_person: frozenset[str]
    judgement: FuzzyIndex
    judgement_phrases: tuple[tuple[str, ...], ...]
    trait_strong: FuzzyIndex
    trait_soft: frozenset[str]
    act_nouns: frozenset[str]
    task_nouns: frozenset[str]
    copulas: frozenset[str]
    time_words: frozenset[str]
    concrete_nouns: frozenset[str]
    generic_nouns: frozenset[str]
    object_determiners: frozenset[str]
    vague_words: frozenset[str]
    number_words: frozenset[str]


def _lexicon(code: str) -> Lexicon:
    nl = code == "nl"
    return Lexicon(
        code=code,
        second_person=lx.NL_SECOND_PERSON if nl else lx.EN_SECOND_PERSON,
        judgement=FuzzyIndex(lx.NL_JUDGEMENT if nl else lx.EN_JUDGEMENT,
                             fuzzy=lx.FUZZY_ENTRIES, protected=lx.FUZZY_PROTECTED),
        judgement_phrases=lx.NL_JUDGEMENT_PHRASES if nl else lx.EN_JUDGEMENT_PHRASES,
        trait_strong=FuzzyIndex(lx.NL_TRAIT_STRONG if nl else lx.EN_TRAIT_STRONG,
                                fuzzy=lx.FUZZY_ENTRIES, protected=lx.FUZZY_PROTECTED),
        trait_soft=lx.NL_TRAIT_SOFT if nl else lx.EN_TRAIT_SOFT,
        act_nouns=lx.NL_ACT_NOUNS if nl else lx.EN_ACT_NOUNS,
        task_nouns=lx.NL_TASK_NOUNS if nl else lx.EN_TASK_NOUNS,
        copulas=lx.NL_COPULAS if nl else lx.EN_COPULAS,
        time_words=lx.NL_TIME_WORDS if nl else lx.EN_TIME_WORDS,
        concrete_nouns=lx.NL_CONCRETE_NOUNS if nl else lx.EN_CONCRETE_NOUNS,
        generic_nouns=lx.NL_GENERIC_NOUNS if nl else lx.EN_GENERIC_NOUNS,
        object_determiners=lx.NL_OBJECT_DETERMINERS if nl else lx.EN_OBJECT_DETERMINERS,
        vague_words=lx.NL_VAGUE_WORDS if nl else lx.EN_VAGUE_WORDS,
        number_words=lx.NL_NUMBER_WORDS if nl else lx.EN_NUMBER_WORDS,
    )


LEXICONS = {"nl": _lexicon("nl"), "en": _lexicon("en")}


def _word(tokens: list[Token], i: int) -> str:
    """The normalised word at ``i``, or "" for punctuation or outside the text."""
    if 0 <= i < len(tokens) and tokens[i].is_word:
        return tokens[i].norm
    return ""


def _has_phrase(norms: list[str], phrases: tuple[tuple[str, ...], ...]) -> bool:
    for phrase in phrases:
        n = len(phrase)
        for i in range(len(norms) - n + 1):
            if tuple(norms[i : i + n]) == phrase:
                return True
    return False


def _may_be_slip(tok: Token) -> bool:
    """A capitalised word inside a sentence is a name: never read it as a misspelt word."""
    return tok.sentence_start or not tok.looks_like_name


# ---------------------------------------------------------------- judgement
def judgement(tokens: list[Token], lex: Lexicon) -> bool:
    """A value word (slecht, onvoldoende, poor) or phrase ("niet goed genoeg")."""
    norms = [tok.norm if tok.is_word else "|" for tok in tokens] + ["|"]
    if _has_phrase(norms, lex.judgement_phrases):
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
            if hit == "onvoldoende" and _word(tokens, i - 1) in lx.NL_GRADE_DETERMINERS and (
                nxt not in lex.generic_nouns
            ):
                continue  # "een onvoldoende gehaald" is a grade
        return True
    return False


# ---------------------------------------------------------------- fixed traits
def _strong_trait(word: str, lex: Lexicon) -> bool:
    if word in lex.trait_strong:
        return True
    if lex.code == "nl":
        for prefix in _INTENSIFIER_PREFIXES:
            if word.startswith(prefix) and word[len(prefix) :] in lex.trait_strong:
                return True
        return any(
            word.endswith(suffix) and len(word) > len(suffix) + 2
            for suffix in lx.NL_TRAIT_SUFFIXES
        )
    return False


def _qualifies_an_act(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """ "slim plannen", "slimme aanpak", "knap gedaan", "work smarter", "dat was slim"."""
    nxt, prev = _word(tokens, i + 1), _word(tokens, i - 1)
    if nxt in lex.act_nouns or (prev in lex.copulas and _word(tokens, i - 2) in _THING_SUBJECTS):
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
    """The text says what the student did: a task named, or "je/you" doing something."""
    for i, tok in enumerate(tokens):
        if tok.norm in lex.task_nouns:
            return True
        if tok.norm in {"je", "jij", "you", "u"}:
            nxt = _word(tokens, i + 1).lstrip("'")
            if nxt and nxt not in lex.copulas and nxt not in lex.trait_soft and nxt not in {
                "re", "bent", "ben"
            }:
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
        if word in _ACT_ADJECTIVES and _qualifies_an_act(tokens, i, lex):
            continue
        if lex.code == "en" and word in _EN_AMBIGUOUS_TRAITS and not _en_ambiguous_is_trait(
            tokens, i
        ):
            continue
        return True
    return soft and not _names_behaviour(tokens, lex)


# ---------------------------------------------------------------- vague action
def _concrete_noun(word: str, lex: Lexicon) -> bool:
    if word in lx.OUTCOME_NOUNS or word in lx.GENERAL_TASKS:
        return False
    if word in lex.concrete_nouns:
        return True
    return lex.code == "nl" and any(
        word.endswith(noun) and len(noun) >= 5 and len(word) > len(noun) + 2
        for noun in lex.concrete_nouns
    )


def vague_action(tokens: list[Token], lex: Lexicon) -> bool:
    """No when, what or how: "beter je best doen", "harder werken", "try harder"."""
    norms = [tok.norm for tok in tokens if tok.is_word]
    if "?" in (tok.norm for tok in tokens) and any(w in _QUESTION_WORDS for w in norms):
        return False  # a question the student answers in the action plan
    if _describes(tokens, lex):
        return True  # "Je doet vaak niet mee": a description, not a step
    strong = weak = vague = False
    for i, tok in enumerate(tokens):
        word = tok.norm
        if not tok.is_word:
            continue
        if word.isdigit() or word in lex.number_words or word in lex.time_words:
            strong = True
        elif _concrete_noun(word, lex):
            strong = True
        elif word in lex.vague_words:
            vague = True
        elif word in lx.GENERAL_TASKS or (
            word not in lex.generic_nouns and len(word) >= 3 and _is_object(tokens, i, lex)
        ):
            weak = True
    return not (strong or (weak and not vague))


def _describes(tokens: list[Token], lex: Lexicon) -> bool:
    """Starts "je/jij/you + verb" with no modal and no future time: it tells, it does not ask."""
    first = [tok.norm for tok in tokens[:2] if tok.is_word]
    if len(first) < 2 or first[0] not in {"je", "jij", "you"}:
        return False
    nl = lex.code == "nl"
    steps = lx.NL_STEP_VERBS if nl else lx.EN_STEP_VERBS
    future = lx.NL_FUTURE_WORDS if nl else lx.EN_FUTURE_WORDS
    for tok in tokens[1:]:
        word = tok.norm.lstrip("'")
        if word in steps or word in future or (tok.clause_start and word in lx.IMPERATIVES):
            return False
    return True


def _is_object(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """A word right after a determiner ("de uitwerking", "je woordjes") reads as a named thing."""
    prev = _word(tokens, i - 1)
    word = tokens[i].norm
    if prev in lex.object_determiners:
        return word not in lex.vague_words
    if lex.code == "nl" and prev == "je" and not tokens[i - 1].clause_start:
        verbish = word.endswith(("t", "te", "de")) or word in lx.NL_IRREGULAR_3SG
        return not verbish and word not in lx.NL_NOT_NAMES
    return False
