"""Smoke run of ``bench/teams_load.py`` at a tiny size, so a change that breaks it fails the
build: one teacher, two presses, SQLite, one ``stoplicht serve`` process and the echo bot."""

from __future__ import annotations

from bench import teams_load


def test_teams_load_bench_runs_end_to_end(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for name, value in teams_load.SMOKE.items():
        monkeypatch.setattr(teams_load, name, value)
    rows = dict(teams_load.run())
    assert float(rows["sqlite 1p N=1 turns/s"].split()[0]) > 0
    assert rows["sqlite 1p N=1 press p50/p95/p99"].endswith(")")
    cpu = rows["sqlite 1p N=1 CPU per turn"]
    assert float(cpu.split()[0]) > 0 and "echo" in cpu
