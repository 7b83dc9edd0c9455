"""Word lists of the feedback coach, per language, in normalised form (lower case, no accents).

The coach (``dialogs/coach.py``) is rule-based on purpose: every label it gives can be traced
to an entry here. Entries are stems or full forms; ``adjective_forms`` adds the Dutch
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


# ---------------------------------------------------------------- third person
NL_SECOND_PERSON = frozenset({"je", "jij", "jou", "jouw", "jezelf", "u", "uw", "jullie", "jouwe"})
EN_SECOND_PERSON = frozenset({"you", "your", "yours", "yourself", "yourselves"})

NL_HE = frozenset({"hij", "ie", "hy"})
NL_SHE = frozenset({"zij", "ze"})
NL_OBJECT_POSSESSIVE = frozenset({"hem", "haar", "diens", "zich", "zichzelf", "z'n", "d'r"})
# "they": singular they, about one student; "hes": he's typed without the apostrophe.
EN_SUBJECT = frozenset({"he", "she", "they", "hes", "shes"})
EN_OBJECT_POSSESSIVE = frozenset(
    {"him", "his", "her", "hers", "himself", "herself", "their", "themselves"}
)

NL_PERSON_NOUNS = frozenset(
    {"leerling", "leerlinge", "kind", "jongen", "meisje", "meid", "student", "studente",
     "scholier", "knul", "jongeman", "jongedame", "jochie", "pupil", "lln", "ll"}
)
EN_PERSON_NOUNS = frozenset({"student", "pupil", "child", "kid", "boy", "girl", "learner"})
NL_DETERMINERS_3P = frozenset({"de", "deze", "het", "dit", "die", "dat", "onze"})
EN_DETERMINERS_3P = frozenset({"the", "this", "that", "our"})

# Finite verbs for a singular third-person subject that do not end in -t.
NL_IRREGULAR_3SG = frozenset(
    {"is", "heeft", "kan", "wil", "zal", "mag", "was", "had", "kon", "wilde", "zou", "mocht",
     "moest", "deed", "ging", "kwam", "zat", "liet", "leek", "werd", "bleef", "vond", "wist",
     "nam", "gaf", "zag", "stond", "lag", "kreeg", "schreef", "las", "sprak", "vergat", "hoorde",
     "begon", "haalde", "maakte", "leerde", "werkte"}
)
# Words ending in -t that are not finite verbs.
NL_NOT_VERB_T = frozenset(
    {"niet", "dat", "wat", "met", "het", "tot", "uit", "echt", "slecht", "licht", "recht", "vast",
     "best", "meest", "eerst", "laatst", "dit", "want", "zelfst", "heel", "iets", "niets",
     "altijd", "vaak", "nooit", "soms", "ooit", "toch", "net", "pas", "straks", "zacht", "plat",
     "zwart", "juist", "ongeveer", "wit", "groot", "laat", "snelst", "opzet", "inzet", "vorst",
     "kunst", "start", "taart", "markt", "kant", "punt", "feit", "tijd", "staat", "gezet",
     "schrift", "opdracht", "dicht", "gewicht", "bericht", "sport", "rapport", "tekst", "uitleg",
     "resultaat", "contact", "respect", "project", "concept", "moment", "klant", "aandacht",
     "nacht", "hulp", "at", "eet", "jammer", "goed", "maart", "oktober", "ruzie"}
)
EN_IRREGULAR_3SG = frozenset(
    {"is", "has", "was", "does", "did", "can", "will", "should", "must", "could", "would",
     "had", "made", "forgot", "got", "went", "came", "wrote", "gave", "took", "left", "never",
     "always", "often", "rarely", "seldom", "sometimes", "usually", "still", "also", "really",
     "doesn", "didn", "isn", "wasn", "hasn", "won", "just", "seems", "tends"}
)
EN_ADVERBS = frozenset(
    {"never", "always", "often", "rarely", "seldom", "sometimes", "usually", "still", "also",
     "really", "just", "hardly", "barely", "regularly", "frequently", "constantly", "clearly"}
)
EN_NOT_VERB_S = frozenset(
    {"this", "his", "us", "yes", "always", "sometimes", "less", "its", "as", "class", "across",
     "unless", "perhaps", "thus", "minutes", "hours", "times", "lessons", "grades", "marks",
     "was", "does", "is", "has", "process", "progress", "focus", "bus", "plus", "miss"}
)

# Capitalised words that are not first names (sentence starts, subjects, days, months, tools).
NL_NOT_NAMES = frozenset(
    {"ik", "je", "jij", "jouw", "u", "we", "wij", "zij", "ze", "hij", "het", "de", "een", "dit",
     "dat", "deze", "die", "wat", "wie", "waar", "wanneer", "hoe", "waarom", "welke", "er",
     "daar", "hier", "nu", "dan", "toen", "ook", "nog", "al", "maar", "en", "of", "want", "dus",
     "als", "omdat", "soms", "vaak", "altijd", "nooit", "iedereen", "niemand", "alles", "niets",
     "veel", "weinig", "meer", "minder", "elke", "iedere", "alle", "goed", "mooi", "top", "fijn",
     "helaas", "gelukkig", "echt", "erg", "heel", "zeer", "super", "wel", "niet", "geen",
     "mijn", "onze", "ons", "jullie", "hun", "zo", "toch", "sinds", "tijdens", "na", "voor",
     "bij", "in", "op", "aan", "met", "door", "over", "van", "tot", "om", "te", "engels",
     "frans", "duits", "nederlands", "spaans", "latijn", "grieks", "wiskunde",
     "biologie", "geschiedenis", "aardrijkskunde", "economie", "scheikunde", "natuurkunde",
     "lo", "gym", "muziek", "tekenen", "informatica", "maandag", "dinsdag", "woensdag",
     "donderdag", "vrijdag", "zaterdag", "zondag", "magister", "somtoday", "teams", "slack",
     "pva", "lvs", "inzet", "huiswerk", "practicum", "werkstuk", "project", "mondeling",
     "werkhouding", "houding", "gedrag", "resultaat",
     "resultaten", "cijfer", "cijfers", "spelling", "grammatica", "concentratie", "motivatie",
     "niveau", "tempo", "toets", "toetsen", "planning", "aandacht", "werk", "taak", "taken",
     "inbreng", "samenwerking", "participatie", "aanwezigheid", "verzuim", "opdracht",
     "opdrachten", "verslag", "lezen", "schrijven", "rekenen", "uitleg", "presentatie",
     "prestatie", "prestaties", "voortgang", "ontwikkeling", "vooruitgang", "leerling",
     "mentor", "docent", "klas", "les", "lessen", "school", "thuis", "zwak", "slecht", "matig",
     "onvoldoende", "voldoende", "laat", "plan", "oefen", "maak", "leer", "lees", "kom", "vraag",
     "probeer", "zorg", "neem", "doe", "ga", "let", "schrijf", "kijk", "houd", "hou",
     "blijf", "stel", "zet", "lever", "bereid", "herhaal", "noteer"}
)
EN_NOT_NAMES = frozenset(
    {"i", "you", "your", "we", "he", "she", "it", "they", "the", "a", "an", "this", "that",
     "these", "those", "what", "who", "where", "when", "how", "why", "which", "there", "here",
     "now", "then", "also", "but", "and", "or", "so", "if", "because", "sometimes", "often",
     "always", "never", "everyone", "nobody", "everything", "nothing", "much", "many", "more",
     "less", "each", "every", "all", "good", "great", "well", "nice", "very", "really", "not",
     "no", "my", "our", "their", "since", "during", "after", "before", "at", "in", "on", "with",
     "by", "for", "of", "to", "english", "french", "german", "dutch", "spanish", "latin",
     "maths", "math", "mathematics", "biology", "history", "geography", "economics",
     "chemistry", "physics", "pe", "music", "art", "monday", "tuesday", "wednesday",
     "thursday", "friday", "saturday", "sunday", "january", "february", "march", "april",
     "may", "june", "july", "august", "september", "october", "november", "december",
     "teams", "slack", "effort", "homework", "behaviour", "behavior", "attitude", "work",
     "focus", "attendance", "progress", "spelling", "grammar", "reading", "writing",
     "participation", "concentration", "motivation", "planning", "results", "grade", "grades",
     "test", "tests", "chapter", "class", "lesson", "lessons", "bring", "try", "practise",
     "practice", "plan", "make", "keep", "read", "write", "ask", "check", "hand", "come",
     "let", "show", "use", "do", "go", "take", "put", "please", "next", "last", "poor", "weak",
     "bad", "overall", "generally", "mostly", "science", "vocabulary", "handwriting",
     "teamwork", "classwork", "coursework", "revision", "pronunciation", "fluency",
     "presentation", "performance", "level", "mark"}
)

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
