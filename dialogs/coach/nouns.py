"""Traits as nouns: the student filed under a noun, praise or blame ("je bent een echte
leider", "wat een kletskous ben jij", "omdat je een bolleboos bent", "you're a bookworm",
"such a chatterbox", "hij is een doorzetter").

The construction carries the meaning: an indefinite article after "je bent/you're" (or
"hij is/she's", or before "ben je/you are") and a noun that is no measure ("een uur te laat",
"a bit behind") and no part ("een van de eersten", "a member of"). Without such a verb, in an
exclamation ("Wat een doorzetter!", "Such a joker"), only a known trait noun or a noun for
someone who does something counts, so "Wat een mooi verslag!" stays praise of the work.
"""

from __future__ import annotations

from dialogs.coach import lexicon as lx
from dialogs.coach import lexicon_grammar as gr
from dialogs.coach.languages import Lexicon
from dialogs.coach.text import Token, word_at

# fmt: off
_ARTICLES = frozenset({"een", "'n", "a", "an"})
_DEGREE = frozenset(
    {"gewoon", "echt", "zo", "wel", "toch", "nu", "ook", "nog", "heel", "best", "altijd",
     "soms", "really", "just", "such", "so", "quite", "truly", "also", "still", "always",
     "definitely", "absolutely", "totally", "literally", "honestly", "clearly", "genuinely",
     "zeker", "duidelijk", "werkelijk", "eigenlijk", "natuurlijk", "me", "er", "hoor"}
)
_NL_BE_2P = frozenset({"bent", "ben", "blijft", "blijf", "lijkt", "lijk", "word", "wordt",
                       "was", "bleef", "leek", "werd"})
_EN_BE_2P = frozenset({"are", "'re", "re", "were", "r", "ur"})
_BE_3P = frozenset({"is", "'s", "was", "blijft", "lijkt", "wordt", "seems", "remains"})
_YOU = frozenset({"je", "jij", "you", "u"})
_HE = frozenset({"hij", "zij", "ze", "he", "she"})
# After the noun these keep it a label: "een clown in de klas", "a leader, and ...".
_FOLLOWERS = frozenset(
    {"in", "bij", "op", "met", "voor", "als", "en", "maar", "want", "dus", "die", "hoor", "zeg",
     "toch", "ben", "bent", "is", "at", "with", "for", "and", "but", "so", "who", "are", "you",
     "when", "as", "on"}
)
_PARTITIVE = frozenset({"van", "of"})
_EN_NOT_AGENTS = gr.EN_NOT_AGENTS | frozenset(
    {"poster", "folder", "computer", "calculator", "marker", "ruler", "binder", "sticker",
     "timer", "organiser", "organizer", "planner", "register", "monitor", "corner", "hour",
     "door", "floor", "number", "member", "teacher", "tutor", "mentor", "doctor", "sister",
     "brother", "mother", "father", "daughter", "year", "for", "per", "her", "other"}
)
# fmt: on


def person_noun(word: str, code: str) -> bool:
    """A trait noun or a noun for someone who does something ("leider", "scientist")."""
    nouns = lx.NL_TRAIT_NOUNS if code == "nl" else lx.EN_TRAIT_NOUNS
    return word in nouns or _agent(word, code)


def _agent(word: str, code: str) -> bool:
    """A noun for someone who does something: "doorzetter", "prater", "worrier", "joker"."""
    if code == "nl":
        return (
            len(word) >= 5
            and word.endswith(lx.NL_AGENT_ENDINGS)
            and word not in lx.NL_NOT_AGENT_NOUNS
        )
    return len(word) >= 5 and word.endswith(lx.EN_AGENT_ENDINGS) and word not in _EN_NOT_AGENTS


def _known(word: str, lex: Lexicon) -> bool:
    return person_noun(word, lex.code)


