"""Run every benchmark module in ``bench/`` that has ``run() -> list[tuple[str, str]]`` and
print one table: ``python -m bench [--smoke] [NAME ...]`` (``make bench``).

Every benchmark module also has ``SMOKE``: its size constants at a tiny size (``{name:
value}``). ``--smoke`` runs each with those sizes, in seconds, to show that it still runs to
the end; the test suite does that for every module (``tests/unit/test_bench_smoke.py``), so a
change that breaks a benchmark fails the build. Smoke figures mean nothing."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import ModuleType


def names() -> list[str]:
    """The benchmark modules: every module of ``bench/`` but this one (``bench/support/``, a
    package, holds what benchmarks share)."""
    return sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name != "__main__" and not m.ispkg
    )


@contextmanager
def smoke_size(module: ModuleType) -> Iterator[None]:
    """``module``'s size constants set to its ``SMOKE`` values for the block, then restored."""
    smoke: dict[str, object] = getattr(module, "SMOKE", None) or {}
    unknown = [k for k in smoke if not hasattr(module, k)]
    if unknown:
        raise AttributeError(f"{module.__name__}.SMOKE names no constant: {', '.join(unknown)}")
    saved = {k: getattr(module, k) for k in smoke}
    try:
        for k, v in smoke.items():
            setattr(module, k, v)
        yield
    finally:
        for k, v in saved.items():
            setattr(module, k, v)


def run_one(name: str, *, smoke: bool = False) -> list[tuple[str, str]]:
    """The figures of one benchmark (at smoke size with ``smoke``); raises what it raises."""
    module = importlib.import_module(f"bench.{name}")
    run = getattr(module, "run", None)
    if run is None:
        return []
    if not smoke:
        return list(run())
    if not hasattr(module, "SMOKE"):
        raise AttributeError(f"bench.{name} has no SMOKE sizes")
    with smoke_size(module):
        return list(run())


def main(argv: list[str]) -> int:
    smoke = "--smoke" in argv
    argv = [a for a in argv if a != "--smoke"]
    chosen = names()
    if argv:
        unknown = set(argv) - set(chosen)
        if unknown:
            print(
                f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {', '.join(chosen)}",
                file=sys.stderr,
            )
            return 2
        chosen = [n for n in chosen if n in argv]
    rows: list[tuple[str, str, str]] = []
    failed = 0
    for name in chosen:
        started = time.perf_counter()
        print(f"running {name}{' (smoke)' if smoke else ''}...", file=sys.stderr, flush=True)
        try:
            for figure, value in run_one(name, smoke=smoke):
                rows.append((name, figure, value))
        except Exception:  # a broken benchmark is reported, the others still run
            failed += 1
            traceback.print_exc()
            rows.append((name, "ERROR", "see traceback above"))
        rows.append((name, "(wall time)", f"{time.perf_counter() - started:.1f} s"))
    w1 = max((len(r[0]) for r in rows), default=5)
    w2 = max((len(r[1]) for r in rows), default=6)
    print(f"{'bench':<{w1}}  {'figure':<{w2}}  value")
    print(f"{'-' * w1}  {'-' * w2}  -----")
    for bench, figure, value in rows:
        print(f"{bench:<{w1}}  {figure:<{w2}}  {value}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
