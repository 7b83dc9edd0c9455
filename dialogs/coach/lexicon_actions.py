"""Word lists for the coach's check of actions: what makes a next step concrete or vague.

Normalised form (lower case, no accents), like ``coach_lexicon``.
"""

from __future__ import annotations

from dialogs.coach.lexicon import EN_TASK_NOUNS, NL_TASK_NOUNS
from dialogs.coach.lexicon_grammar import EFFORT_IDIOMS as EFFORT_IDIOMS

# fmt: off
NL_TIME_WORDS = frozenset(
    {"komende", "volgende", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag",
     "zaterdag", "zondag", "morgen", "overmorgen", "vanavond", "week", "weken", "weekend",
     "dagelijks", "wekelijks", "dag", "dagen", "minuten", "kwartier", "uur", "pauze",
     "mentoruur", "periode", "vakantie", "deadline", "datum", "elke", "iedere", "telkens",
     "voortaan", "vooraf", "eind", "einde", "begin", "start", "ochtend", "middag", "avond",
     "tweede", "eerste", "derde", "binnen", "voordat", "nadat", "zodra"}
)
EN_TIME_WORDS = frozenset(
    {"next", "tomorrow", "tonight", "monday", "tuesday", "wednesday", "thursday", "friday",
     "saturday", "sunday", "week", "weeks", "weekend", "daily", "weekly", "day", "days",
     "minutes", "hour", "hours", "break", "lunchtime", "period", "term", "deadline", "every",
     "each", "before", "by", "until", "morning", "afternoon", "evening", "end", "start",
     "first", "within", "after"}
)
# Time words that only set a horizon: with "beter/meer/harder" they make no step on their own
# ("komende periode harder werken", "do better next term"); a day, a clock time, "elke les"
# or a named thing does.
HORIZONS = frozenset(
    {"komende", "volgende", "week", "weken", "periode", "vakantie", "voortaan", "jaar",
     "schooljaar", "keer", "maanden", "next", "weeks", "term", "period", "year", "months",
     "semester"}
)
MONTHS = frozenset(
    {"januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
     "oktober", "november", "december", "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep",
     "sept", "okt", "oct", "nov", "dec", "january", "february", "march", "may", "june", "july",
     "august", "october"}
)
NL_CONCRETE_NOUNS = NL_TASK_NOUNS | frozenset(
    {"planner", "telefoon", "tas", "etui", "laptop", "rekenmachine", "boek", "boeken",
     "werkboek", "lesboek", "woordenboek", "bijles", "huiswerkklas", "steunles", "mentor",
     "docent", "studiewijzer", "flitskaartjes", "kaartjes", "oefenopgaven", "opgaven",
     "opgave", "stappenplan", "checklist", "lijstje", "wrts", "quizlet", "spullen", "plek",
     "tientallen", "spelling", "formules", "fouten", "correcties", "nakijkmodel", "bladzijde",
     "pagina", "lesstof", "leerdoelen", "woorden", "uitleg", "hulp", "mindmap"}
)
EN_CONCRETE_NOUNS = EN_TASK_NOUNS | frozenset(
    {"phone", "bag", "pencil", "laptop", "calculator", "book", "books", "workbook",
     "dictionary", "tutoring", "mentor", "teacher", "checklist", "help", "mind", "list", "page",
     "pages",
     "formulas", "mistakes", "corrections", "timetable", "schedule", "folder"}
)
# Context nouns that do not make a step concrete on their own.
NL_GENERIC_NOUNS = frozenset(
    {"best", "inzet", "aandacht", "moeite", "werk", "schoolwerk", "houding", "werkhouding",
     "gedrag", "concentratie", "les", "lessen", "klas", "school", "vak", "stof", "motivatie",
     "instructie", "uitleg", "tijd", "beurt", "manier", "dingen", "iets", "alles", "zaken",
     "zelfvertrouwen", "zelfstandigheid", "doorzettingsvermogen", "discipline", "mindset",
     "instelling", "zelfbeeld"}
)
EN_GENERIC_NOUNS = frozenset(
    {"best", "effort", "attention", "work", "schoolwork", "attitude", "behaviour", "behavior",
     "focus", "concentration", "class", "classes", "lesson", "lessons", "school", "subject",
     "material", "time", "things", "stuff", "way", "confidence", "self-confidence",
     "independence", "discipline", "mindset", "resilience", "motivation", "self-esteem",
     "organisation", "organization"}
)
NL_OBJECT_DETERMINERS = frozenset({"de", "het", "een", "die", "deze", "dit", "jouw", "mijn"})
EN_OBJECT_DETERMINERS = frozenset({"the", "your", "a", "an", "this", "these", "those", "my"})
# Vague feed-forward phrases: concrete only with a time word, number or named object.
NL_VAGUE_WORDS = frozenset(
    {"beter", "betere", "harder", "hardere", "meer", "best", "actievere", "serieuzere",
     "opletten", "letten", "concentreren", "inzet",
     "proberen", "verbeteren", "focussen", "motivatie", "serieuzer", "actiever",
     "gefocust", "gemotiveerd", "geconcentreerd", "positief", "doorgaan", "minder", "omhoog",
     "hoger"}
)
EN_VAGUE_WORDS = frozenset(
    {"harder", "better", "more", "try", "focus", "concentrate", "attention", "effort",
     "improve", "best", "seriously", "serious", "trying", "going", "working", "practising",
     "practicing", "studying", "learning", "focused", "motivated", "concentrated", "positive",
     "engaged", "up", "less", "higher"}
)
NL_COMPARATIVES = frozenset(
    {"zelfstandiger", "netter", "sneller", "vaker", "actiever", "serieuzer", "geconcentreerder",
     "nauwkeuriger", "zorgvuldiger", "rustiger", "harder", "beter", "strakker", "scherper",
     "gerichter", "gemotiveerder", "georganiseerder", "overzichtelijker"}
)
EN_COMPARATIVES = frozenset(
    {"neater", "faster", "harder", "better", "tidier", "quieter", "sharper", "stronger",
     "carefully", "independently", "seriously", "properly", "regularly"}
)
NL_NUMBER_WORDS = frozenset({"twee", "drie", "vier", "vijf", "zes", "tien", "twintig"})
EN_NUMBER_WORDS = frozenset({"two", "three", "four", "five", "six", "ten", "twenty"})

