"""A smoke test of ``bench/report_pdf.py`` on two small schools: the PDF comes out and the
statements it takes do not grow with the school (the benchmark's claim)."""

from __future__ import annotations

from bench.report_pdf import measure


def test_the_report_bench_runs_and_its_statements_do_not_grow() -> None:
    one, three = measure(1), measure(3)
    assert one["pages"] >= 1 and one["bytes"] > 1000
    assert (one["students"], three["students"]) == (25, 75)
    assert one["statements"] == three["statements"]
