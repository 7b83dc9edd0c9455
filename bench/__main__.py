"""Run every benchmark module in ``bench/`` that has ``run() -> list[tuple[str, str]]`` and
print one table: ``python -m bench [NAME ...]`` (``make bench``)."""

from __future__ import annotations

import importlib
import pkgutil
import sys
import time
import traceback
from pathlib import Path


def main(argv: list[str]) -> int:
    names = sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]))
    if argv:
        unknown = set(argv) - set(names)
        if unknown:
            print(
                f"unknown benchmark(s): {', '.join(sorted(unknown))}; have: {', '.join(names)}",
                file=sys.stderr,
            )
            return 2
        names = [n for n in names if n in argv]
    rows: list[tuple[str, str, str]] = []
    failed = 0
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        run = getattr(module, "run", None)
        if run is None:
            continue
        started = time.perf_counter()
        print(f"running {name}...", file=sys.stderr, flush=True)
        try:
            for figure, value in run():
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
