"""Third-person check of the feedback coach: is the text written *about* the student?

Signals: a subject pronoun (hij, zij/ze with a singular verb; he, she), an object or
possessive pronoun (hem, haar; him, his, her) in a text that never addresses the student (an
opening imperative does: "laat hem zien" is about a thing),
"de leerling"/"the student", or a first name followed by a third-person verb ("Tom is",
"Fatima maakt", "Jan-Willem heeft"). A name used to address the student ("Meike, ik merk dat
je ...", "Goed gedaan, Tom!") is not third person. Pronouns inside a text that addresses the
student ("Je helpt Sam als hij vastloopt") only count at the start of a sentence.
"""

from __future__ import annotations

from dialogs.coach import lexicon_actions as la
from dialogs.coach import lexicon_grammar as gr
from dialogs.coach import lexicon_person as lp
from dialogs.coach.languages import Lexicon
from dialogs.coach.text import Token, may_be_slip

# fmt: off
# Endings of nouns that open a sentence ("Spelling gaat", "Uitspraak is"), never first names.
_NOUN_SUFFIXES = (
    "ing", "heid", "tie", "sie", "teit", "schap", "isme", "ment", "nis", "tion", "sion", "ness",
    "ity", "ance", "ence", "cy", "edge", "ary", "uur", "kunde", "les", "werk", "schrift",
    "spraak", "gebruik", "begrip", "schat", "kennis", "houding", "niveau", "toets", "verslag",
    "work", "ship", "ig", "lijk", "baar", "zaam", "loos", "isch", "lings",
)
# Words that open a sentence before a verb without being its subject ("Gisteren werkte je").
_OPENERS = frozenset(
    {"gisteren", "vandaag", "morgen", "meestal", "vorige", "afgelopen", "inmiddels", "helaas",
     "daarnaast", "verder", "bovendien", "eerst", "vroeger", "laatst", "onlangs", "thuis",
     "buiten", "binnen", "samen", "alleen", "zelf", "hard", "snel", "rustig", "netjes",
     "mondeling", "schriftelijk", "tegenwoordig", "sindsdien", "daarom", "daardoor", "toen",
     "recently", "lately", "unfortunately", "hopefully", "usually", "generally", "overall",
     "today", "yesterday", "currently", "clearly", "honestly", "finally", "normally",
     "occasionally", "regularly", "rarely", "still", "again", "together", "alone", "lastly"}
)
_NOT_PAST = frozenset(
    {"goede", "volgende", "beide", "hele", "harde", "rode", "oude", "vorige", "aparte",
     "bepaalde", "gemiddelde", "welke", "elke", "iedere", "de", "te", "ide", "onvoldoende",
     "voldoende", "andere"}
)
_SUBORDINATORS = frozenset({"dat", "omdat", "als", "wanneer", "of", "en", "maar", "dus",
                            "that", "because", "when", "if", "and", "but", "so"})
_FIRST_PERSON = frozenset({"ik", "mij", "me", "mijn", "i", "my", "we", "wij", "ons", "onze"})
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "dr", "sir", "meneer", "mevrouw", "juf",
                     "meester", "dhr", "mw", "mevr"})
_ARTICLES = frozenset({"de", "het", "een", "the", "a", "an"})
_INFINITIVES = frozenset(
    {"plannen", "spreken", "oefenen", "leren", "werken", "lezen", "praten", "kletsen", "zingen",
     "rekenen", "tekenen", "meedoen", "sporten", "typen", "coderen", "koken", "dansen"}
)
# Prepositions before "zijn" make it a possessive: "zit niet lekker in zijn vel".
_PREPOSITIONS = frozenset(
    {"in", "met", "van", "op", "aan", "bij", "voor", "naar", "over", "uit", "door", "om",
     "tegen", "zonder", "tijdens", "achter", "naast", "onder", "boven", "volgens"}
)
# fmt: on
_MODALS = frozenset({"kan", "wil", "zal", "mag", "zou", "moet", "kon", "wilde", "mocht", "moest"})