def _head(tokens: list[Token], k: int, lex: Lexicon) -> int:
    """The noun after the article at ``k`` (modifiers skipped; "een beetje een chaoot" moves on
    to the second article), or -1 for a measure, a part or nothing."""
    modifiers = lx.NL_NOUN_MODIFIERS if lex.code == "nl" else lx.EN_NOUN_MODIFIERS
    measures = lx.NL_MEASURE_NOUNS if lex.code == "nl" else lx.EN_MEASURE_NOUNS
    j = k + 1
    while j < len(tokens) and tokens[j].is_word:
        word = tokens[j].norm
        if word in measures:
            if word_at(tokens, j + 1) in _ARTICLES:  # "een beetje een ..."
                j += 2
                continue
            if word_at(tokens, j + 1) == "of" and word_at(tokens, j + 2) in _ARTICLES:
                j += 3  # "a bit of a chatterbox"
                continue
            return -1
        if word in modifiers or word in _DEGREE:
            j += 1
            continue
        if word_at(tokens, j + 1) in _PARTITIVE and not _known(word, lex):
            return -1  # "een lid van", "a member of"
        while _known(word_at(tokens, j + 1), lex):
            j += 1  # "a team player", "een echte teamspeler"
        return j if tokens[j].norm.replace("-", "").isalpha() else -1
    return -1


def _ends_phrase(tokens: list[Token], j: int) -> bool:
    nxt = tokens[j + 1] if j + 1 < len(tokens) else None
    return nxt is None or not nxt.is_word or nxt.norm in _FOLLOWERS


def _before(tokens: list[Token], k: int) -> tuple[str, int]:
    """The word before the article at ``k``, skipping degree words, and where it is."""
    i = k - 1
    while i >= 0 and tokens[i].is_word and tokens[i].norm in _DEGREE:
        i -= 1
    return word_at(tokens, i), i


def _said_of_student(tokens: list[Token], k: int, j: int, lex: Lexicon) -> str:
    """ "you" (second person), "he" (third person) or "" for the noun phrase k..j."""
    prev, at = _before(tokens, k)
    prev2 = word_at(tokens, at - 1)
    nxt, nxt2 = word_at(tokens, j + 1), word_at(tokens, j + 2)
    be_2p = _NL_BE_2P if lex.code == "nl" else _EN_BE_2P
    if prev in be_2p and (prev2 in _YOU or word_at(tokens, at + 1) in _YOU or prev == "ur"):
        return "you"  # "je bent een ...", "ben jij een ...", "you're a ...", "ur a ..."
    if prev in _YOU and nxt in _NL_BE_2P | {"is"}:
        return "you"  # "omdat je een bolleboos bent"
    if (nxt in _NL_BE_2P | _EN_BE_2P and nxt2 in _YOU) or (nxt in _YOU and nxt2 in _EN_BE_2P):
        return "you"  # "Wat een kletskous ben jij", "What a worrier you are"
    if prev in _BE_3P and at > 0:
        subject = tokens[at - 1]
        if subject.is_word and (subject.norm in _HE or subject.looks_like_name):
            return "he"  # "hij is een ...", "Daan is een ...", "he's a ..."
    if prev in _HE and nxt in _BE_3P:
        return "he"  # "omdat hij een doorzetter is"
    return ""


def trait_noun(tokens: list[Token], lex: Lexicon) -> str:
    """The words that file the student under a noun ("een echte leider"), "" for none."""
    for k, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        if tok.norm not in _ARTICLES:
            if (
                tok.sentence_start
                and _alone(tokens, k)
                and tok.norm in (lx.NL_TRAIT_NOUNS if lex.code == "nl" else lx.EN_TRAIT_NOUNS)
            ):
                return tok.orig  # "Kletskous!"
            continue
        j = _head(tokens, k, lex)
        if j < 0:
            continue
        word = tokens[j].norm
        if word in lex.trait_soft:
            continue  # "een topper", "a star": praise labels, fine with behaviour named
        who = _said_of_student(tokens, k, j, lex)
        if who and (_known(word, lex) or _ends_phrase(tokens, j)):
            return " ".join(t.orig for t in tokens[k : j + 1])
        if _exclaims(tokens, k) and _known(word, lex):
            return " ".join(t.orig for t in tokens[k : j + 1])
    return ""


def _exclaims(tokens: list[Token], k: int) -> bool:
    """The article opens a sentence, after "wat/what/such/zo" or degree words at most:
    "Wat een doorzetter!", "Such a joker", "Echt een rekenwonder"."""
    i = k - 1
    while i >= 0 and tokens[i].is_word and tokens[i].norm in _DEGREE | {"wat", "what"}:
        i -= 1
    return i < 0 or not tokens[i].is_word and tokens[i].norm in ".!?;:\n("


def _alone(tokens: list[Token], k: int) -> bool:
    """The word is its whole sentence: "Kletskous!", "Bookworm."."""
    nxt = tokens[k + 1] if k + 1 < len(tokens) else None
    return nxt is None or (not nxt.is_word and nxt.norm in ".!?\n")
