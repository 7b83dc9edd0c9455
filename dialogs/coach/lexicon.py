"""Word lists of the feedback coach, per language, in normalised form (lower case, no accents).

The coach (``dialogs/coach/advice.py``) is rule-based on purpose: every label it gives can be traced
to an entry here or in the other ``coach_lexicon_*`` modules (``coach_lexicon_person``: who the
text is about). Entries are stems or full forms; ``adjective_forms`` adds the Dutch
inflections (``slim`` -> ``slimme``, ``slimmer``, ``slimst``) so the lists stay short.
"""

from __future__ import annotations

from collections.abc import Iterable

# fmt: off

_VOWELS = "aeiou"


def adjective_forms(stem: str) -> set[str]:
    """A Dutch adjective with its inflected, comparative and superlative forms."""
    forms = {stem, stem + "e", stem + "er", stem + "ere", stem + "st", stem + "ste"}
    short_vowel = (
        len(stem) >= 3
        and stem[-1] not in _VOWELS + "wy"
        and stem[-2] in _VOWELS
        and stem[-3] not in _VOWELS
        and not stem.endswith("ig")
    )
    if short_vowel:
        base = stem + stem[-1]
        forms |= {base + "e", base + "er", base + "ere"}
    return forms


def _all(words: Iterable[str]) -> frozenset[str]:
    out: set[str] = set()
    for word in words:
        out |= adjective_forms(word)
    return frozenset(out)


# ---------------------------------------------------------------- judgement
NL_JUDGEMENT = _all(
    ["slecht", "zwak", "matig", "belabberd", "waardeloos", "teleurstellend", "abominabel",
     "beroerd", "pover", "ondermaats", "rampzalig", "dramatisch", "hopeloos", "onacceptabel",
     "ontoereikend", "gebrekkig", "bedroevend", "armzalig", "schandalig", "treurig", "slordig",
     "rommelig", "ongemotiveerd", "ongeinteresseerd", "onverschillig", "respectloos",
     "brutaal", "onbeleefd", "chaotisch", "mager", "triest", "zielig", "onvoldoende",
     "middelmatig", "droevig", "erbarmelijk", "miserabel", "belachelijk", "slap", "laks",
     "nonchalant", "karig", "zwakjes", "matigjes", "zorgelijk", "verontrustend", "alarmerend"]
) | {"onvoldoende", "teleurstelling", "teleurgesteld", "drama", "ramp", "bagger", "prut",
     "slechtst",
     "zwakte", "slordigheid"}
EN_JUDGEMENT = frozenset(
    {"bad", "worse", "worst", "poor", "poorer", "poorest", "poorly", "weak", "weaker", "weakest",
         "insufficient", "disappointing",
     "disappointed", "disappointment", "sloppy", "unsatisfactory", "inadequate", "terrible",
     "awful", "mediocre", "lousy", "subpar", "pathetic", "careless", "lacklustre", "lackluster",
     "dreadful", "appalling", "unacceptable", "abysmal", "shoddy", "unmotivated",
     "uninterested", "rude", "disrespectful", "messy", "chaotic", "horrible", "dismal",
     "woeful", "feeble", "deficient", "substandard", "insufficiently", "lax", "rubbish",
     "hopeless", "useless", "underwhelming", "half-hearted", "halfhearted", "lame", "worrying",
     "alarming"}
)
# Multi-word judgements (normalised tokens, matched as a contiguous run).
NL_JUDGEMENT_PHRASES = (
    ("niet", "goed", "genoeg"), ("niveau", "niet"), ("niet", "op", "niveau"),
    ("onder", "niveau"), ("onder", "de", "maat"), ("beneden", "peil"), ("kan", "beter", "|"),
    ("moet", "beter", "|"), ("kan", "veel", "beter", "|"), ("niet", "goed", "|"),
    ("niet", "geweldig"), ("niet", "denderend"), ("niet", "best"), ("weinig", "inzet"),
    ("geen", "inzet"), ("weinig", "motivatie"), ("geen", "motivatie"),
    ("stelt", "niets", "voor"), ("stelt", "niks", "voor"), ("niet", "voldoende"),
    ("niet", "genoeg", "inzet"),
)
EN_JUDGEMENT_PHRASES = (
    ("not", "good", "enough"), ("below", "par"), ("below", "standard"), ("not", "up", "to"),
    ("could", "do", "better", "|"), ("could", "try", "harder", "|"), ("not", "good", "|"),
    ("not", "great", "|"), ("could", "be", "better", "|"), ("must", "do", "better", "|"),
    ("needs", "improvement"), ("needs", "to", "improve"), ("little", "effort"),
    ("no", "effort"), ("lack", "of", "effort"), ("not", "at", "the", "level"),
    ("not", "enough", "effort"), ("below", "average"),
)
# A judgement word followed by one of these names a grammar term or a grade, not a verdict.
NL_JUDGEMENT_EXEMPT_NEXT = frozenset({"werkwoord", "werkwoorden", "punten", "plekken", "plek"})
NL_GRADE_DETERMINERS = frozenset({"een", "geen", "twee", "drie", "vier", "vijf", "je", "jouw",
                                  "die", "deze", "meerdere", "veel"})