def _word(tokens: list[Token], i: int) -> str:
    if 0 <= i < len(tokens) and tokens[i].is_word:
        return tokens[i].norm
    return ""


def _nl_singular_verb(word: str) -> bool:
    if not word or word in lp.NL_NOT_VERB_T:
        return False
    if word in lp.NL_IRREGULAR_3SG:
        return True
    if word in lp.NL_SECOND_PERSON:
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
    if word in lp.EN_IRREGULAR_3SG:
        return True
    if word in lp.EN_NOT_VERB_S or word in lp.EN_NOT_NAMES:
        return False
    if len(word) >= 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return True
    return len(word) >= 4 and word.endswith("ed")


# English finite verbs are never names, except those that are names too (Will, Can).
_EN_VERBS_NOT_NAMES = lp.EN_IRREGULAR_3SG - {"will", "can"}
_POSSESSIVES = frozenset({"'s", "zijn", "haar", "z'n", "d'r"})
_DES = frozenset({"avonds", "ochtends", "morgens", "middags", "nachts", "zomers", "winters"})


def _verb_follows(tokens: list[Token], i: int, lex: Lexicon) -> bool:
    """A singular verb after the word, or a possessive ("Imane's resultaten", "Luuk zijn")."""
    nxt = _word(tokens, i + 1)
    if lex.code == "nl":
        after = _word(tokens, i + 2)
        if nxt in _POSSESSIVES:  # "Imane's resultaten", "Luuk zijn werkhouding"
            return bool(after) and (nxt != "'s" or after not in _DES)
        return _nl_singular_verb(nxt)
    if nxt in lp.EN_ADVERBS:
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
            if tok.norm.endswith("en") and len(tok.norm) > 3 and tok.norm not in lp.NL_NOT_NAMES:
                return False  # plural verb: "dat ze het snappen"
            if _nl_singular_verb(tok.norm):
                return True
    return tokens[i].norm == "zij" and text_has_object_pronoun and not addressed


def _name_candidate(tok: Token, lex: Lexicon, addressed: bool, caseless: bool) -> bool:
    """A first name: capitalised, or in a text typed without case, the first word."""
    bare = tok.norm.replace("-", "")  # "jan-willem"
    if not (tok.looks_like_name or (caseless and tok.sentence_start and bare.isalpha())):
        return False
    word = tok.norm
    stop = lp.NL_NOT_NAMES if lex.code == "nl" else lp.EN_NOT_NAMES
    closed = gr.NL_CLOSED_CLASS if lex.code == "nl" else gr.EN_CLOSED_CLASS
    if word in stop or word in closed or word in la.IMPERATIVES or word in lex.second_person:
        return False
    if word in (lp.NL_IRREGULAR_3SG if lex.code == "nl" else _EN_VERBS_NOT_NAMES):
        return False  # "Heeft moeite met plannen": a verb, the subject left out
    if word in lex.judgement:
        return False
    if word in lex.trait_strong or word in lex.concrete_nouns or word in lex.generic_nouns:
        return False
    if tok.sentence_start and (word.endswith(_NOUN_SUFFIXES) or word in _OPENERS):
        return False
    # "Samenwerken gaat goed", "Plannen gaat nog lastig, je ...": an infinitive as subject.
    infinitive = (
        lex.code == "nl"
        and word.endswith("en")
        and (addressed or len(word) >= 8 or word in _INFINITIVES)
    )
    return not (tok.sentence_start and infinitive)


def _about_name(tokens: list[Token], i: int, nl: bool, speaker: bool) -> bool:
    """ "Ik zie dat Lotte ...", "de inzet van Tom", "Vandaag had Tom ...", "Ik ben trots op
    Lotte": a name spoken of (the teacher speaks, to no one, about a name)."""
    prev = _word(tokens, i - 1)
    if speaker or prev in _SUBORDINATORS or prev in {"van", "of"}:
        return True
    inverted = prev and not tokens[i - 1].sentence_start
    return bool(inverted) and (_nl_singular_verb(prev) if nl else prev in lp.EN_IRREGULAR_3SG)


