"""Figures of the feedback coach on a labelled table: how many faulty texts it flags, how many
good texts it flags wrongly, and per label precision, recall and F1.

A table is a tab-separated file: ``field<TAB>text<TAB>labels`` (labels comma-separated, "ok"
for none), "#" lines are comments. The same reading and scoring serve the tests
(``tests/unit/test_coach_figures.py``) and the bench (``python -m bench coach``), so both
print the same figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

Row = tuple[str, str, tuple[str, ...]]  # field, text, labels (in the order of ``labels``)


class TableError(ValueError):
    """A labelled table that cannot be read: the line and what is wrong with it."""


def read_table(path: Path, labels: Sequence[str], fields: Sequence[str]) -> list[Row]:
    """The rows of a labelled table; a bad line raises ``TableError`` naming it."""
    rows: list[Row] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise TableError(f"{path.name}:{number}: expected field, text and labels")
        kind, text, names = parts
        found = {name.strip() for name in names.split(",")} - {"ok", ""}
        if kind not in fields or not text.strip() or found - set(labels):
            raise TableError(f"{path.name}:{number}: unknown field or label in {line!r}")
        rows.append((kind, text, tuple(label for label in labels if label in found)))
    return rows


@dataclass(frozen=True)
class LabelScore:
    label: str
    support: int  # texts that carry the label
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class Scores:
    """What the coach did on one table."""

    texts: int
    faulty: int
    good: int
    faulty_flagged: float  # share of faulty texts that got at least one label
    good_flagged: float  # share of good texts that got a label (wrongly)
    exact: float  # share of texts with exactly the right labels
    per_label: tuple[LabelScore, ...] = ()
    misses: tuple[tuple[Row, tuple[str, ...]], ...] = field(default=(), repr=False)

    def lines(self, name: str) -> list[tuple[str, str]]:
        """The figures as (figure, value) rows, for a test's output and the bench table."""
        out = [
            (f"{name}: texts (faulty/good)", f"{self.texts} ({self.faulty}/{self.good})"),
            (f"{name}: faulty texts flagged", f"{self.faulty_flagged:.3f}"),
            (f"{name}: good texts flagged", f"{self.good_flagged:.3f}"),
            (f"{name}: exactly right", f"{self.exact:.3f}"),
        ]
        for score in self.per_label:
            out.append(
                (
                    f"{name}: F1 {score.label} (n={score.support})",
                    f"{score.f1:.3f} (P {score.precision:.3f}, R {score.recall:.3f})",
                )
            )
        return out


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 1.0


def score(
    rows: Iterable[Row], check: Callable[[str, str], Sequence[str]], labels: Sequence[str]
) -> Scores:
    """Run ``check(text, field) -> labels`` over the rows and count."""
    rows = list(rows)
    tp = dict.fromkeys(labels, 0)
    fp = dict.fromkeys(labels, 0)
    fn = dict.fromkeys(labels, 0)
    faulty = good = faulty_hit = good_hit = exact = 0
    misses: list[tuple[Row, tuple[str, ...]]] = []
    for row in rows:
        kind, text, want = row
        got = tuple(check(text, kind))
        if want:
            faulty += 1
            faulty_hit += bool(got)
        else:
            good += 1
            good_hit += bool(got)
        if set(got) == set(want):
            exact += 1
        else:
            misses.append((row, got))
        for label in labels:
            tp[label] += label in got and label in want
            fp[label] += label in got and label not in want
            fn[label] += label not in got and label in want
    per_label = []
    for label in labels:
        precision = _ratio(tp[label], tp[label] + fp[label])
        recall = _ratio(tp[label], tp[label] + fn[label])
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label.append(LabelScore(label, tp[label] + fn[label], precision, recall, f1))
    return Scores(
        texts=len(rows),
        faulty=faulty,
        good=good,
        faulty_flagged=_ratio(faulty_hit, faulty),
        good_flagged=good_hit / good if good else 0.0,
        exact=_ratio(exact, len(rows)),
        per_label=tuple(per_label),
        misses=tuple(misses),
    )
