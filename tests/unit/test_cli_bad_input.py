"""Every ``stoplicht`` command with bad input: exit 2, one line on stderr, no traceback, and the
database exactly as it was (compared as a full SQL dump, not only row counts)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from bot.cli import main as cli
from storage.db import make_engine, make_session_factory, unit_of_work
from storage.demo.seed import DEMO_STUDENT_EMAIL, DEMO_TEACHER_EMAIL
from storage.models import Feedback, School
from storage.school_settings import SchoolSettings
from tests.support.demo_cli import dump, run_cli

AMS = ZoneInfo("Europe/Amsterdam")
HUGE = "99999999999999999999"


def run(db: Path, *args: str, stdin: bytes | str | None = None):  # type: ignore[no-untyped-def]
    return run_cli(db, *args, stdin=stdin)


def _last_sunday(year: int, month: int) -> date:
    day = date(year, month + 1, 1) - timedelta(days=1)
    return day - timedelta(days=(day.weekday() + 1) % 7)


NEXT_YEAR = datetime.now(AMS).year + 1
GAP = f"{_last_sunday(NEXT_YEAR, 3).isoformat()}T02:30"  # skipped when summer time starts
FOLD = f"{_last_sunday(NEXT_YEAR, 10).isoformat()}T02:30"  # happens twice when it ends
FUTURE = f"{NEXT_YEAR}-01-15T17:00"

# (arguments, a part of the one line on stderr); the demo has round 1 closed, round 2 open.
BAD = [
    (("round", "status", "999"), "round 999 not found"),
    (("round", "open", "1"), "only a draft round can be opened"),
    (("round", "close", "1"), "only an open round can be closed"),
    (("round", "close", "424242"), "not found"),
    (("round", "extend", "2", "--deadline", "garbage"), "invalid deadline 'garbage'"),
    (("round", "extend", "2", "--deadline", "2020-01-01"), "not in the future"),
    (("round", "extend", "2", "--deadline", GAP), "does not exist in Europe/Amsterdam"),
    (("round", "extend", "2", "--deadline", FOLD), "occurs twice in Europe/Amsterdam"),
    (("round", "extend", "2", "--deadline", f"{FUTURE}+99:00"), "invalid deadline"),
    (("round", "extend", "1", "--deadline", FUTURE), "closed"),
    (("round", "create", "--name", "", "--group", "3A", "--deadline", FUTURE), "name is empty"),
    (("round", "create", "--name", "  ", "--group", "3A", "--deadline", FUTURE), "name is empty"),
    (
        ("round", "create", "--name", "x" * 201, "--group", "3A", "--deadline", FUTURE),
        "round name is 201 characters, at most 200",
    ),
    (("round", "create", "--name", "X", "--group", "nope", "--deadline", FUTURE), "'nope'"),
    (("round", "create", "--name", "X", "--group", "²", "--deadline", FUTURE), "'²'"),
    (("round", "create", "--name", "X", "--group", HUGE, "--deadline", FUTURE), HUGE),
    (("round", "create", "--name", "X", "--group", "3A", "--deadline", "1-1-2027"), "invalid"),
    (
        ("round", "create", "--name", "X", "--group", "3A", "--deadline", FUTURE)
        + ("--organizer", "nobody@example.org"),
        "unknown organizer 'nobody@example.org'",
    ),
    (
        ("round", "create", "--name", "X", "--group", "3A", "--deadline", FUTURE)
        + ("--organizer", DEMO_TEACHER_EMAIL),
        "may not manage rounds",
    ),
    (
        ("round", "create", "--name", "X", "--group", "3A", "--deadline", "9999-12-31T23:59-14:00"),
        "invalid deadline '9999-12-31T23:59-14:00': out of range",
    ),
    (
        ("round", "create", "--name", "P\udcff", "--group", "3A", "--deadline", FUTURE),
        "an argument is not UTF-8 text",
    ),
    (("round", "list", "--school", "²"), "unknown school '²'"),
    (("round", "list", "--school", HUGE), "unknown school"),
    (("round", "list", "--school", "Nergens"), "unknown school 'Nergens'"),
    (("student", "export", "nobody"), "no student 'nobody'"),
    (("student", "export", ""), "empty student key"),
    (("student", "export", "   "), "empty student key"),
    (("student", "export", DEMO_STUDENT_EMAIL, "--school", HUGE), "unknown school"),
    (("student", "export", DEMO_STUDENT_EMAIL, "--out", "/nonexistent/dir/x.json"), "cannot"),
    (("student", "erase", DEMO_STUDENT_EMAIL), "add --yes"),
    (("student", "erase", "nobody", "--yes"), "no student 'nobody'"),
    (("purge", "--school", "Nergens", "--yes"), "unknown school 'Nergens'"),
    (("roster", "import", "/nonexistent/roster"), "not a directory"),
    (("school", "show", "Nergens"), "unknown school 'Nergens'"),
    (("school", "show", HUGE), "unknown school"),
    (("school", "show", "1", "--school", "2"), "two schools given"),
    (("school", "set", "Nergens", "auto_close", "on"), "unknown school 'Nergens'"),
    (("school", "set", "frobnicate", "1"), "unknown setting 'frobnicate'"),
    (("school", "set", "auto_close"), "no value given for 'auto_close'"),
    (("school", "set", "1"), "give at least one KEY VALUE pair"),
    (("school", "set", "auto_close", "maybe"), "auto_close: 'maybe' is not on or off"),
    (("school", "set", "required.let_op", "all"), "not one of none, remark, action, both"),
    (("school", "set", "required.oranje", "both"), "unknown setting 'required.oranje'"),
    (("school", "set", "reminder_offsets_hours", "-5"), "reminder_offsets_hours: '-5'"),
    (("school", "set", "reminder_offsets_hours", "0"), "from 1 to 672"),
    (("school", "set", "reminder_offsets_hours", "100000"), "from 1 to 672"),
    (("school", "set", "reminder_offsets_hours", "1,2,3,4,5,6,7"), "at most 6"),
    (("school", "set", "reminder_offsets_hours", "24,x"), "reminder_offsets_hours: '24,x'"),
    (("school", "set", "reminder_offsets_hours", "²"), "reminder_offsets_hours"),
    (("school", "set", "quiet_start", "25:00"), "not a time such as 21:00"),
    (("school", "set", "quiet_start", "07:30", "quiet_end", "07:00"), "leave 30 minutes a day"),
    (("school", "set", "quiet_start", "00:00", "quiet_end", "23:30"), "leave 30 minutes a day"),
    (("school", "set", "retention_days", "7"), "retention_days: '7' is not a whole number"),
    (("school", "set", "retention_days", HUGE), "from 30 to 3650"),
    (("school", "set", "max_text_length", "99999"), "from 100 to 3000"),
    (("school", "set", "plan_reminder_days", "-1"), "from 0 to 60"),
    (("school", "set", "time_zone", "Mars/Olympus"), "no time zone"),
    (("school", "set", "language", "de"), "use nl or en"),
    (("school", "set", "teams_tenant_id", "contoso"), "is not a Microsoft 365 tenant id"),
    (("school", "set", "slack_team_id", "team one"), "is not a Slack workspace id"),
    # the first pair is fine, the second is not: nothing of either is written
    (("school", "set", "auto_close", "on", "quiet_end", "7am"), "quiet_end: '7am'"),
    (("people", "list", "--role", "janitor"), "unknown role 'janitor'"),
    (("people", "list", "--group", "9Z"), "unknown group '9Z'"),
    (("people", "list", "--school", "Nergens"), "unknown school 'Nergens'"),
]


@pytest.mark.parametrize(("args", "expected"), BAD, ids=[" ".join(a)[:60] for a, _ in BAD])
def test_bad_input_is_one_line_exit_2_and_nothing_changes(db: Path, args, expected) -> None:
    before = dump(db)
    result = run(db, *args)
    assert result.exit_code == 2, result.output
    err = result.stderr.strip()
    assert err.startswith("stoplicht: ") and "\n" not in err, err
    assert expected in err
    assert "Traceback" not in result.output
    assert dump(db) == before


# Errors found by the argument parser itself: exit 2 with its usage message, no traceback.
USAGE = [
    ("round", "status", "abc"),
    ("round", "status", "0"),
    ("round", "status", HUGE),
    ("round", "open", "-1"),
    ("round", "extend", "2"),
    ("round", "create", "--name", "X", "--deadline", FUTURE),
    ("student", "export"),
    ("chat",),
    ("chat", "--as", DEMO_TEACHER_EMAIL, "--lang", "de"),
    ("school", "set"),
    ("school", "frobnicate"),
    ("frobnicate",),
]


@pytest.mark.parametrize("args", USAGE, ids=[" ".join(a) for a in USAGE])
def test_usage_errors_exit_2_without_traceback(db: Path, args) -> None:
    before = dump(db)
    result = run(db, *args)
    assert result.exit_code == 2, result.output
    assert (
        "Traceback" not in result.output
        and result.exception is None
        or isinstance(result.exception, SystemExit)
    )
    assert dump(db) == before


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("notaurl", "Could not parse SQLAlchemy URL"),
        ("postgresql://u:secretpw@host:notaport/db", "the port is not a number"),
        ("sqlite:////nonexistent/dir/x.sqlite", "unable to open database file"),
    ],
)
def test_bad_database_url_is_one_line(url: str, expected: str) -> None:
    cli._register()
    result = CliRunner().invoke(cli.app, ["round", "list", "--database-url", url])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert "secretpw" not in result.stderr


def test_json_outputs_are_valid_json(db: Path, tmp_path: Path) -> None:
    assert json.loads(run(db, "demo", "--if-empty", "--json").stdout) == {"seeded": False}
    assert isinstance(json.loads(run(db, "round", "list", "--json").stdout), list)
    status = json.loads(run(db, "round", "status", "2", "--json").stdout)
    assert status["state"] == "open" and status["total"] > 0
    exported = json.loads(run(db, "student", "export", DEMO_STUDENT_EMAIL).stdout)
    assert isinstance(exported, dict) and exported
    dry = json.loads(run(db, "purge", "--json").stdout)
    assert dry["dry_run"] is True
    created = run(
        db, "round", "create", "--name", 'Naam met "quotes" \\ en <b>', "--group", "3A",
        "--deadline", FUTURE, "--json",
    )  # fmt: skip
    assert json.loads(created.stdout)["name"] == 'Naam met "quotes" \\ en <b>'
    erased = json.loads(run(db, "student", "erase", DEMO_STUDENT_EMAIL, "--yes", "--json").stdout)
    assert erased and all(isinstance(v, int) for v in erased.values())


def test_deadline_with_an_offset_on_a_clock_change_night_is_taken(db: Path) -> None:
    """The refused local times are accepted when the offset says which one is meant."""
    result = run(db, "round", "extend", "2", "--deadline", f"{FOLD}+01:00")
    assert result.exit_code == 0, result.output
    assert f"{FOLD}:00+01:00" in result.stdout


# -- stdin of ``coach`` and ``chat`` ----------------------------------------------------------


def test_coach_stdin_not_utf8_long_and_control_characters(db: Path) -> None:
    lines = [b"Hij is lui \xff\xfe", b"x" * 200_000, b"Je \x1b[31mrood\x00 \x07", b"", b"  "]
    stdin = b"\n".join(lines) + b"\n"
    result = CliRunner().invoke(cli.app, ["coach", "--field", "remark", "--json"], input=stdin)
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(out) == len(lines)
    assert out[0]["labels"]  # still coached despite the broken bytes
    assert out[3] == {"labels": [], "tips": [], "words": []}
    assert "\x1b" not in result.stdout  # json.dumps escapes control characters


@pytest.mark.parametrize(
    "args", [(), ("--field", "x"), ("--field", "remark", "--lang", "de")], ids=str
)
def test_coach_bad_options(args) -> None:
    cli._register()
    result = CliRunner().invoke(cli.app, ["coach", *args], input="tekst\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("stoplicht: ") and result.stderr.count("\n") == 1


def test_chat_with_empty_stdin_shows_the_menu_and_ends(db: Path) -> None:
    before = dump(db)
    result = run(db, "chat", "--as", "nobody@example.org", stdin=b"")
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert result.stdout.strip()  # the unknown-person message
    assert dump(db) == before


def test_chat_on_a_database_without_tables_says_how_to_set_it_up(tmp_path: Path) -> None:
    """A fresh database (no migrations run): one line saying what to run, no traceback, no
    apology from the dialogs, and the file gets no tables."""
    fresh = tmp_path / "fresh.sqlite"
    result = run(fresh, "chat", "--as", "jeroen.visser@demo-college.example", stdin="feedback\n")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.startswith("stoplicht: the database has no Stoplicht tables yet")
    assert "stoplicht demo --if-empty" in result.stderr and result.stderr.count("\n") == 1
    assert result.stdout == ""
    engine = make_engine(f"sqlite:///{fresh}")
    assert inspect(engine).get_table_names() == []
    engine.dispose()


def _feedback(db: Path) -> list[Feedback]:
    with unit_of_work(make_session_factory(make_engine(f"sqlite:///{db}"))) as s:
        rows = s.query(Feedback).order_by(Feedback.id).all()
        s.expunge_all()
        return rows


def test_chat_stdin_not_utf8_is_stored_as_replacement_characters(db: Path) -> None:
    before = {f.id for f in _feedback(db)}
    script = b"feedback\n2\n2\nIk zie dat je \xff\xfe goed werkt\n-\n"
    result = run(db, "chat", "--as", DEMO_TEACHER_EMAIL, stdin=script)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "Sorry" not in result.stdout
    new = [f for f in _feedback(db) if f.id not in before]
    assert [f.remark for f in new] == ["Ik zie dat je \ufffd\ufffd goed werkt"]


def test_chat_control_characters_stored_exactly_shown_escaped(db: Path) -> None:
    before = {f.id for f in _feedback(db)}
    remark = "Ik zie \x1b[2J dat je\x07 <at>Els</at> **vet** <script>x</script>"
    script = f"feedback\n2\n2\n{remark}\n-\nVorige\n2\n\n-\n".encode()
    result = run(db, "chat", "--as", DEMO_TEACHER_EMAIL, "--echo", stdin=script)
    assert result.exit_code == 0, result.output
    new = [f for f in _feedback(db) if f.id not in before]
    assert [f.remark for f in new] == [remark]
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    # shown back on the card, in the field prompt and in the echo, escaped and never rendered
    shown = "Ik zie \\x1b[2J dat je\\x07 <at>Els</at> **vet** <script>x</script>"
    assert f"] {shown}" in result.stdout  # the card's field value
    assert f"[{shown}]:" in result.stdout  # the field prompt offering to keep it
    assert f"> {shown}" in result.stdout  # the echo of the typed line


def test_chat_overlong_line_is_refused_with_the_limit_and_nothing_saved(db: Path) -> None:
    before = len(_feedback(db))
    with unit_of_work(make_session_factory(make_engine(f"sqlite:///{db}"))) as s:
        limit = SchoolSettings.from_json(s.query(School).one().settings).max_text_length
    script = f"feedback\n2\n2\n{'x' * 100_000}\n-\n".encode()
    result = run(db, "chat", "--as", DEMO_TEACHER_EMAIL, stdin=script)
    assert result.exit_code == 0 and "Traceback" not in result.output
    assert str(limit) in result.stdout
    assert len(_feedback(db)) == before


def test_chat_superscript_digit_is_text_not_a_choice(db: Path) -> None:
    result = run(db, "chat", "--as", DEMO_TEACHER_EMAIL, stdin="feedback\n²\n".encode())
    assert result.exit_code == 0 and "Traceback" not in result.output