def _vocative(tokens: list[Token], i: int) -> bool:
    """ "Goed gedaan, Tom!", "Tom, ...": the name stands apart, addressing the student."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    prev = tokens[i - 1] if i > 0 else None
    return (nxt is None or not nxt.is_word) and (prev is None or not prev.is_word)


# Words that speak to the student: je/jij/you, and thanks ("Thanks for helping Tom, he ...").
_ADDRESSEES = {
    "nl": lp.NL_SECOND_PERSON | gr.THANKS,
    "en": lp.EN_SECOND_PERSON | gr.THANKS,
}


def _sentences_addressed(tokens: list[Token], lex: Lexicon) -> list[bool]:
    """Per token: does its sentence speak to the student ("... als hij vastloopt; zij helpt
    je")? A pronoun there is someone else; in a sentence without je/you it is the student."""
    flags = [False] * len(tokens)
    start = 0
    for end in range(len(tokens) + 1):
        if end == len(tokens) or (end > start and tokens[end].sentence_start):
            here = not _ADDRESSEES[lex.code].isdisjoint(tok.norm for tok in tokens[start:end])
            flags[start:end] = [here] * (end - start)
            start = end
    return flags


def _calls(tokens: list[Token], k: int) -> bool:
    """A name that calls the student: after a greeting ("Hoi Bas,", "Hi Ava"), or closing a
    cheer ("Goed gedaan Anouk!", "Well done Ruby!")."""
    prev = tokens[k - 1].norm if k else ""
    nxt = tokens[k + 1].norm if k + 1 < len(tokens) else ""
    cheer = nxt in {"!", ","} and prev in gr.CHEERS  # "Goed gedaan Anouk!", not "hielp Sem,"
    return prev in gr.GREETINGS or cheer


def _others_named(
    tokens: list[Token],
    lex: Lexicon,
    sentence_addressed: list[bool],
    addressed: bool,
    caseless: bool,
) -> list[bool]:
    """Per token: has someone other than the student been named before it, in a sentence to
    the student ("Je hielp Sem; hij snapte het", "Je broer helpt je, hij ...")?"""
    others = gr.NL_OTHER_PEOPLE if lex.code == "nl" else gr.EN_OTHER_PEOPLE
    flags: list[bool] = []
    named = False
    for k, tok in enumerate(tokens):
        flags.append(named)
        named = named or (
            sentence_addressed[k]
            and tok.is_word
            and (
                tok.norm in others
                or (
                    not tok.sentence_start
                    and tok.looks_like_name
                    and not _calls(tokens, k)
                    and _name_candidate(tok, lex, addressed, caseless)
                )
            )
        )
    return flags


_OPENS_TO_OTHERS = gr.GREETINGS | gr.OTHER_ADDRESSEES


def _to_someone_else(tokens: list[Token], lex: Lexicon) -> str:
    """The text opens by addressing someone other than the student ("Ouders: graag ...",
    "Beste mentor, ...", "Colleagues, please ..."): whatever follows is about the student."""
    if not tokens or tokens[0].norm not in _OPENS_TO_OTHERS:
        return ""
    words = [i for i, tok in enumerate(tokens[:6]) if tok.is_word][:3]
    for i in words:
        word = tokens[i].norm
        if word in gr.GREETINGS:
            continue
        after = i + 2 if i + 1 < len(tokens) and tokens[i + 1].norm == "'s" else i + 1
        nxt = tokens[after].norm if after < len(tokens) else ""  # "Collega's,"
        if word in gr.OTHER_ADDRESSEES and nxt in {":", ","}:
            return " ".join(tok.orig for tok in tokens[: i + 1] if tok.is_word)
        return ""
    return ""


def third_person(tokens: list[Token], lex: Lexicon) -> str:
    """The words that speak about the student rather than to them, "" for none."""
    someone_else = _to_someone_else(tokens, lex)
    if someone_else:
        return someone_else
    return _third_person(tokens, lex)


def _third_person(tokens: list[Token], lex: Lexicon) -> str:
    nl = lex.code == "nl"
    addressed = not _ADDRESSEES[lex.code].isdisjoint(tok.norm for tok in tokens)
    object_pronouns = lp.NL_OBJECT_POSSESSIVE if nl else lp.EN_OBJECT_POSSESSIVE
    has_object_pronoun = any(tok.norm in object_pronouns for tok in tokens if tok.is_word)
    persons = lp.NL_PERSON_NOUNS if nl else lp.EN_PERSON_NOUNS
    determiners = lp.NL_DETERMINERS_3P if nl else lp.EN_DETERMINERS_3P
    sentence_addressed = _sentences_addressed(tokens, lex)
    letters = "".join(tok.orig for tok in tokens if tok.is_word)
    caseless = letters.islower() or letters.isupper()  # "tom is lui", "TOM IS LUI"
    speaker = any(tok.norm in _FIRST_PERSON for tok in tokens if tok.is_word)
    first = next((i for i, tok in enumerate(tokens) if tok.is_word), -1)
    imperative = first >= 0 and tokens[first].norm in la.IMPERATIVES  # spoken to the student

    seen: list[bool] = []  # filled on first need: someone else named before each token

    def other_before(i: int) -> bool:
        """Someone else named in a sentence to the student: a later pronoun is them."""
        if not seen:
            seen.extend(_others_named(tokens, lex, sentence_addressed, addressed, caseless))
        return seen[i]

    for i, tok in enumerate(tokens):
        if not tok.is_word:
            continue
        word = tok.norm
        counts = not sentence_addressed[i]
        if word in (lp.NL_HE if nl else lp.EN_SUBJECT):
            if counts and not other_before(i):
                return tok.orig
        elif nl and word in lp.NL_SHE:
            if counts and _nl_she(tokens, i, has_object_pronoun, addressed) and not other_before(i):
                return tok.orig
        elif nl and word == "die" and i == first and not addressed:
            if _nl_singular_verb(_word(tokens, i + 1)):
                return f"{tok.orig} {tokens[i + 1].orig}"  # "Die kletst": the student
        elif word in object_pronouns:
            if not (addressed or imperative):  # "Maak de toets en laat hem zien": the test
                return tok.orig
        elif nl and word == "zijn":
            prev = _word(tokens, i - 1)
            if not addressed and (
                (tok.sentence_start and _word(tokens, i + 1))
                or (_nl_singular_verb(prev) and prev not in _MODALS)
                or (prev in _PREPOSITIONS and _word(tokens, i + 1))  # "in zijn vel"
            ):
                return tok.orig
        elif word in persons or (len(word) >= 4 and may_be_slip(tok) and word in lex.persons):
            introduced = _word(tokens, i - 1) in determiners or tok.sentence_start
            if (introduced or word == "leerlinge") and (
                _verb_follows(tokens, i, lex) or not addressed
            ):
                return _with_next(tokens, i)
        elif _name_candidate(tok, lex, addressed, caseless) and counts:
            if _word(tokens, i - 1) in _ARTICLES or tok.norm in _TITLES:
                continue  # "de Romeinen", "the Tudors": not a first name
            if _word(tokens, i - 1) in _TITLES:
                continue  # "mevrouw Jansen", "Mr Smith": a colleague
            if _verb_follows(tokens, i, lex):
                return _with_next(tokens, i)
            if not (caseless or addressed or imperative or _vocative(tokens, i)) and _about_name(
                tokens, i, nl, speaker
            ):
                return tok.orig
    return ""


def _with_next(tokens: list[Token], i: int) -> str:
    """ "Tom maakt", "de leerling heeft": the word with the verb after it."""
    nxt = tokens[i + 1] if i + 1 < len(tokens) and tokens[i + 1].is_word else None
    return f"{tokens[i].orig} {nxt.orig}" if nxt else tokens[i].orig
