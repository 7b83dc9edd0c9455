"""The printable report from the terminal (``stoplicht chat``: a file on disk, its path said)
and from ``stoplicht report STUDENT --round ID --as EMAIL --out FILE.pdf``, on the demo school;
bad input is refused with the dialogs' one sentence and writes nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import main as cli
from storage.db import make_engine, make_session_factory
from storage.demo.seed import (
    DEMO_MENTOR_EMAIL,
    DEMO_ORGANIZER_EMAIL,
    DEMO_STUDENT_EMAIL,
    DEMO_TEACHER_EMAIL,
)
from storage.models import AuditEntry, Person, Round, School
from tests.support.pdf_check import pdf_text, render_first_page

REFUSED = "stoplicht: Dat mag je hier niet doen."
ROUND = "Leerlingbespreking periode 2"


@pytest.fixture
def demo(sqlite_url: str) -> str:
    cli._register()
    assert CliRunner().invoke(cli.app, ["demo", "--database-url", sqlite_url]).exit_code == 0
    return sqlite_url


def _chat(url: str, email: str, *lines: str, files: Path) -> str:
    script = "".join(f"{line}\n" for line in lines)
    args = ["chat", "--as", email, "--database-url", url, "--files-dir", str(files)]
    result = CliRunner().invoke(cli.app, args, input=script)
    assert result.exit_code == 0, result.output
    return result.output


def _round_id(url: str) -> int:
    with make_session_factory(make_engine(url))() as s:
        return s.scalars(select(Round.id).where(Round.name == ROUND)).one()


def _report(url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, ["report", *args, "--database-url", url])
    return result.exit_code, result.output


def _close_and_share(url: str, tmp_path: Path) -> None:
    _chat(
        url,
        DEMO_ORGANIZER_EMAIL,
        "rondes",
        f"{ROUND} (open)",
        "Bespreking sluiten",
        "Ja, sluiten",
        files=tmp_path,
    )
    _chat(
        url,
        DEMO_MENTOR_EMAIL,
        "mentor",
        "Sanne de Vries (3A)",
        "Delen met leerling",
        "Ja, delen",
        files=tmp_path,
    )


def test_terminal_writes_the_report_and_says_where(demo: str, tmp_path: Path) -> None:
    out = _chat(
        demo,
        DEMO_MENTOR_EMAIL,
        "mentor",
        "Sanne de Vries (3A)",
        "PDF voor het gesprek",
        "PDF voor het gesprek",
        files=tmp_path,
    )
    first = tmp_path / "verslag-sanne-de-vries-leerlingbespreking-periode-2.pdf"
    second = first.with_name(first.stem + "-2.pdf")  # never over an earlier copy
    assert f"-> {first.resolve()}" in out and f"-> {second.resolve()}" in out
    text = pdf_text(first.read_bytes())
    assert "Sanne de Vries" in text and "3A" in text and ROUND in text
    assert render_first_page(first.read_bytes())[2] > 1000


def test_cli_report_for_the_mentor_and_the_student(demo: str, tmp_path: Path) -> None:
    rid = str(_round_id(demo))
    out = tmp_path / "sanne.pdf"
    code, said = _report(
        demo, DEMO_STUDENT_EMAIL, "--round", rid, "--as", DEMO_MENTOR_EMAIL, "--out", str(out)
    )
    assert code == 0, said
    assert said.startswith(f"wrote {out}")
    text = pdf_text(out.read_bytes())
    assert "Sanne de Vries" in text and "Stoplicht Demo College" in text
    own = tmp_path / "own.pdf"
    code, said = _report(
        demo, DEMO_STUDENT_EMAIL, "--round", rid, "--as", DEMO_STUDENT_EMAIL, "--out", str(own)
    )
    assert (code, said.strip()) == (2, REFUSED) and not own.exists()  # not shared yet
    _close_and_share(demo, tmp_path)
    code, said = _report(
        demo,
        DEMO_STUDENT_EMAIL,
        "--round",
        rid,
        "--as",
        DEMO_STUDENT_EMAIL,
        "--out",
        str(own),
        "--lang",
        "en",
    )
    assert code == 0, said
    assert "report for the three-way meeting" in pdf_text(own.read_bytes())
    with make_session_factory(make_engine(demo))() as s:
        sanne = s.scalars(select(Person.id).where(Person.email == DEMO_STUDENT_EMAIL)).one()
        exports = s.scalars(
            select(AuditEntry.channel).where(
                AuditEntry.entity == "report", AuditEntry.student_id == sanne
            )
        ).all()
    assert exports == ["cli", "cli"]


def test_cli_bad_input_is_refused_and_writes_nothing(demo: str, tmp_path: Path) -> None:
    rid = str(_round_id(demo))
    out = tmp_path / "x.pdf"
    with make_session_factory(make_engine(demo))() as s:
        other = s.scalars(
            select(Person.email).where(Person.kind == "student", Person.email != DEMO_STUDENT_EMAIL)
        ).first()
        assert s.scalars(select(School)).all()
    cases = [
        ("nobody@nowhere.example", rid, DEMO_MENTOR_EMAIL),  # unknown student
        (DEMO_STUDENT_EMAIL, "999999", DEMO_MENTOR_EMAIL),  # unknown round
        (DEMO_STUDENT_EMAIL, rid, "nobody@nowhere.example"),  # unknown asker
        (DEMO_STUDENT_EMAIL, rid, DEMO_TEACHER_EMAIL),  # a subject teacher
        (DEMO_STUDENT_EMAIL, rid, DEMO_ORGANIZER_EMAIL),  # the organizer
        (other, rid, DEMO_STUDENT_EMAIL),  # another student's report
    ]
    for student, round_id, asker in cases:
        code, said = _report(demo, student, "--round", round_id, "--as", asker, "--out", str(out))
        assert (code, said.strip()) == (2, REFUSED), (student, round_id, asker, said)
        assert not out.exists()
    code, said = _report(
        demo, DEMO_STUDENT_EMAIL, "--round", "0", "--as", DEMO_MENTOR_EMAIL, "--out", str(out)
    )
    assert code == 2 and not out.exists()
    code, said = _report(
        demo,
        DEMO_STUDENT_EMAIL,
        "--round",
        rid,
        "--as",
        DEMO_MENTOR_EMAIL,
        "--out",
        str(tmp_path / "no" / "x.pdf"),
    )
    assert code == 2 and "cannot write" in said
