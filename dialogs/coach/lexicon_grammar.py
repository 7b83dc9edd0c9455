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
