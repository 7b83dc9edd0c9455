"""The people, subjects and sample feedback of the demo school (data only, no logic)."""

from __future__ import annotations

from storage.models import Light

SCHOOL_NAME = "Stoplicht Demo College"
DOMAIN = "demo-college.example"

# (code, subject) — the subject name is what history and the dialogs show.
SUBJECTS: list[tuple[str, str]] = [
    ("ne", "Nederlands"),
    ("en", "Engels"),
    ("wi", "wiskunde"),
    ("fa", "Frans"),
    ("du", "Duits"),
    ("gs", "geschiedenis"),
    ("bi", "biologie"),
    ("ak", "aardrijkskunde"),
]

CLASSES = ["3A", "3B", "4H"]

# key, given name, family name, subjects taught ("*" = every class)
TEACHERS: list[tuple[str, str, str]] = [
    ("visser", "Jeroen", "Visser"),
    ("elamrani", "Fatima", "El Amrani"),
    ("vandenberg", "Pieter", "van den Berg"),
    ("smit", "Ingrid", "Smit"),
    ("bosman", "Mark", "Bosman"),
    ("degroot", "Esther", "de Groot"),
    ("bakkali", "Youssef", "Bakkali"),
    ("mulder", "Linda", "Mulder"),
]
SUBJECT_TEACHER = {
    "wi": "visser",
    "ne": "elamrani",
    "en": "vandenberg",
    "fa": "smit",
    "du": "bosman",
    "gs": "degroot",
    "bi": "bakkali",
    "ak": "mulder",
}
# The mentor of each class (mentors are teachers too).
CLASS_MENTOR = {"3A": "degroot", "3B": "vandenberg", "4H": "mulder"}
ORGANIZER = ("jansen", "Marieke", "Jansen")

GIVEN = [
    "Sanne",
    "Daniël",
    "Zoë",
    "Daan",
    "Lieke",
    "Sem",
    "Noor",
    "Thijs",
    "Fleur",
    "Mees",
    "Chloë",
    "Bram",
    "Eva",
    "Luuk",
    "Amira",
    "Finn",
    "Isa",
    "Jesse",
    "Tess",
    "Milan",
    "Lotte",
    "Ruben",
    "Emma",
    "Lars",
    "Sophie",
    "Niels",
    "Yara",
    "Mohammed",
    "Aylin",
    "Joël",
    "Femke",
    "Stijn",
    "Roos",
    "Gijs",
    "Maud",
    "Teun",
    "Anouk",
    "Hugo",
    "Jasmijn",
    "Ayoub",
    "Nina",
    "Koen",
    "Elif",
    "Bas",
    "Iris",
    "Wout",
    "Lynn",
    "Senna",
    "Floor",
    "Rayan",
    "Esmée",
    "Tygo",
    "Hanna",
    "Olivier",
    "Renée",
    "Jurre",
    "Liv",
    "Siem",
    "Merel",
    "Noah",
]
FAMILY = [
    "de Vries",
    "van Dijk",
    "Bakker",
    "Janssen",
    "de Jong",
    "van der Meer",
    "Peters",
    "Hendriks",
    "Çelik",
    "Yılmaz",
    "Brouwer",
    "Dekker",
    "van Leeuwen",
    "Koster",
    "Willems",
    "Vos",
    "Kok",
    "Jacobs",
    "Maas",
    "Schouten",
    "Smits",
    "Boer",
    "Verhoeven",
    "van Wijk",
    "Haddou",
    "Meijer",
    "de Bruijn",
    "Postma",
    "van Beek",
    "Kuipers",
    "Huisman",
    "Groen",
    "Sarmo",
    "Prins",
    "Blom",
    "Mertens",
    "de Haan",
    "Bos",
    "Sedney",
    "Timmermans",
]

# Per light: (remark, action) samples in the manual's style: to the student, observable,
# future-oriented. Lights that the default rule makes mandatory always carry the field.
SAMPLES: dict[Light, list[tuple[str | None, str | None]]] = {
    Light.EXCELLENT: [
        ("Ik zie dat je elke les goed voorbereid bent en actief meedoet.", None),
        (
            "Je stelt goede vragen en helpt klasgenoten als ze vastlopen.",
            "Probeer eens de verrijkingsopdrachten aan het eind van elk hoofdstuk.",
        ),
        (
            "Je werkt zelfstandig en controleert je eigen werk; dat zie ik terug in je toetsen.",
            None,
        ),
    ],
    Light.GA_ZO_DOOR: [
        ("Je maakt je huiswerk steeds op tijd; daardoor kun je goed meekomen.", None),
        ("Ik merk dat je beter plant dan in het begin van het jaar.", None),
        (None, None),
        (
            "Je doet goed mee in de les.",
            "Stel je vraag direct als je iets niet snapt, dan loop je niet achter.",
        ),
    ],
    Light.LET_OP: [
        (
            "Ik merk dat je de laatste weken minder huiswerk maakt.",
            "Laat mij de komende drie weken aan het begin van de les je huiswerk zien.",
        ),
        (None, "Maak voor de volgende toets een planning en laat die aan mij zien."),
        (
            "Je bent vaak afgeleid door je telefoon tijdens het zelfstandig werken.",
            "Leg je telefoon de komende periode in je tas en kijk wat dat met je werk doet.",
        ),
    ],
    Light.PAS_OP: [
        (
            "Ik maak me zorgen: je hebt drie toetsen gemist en je achterstand groeit.",
            "Maak deze week een afspraak met mij om samen een inhaalplanning te maken.",
        ),
        (
            "Ik zie dat je bij de laatste opdrachten weinig hebt ingeleverd.",
            "Kom dinsdag het 8e uur naar het lokaal om je opdrachten bij te werken.",
        ),
    ],
}
LIGHT_WEIGHTS = [
    (Light.EXCELLENT, 15),
    (Light.GA_ZO_DOOR, 55),
    (Light.LET_OP, 22),
    (Light.PAS_OP, 8),
]

MENTOR_NOTE = (
    "Ik ben trots op hoe je deze periode hebt gewerkt. "
    "Kies samen met mij één punt om aan te werken."
)
