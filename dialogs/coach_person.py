"""Third-person check of the feedback coach: is the text written *about* the student?

Signals: a subject pronoun (hij, zij/ze with a singular verb; he, she), an object or
possessive pronoun (hem, haar; him, his, her) in a text that never addresses the student,
"de leerling"/"the student", or a first name followed by a third-person verb ("Tom is",
"Fatima maakt", "Jan-Willem heeft"). A name used to address the student ("Meike, ik merk dat
je ...", "Goed gedaan, Tom!") is not third person. Pronouns inside a text that addresses the
student ("Je helpt Sam als hij vastloopt") only count at the start of a sentence.
"""

from __future__ import annotations

from dialogs import coach_lexicon as lx
from dialogs.coach_rules import Lexicon
from dialogs.coach_text import Token

_NOUN_SUFFIXES = ("ing", "heid", "tie", "sie", "teit", "schap", "isme", "ment", "nis", "tion",
                  "ness", "ity", "ance", "ence", "uur", "kunde", "les")
_NOT_PAST = frozenset({"goede", "volgende", "beide", "hele", "harde", "rode", "oude", "vorige",
                       "aparte", "bepaalde", "gemiddelde", "welke", "elke", "iedere", "de",
                       "te", "ide", "onvoldoende", "voldoende", "hierbovende", "andere"})


_MODALS = frozenset({"kan", "wil", "zal", "mag", "zou", "moet", "kon", "wilde", "mocht", "moest"})


def _word(tokens: list[Token], i: int) -> str:
    if 0 <= i < len(tokens) and tokens[i].is_word:
        return tokens[i].norm
    return ""


def _nl_singular_verb(word: str) -> bool:
    if not word or word in lx.NL_NOT_VERB_T:
        return False
    if word in lx.NL_IRREGULAR_3SG:
        return True
    if word in lx.NL_SECOND_PERSON:
        return False
    if len(word) >= 3 and word.endswith("t") and not (word.startswith("ge") and len(word) >= 7):
        return True
    return (
        len(word) >= 5
        and word.endswith(("de", "te"))
        and not word.endswith("ste")
        and not word.startswith("ge")
        and word not in _NOT_PAST
    )


def _en_singular_verb(word: str) -> bool:
    if not word:
        return False
    if word in lx.EN_IRREGULAR_3SG:
        return True
    if word in lx.EN_NOT_VERB_S or word in lx.EN_NOT_NAMES:
        return False
    if len(word) >= 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return True
    return len(word) >= 4 and word.endswith("ed")


def _verb_follows(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    nxt = _word(tokens, i + 1)
    if lex.code == "nl":
        return _nl_singular_verb(nxt)
    if nxt in lx.EN_ADVERBS:
        nxt = _word(tokens, i + 2)
    return _en_singular_verb(nxt) or nxt in {"'s"}


def _nl_she(tokens: list[Token], i: int, text_has_object_pronoun: bool, addressed: bool) -> bool:
    """ "zij/ze" is the student when a singular verb goes with it (not "laat ze mij zien")."""
    if _nl_singular_verb(_word(tokens, i + 1)):
        return True
    prev = _word(tokens, i - 1)
    if prev and not tokens[i - 1].clause_start and _nl_singular_verb(prev):
        return True  # inversion: "Soms maakt ze ..."
    if tokens[i].clause_start or _word(tokens, i - 1) in {"dat", "omdat", "als", "wanneer"}:
        for tok in tokens[i + 1 : i + 8]:
            if not tok.is_word or (tok.clause_start and tok.norm in {"en", "maar", "of"}):
                break
            if tok.norm.endswith("en") and len(tok.norm) > 3 and tok.norm not in lx.NL_NOT_NAMES:
                return False  # plural verb: "dat ze het snappen"
            if tok.norm in lx.NL_IRREGULAR_3SG:
                return True
    return tokens[i].norm == "zij" and text_has_object_pronoun and not addressed


def _name_candidate(tok: Token, lex: Lexicon) -> bool:
    if not tok.looks_like_name:
        return False
    word = tok.norm
    stop = lx.NL_NOT_NAMES if lex.code == "nl" else lx.EN_NOT_NAMES
    if word in stop or word in lex.second_person or word in lex.judgement:
        return False
    if word in lex.trait_strong or word in lex.concrete_nouns or word in lex.generic_nouns:
        return False
    return not (tok.sentence_start and word.endswith(_NOUN_SUFFIXES))


def _vocative(tokens: list[Token], i: int) -> bool:
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    return nxt is None or not nxt.is_word


def _sentences_addressed(tokens: list[Token], lex: Lexicon) -> list[bool]:
    """Per token: does its sentence speak to the student ("... als hij vastloopt; zij helpt
    je")? A pronoun there is someone else; in a sentence without je/you it is the student."""
    flags = [False] * len(tokens)
    start = 0
    for end in range(len(tokens) + 1):
        if end == len(tokens) or (end > start and tokens[end].sentence_start):
            here = any(tok.norm in lex.second_person for tok in tokens[start:end])
            flags[start:end] = [here] * (end - start)
            start = end
    return flags


def third_person(tokens: list[Token], lex: Lexicon) -> bool:
    """True when the text speaks about the student rather than to them."""
    nl = lex.code == "nl"
    addressed = any(tok.norm in lex.second_person for tok in tokens if tok.is_word)
    object_pronouns = lx.NL_OBJECT_POSSESSIVE if nl else lx.EN_OBJECT_POSSESSIVE
    has_object_pronoun = any(tok.norm in object_pronouns for tok in tokens if tok.is_word)
    persons = lx.NL_PERSON_NOUNS if nl else lx.EN_PERSON_NOUNS
    determiners = lx.NL_DETERMINERS_3P if nl else lx.EN_DETERMINERS_3P
    sentence_addressed = _sentences_addressed(tokens, lex)
    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        word = tok.norm
        counts = not sentence_addressed[i]
        if word in (lx.NL_HE if nl else lx.EN_SUBJECT):
            if counts:
                return True
        elif nl and word in lx.NL_SHE:
            if counts and _nl_she(tokens, i, has_object_pronoun, addressed):
                return True
        elif word in object_pronouns:
            if not addressed:
                return True
        elif nl and word == "zijn":
            prev = _word(tokens, i - 1)
            if not addressed and (
                (tok.sentence_start and _word(tokens, i + 1))
                or (_nl_singular_verb(prev) and prev not in _MODALS)
            ):
                return True
        elif word in persons:
            introduced = _word(tokens, i - 1) in determiners or tok.sentence_start
            if (introduced or word == "leerlinge") and (
                _verb_follows(tokens, i, lex) or not addressed
            ):
                return True
        elif _name_candidate(tok, lex):
            if _verb_follows(tokens, i, lex):
                return True
            if not tok.sentence_start and not addressed and not _vocative(tokens, i):
                return True
    return False