# ---------------------------------------------------------------- fixed traits
# Strong: a fixed quality of the person; flagged even when behaviour is named too.
NL_TRAIT_STRONG = _all(
    ["lui", "dom", "slim", "intelligent", "begaafd", "hoogbegaafd", "briljant", "getalenteerd",
     "talentvol", "pienter", "snugger", "schrander", "onnozel", "sloom", "stom", "dommig",
     "knap", "geniaal", "onhandig", "stupide"]
) | {"luiheid", "luilak", "luiaard", "domheid", "dommerik", "domoor", "slimmerik", "slimheid",
     "intelligentie", "talent", "talenten", "slimmerd", "slimmerds",
     "slimmerdje", "slimpie", "dommerd", "stommerd", "stommeling", "domkop", "sufferd",
     "luiwammes", "luierik", "luilakken", "knobbel", "genie", "sukkel", "uilskuiken", "kluns",
     "aanleg", "natuurtalent", "wonderkind", "begaafdheid", "geboren", "dommetje", "bolleboos",
     "studiebol", "leeghoofd", "dombo"}
# Compounds ending in these are traits too: wiskundeknobbel, taaltalent, rekengenie.
NL_TRAIT_SUFFIXES = ("knobbel", "knobel", "talent", "genie", "wonder")
EN_TRAIT_STRONG = frozenset(
    {"smart", "smartest", "lazy", "lazier", "laziest", "laziness", "gifted", "talented",
     "talent", "genius", "clever", "cleverest", "intelligent", "intelligence", "brilliant",
     "stupid", "dumb", "dim", "bright", "brightest", "naturally", "natural", "idle", "thick",
     "slacker", "prodigy", "whizz", "whiz", "airhead", "dunce", "gift", "born", "knack", "flair",
     "brainy", "brainbox", "brainiac", "whizzkid", "whizkid", "mastermind", "idiot"}
)
# Soft: a praise label; fine when the text also names what the student did.
NL_TRAIT_SOFT = frozenset(
    {"topper", "toppertje", "kanjer", "kanjertje", "held", "heldin", "ster", "sterretje",
     "topstudent", "topleerling", "superster", "kampioen", "crack", "toppie", "kei"}
)
EN_TRAIT_SOFT = frozenset(
    {"star", "superstar", "legend", "hero", "champ", "champion", "rockstar", "ace", "topper"}
)
# "slim plannen", "slimme aanpak", "clever solution": the word qualifies an act, not a person.
NL_ACT_NOUNS = frozenset(
    {"gebruik", "aanpak", "keuze", "keuzes", "vraag", "vragen", "oplossing", "oplossingen",
     "manier", "idee", "zet", "planning", "strategie", "bezig", "gedaan", "bedacht", "gekozen",
     "werk", "resultaat",
     "gevonden", "opgelost", "aangepakt", "gepland", "gevraagd", "antwoord", "redenering",
     "werkwijze", "stap", "stappen"}
)
EN_ACT_NOUNS = frozenset(
    {"use", "way", "choice", "choices", "question", "questions", "solution", "solutions",
     "move", "approach", "idea", "planning", "strategy", "strategies", "thinking", "answer",
     "reasoning", "method", "step", "steps", "work", "working", "plan", "trick", "guess"}
)
# "a natural": only with these around it.
EN_NATURAL_BEFORE = frozenset({"a", "an", "real", "true", "such", "born"})
EN_NATURAL_AFTER = frozenset({"talent", "ability", "gift", "flair", "aptitude", "at",
                              "talented", "gifted", "born", "learner", "mathematician"})
EN_BRIGHT_AFTER = frozenset({"student", "pupil", "kid", "child", "boy", "girl", "spark",
                             "mind", "learner"})

