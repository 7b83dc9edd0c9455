"""Roster import of a large school (2,000 students, 160 teachers, 13 subjects) on SQLite and on
a throwaway PostgreSQL: first import, re-import (must change nothing) and the row counts."""

from __future__ import annotations

import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, event, func, select, text

from storage.db import make_engine, make_session_factory, unit_of_work, upgrade
from storage.models import Enrolment, Group, Mentorship, Person, TeachingAssignment
from storage.roster.importer import import_roster
from tests.support import pg
from tests.support.roster_gen import write_export

STUDENTS, TEACHERS, SUBJECTS = 2000, 160, 13
POSTGRES = True  # also on a throwaway PostgreSQL cluster
# sizes of a smoke run (bench.__main__): SQLite only, the import code is the same on both
SMOKE = {"STUDENTS": 30, "TEACHERS": 6, "SUBJECTS": 2, "POSTGRES": False}


def _time_imports(url: str, export: Path, label: str) -> list[tuple[str, str]]:
    upgrade(url)
    engine = make_engine(url)
    statements = [0]

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args: object) -> None:
        statements[0] += 1

    factory = make_session_factory(engine)
    rows: list[tuple[str, str]] = []
    try:
        for run in ("import", "re-import"):
            statements[0] = 0
            started = time.perf_counter()
            with unit_of_work(factory) as session:
                report = import_roster(session, export)
            seconds = time.perf_counter() - started
            rows.append((f"{label} {run} seconds", f"{seconds:.2f}"))
            rows.append((f"{label} {run} statements", str(statements[0])))
            if run == "re-import":
                rows.append((f"{label} re-import changed rows", "yes" if report.changed else "no"))
        with factory() as session:
            for name, model in (
                ("persons", Person),
                ("groups", Group),
                ("enrolments", Enrolment),
                ("teaching assignments", TeachingAssignment),
                ("mentorships", Mentorship),
            ):
                n = session.scalar(select(func.count()).select_from(model))
                rows.append((f"{label} {name}", str(n)))
    finally:
        engine.dispose()
    return rows


def run() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="stoplicht-roster-") as tmp:
        export = Path(tmp) / "export"
        started = time.perf_counter()
        shape = write_export(export, students=STUDENTS, teachers=TEACHERS, subjects=SUBJECTS)
        rows.append(("generate export seconds", f"{time.perf_counter() - started:.2f}"))
        rows.append(
            (
                "export shape",
                f"{shape.students} students, {shape.teachers} teachers, "
                f"{shape.classes} classes, {shape.teaching_groups} teaching groups, "
                f"{shape.enrolments} enrolments",
            )
        )
        rows += _time_imports(f"sqlite:///{tmp}/bench.sqlite", export, "sqlite")
        if not POSTGRES:
            return rows
        cluster = pg.start_cluster()
        try:
            name = f"bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
            rows += _time_imports(cluster.url.rsplit("/", 1)[0] + f"/{name}", export, "postgresql")
        finally:
            cluster.stop()
    return rows
