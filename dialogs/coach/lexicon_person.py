"""Word lists for telling who a text is about, per language, in normalised form (lower case, no
accents): second-person words (the text speaks to the student), third-person pronouns, person
nouns and determiners, finite verb forms of a third-person subject, and capitalised words that
are never first names. Used by ``dialogs/coach/person.py`` mainly; the other word lists are in
``coach_lexicon``.
"""

from __future__ import annotations

# fmt: off

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
