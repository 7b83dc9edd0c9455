"""Vague-action check of the feedback coach: does an action name a concrete next step?

Concrete is a when (komende periode, vrijdag, voor elke toets; next week), a number, a named
tool or piece of work (schrift, agenda, oefentoets; planner, draft), or a question the student
answers in the action plan. With "beter/meer/harder" (try harder, focus more) only a when, a
number or a named tool counts. "Je doet vaak niet mee" describes, it does not ask: vague.
"""

from __future__ import annotations

from dialogs.coach import lexicon_actions as la
from dialogs.coach import lexicon_person as lp
from dialogs.coach.languages import Lexicon
from dialogs.coach.text import Token

# A question the student answers in the action plan: "Wat ga jij anders doen?"
# fmt: off
_QUESTION_WORDS = frozenset({"wat", "hoe", "welke", "wanneer", "waarom", "waar", "wie",
                             "waarmee", "what", "how", "which", "when", "why", "where", "who"})
_SUBJECT_YOU = frozenset({"je", "jij", "you", "u"})
_NL_PREPOSITIONS = frozenset({"met", "uit", "van", "aan", "over", "bij", "naar", "in", "op"})
_EN_PREPOSITIONS = frozenset({"with", "from", "of", "about", "on", "in", "at", "to", "for"})
_INDEFINITE = frozenset({"een", "a", "an"})
_COPULAS_AND_YOU = frozenset({"bent", "ben", "is", "are", "'re", "'s", "echt", "real", "gewoon"})
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


def vague_action(tokens: list[Token], lex: Lexicon, *, strict: bool = False) -> str:
    """No when, what or how: "beter je best doen", "harder werken", "try harder". The words
    that make it vague (or the opening of the text), "" for a concrete step. ``strict``: with
    "beter/meer/vaker" a named thing alone is no step either ("beter woordjes leren"); a when
    or a number is needed (the student's plan)."""
    norms = [tok.norm for tok in tokens if tok.is_word]
    if "?" in (tok.norm for tok in tokens) and any(w in _QUESTION_WORDS for w in norms):
        return ""  # a question the student answers in the action plan
    if _unmarked_question(tokens, lex):
        return ""  # the same, typed without "?": "Hoe ga je dit aanpakken"
    if _describes(tokens, lex):
        return _opening(tokens)  # "Je doet vaak niet mee": a description, not a step
    strong = weak = horizon = False
    vague: list[int] = []
    idioms = _idiom_positions(tokens) if not _IDIOMS_BY_FIRST.keys().isdisjoint(norms) else ()
    for i, tok in enumerate(tokens):
        word = tok.norm
        if not tok.is_word:
            continue
        if i in idioms:
            vague.append(i)  # "get your act together": "your act" is no named thing
        elif word in la.HORIZONS:
            horizon = True
        elif word.isdigit() or word in lex.number_words or word in lex.time_words:
            strong = True
        elif _concrete_noun(word, lex):
            strong = strong or not strict
            weak = True
        elif word in lex.vague_words or _comparative(word, lex):
            vague.append(i)
        elif word in la.GENERAL_TASKS or (
            word not in lex.generic_nouns and len(word) >= 3 and _is_object(tokens, i, lex)
        ):
            weak = True
    # "Komende periode harder werken", "Next time, prepare better": a horizon is no step.
    if strong or ((weak or horizon) and not vague):
        return ""
    return _span(tokens, vague) if vague else _opening(tokens)


def _span(tokens: list[Token], where: list[int]) -> str:
    """The words from the first vague word to the last, at most six: "beter je best"."""
    words = [tok.orig for tok in tokens[where[0] : where[-1] + 1] if tok.is_word]
    return " ".join(words[:6])


def _opening(tokens: list[Token]) -> str:
    """The first words of the text, for a tip about the whole of it."""
    words = [tok.orig for tok in tokens if tok.is_word]
    return " ".join(words[:5]) + (" ..." if len(words) > 5 else "")


_IDIOMS_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _idiom in la.EFFORT_IDIOMS:
    _IDIOMS_BY_FIRST.setdefault(_idiom[0], []).append(_idiom)


def _idiom_positions(tokens: list[Token]) -> set[int]:
    """Token positions inside an effort idiom ("de schouders eronder", "step it up")."""
    where = [i for i, tok in enumerate(tokens) if tok.is_word]
    norms = [tokens[i].norm for i in where]
    found: set[int] = set()
    for k, word in enumerate(norms):
        for idiom in _IDIOMS_BY_FIRST.get(word, ()):
            if tuple(norms[k : k + len(idiom)]) == idiom:
                found.update(where[k : k + len(idiom)])
    return found


def _clock_or_date(tokens: list[Token], i: int) -> bool:
    """ "om 8:20", "at 3 pm", "12 mei", "14 March": a fixed moment, so an instruction."""
    nxt = tokens[i + 1].norm if i + 1 < len(tokens) else ""
    prev = tokens[i - 1].norm if i > 0 else ""
    return nxt in {":", "uur", "u", "am", "pm", "h"} or nxt in la.MONTHS or prev in {"om", "at"}


def _unmarked_question(tokens: list[Token], lex: Lexicon) -> bool:
    """A sentence that opens with a question word, a verb and "je/jij/you" ("Wat ga je anders
    doen", "How will you plan it"); not an exclamation ("Wat ben je lui", "Wat een inzet")."""
    for i, tok in enumerate(tokens):
        if tok.sentence_start and tok.norm in _QUESTION_WORDS:
            verb = _word(tokens, i + 1)
            if verb and verb not in lex.copulas and _word(tokens, i + 2) in _SUBJECT_YOU:
                return True
    return False


def _describes(tokens: list[Token], lex: Lexicon) -> bool:
    """Starts "je/jij/you + verb" with no modal and no future time: it tells, it does not ask.
    A name that only addresses the student comes first at times ("Amber, je ...")."""
    start = 0
    if len(tokens) > 2 and tokens[0].looks_like_name and tokens[1].norm == ",":
        start = 2
    first = [tok.norm for tok in tokens[start : start + 2] if tok.is_word]
    if len(first) < 2 or first[0] not in _SUBJECT_YOU:
        return False
    nl = lex.code == "nl"
    steps = la.NL_STEP_VERBS if nl else la.EN_STEP_VERBS
    future = la.NL_FUTURE_WORDS if nl else la.EN_FUTURE_WORDS
    for i, tok in enumerate(tokens[start + 1 :], start + 1):
        if tok.norm.isdigit() and _clock_or_date(tokens, i):
            return False
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
    stop = lp.NL_NOT_NAMES if nl else lp.EN_NOT_NAMES
    if prev in _INDEFINITE and _word(tokens, i - 2) in _COPULAS_AND_YOU:
        return False  # "je bent een doorzetter": what the student is, not a thing to do
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
        verbish = word.endswith(("t", "te", "de")) or word in lp.NL_IRREGULAR_3SG
        return not verbish and word not in lp.NL_NOT_NAMES
    return False