# Behaviour that ties a praise label to something the student did.
NL_TASK_NOUNS = frozenset(
    {"huiswerk", "cijfer", "cijfers", "toets", "toetsen", "opdracht", "opdrachten", "verslag",
     "verslagen", "practicum", "practica", "werkstuk", "presentatie", "woordjes", "sommen",
     "schrift", "agenda", "planning", "uitwerking", "uitwerkingen", "samenvatting",
     "aantekeningen", "oefentoets", "oefeningen", "hoofdstuk", "paragraaf", "proefwerk",
     "so", "taak", "taken", "boekverslag", "spreekbeurt", "project", "leesdossier", "portfolio",
     "vragen", "antwoorden", "zinnen", "tekst", "teksten", "grafiek", "berekening",
     "berekeningen", "inleiding", "conclusie", "bronnen", "woordenlijst", "map", "rooster"}
)
EN_TASK_NOUNS = frozenset(
    {"homework", "grade", "grades", "mark", "marks", "test", "tests", "assignment",
     "assignments", "essay", "essays", "report", "project", "presentation", "draft", "drafts",
     "notebook", "planner", "notes", "summary", "exercise", "exercises", "chapter", "quiz",
     "worksheet", "lab", "practical", "vocabulary", "words", "sums", "answers", "questions",
     "paragraph", "reading", "portfolio", "flashcards", "textbook", "score"}
)
NL_COPULAS = frozenset({"ben", "bent", "is", "was", "waren", "blijft", "lijkt", "wordt"})
EN_COPULAS = frozenset({"are", "is", "were", "was", "be", "re", "seem", "look"})

# ---------------------------------------------------------------- language detection
NL_MARKERS = frozenset(
    {"blijf", "oefen", "lees", "leer", "maak", "doe", "zorg", "werk", "gedaan", "mooi",
     "netjes", "prima", "toets", "dag", "jouw", "wordt", "hebt", "kunt", "zou", "gaat", "doet",
     "maakt", "altijd", "nooit", "vaak", "soms", "zo", "door", "ga", "kom", "ik", "je",
     "jij", "de", "het", "een", "en", "dat", "niet", "van", "op", "te",
     "met", "hij", "zij", "ze", "bij", "voor", "nog", "wat", "laat", "mij", "heeft",
     "goed", "les", "zie", "merk", "dit", "er", "maar", "ook", "naar", "wel", "meer", "heel",
     "erg", "leerling", "beter", "doen", "werken", "bent", "kun", "moet",
     "elke", "iedere", "huiswerk", "inzet", "onvoldoende", "deze", "zijn", "haar", "hem"}
)
EN_MARKERS = frozenset(
    {"below", "average", "keep", "trying", "going", "practise", "practice", "revise", "study",
         "learn", "read",
     "write", "show", "make", "use", "ask", "check", "listen", "stay", "up", "focused",
     "well", "done", "great", "job", "nice", "lessons", "test", "tests", "every", "each",
     "day", "should", "must", "need", "needs", "does", "doesn", "don", "often", "i", "you",
     "your", "the", "a", "and", "to", "not", "of", "with", "he", "she", "his",
     "her", "this", "next", "week", "try", "poor", "effort", "are", "be", "at",
     "notice", "see", "homework", "student", "for", "on", "it", "bring", "we", "will", "do",
     "better", "more", "when", "time", "has", "have", "my", "me", "good", "work", "always",
     "never", "lazy", "smart", "pay", "attention", "class", "very", "about", "that", "can"}
)

# Lexicon entries that forgive a spelling slip (long, distinctive words only).
FUZZY_ENTRIES = frozenset(
    {"onvoldoende", "slecht", "slechte", "teleurstellend", "teleurstellende", "teleurgesteld",
     "teleurstelling", "waardeloos", "waardeloze", "belabberd", "belabberde", "abominabel",
     "ondermaats", "ongemotiveerd", "ongeinteresseerd", "onverschillig", "slordig", "slordige",
     "rommelig", "rommelige", "onacceptabel", "ontoereikend", "gebrekkig", "bedroevend",
     "armzalig", "schandalig", "rampzalig", "respectloos", "onbeleefd", "luiheid", "luilak",
     "domheid", "slimmerik", "dommerik", "slimme", "intelligent", "intelligente",
     "intelligentie", "begaafd", "hoogbegaafd", "begaafdheid", "briljant", "getalenteerd",
     "talentvol", "knobbel", "natuurtalent",
     "insufficient", "insufficiently", "disappointing", "disappointed", "disappointment",
     "unsatisfactory", "inadequate", "terrible", "horrible", "dreadful", "appalling",
     "mediocre", "sloppy", "unacceptable", "substandard", "deficient", "careless",
     "unmotivated", "uninterested", "disrespectful", "talented", "intelligence", "brilliant",
     "laziness", "stupid", "genius", "clever"}
)

# Known correct words near a lexicon entry that must never be taken for a typo of it.
FUZZY_PROTECTED = frozenset(
    {"slechts", "beroert", "talen", "latent", "select", "start", "lifted", "shifted", "smarter",
     "ranger", "kanker", "tapper", "topper", "opper", "boeken", "matige", "matigen", "poorter",
     "knoppen", "kopper", "genius", "genie", "lijkt", "geniet", "genieten", "dromen", "ouders",
     "slechter", "inleveren", "voldoende", "voldoendes", "belangrijk", "stellen", "vertellen",
     "bestellen", "instellend", "herstellen", "waarde", "waardevol", "pover", "mager",
     "magere", "triest", "zielig", "brutaal", "slordig", "rommelig", "dramatisch",
     "chaotisch", "careful", "onvoldoendes", "terribly", "terrific", "messages", "gifts",
     "sifted", "hopelijk"}
)

