"""Closed word classes and multi-word constructions for the coach, in normalised form.

The single value words are in ``coach_lexicon``; here are the patterns around them: words that
are never first names, people other than the student, separable verbs of disappointment
("valt tegen", "schiet tekort"), standards one falls below ("onder de verwachting", "below
expectations"), verdicts that are negated ("niet acceptabel", "not acceptable"), labels for a
type of person ("een talenmens", "a maths person") and effort idioms ("get your act together").
"""

from __future__ import annotations

# fmt: off
# Prepositions, conjunctions and adverbs that open a sentence: never a first name.
NL_CLOSED_CLASS = frozenset(
    {"onder", "boven", "zonder", "binnen", "buiten", "tegen", "achter", "naast", "tussen",
     "volgens", "ondanks", "hoewel", "terwijl", "totdat", "zeker", "vooral", "misschien",
     "wellicht", "eigenlijk", "gewoon", "nogal", "vrij", "best", "beneden", "rond", "sinds",
     "zodra", "voordat", "nadat", "doordat", "zodat", "mits", "tenzij", "behalve", "inclusief",
     "ongeveer", "bijna", "alleen", "slechts", "pas", "net", "ruim", "zowel", "noch", "steeds",
     "weer", "opnieuw", "graag", "liever", "vanaf", "vanwege", "wegens"}
)
EN_CLOSED_CLASS = frozenset(
    {"below", "above", "under", "over", "without", "within", "despite", "although", "though",
     "while", "whilst", "until", "unless", "against", "beyond", "behind", "towards", "toward",
     "among", "through", "throughout", "lots", "plenty", "quite", "rather", "too", "even",
     "only", "just", "such", "some", "any", "most", "several", "both", "either", "neither",
     "almost", "nearly", "hardly", "barely", "already", "yet", "still", "instead", "besides",
     "perhaps", "maybe", "definitely", "certainly", "please", "thanks", "thank"}
)
# Thanks speak to the student even without "je/you": "Thanks for helping Tom, he ...".
THANKS = frozenset({"thanks", "bedankt", "dankjewel", "dankuwel", "merci"})
# People other than the student: a pronoun after them in a text to the student is about them.
NL_OTHER_PEOPLE = frozenset(
    {"broer", "broertje", "zus", "zusje", "moeder", "vader", "mama", "papa", "oma", "opa",
     "mentor", "docent", "docente", "juf", "meester", "buurman", "buurvrouw", "klasgenoot",
     "klasgenote", "vriend", "vriendin", "teamgenoot", "coach", "trainer", "tante", "oom",
     "neef", "nicht", "begeleider", "begeleidster", "decaan", "stagebegeleider"}
)
EN_OTHER_PEOPLE = frozenset(
    {"brother", "sister", "mother", "father", "mum", "mom", "dad", "friend", "classmate",
     "neighbour", "neighbor", "teacher", "tutor", "mentor", "partner", "coach", "aunt",
     "uncle", "cousin", "grandma", "grandmother", "grandpa", "grandfather", "teammate"}
)

# Separable verbs of disappointment: particle -> verb forms ("valt tegen", "tegenvallende").
# Not "blijft achter": results that lag behind a grade are a fact, not a verdict.
NL_SEPARABLE_JUDGEMENTS = {
    "tegen": frozenset({"valt", "vallen", "viel", "vielen", "gevallen", "vallend", "vallende",
                        "val"}),
    "tekort": frozenset({"schiet", "schieten", "schoot", "schoten", "geschoten", "schietend"}),
}
EN_PHRASAL_JUDGEMENTS = {
    "short": frozenset({"falls", "fall", "fell", "falling", "fallen"}),
}
NL_JUDGEMENT_RUNS = (("te", "wensen", "over"), ("niet", "in", "orde"), ("niet", "oke"))
EN_JUDGEMENT_RUNS = (("to", "be", "desired"), ("not", "up", "to", "scratch"),
                     ("not", "up", "to", "standard"), ("not", "ok"), ("not", "okay"))

# A standard that one stays below: "onder de verwachting", "haalt het niveau niet".
STANDARDS = frozenset(
    {"niveau", "maat", "peil", "verwachting", "verwachtingen", "norm", "standaard",
     "gemiddelde", "eisen", "level", "levels", "standard", "standards", "expectations",
     "expectation", "expected", "par", "average", "requirements", "mark"}
)
BELOW = frozenset({"onder", "beneden", "below", "under", "beneath"})
# "not at the level", "voldoet niet aan de eisen": a negation before or (Dutch) after.
LEVEL_NEGATIONS = frozenset({"niet", "geen", "not", "no", "never", "nooit"})

