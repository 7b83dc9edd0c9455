"""Every benchmark in ``bench/`` runs to the end at a tiny size (its ``SMOKE`` sizes), so a
change that breaks a benchmark fails the build. The figures are not looked at: benchmarks
print figures, they never assert time."""

from __future__ import annotations

import importlib

import pytest

from bench.__main__ import main, names, run_one, smoke_size


def test_every_benchmark_has_smoke_sizes() -> None:
    assert set(names()) >= {"teams_latency", "slack_latency", "dialog_turns"}
    for name in names():
        module = importlib.import_module(f"bench.{name}")
        assert callable(getattr(module, "run", None)), name
        assert isinstance(getattr(module, "SMOKE", None), dict) and module.SMOKE, name


# teams_load starts ``stoplicht serve`` processes: its smoke run is its own test
# (tests/unit/test_teams_load_bench.py), not repeated here.
@pytest.mark.parametrize("name", [n for n in names() if n != "teams_load"])
def test_benchmark_runs_at_smoke_size(name: str) -> None:
    rows = run_one(name, smoke=True)
    assert rows and all(isinstance(f, str) and isinstance(v, str) for f, v in rows), rows
    assert not any(figure == "ERROR" or value == "NO" for figure, value in rows), rows
    module = importlib.import_module(f"bench.{name}")
    for key, value in module.SMOKE.items():  # the full sizes are back after the run
        assert getattr(module, key) != value, (name, key)
    if name == "teams_latency":  # every press answered (each activity has its own id: the
        figures = dict(rows)  # bot ignores a repeated one, and the bench timed out)
        assert figures["teams p50 ratio bot/echo c=1"].endswith("(n=2)")
        assert figures["teams p50 ratio bot/echo c=2"].endswith("(n=4)")


def test_smoke_sizes_must_name_constants() -> None:
    module = importlib.import_module("bench.coach")
    saved = module.SMOKE
    module.SMOKE = {"NO_SUCH_SIZE": 1}
    try:
        with pytest.raises(AttributeError), smoke_size(module):
            pass
    finally:
        module.SMOKE = saved


def test_command_line_reports_unknown_names(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--smoke", "no_such_bench"]) == 2
    assert "unknown benchmark" in capsys.readouterr().err
    assert main(["--smoke", "coach"]) == 0
    assert "texts checked" in capsys.readouterr().out
