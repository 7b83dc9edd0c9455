"""Feedback coach: how well it labels and how fast.

Quality: the figures of ``dialogs.coach.evaluate`` on the held-aside table (``unseen.tsv``,
never tuned on) and on the tables the rules were tuned on, and the plan-step tip on its own
table (``plan_steps.tsv``). Speed: texts checked per second on a mix of Dutch and English, the
wider labelled set plus variants (names, casing, spelling slips), so most words are new to
the lookup caches as they would be on a real round. "per CPU second" counts the time this
process ran (one core), so other work on the machine does not lower it; "wall" is the clock.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from dialogs.coach.advice import FIELDS, LABELS, check
from dialogs.coach.evaluate import read_table, score
from dialogs.coach.plan_step import plan_step_scores

_TABLES = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "coach"
_WIDER = _TABLES / "wider.tsv"
TEXTS, LONG_CHECKS = 20_000, 200
SMOKE = {"TEXTS": 40, "LONG_CHECKS": 2}  # sizes of a smoke run (bench.__main__)
_NAMES = ["Tom", "Fatima", "Jan-Willem", "Sanne", "Mohammed", "Liam", "Eva", "Noah", "Zoë"]


def _texts(count: int) -> list[tuple[str, str]]:
    rows = []
    for line in _WIDER.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            field, text, _ = line.split("\t")
            rows.append((field, text))
    rng = random.Random(7)
    out = []
    for i in range(count):
        field, text = rows[i % len(rows)]
        variant = i // len(rows)
        if variant % 3 == 1:
            text = f"{rng.choice(_NAMES)}, {text[0].lower()}{text[1:]}"
        elif variant % 3 == 2:
            text = text.upper() if rng.random() < 0.3 else text.replace("e", "é", 1) + f" {i}"
        out.append((field, text))
    return out


def quality() -> list[tuple[str, str]]:
    """The figures on the held-aside table first, then on the tables the rules were tuned on."""
    lines: list[tuple[str, str]] = []
    for name, title in (
        ("unseen.tsv", "held aside"),
        ("unseen_late.tsv", "held aside (late)"),
        ("styles.tsv", "tuned (issue 14)"),
    ):
        rows = read_table(_TABLES / name, LABELS, FIELDS)
        found = score(rows, lambda text, field: check(text, field=field).labels, LABELS)  # type: ignore[arg-type]
        lines += found.lines(title)
    tuned = [
        row
        for name in ("wider.tsv", "generalise.tsv", "heldout.tsv")
        for row in read_table(_TABLES / name, LABELS, FIELDS)
    ]
    found = score(tuned, lambda text, field: check(text, field=field).labels, LABELS)  # type: ignore[arg-type]
    lines += found.lines("earlier tables")[:4]
    lines += plan_step_scores(_TABLES / "plan_steps.tsv").lines("plan steps")
    return lines


def run() -> list[tuple[str, str]]:
    texts = _texts(TEXTS)
    started, cpu = time.perf_counter(), time.process_time()
    labelled = 0
    for field, text in texts:
        labelled += bool(check(text, field=field).labels)  # type: ignore[arg-type]
    elapsed, cpu_elapsed = time.perf_counter() - started, time.process_time() - cpu
    long_text = " ".join(text for _, text in texts[:60])  # about 600 words
    started = time.perf_counter()
    for _ in range(LONG_CHECKS):
        check(long_text, field="remark")
    long_elapsed = time.perf_counter() - started
    return [
        *quality(),
        ("texts checked", f"{len(texts)}"),
        ("texts per CPU second (mixed nl/en)", f"{len(texts) / cpu_elapsed:,.0f}"),
        ("texts/s wall (mixed nl/en)", f"{len(texts) / elapsed:,.0f}"),
        ("share with advice", f"{labelled / len(texts):.0%}"),
        ("600-word texts/s", f"{LONG_CHECKS / long_elapsed:,.0f}"),
    ]