# Verdicts that judge when negated: "niet acceptabel", "not satisfactory".
NL_POSITIVE_VERDICTS = frozenset(
    {"acceptabel", "aanvaardbaar", "voldoende", "toereikend", "oke", "ok", "fraai",
     "denderend", "geweldig", "best", "florissant", "bevredigend"}
)
EN_POSITIVE_VERDICTS = frozenset(
    {"acceptable", "satisfactory", "sufficient", "adequate", "ok", "okay", "great",
     "impressive"}
)
# Not "geen"/"no": "geen voldoende gehaald" is a grade.
NEGATORS = frozenset({"niet", "not", "nooit", "never"})

# A person's type: "een talenmens", "geen bètatype", "a maths person".
NL_TYPE_HEADS = ("mens", "type")
NL_NOT_TYPES = frozenset({"medemens", "onmens", "prototype", "stereotype", "archetype"})
NL_TYPE_NOUNS = frozenset({"alfa", "beta", "gamma", "doener", "denker"})
NL_TYPE_ARTICLES = frozenset({"een", "geen", "'n", "echte", "echt", "typische", "typisch"})
EN_TYPE_HEADS = frozenset({"person", "type", "kind"})
EN_NOT_TYPE_MODIFIERS = frozenset(
    {"first", "last", "only", "right", "wrong", "same", "other", "one", "next", "young",
     "old", "different", "new", "whole", "this", "that", "every", "each", "the", "certain",
     "particular", "similar", "specific", "contact", "key", "real"}
)
# "a natural leader", "natural athlete": a noun for someone who does something.
EN_AGENT_SUFFIXES = ("ist", "ian", "ete", "er", "or")
EN_NOT_AGENTS = frozenset(
    {"order", "number", "water", "matter", "disaster", "colour", "color", "border", "paper",
     "power", "flavour", "flavor", "error", "factor", "character", "manner", "layer", "consumer",
     "behaviour", "behavior", "wonder", "winter", "summer", "letter", "chapter", "answer",
     "either", "neither", "other", "rather", "further", "after", "under", "over", "together",
     "whether", "mirror", "interior", "exterior", "theorist"}
)

# Effort idioms: a push, no step ("de schouders eronder", "get your act together").
EFFORT_IDIOMS = (
    ("schouders", "eronder"), ("aan", "de", "bak"), ("zet", "'m", "op"), ("zet", "hem", "op"),
    ("tandje", "bij"), ("tandje", "erbij"), ("er", "tegenaan"), ("ervoor", "gaan"),
    ("knop", "om"), ("act", "together"), ("step", "it", "up"), ("step", "up"),
    ("socks", "up"), ("buckle", "down"), ("knuckle", "down"), ("up", "your", "game"),
    ("pull", "your", "weight"), ("get", "stuck", "in"), ("get", "it", "together"),
    ("pull", "yourself", "together"), ("sort", "yourself", "out"), ("get", "a", "grip"),
    # Encouragement without a step: a push, no what or when.
    ("kom", "op"), ("kop", "op"), ("hou", "vol"), ("houd", "vol"), ("volhouden",),
    ("geloof", "in", "jezelf"), ("je", "kan", "het"), ("je", "kunt", "het"), ("je", "kan", "dit"),
    ("je", "kunt", "dit"), ("ga", "zo", "door"), ("zo", "doorgaan"), ("blijf", "zo", "doorgaan"),
    ("ga", "ervoor"), ("ga", "er", "vol", "voor"), ("succes",), ("niet", "opgeven"),
    ("geef", "niet", "op"), ("zet", "m", "op"), ("keep", "it", "up"), ("keep", "going"),
    ("keep", "trying"), ("you", "got", "this"), ("'ve", "got", "this"), ("you", "can", "do"),
    ("believe", "in", "yourself"), ("hang", "in", "there"), ("good", "luck"),
    ("'t", "give", "up"), ("never", "give", "up"), ("chin", "up"), ("go", "for", "it"),
)

# Key words that forgive one spelling slip too ("nivau", "lerling", "talnt", "mtige"), and the
# real words one slip away from them that must keep their own meaning (from Dutch and English
# word lists: "jongens", "talen", "meisjes", "matigt").
FUZZY_KEY_WORDS = frozenset(
    {"matig", "matige", "zwakke", "talent", "aanleg", "gifted", "leerling", "leerlinge",
     "student", "jongen", "meisje", "niveau"}
)
FUZZY_KEY_PROTECTED = frozenset(
    {"aanlag", "aanlegt", "aanleng", "aanlig", "aanzeg", "giften", "girted", "joegen", "joggen",
     "jonen", "jongden", "jonge", "jongend", "jongens", "jonger", "jonges", "jonken", "jonnen",
     "jorgen", "jungen", "leering", "leerlingen", "matigde", "matigen", "matiger", "matigt",
     "matin", "mating", "matiz", "meije", "meise", "meisjes", "meiske", "mensje", "mesje",
     "muisje", "nivea", "niveaus", "studenten", "studentes", "students", "talen", "talens",
     "talents", "zwakken", "zwakker"}
)
# fmt: on