# fmt: off
# ---------------------------------------------------------------- traits as nouns
# Nouns that file the person under a quality, praise or blame: "een bolleboos", "een
# kletskous", "a bookworm". With "een/a" after "je bent/you're" any noun counts that is not a
# measure ("een uur", "a bit") or a thing; these lists are for the noun on its own ("Kletskous!",
# "Such a chatterbox") and in other constructions.
NL_TRAIT_NOUNS = frozenset(
    {"bolleboos", "kletskous", "kletsmajoor", "kwebbel", "kwebbelkous", "leider", "doorzetter",
     "lastpak", "stuiterbal", "prater", "teamspeler", "betweter", "wijsneus", "druktemaker",
     "stoorzender", "lanterfanter", "treuzelaar", "piekeraar", "binnenvetter", "flapuit",
     "uitslover", "boekenwurm", "werker", "pleaser", "watje", "bangerik", "mopperaar",
     "aanwinst", "duizendpoot", "alleskunner", "rekenwonder", "taalwonder",
     "slome", "luilak", "pietje", "haantje", "doener", "denker"}
)
EN_TRAIT_NOUNS = frozenset(
    {"bookworm", "chatterbox", "leader", "troublemaker", "daydreamer", "worrier", "joker",
     "know-it-all", "show-off", "slacker", "underachiever", "overachiever", "achiever",
     "go-getter", "grafter", "plodder", "all-rounder", "allrounder", "motormouth", "natural",
     "worker", "player", "fighter", "pleaser"}
)
# After "een/a" these are a measure, a time or a part, not what the student is: "je bent een
# uur te laat", "een groot deel van de les", "you're a bit behind", "a week late".
NL_MEASURE_NOUNS = frozenset(
    {"uur", "uurtje", "kwartier", "minuut", "minuten", "dag", "dagje", "dagen", "week", "weekje",
     "weken", "maand", "maanden", "jaar", "keer", "keertje", "paar", "tijd", "tijdje", "stuk",
     "stukje", "beetje", "deel", "groot", "grote", "heel", "hele", "lange", "korte", "poos",
     "poosje", "periode", "les", "lesuur", "van", "eentje", "aantal", "halve", "half", "kwart",
     "leerling", "lid", "student", "scholier", "deelnemer", "klasgenoot"}
)
EN_MEASURE_NOUNS = frozenset(
    {"bit", "little", "lot", "week", "day", "month", "year", "minute", "minutes", "hour",
     "couple", "few", "while", "part", "member", "student", "pupil", "year-9", "lesson",
     "half", "quarter", "long", "short", "tad", "touch", "step", "way", "fair", "good"}
)
# Degree words and adjectives that may stand between "een/a" and the noun.
NL_NOUN_MODIFIERS = frozenset(
    {"echte", "echt", "ware", "typische", "typisch", "geboren", "beetje", "soort", "enorme",
     "grote", "kleine", "goede", "harde", "slimme", "luie", "rustige", "stille", "heel", "zeer",
     "super", "ontzettende", "vreselijke", "geweldige", "fantastische", "prima", "fijne"}
)
EN_NOUN_MODIFIERS = frozenset(
    {"real", "true", "born", "natural", "typical", "proper", "total", "complete", "such", "great",
     "good", "hard", "big", "little", "quiet", "lazy", "smart",
     "very", "really", "absolute", "super", "fantastic", "brilliant", "lovely"}
)
# Endings of nouns for someone who does something: "doorzetter", "prater", "dromer", "joker".
NL_AGENT_ENDINGS = ("er", "aar", "eur", "ist", "kous", "pak", "bal", "kop", "boos", "speler",
                    "wurm", "wonder", "poot", "majoor", "ling")
EN_AGENT_ENDINGS = ("er", "or", "ist", "ian", "box", "worm", "head", "player", "maker")
NL_NOT_AGENT_NOUNS = frozenset(
    {"nummer", "kamer", "water", "later", "computer", "meter", "centimeter", "kilometer",
     "liter", "winter", "zomer", "letter", "cijfer", "oever", "emmer", "hamer", "poster",
     "folder", "map", "uitzondering", "leeftijd", "leerling", "docent", "lid", "deelnemer",
     "leraar", "meer", "weer", "ander", "over", "onder", "zeer", "ster", "puinhoop"}
)
# fmt: on
