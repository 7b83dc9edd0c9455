"""The feedback coach: advice on a remark or action as it is saved. It never blocks.

``check(text, field=..., lang=...)`` returns labels in a fixed order, each with one short tip
in the requested language that names the words it is about (``words``; texts in
``dialogs/texts/<lang>/coach.yml``):

- ``third_person``: written about the student (hij/zij/de leerling/Tom maakt/Imane's
  resultaten; he/she) instead of to them, also after greeting the student ("Hoi Bas, ... Hij
  heeft") or addressed to someone else ("Ouders: ...", "Mentor: ..."). A pronoun after
  someone else named in a sentence to the student ("je hielp Sem; hij snapte het") is that
  other person.
- ``judgement``: a value word with no observable behaviour (slecht, onvoldoende, zwak,
  "heeft het niveau niet", "valt tegen", "niet acceptabel"; poor, badly, "below
  expectations"). It stands even when behaviour is named ("Hij let slecht op"), except for a
  grade ("een onvoldoende gehaald", "scoor je zwak op"), a term of the subject ("zwakke
  werkwoorden", "sterke zuren"), a part of the work described after it, or sleep/weather.
- ``fixed_trait``: praise or blame of a fixed quality (slim, lui, knobbel, talent, "een
  talenmens"; smart, lazy, gifted, "a natural", "a maths person"), also as a noun ("je bent
  een echte leider", "a bookworm": ``nouns``). A praise label like
  "topper" or "star" is fine when the text also names what the student did; "slim
  plannen"/"slimme aanpak" qualify an act, not a person. A negated trait ("niet lui") still
  labels the person and is flagged.
- ``vague_action`` (action field only): no concrete future step; concrete means a when
  (vrijdag, om 8:20, voor elke toets; next Monday), a named thing (schrift, agenda,
  oefentoets hoofdstuk 4; your draft) or a question the student answers in the action plan,
  with or without "?". A horizon alone ("komende periode harder werken", "do better next
  term") and an effort idiom ("get your act together") are no step.

The student's own words, quoted or reported ("je zei dat je 'lui' bent"), are not the
teacher's verdict (``coach_mention``). The analysis is rule-based (``coach_person``,
``coach_judgement``, ``coach_rules``, ``coach_actions``, word lists in ``coach_lexicon*``):
lower case, no accents, spelling slips forgiven in key words (one letter, or two in long
words; Dutch spellings that sound alike, "slegt", "matich").
The text is analysed in its own language (detected); ``lang`` only picks the tips' language.
An empty text has nothing to coach.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from dialogs.coach import lexicon as lx
from dialogs.coach.actions import vague_action
from dialogs.coach.judgement import judgement
from dialogs.coach.languages import LEXICONS
from dialogs.coach.mention import hide_mentions
from dialogs.coach.person import third_person
from dialogs.coach.rules import fixed_trait
from dialogs.coach.text import Token, tokenise
from dialogs.texts import t

Field = Literal["remark", "action"]
LABELS = ("third_person", "judgement", "fixed_trait", "vague_action")
FIELDS = ("remark", "action")


@dataclass(frozen=True, slots=True)
class CoachResult:
    """Labels in the order of ``LABELS``; one tip per label, naming the words it is about
    (``words``, one entry per label); the language of the tips."""

    labels: tuple[str, ...]
    tips: tuple[str, ...]
    language: str
    words: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.labels


def detect_language(tokens: list[Token]) -> str:
    """ "nl" or "en" by counting function words and lexicon words; Dutch wins a tie."""
    nl = en = 0
    for tok in tokens:
        if not tok.is_word:
            continue
        word = tok.norm
        nl += word in lx.NL_MARKERS or word in lx.NL_JUDGEMENT or word in lx.NL_TRAIT_STRONG
        en += word in lx.EN_MARKERS or word in lx.EN_JUDGEMENT or word in lx.EN_TRAIT_STRONG
    if nl == en:  # nothing to go on but perhaps a misspelt key word ("Disapointing.")
        for tok in tokens:
            if tok.is_word:
                nl += LEXICONS["nl"].judgement.lookup(tok.norm) is not None
                en += LEXICONS["en"].judgement.lookup(tok.norm) is not None
                nl += LEXICONS["nl"].trait_strong.lookup(tok.norm) is not None
                en += LEXICONS["en"].trait_strong.lookup(tok.norm) is not None
                nl += tok.norm in lx.NL_TRAIT_SOFT  # "Topper!", "Star!"
                en += tok.norm in lx.EN_TRAIT_SOFT
    return "en" if en > nl else "nl"


def check(text: str, *, field: Field, lang: str | None = None) -> CoachResult:
    """Advice on one remark or action. ``lang`` picks the tips' language (default: the text's;
    "en-GB" counts as "en").

    Raises ``ValueError`` for an unknown field or language; never for the text itself.
    """
    if field not in FIELDS:
        raise ValueError(f"field must be one of {', '.join(FIELDS)}, not {field!r}")
    if lang is not None:
        short = lang.strip().lower()[:2]  # "en-GB", "NL" are fine
        if short not in LEXICONS:
            raise ValueError(f"language must be one of {', '.join(LEXICONS)}, not {lang!r}")
        lang = short
    tokens = tokenise(text or "")
    detected = detect_language(tokens)
    language = lang or detected
    if not any(tok.is_word for tok in tokens):
        return CoachResult(labels=(), tips=(), language=language)
    lex = LEXICONS[detected]
    own = hide_mentions(tokens)  # the teacher's own words, not the student's quoted ones
    found = {
        "third_person": third_person(tokens, lex),
        "judgement": judgement(own, lex),
        "fixed_trait": fixed_trait(own, lex),
        "vague_action": vague_action(tokens, lex) if field == "action" else "",
    }
    labels = tuple(label for label in LABELS if found[label])
    words = tuple(_quoted(found[label]) for label in labels)
    tips = tuple(
        t(language, f"coach.tip.{label}.{field}", words=said)
        for label, said in zip(labels, words, strict=True)
    )
    return CoachResult(labels=labels, tips=tips, language=language, words=words)


def _quoted(words: str) -> str:
    """The words a tip is about, as typed, short enough for one line."""
    words = " ".join(words.split())
    return words if len(words) <= 60 else words[:57].rstrip() + "..."
