"""Feedback coach throughput: texts checked per second, on a mix of Dutch and English.

The texts are the wider labelled set plus variants (names, casing, spelling slips), so most
words are new to the lookup caches as they would be on a real round.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

from dialogs.coach.advice import check

_WIDER = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "coach" / "wider.tsv"
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


def run() -> list[tuple[str, str]]:
    texts = _texts(20_000)
    started = time.perf_counter()
    labelled = 0
    for field, text in texts:
        labelled += bool(check(text, field=field).labels)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    long_text = " ".join(text for _, text in texts[:60])  # about 600 words
    started = time.perf_counter()
    for _ in range(200):
        check(long_text, field="remark")
    long_elapsed = time.perf_counter() - started
    return [
        ("texts checked", f"{len(texts)}"),
        ("texts/s (mixed nl/en)", f"{len(texts) / elapsed:,.0f}"),
        ("share with advice", f"{labelled / len(texts):.0%}"),
        ("600-word texts/s", f"{200 / long_elapsed:,.0f}"),
    ]
