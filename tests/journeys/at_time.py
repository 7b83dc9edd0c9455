"""Runs the ``stoplicht`` command with the wall clock set to a given moment (and ticking from
there), so a terminal journey's ``stoplicht chat`` lives on the journey's day:

    python -m tests.journeys.at_time 2026-11-20T08:00:00+00:00 chat --as ...
"""

from __future__ import annotations

import sys
from datetime import datetime

import time_machine


def main() -> None:
    moment = datetime.fromisoformat(sys.argv[1])
    sys.argv = ["stoplicht", *sys.argv[2:]]
    with time_machine.travel(moment, tick=True):
        from bot.cli.main import main as stoplicht

        stoplicht()


if __name__ == "__main__":
    main()
