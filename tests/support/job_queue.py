"""An in-memory ``JobQueue`` for job tests: records planned jobs and runs them in time order
under a controlled clock (time-machine), the way the scheduler would."""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import time_machine


@dataclass
class Planned:
    job_id: str
    func: str
    run_at: datetime
    args: tuple[Any, ...]


@dataclass
class RecordingQueue:
    jobs: dict[str, Planned] = field(default_factory=dict)

    def at(self, job_id: str, func: str, run_at: datetime, args: tuple[object, ...]) -> None:
        self.jobs[job_id] = Planned(job_id, func, run_at, tuple(args))

    def cancel(self, prefix: str, keep: frozenset[str] = frozenset()) -> None:
        for job_id in [j for j in self.jobs if j.startswith(prefix) and j not in keep]:
            del self.jobs[job_id]

    def ordered(self) -> list[Planned]:
        return sorted(self.jobs.values(), key=lambda p: (p.run_at, p.job_id))

    def run_until(self, until: datetime, ctx: Any) -> list[tuple[datetime, str, Any]]:
        """Run every job due up to ``until``, each at its own time; returns what ran."""
        ran = []
        while True:
            due = [p for p in self.ordered() if p.run_at <= until]
            if not due:
                return ran
            p = due[0]
            del self.jobs[p.job_id]
            module, name = p.func.split(":")
            fn = getattr(importlib.import_module(module), name)
            with time_machine.travel(p.run_at, tick=False):
                ran.append((p.run_at, p.func, fn(*p.args, ctx=ctx)))
