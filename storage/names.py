"""Name order as a Dutch school list has it: by family name without its particles.

"Anna van den Berg" is listed under B, "Sanne de Vries" under V: the Dutch particles ("van
den", "de", "'t", "ter") come after the main part of the family name in the sort key, while
"El Amrani" stays under E. Then the given name, then the id, so equal names keep a stable
order. Case and accents do not decide the order before the letters do ("Çelik" sits with
"Celik").
"""

from __future__ import annotations

import unicodedata

# The particles a family name can carry in an export ("Vries, de", "Amrani, El"): see roster.
PARTICLES = frozenset(
    (
        *("van", "von", "vom", "de", "der", "den", "des", "du", "d'", "het", "'t", "'s", "te"),
        *("ter", "ten", "in", "op", "aan", "uit", "bij", "onder", "over", "voor", "tot", "la"),
        *("le", "l'", "da", "di", "do", "dos", "das", "del", "della", "el", "al", "zu", "zum"),
    )
)
# The Dutch ones, which a Dutch list passes over when sorting ("El" and "Di" are sorted on).
SORT_PARTICLES = frozenset(
    (
        *("van", "de", "der", "den", "des", "het", "'t", "'s", "te", "ter", "ten", "d'"),
        *("in", "op", "aan", "uit", "bij", "onder", "over", "voor", "tot"),
    )
)
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def _fold(text: str) -> str:
    """Lower case without accents: "Çelik" → "celik"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def family_sort_key(family: str) -> str:
    """ "van den Berg" → "berg van den"; a name made only of particles is kept whole."""
    words = (family or "").translate(APOSTROPHES).split()
    lead = 0
    while lead < len(words) - 1 and words[lead].lower() in SORT_PARTICLES:
        lead += 1
    return _fold(" ".join(words[lead:] + words[:lead]))


def person_sort_key(family: str, given: str, person_id: int) -> tuple[str, str, int]:
    return family_sort_key(family), _fold(given or ""), person_id
