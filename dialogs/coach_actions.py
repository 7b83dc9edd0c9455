"""Vague-action check of the feedback coach: does an action name a concrete next step?

Concrete is a when (komende periode, vrijdag, voor elke toets; next week), a number, a named
tool or piece of work (schrift, agenda, oefentoets; planner, draft), or a question the student
answers in the action plan. With "beter/meer/harder" (try harder, focus more) only a when, a
number or a named tool counts. "Je doet vaak niet mee" describes, it does not ask: vague.
"""

from __future__ import annotations

from dialogs import coach_lexicon as lx
from dialogs import coach_lexicon_actions as la
from dialogs.coach_languages import Lexicon
from dialogs.coach_text import Token

# A question the student answers in the action plan: "Wat ga jij anders doen?"
# fmt: off
_QUESTION_WORDS = frozenset({"wat", "hoe", "welke", "wanneer", "waarom", "waar", "wie",
                             "waarmee", "what", "how", "which", "when", "why", "where", "who"})
_NL_PREPOSITIONS = frozenset({"met", "uit", "van", "aan", "over", "bij", "naar", "in", "op"})
_EN_PREPOSITIONS = frozenset({"with", "from", "of", "about", "on", "in", "at", "to", "for"})
# fmt: on


def _word(tokens: list[Token], i: int) -> str:
    if 0 <= i < len(tokens) and tokens[i].is_word:
        return tokens[i].norm
    return ""


_NL_COMPOUND_HEADS = tuple(sorted(noun for noun in la.NL_CONCRETE_NOUNS if len(noun) >= 5))


def _concrete_noun(word: str, lex: Lexicon) -> bool:
    """A named tool or piece of work, also as the head of a Dutch compound ("oefentoets")."""
    if word in la.OUTCOME_NOUNS or word in la.GENERAL_TASKS:
        return False
    if word in lex.concrete_nouns:
        return True
    if lex.code != "nl" or len(word) < 8 or not word.endswith(_NL_COMPOUND_HEADS):
        return False
    return any(word.endswith(n) and len(word) > len(n) + 2 for n in _NL_COMPOUND_HEADS)


def _comparative(word: str, lex: Lexicon) -> bool:
    """ "zelfstandiger", "netter", "rustiger": more of something, with no anchor."""
    if lex.code != "nl":
        return word in la.EN_COMPARATIVES
    return word in la.NL_COMPARATIVES or word.endswith(("iger", "ijker", "zamer", "baarder"))


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
        if (
            word.isdigit()
            or word in lex.number_words
            or word in lex.time_words
            or _concrete_noun(word, lex)
        ):
            strong = True
        elif word in lex.vague_words or _comparative(word, lex):
            vague = True
        elif word in la.GENERAL_TASKS or (
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
    steps = la.NL_STEP_VERBS if nl else la.EN_STEP_VERBS
    future = la.NL_FUTURE_WORDS if nl else la.EN_FUTURE_WORDS
    for tok in tokens[1:]:
        word = tok.norm.lstrip("'")
        if word in steps or word in future or (tok.clause_start and word in la.IMPERATIVES):
            return False
    return True


def _is_object(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """A named thing: after a determiner or preposition ("de uitwerking", "met Quizlet"), the
    object of an imperative ("Oefen breuken"), or a proper noun inside a sentence."""
    prev = _word(tokens, i - 1)
    word = tokens[i].norm
    nl = lex.code == "nl"
    stop = lx.NL_NOT_NAMES if nl else lx.EN_NOT_NAMES
    if prev in lex.object_determiners:
        return word not in lex.vague_words
    if word in stop or word in lex.vague_words or word in lex.second_person:
        return False
    if prev in (_NL_PREPOSITIONS if nl else _EN_PREPOSITIONS):
        return True
    if prev in la.IMPERATIVES and tokens[i - 1].clause_start:
        return True
    if tokens[i].looks_like_name and not tokens[i].sentence_start:
        return True
    if lex.code == "nl" and prev == "je" and not tokens[i - 1].clause_start:
        verbish = word.endswith(("t", "te", "de")) or word in lx.NL_IRREGULAR_3SG
        return not verbish and word not in lx.NL_NOT_NAMES
    return False
