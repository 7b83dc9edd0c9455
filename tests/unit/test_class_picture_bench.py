"""The class picture benchmark at two tiny sizes: the picture of one mentor, every mentor's
pictures for the digests and the organizer's follow-through take the same number of statements
in a school three times the size (``make bench`` runs it at 2,010 students)."""

from __future__ import annotations

from bench.class_picture import counts, measure


def test_statements_do_not_grow_with_the_school() -> None:
    small, large = counts(2, per_class=4), counts(6, per_class=4)
    assert small == large
    assert small["picture"] <= 10 and small["digests"] <= 8 and small["follow"] <= 3


def test_the_bench_picture_is_the_mentors_whole_class() -> None:
    m = measure(2, per_class=4)
    _took, _n, picture = m["picture"]
    assert len(picture.rows) == 4 and len(picture.subjects) == 14
    assert all(len(row.marks) == 14 for row in picture.rows)
    _took, _n, follow = m["follow"]
    assert [(c.students, c.shared) for c in follow.classes] == [(4, 2), (4, 2)]
