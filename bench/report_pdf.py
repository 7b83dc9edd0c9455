"""The printable report of one student on a large school: 2,000 students in 80 classes, 13
subjects, two closed rounds (the school of ``bench.mentor_digest``). Prints the time to make the
PDF as the mentor asks for it (the rules, the reads, the audit, the layout), its size and pages,
and the statements it issues, on the large school and on a school of 100 students: the number
of statements does not grow with the school.
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from bench.mentor_digest import NOW, build, counting
from dialogs.report import deliver
from storage.db import make_engine, make_session_factory, unit_of_work, upgrade
from storage.models import Person

LARGE, SMALL = 80, 4  # classes of 25
SMOKE = {"LARGE": 2, "SMALL": 1}  # sizes of a smoke run (bench.__main__)


def measure(classes: int) -> dict[str, Any]:
    """Make one student's PDF (as their mentor) on a school of ``classes`` classes."""
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        upgrade(url)
        engine = make_engine(url)
        try:
            factory = make_session_factory(engine)
            with unit_of_work(factory) as s:
                big = build(s, classes=classes)
            with unit_of_work(factory) as s:
                mentor = s.get(Person, big["mentor"])
                assert mentor is not None
                ctx = deliver.person_ctx(s, mentor, now=NOW, channel="bench")
                args = {"round_id": str(big["round"]), "student_id": str(big["student"])}
                with counting(engine) as seen:
                    started = time.perf_counter()
                    replies = deliver.replies(ctx, args)
                    took = time.perf_counter() - started
            file = next(r.file for r in replies if r.file is not None)
            pages = len(PdfReader(io.BytesIO(file.content)).pages)
            return {
                "students": len(big["students"]),
                "ms": took * 1000,
                "statements": len(seen),
                "bytes": len(file.content),
                "pages": pages,
            }
        finally:
            engine.dispose()


def run() -> list[tuple[str, str]]:
    large = measure(LARGE)
    small = measure(SMALL)
    return [
        (
            f"report PDF, one student ({large['students']:,} students, 13 subjects)",
            f"{large['ms']:.0f} ms, {large['statements']} statements",
        ),
        ("  size", f"{large['bytes']:,} bytes, {large['pages']} page(s)"),
        (
            f"  same on {small['students']} students",
            f"{small['ms']:.0f} ms, {small['statements']} statements",
        ),
    ]
