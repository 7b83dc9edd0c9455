"""Class-list order: family name without particles, then given name, then id."""

from __future__ import annotations

import pytest

from storage.names import family_sort_key, person_sort_key


@pytest.mark.parametrize(
    ("family", "key"),
    [
        ("van den Berg", "berg van den"),
        ("de Vries", "vries de"),
        ("’t Hart", "hart 't"),
        ("Van Dijk", "dijk van"),
        ("Çelik", "celik"),
        ("El Amrani", "el amrani"),  # not a Dutch particle: sorted under E
        ("de", "de"),  # only a particle: kept whole
        ("", ""),
        ("  ter   Horst ", "horst ter"),
    ],
)
def test_family_sort_key(family: str, key: str) -> None:
    assert family_sort_key(family) == key


def test_a_class_list_sorts_by_the_main_part_of_the_family_name() -> None:
    people = [
        ("de Vries", "Sanne", 1),
        ("van den Berg", "Anna", 2),
        ("Bakker", "Bram", 3),
        ("Çelik", "Zeynep", 4),
        ("Celik", "Ali", 5),
        ("Berg", "Anna", 6),
        ("van den Berg", "Anna", 7),
    ]
    ordered = [p[2] for p in sorted(people, key=lambda p: person_sort_key(*p))]
    assert ordered == [3, 6, 2, 7, 5, 4, 1]