# fmt: off
# ---------------------------------------------------------------- value words that are no verdict
# A value word before one of these names a term of the subject (grammar, chemistry, physical
# education) or a part of the work: "zwakke zuren", "sterke werkwoorden", "je zwakke been",
# "het zwakke punt ... is ...", "weak acids", "your weakest area was listening".
SUBJECT_TERMS = frozenset(
    {"werkwoord", "werkwoorden", "vervoeging", "vervoegingen", "zuur", "zuren", "base", "basen",
     "elektrolyt", "elektrolyten", "oxidator", "oxidatoren", "reductor", "reductoren", "binding",
     "bindingen", "kracht", "krachten", "wisselwerking", "vorm", "vormen", "klank", "klanken",
     "lettergreep", "lettergrepen", "hand", "been", "voet", "arm", "kant", "zijde", "punt",
     "punten", "plek", "plekken", "onderdeel", "onderdelen", "deel", "delen", "kanten",
     "verb", "verbs", "acid", "acids", "bases", "electrolyte", "electrolytes", "force",
     "forces", "interaction", "bond", "bonds", "form", "forms", "syllable", "syllables",
     "foot", "leg", "side", "point", "points", "part", "parts", "area", "areas",
     "spot", "spots", "link", "beat", "beats"}
)
# Of those, parts of the work: no verdict only when the text goes on to say what was seen.
PARTS_OF_WORK = frozenset(
    {"punt", "punten", "plek", "plekken", "onderdeel", "onderdelen", "deel", "delen", "kant",
     "kanten", "side", "point", "points", "part", "parts", "area", "areas", "spot", "spots"}
)
# Words that may stand between a value word and its term: "zwakke en sterke werkwoorden".
TERM_JOINERS = frozenset({"en", "of", "and", "or", "sterke", "zwakke", "strong", "weak",
                          "sterk", "zwak", "minst", "least", "most", "meest"})
# A value word near one of these is about something other than the student's work: sleep,
# weather, the connection ("het slechte weer", "je slaapt slecht", "de wifi was slecht").
NOT_THE_WORK = frozenset(
    {"weersverwachting", "regen", "wind", "slaap", "slapen", "slaapt", "sliep",
     "geslapen", "nachtrust", "wifi", "internet", "verbinding", "netwerk", "geluid", "zicht",
     "weather", "rain", "sleep", "sleeps", "slept", "sleeping", "connection", "signal", "sound",
     "eyesight", "hearing", "gehoor"}
)
# A value word right after one of these is a grade or rubric level: "scoor je zwak op",
# "kreeg je een matig", "you scored weak on", "got a poor for".
SCORE_VERBS = frozenset(
    {"scoor", "scoort", "scoorde", "scoorden", "gescoord", "kreeg", "krijg", "krijgt",
     "gekregen", "haalde", "haalt", "gehaald", "beoordeeld", "score", "scores", "scored",
     "got", "get", "gets", "received", "receive", "graded", "rated", "marked", "awarded"}
)
GRADE_FILLERS = frozenset({"je", "jij", "you", "een", "a", "an", "the", "het", "de", "als",
                           "as", "only", "just", "maar", "alleen", "nog", "still"})
# fmt: on

# fmt: off
# Greetings before a name that calls the student ("Hoi Bas,", "Hi Ava").
GREETINGS = frozenset({"hoi", "hallo", "hey", "hee", "hi", "hello", "beste", "lieve", "dear",
                       "goedemorgen", "morning", "yo", "ha", "dag"})
# Words a cheer ends in before the name that calls the student ("Goed gedaan Anouk!").
CHEERS = frozenset({"gedaan", "bezig", "zo", "top", "super", "knap", "mooi", "prima", "goed",
                    "done", "job", "work", "nice", "great", "brilliant", "thanks", "bedankt",
                    "dankjewel", "wow", "yes", "fantastic", "excellent", "proud"})
# People an action may be addressed to instead of the student ("Ouders: graag ...").
OTHER_ADDRESSEES = frozenset(
    {"ouders", "ouder", "verzorgers", "ouder/verzorger", "mentor", "mentoren", "collega",
     "collega's", "collegas", "team", "sectie", "docenten", "zorgcoordinator", "teamleider",
     "coordinator", "decaan", "parents", "parent", "carers", "guardians", "colleague",
     "colleagues", "tutor", "senco", "staff", "mum",
     "dad", "mam", "pap", "mama", "papa"}
)
# fmt: on
