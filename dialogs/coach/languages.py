"""The word lists of one language bundled for the coach's rules (Dutch or English).

A text is analysed with the lists of the language it is written in; the tips may be shown in
another language.
"""

from __future__ import annotations

from dataclasses import dataclass

from dialogs.coach import lexicon as lx
from dialogs.coach import lexicon_actions as la
from dialogs.coach import lexicon_grammar as gr
from dialogs.coach import lexicon_person as lp
from dialogs.coach.text import FuzzyIndex


@dataclass(frozen=True)
class Lexicon:
    """The word lists of one language, with fuzzy indexes for the value words."""

    code: str
    second_person: frozenset[str]
    judgement: FuzzyIndex
    judgement_phrases: tuple[tuple[str, ...], ...]
    trait_strong: FuzzyIndex
    persons: FuzzyIndex
    standards: FuzzyIndex
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


_FUZZY = lx.FUZZY_ENTRIES | gr.FUZZY_KEY_WORDS
_PROTECTED = lx.FUZZY_PROTECTED | gr.FUZZY_KEY_PROTECTED


def _index(entries: frozenset[str], code: str) -> FuzzyIndex:
    return FuzzyIndex(entries, fuzzy=_FUZZY, protected=_PROTECTED, code=code)


def _lexicon(code: str) -> Lexicon:
    nl = code == "nl"
    return Lexicon(
        code=code,
        second_person=lp.NL_SECOND_PERSON if nl else lp.EN_SECOND_PERSON,
        judgement=_index(lx.NL_JUDGEMENT if nl else lx.EN_JUDGEMENT, code),
        judgement_phrases=lx.NL_JUDGEMENT_PHRASES if nl else lx.EN_JUDGEMENT_PHRASES,
        trait_strong=_index(lx.NL_TRAIT_STRONG if nl else lx.EN_TRAIT_STRONG, code),
        persons=_index(lp.NL_PERSON_NOUNS if nl else lp.EN_PERSON_NOUNS, code),
        standards=_index(gr.STANDARDS, code),
        trait_soft=lx.NL_TRAIT_SOFT if nl else lx.EN_TRAIT_SOFT,
        act_nouns=lx.NL_ACT_NOUNS if nl else lx.EN_ACT_NOUNS,
        task_nouns=lx.NL_TASK_NOUNS if nl else lx.EN_TASK_NOUNS,
        copulas=lx.NL_COPULAS if nl else lx.EN_COPULAS,
        time_words=la.NL_TIME_WORDS if nl else la.EN_TIME_WORDS,
        concrete_nouns=la.NL_CONCRETE_NOUNS if nl else la.EN_CONCRETE_NOUNS,
        generic_nouns=la.NL_GENERIC_NOUNS if nl else la.EN_GENERIC_NOUNS,
        object_determiners=la.NL_OBJECT_DETERMINERS if nl else la.EN_OBJECT_DETERMINERS,
        vague_words=la.NL_VAGUE_WORDS if nl else la.EN_VAGUE_WORDS,
        number_words=la.NL_NUMBER_WORDS if nl else la.EN_NUMBER_WORDS,
    )


LEXICONS = {"nl": _lexicon("nl"), "en": _lexicon("en")}
