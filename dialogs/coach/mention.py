"""Words the teacher mentions rather than uses: the student's own words, quoted or reported.

"Je schreef dat je jezelf 'lui' vindt", "Je zei: \"ik ben slecht in wiskunde\"", "You told me
you feel lazy in the mornings", "Hij zegt dat hij dom is": the value word is the student's,
not the teacher's verdict, so the judgement and fixed-trait rules do not see it. Quoted words
count as mentioned when the text reports speech or thought (a reporting verb, "woord"/"word")
or the quote speaks in the first person; a scare quote on its own ("Hij is 'lui'") is still
the teacher's word. A report runs from "je zei/you said/volgens jou" to the end of the
sentence, a turn ("maar", "but") or the teacher's own "ik" ("..., ik vind je lui").
"""

from __future__ import annotations

from dataclasses import replace

from dialogs.coach.text import Token

# fmt: off
_REPORT_VERBS = frozenset(
    {"zei", "zegt", "zeg", "vertelde", "vertelt", "vertel", "noemde", "noemt", "noem", "vindt",
     "vond", "vind", "voelt", "voelde", "voel", "denkt", "dacht", "beweert", "beweerde",
     "said", "say", "says", "told", "tell", "tells", "feel", "feels", "felt", "think", "thinks",
     "thought", "called", "call", "calls", "claimed", "claim", "claims", "believe", "believes",
     "believed"}
)
# Verbs that report only with "dat/that" or a colon after them: "je schreef een slecht
# verslag" is the teacher's verdict, "je schreef in je reflectie dat ..." is not.
_WEAK_REPORT_VERBS = frozenset(
    {"schreef", "schrijft", "beschreef", "beschrijft", "riep", "roept", "wrote", "write",
     "writes", "described", "describe", "describes", "mentioned", "gaf", "geeft"}
)
_THAT = frozenset({"dat", "that", ":"})
_WORD_NOUNS = frozenset({"woord", "woorden", "word", "words", "term", "uitspraak"})
_QUOTE_VOICE = frozenset({"ik", "mij", "me", "mijn", "i", "my", "myself", "im"})
# The student as the one who speaks: "je zei", "hij vindt zelf", "she says".
_SPEAKERS = frozenset({"je", "jij", "you", "u", "hij", "zij", "ze", "he", "she", "they"})
_TURNS = frozenset({"maar", "toch", "echter", "terwijl", "but", "yet", "however", "although",
                    "though", "while", "whereas"})
_TEACHER = frozenset({"ik", "i"})
_OTHER_SUBJECTS = frozenset({"ik", "we", "wij", "hij", "zij", "ze", "i", "he", "she"})
_ACCORDING = (("volgens", "jou"), ("volgens", "jezelf"), ("according", "to", "you"))
# fmt: on
_CUES = _REPORT_VERBS | _WEAK_REPORT_VERBS | _WORD_NOUNS | {"volgens", "according"}


def _reported_from(tokens: list[Token]) -> list[bool]:
    """Per token: inside a report of what the student said or thinks of themselves."""
    flags = [False] * len(tokens)
    norms = [tok.norm if tok.is_word else "" for tok in tokens]
    reporting = False
    opened = 0  # where the report began: "Je zei: ik ben lui" is still the student
    begin = 0  # where the current sentence began
    for i, tok in enumerate(tokens):
        if tok.sentence_start:
            begin = i
        if not tok.is_word:
            reporting = reporting and tok.norm not in ".!?;\n"  # a colon opens the report
            continue
        if reporting and (tok.norm in _TURNS or (tok.norm in _TEACHER and opened < i - 2)):
            reporting = False  # "..., maar", "..., ik vind": the teacher speaks again
        flags[i] = reporting
        word, nxt = tok.norm, norms[i + 1] if i + 1 < len(tokens) else ""
        if word in _SPEAKERS and nxt in _WEAK_REPORT_VERBS:
            ahead = {t.norm for t in tokens[i + 2 : i + 8]}
            nxt = "zei" if ahead & _THAT else nxt  # "je schreef in je reflectie dat"
        if (word in _SPEAKERS and nxt in _REPORT_VERBS) or (
            word in _REPORT_VERBS
            and nxt in _SPEAKERS
            and (not tok.clause_start or (i > begin and tokens[i - 1].norm == ","))
            and norms[i - 1] not in _OTHER_SUBJECTS  # "Ik vind je lui": the teacher's view
        ):
            reporting, opened = True, i + 1  # "je zei ...", "zei je ...", "you told me ..."
            if word in _REPORT_VERBS and nxt in _SPEAKERS and i > begin:
                flags[begin:i] = [True] * (i - begin)  # "Je bent geen wiskundetype, zeg je"
        elif any(tuple(norms[i : i + len(p)]) == p for p in _ACCORDING):
            reporting, opened = True, i + 1
    return flags


def hide_mentions(tokens: list[Token]) -> list[Token]:
    """The tokens with mentioned words turned into gaps, for the value-word rules."""
    cued = not _CUES.isdisjoint([tok.norm for tok in tokens])
    quoted = [i for i, tok in enumerate(tokens) if tok.quoted and tok.is_word]
    if not cued and not quoted:
        return tokens
    voiced = cued or any(tokens[i].norm in _QUOTE_VOICE for i in quoted)
    hidden = set(quoted) if voiced else set()
    if cued:
        hidden.update(i for i, flag in enumerate(_reported_from(tokens)) if flag)
    if not hidden:
        return tokens
    return [
        replace(tok, norm="", is_word=False) if i in hidden else tok for i, tok in enumerate(tokens)
    ]
