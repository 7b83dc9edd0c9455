"""Fixed-trait check of the feedback coach, a small set of rules.

Every function takes the tokens of one text and the word lists of its language and answers
yes/no, so that a surprising label can be traced to one rule. Third person is in
``coach_person``, judgement in ``coach_judgement``, vague actions in ``coach_actions``.
"""

from __future__ import annotations

from functools import lru_cache

from dialogs.coach import lexicon as lx
from dialogs.coach import lexicon_grammar as gr
from dialogs.coach import lexicon_person as lp
from dialogs.coach.judgement import MISTAKES, NEGATIVE_TRAITS
from dialogs.coach.languages import LEXICONS, Lexicon
from dialogs.coach.nouns import person_noun, trait_noun
from dialogs.coach.text import Token, is_acronym, may_be_slip, word_at

# fmt: off
_INTENSIFIER_PREFIXES = ("super", "hyper", "mega", "ultra", "oer", "aarts", "zeer")
# Adjectives that praise an act as readily as a person: "slim plannen", "clever solution".
_ACT_ADJECTIVES = frozenset(
    lx.adjective_forms("slim") | lx.adjective_forms("knap") | lx.adjective_forms("intelligent")
    | lx.adjective_forms("geniaal") | lx.adjective_forms("briljant")
    | {"smart", "smarter", "clever", "cleverly", "bright", "brilliant", "intelligent",
       "smartly", "intelligently", "brilliantly"}
)
_EN_ACT_VERBS = frozenset(
    {"work", "worked", "working", "think", "thought", "plan", "planned", "study", "studied",
     "revise", "revised", "learn", "practise", "practice", "prepare", "prepared", "play",
     "played", "act"}
)
_CLAUSE_OPENERS = frozenset({"dat", "hoe", "that", "how"})  # "Wat knap dat je ... vroeg"
_THING_SUBJECTS = frozenset({"dat", "dit", "het", "that", "this", "it"})
_EN_AMBIGUOUS_TRAITS = frozenset({"natural", "naturally", "bright", "gift", "idle", "thick", "dim"})
_EN_DEGREE = frozenset({"very", "so", "really", "quite", "extremely", "incredibly", "super",
                        "pretty", "bit", "rather", "truly"})
_TYPE_ENDINGS = (*gr.NL_TYPE_HEADS, *gr.NL_TYPE_NOUNS, *gr.EN_TYPE_HEADS)
_TOO = frozenset({"te", "too", "zo", "so", "erg", "heel", "very", "genoeg", "enough"})
_BORN = frozenset({"geboren", "born"})
_BARE_VERBS = frozenset({"re", "bent", "ben", "doet", "doe", "deed", "do", "did", "does", "gaat",
                         "ga", "rock", "rocks", "best"})
# fmt: on


_word = word_at


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
    if nxt == "te" or (nxt in {"om", "to"} and prev not in lex.copulas | _TOO):
        return True  # "slim te werk gegaan", "slim om eerst te schetsen", "smart to ask"
    if prev in lex.copulas and _word(tokens, i - 2) in _THING_SUBJECTS:
        return True
    if lex.code == "nl":
        person = nxt in lp.NL_PERSON_NOUNS
        infinitive = len(nxt) >= 5 and nxt.endswith("en") and not person
        participle = len(nxt) >= 5 and nxt.startswith("ge") and nxt[-1] in "dt"
        return infinitive or participle or _finite(prev, lex) or _finite(nxt, lex)
    return nxt.endswith(("ing", "ly", "ed")) or prev in _EN_ACT_VERBS


def _finite(word: str, lex: Lexicon) -> bool:
    """A Dutch finite verb other than a copula: "je plant slim", "dat je slim plant"."""
    return (
        len(word) >= 3
        and word.endswith("t")
        and word not in lp.NL_NOT_VERB_T
        and word not in lex.copulas
        and word not in lex.concrete_nouns
    )


def _en_ambiguous_is_trait(tokens: list[Token], i: int) -> bool:
    word, nxt, prev = tokens[i].norm, _word(tokens, i + 1), _word(tokens, i - 1)
    if word == "natural":
        return prev in lx.EN_NATURAL_BEFORE or nxt in lx.EN_NATURAL_AFTER or _agent(nxt)
    if word == "naturally":
        return nxt in {"gifted", "talented", "smart", "clever", "bright", "good"}
    if word == "bright":
        return nxt in lx.EN_BRIGHT_AFTER or (prev in lx.EN_COPULAS | _EN_DEGREE and not nxt)
    if word == "gift":
        return nxt == "for"
    return prev in lx.EN_COPULAS | _EN_DEGREE


def _agent(word: str) -> bool:
    """A noun for someone who does something: "a natural leader", "natural athlete"."""
    return (
        len(word) >= 5
        and word.endswith(gr.EN_AGENT_SUFFIXES)
        and word not in gr.EN_NOT_AGENTS
        and word not in lp.EN_NOT_NAMES
    )