# Results a student aims at; naming them is no step ("harder werken voor je cijfers").
OUTCOME_NOUNS = frozenset(
    {"cijfer", "cijfers", "resultaat", "resultaten", "toets", "toetsen", "rapport", "score",
     "grade", "grades", "mark", "marks", "result", "results", "test", "tests"}
)
# Everyday work: a named thing, but with "beter/meer/harder" no step on its own.
GENERAL_TASKS = frozenset(
    {"huiswerk", "opdracht", "opdrachten", "taak", "taken", "schoolwerk", "planning", "homework",
     "assignment", "assignments", "tasks", "task"}
)
# Words that make "je maakt ..." an instruction for later rather than a description.
NL_FUTURE_WORDS = frozenset(
    {"komende", "volgende", "morgen", "overmorgen", "vanaf", "voortaan", "straks", "vanavond",
     "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"}
)
EN_FUTURE_WORDS = frozenset(
    {"next", "tomorrow", "tonight", "from", "onwards", "monday", "tuesday", "wednesday",
     "thursday", "friday", "saturday", "sunday"}
)
NL_STEP_VERBS = frozenset(
    {"moet", "moeten", "gaat", "ga", "gaan", "zal", "zult", "kunt", "kun", "kan", "mag",
     "probeer", "probeert", "wil", "zou", "zorg", "zorgt", "hoeft"}
)
EN_STEP_VERBS = frozenset(
    {"will", "should", "need", "needs", "can", "could", "must", "'ll", "ll", "might", "try",
     "are", "have", "'re"}
)

# Imperatives that open a step in a later clause ("Je weet hoe het moet, ga ... na").
IMPERATIVES = frozenset(
    {"ga", "laat", "maak", "plan", "oefen", "lees", "leer", "schrijf", "kijk", "zorg", "vraag",
     "probeer", "neem", "doe", "kom", "leg", "zet", "houd", "hou", "stel", "herhaal", "noteer",
     "bereid", "lever", "controleer", "markeer", "gebruik", "begin", "bring", "make",
     "practise", "practice", "read", "write", "ask", "check", "hand", "show", "use", "take",
     "put", "keep", "go", "come", "start", "redo", "review", "revise", "prepare", "set",
     "stay", "be", "get", "pay", "stop", "remember", "think", "finish", "complete", "focus",
     "listen", "look", "work", "study", "learn", "find", "give", "tell", "talk", "sit"}
)