def _type_label(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """The student filed under a type: "een talenmens", "geen echte bèta", "a maths person"."""
    word, nxt = tokens[i].norm, _word(tokens, i + 1)
    if lex.code == "nl":
        compound = (
            word.endswith(gr.NL_TYPE_HEADS) and len(word) >= 7 and word not in gr.NL_NOT_TYPES
        )
        alone = word in gr.NL_TYPE_NOUNS and not nxt  # "een bèta.", not "een bèta profiel"
        typed = (compound or alone) and bool(
            {_word(tokens, i - 1), _word(tokens, i - 2)} & gr.NL_TYPE_ARTICLES
        )
    else:
        modifier = _word(tokens, i - 1)
        typed = (
            word in gr.EN_TYPE_HEADS
            and _word(tokens, i - 2) in {"a", "an"}
            and bool(modifier)
            and modifier not in gr.EN_NOT_TYPE_MODIFIERS
            and nxt != "of"  # "a different kind of task"
        )
    return typed and _said_of_the_student(tokens, i, lex)  # not "een medemens geholpen"


def _said_of_the_student(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """The noun phrase before ``i`` is what the student is: after a copula ("je bent echt een
    talenmens", "you're a maths person"), opening the sentence ("Echt een bèta!") or before
    one ("Een echte doener ben jij")."""
    copulas = lex.copulas | {"'s", "'re", "'m", "blijf", "lijk", "word"}
    for k in range(i - 1, max(-1, i - 6), -1):
        if not tokens[k].is_word:
            return False
        if tokens[k].norm in copulas or tokens[k].sentence_start:
            return True
    return _word(tokens, i + 1) in copulas


def _names_behaviour(tokens: list[Token], lex: Lexicon) -> bool:
    """The text says what the student did: a task named, or "je/you" doing something more
    specific than being or doing well ("Je doet het super, kanjer!" names nothing)."""
    for i, tok in enumerate(tokens):
        if tok.norm in lex.task_nouns:
            return True
        nxt = (
            _word(tokens, i + 2) if _word(tokens, i + 1) in {"het", "the"} else _word(tokens, i + 1)
        )
        if tok.norm in {"for", "voor"} and nxt.endswith(("ing", "en")):
            return True  # "a star for helping out", "een kanjer voor het opruimen"
        if tok.norm in {"je", "jij", "you", "u"}:
            nxt = _word(tokens, i + 1).lstrip("'")
            if nxt and nxt not in lex.copulas | lex.trait_soft | _BARE_VERBS:
                return True
    return False


def fixed_trait(tokens: list[Token], lex: Lexicon) -> str:
    """Praise or blame of a fixed quality: slim, lui, knobbel, talent, "een bolleboos"; smart,
    lazy, gifted, "a bookworm". The words that do it, "" for none."""
    soft = ""
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        word = tok.norm
        if word in lex.trait_soft:
            soft = soft or tok.orig
            continue
        if word.endswith(_TYPE_ENDINGS) and _type_label(tokens, i, lex):
            return tok.orig
        if not may_be_slip(tok) or not _strong_trait(word, lex):
            continue
        if is_acronym(tokens, i):
            continue  # "SMART-doelen", "ADHD": a name, not a quality
        if word in NEGATIVE_TRAITS and _word(tokens, i + 1) in MISTAKES:
            continue  # a judgement of the mistake, counted there
        if lex.code == "en" and word.endswith("ly") and word != "naturally":
            continue  # an adverb qualifies an act: "you solved it brilliantly"
        word = lex.trait_strong.lookup(word) or word  # "slmime vraag" is "slimme vraag"
        if word in _ACT_ADJECTIVES and _qualifies_an_act(tokens, i, lex):
            continue
        if (
            lex.code == "en"
            and word in _EN_AMBIGUOUS_TRAITS
            and not _en_ambiguous_is_trait(tokens, i)
        ):
            continue
        if word in _BORN and _word(tokens, i - 1) not in {"een", "a", "an"}:
            if not (tok.sentence_start and person_noun(_word(tokens, i + 1), lex.code)):
                continue  # only "een geboren rekenaar", "a born leader", "Born leader!"
            return f"{tok.orig} {tokens[i + 1].orig}"
        if word in _BORN:
            return " ".join(t.orig for t in tokens[i - 1 : i + 2] if t.is_word)
        if _word(tokens, i - 1) in {"een", "a", "an"}:
            return f"{tokens[i - 1].orig} {tok.orig}"  # "een bolleboos", "a genius"
        return tok.orig
    noun = trait_noun(tokens, lex)
    if noun:
        return noun
    return soft if soft and not _names_behaviour(tokens, lex) else ""
