"""``stoplicht coach`` as a user runs it: one text, a batch on stdin, JSON lines, bad args."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import typer
from typer.testing import CliRunner

from bot.cli import coach_cmd
from dialogs.texts import t

_APP = typer.Typer()


@_APP.callback()
def _root() -> None:
    """A group, so that ``coach`` is a sub-command as in ``stoplicht``."""


coach_cmd.register(_APP)


class _Done:
    def __init__(self, returncode: int, stdout: bytes, stderr: bytes) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _invoke(*args: str, stdin: str | bytes = b"") -> _Done:
    """In-process run of the same command the ``stoplicht`` script runs."""
    result = CliRunner().invoke(_APP, ["coach", *args], input=stdin)
    return _Done(result.exit_code, result.stdout_bytes, result.stderr_bytes)


def _run(*args: str, stdin: str | bytes = b"") -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run(
        [sys.executable, "-m", "bot.cli.main", "coach", *args],
        input=data,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_single_text_plain() -> None:
    done = _invoke("--field", "remark", "Tom is een slimme jongen.")
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode().strip()
    assert out.startswith("third_person, fixed_trait: ")
    assert t("nl", "coach.tip.third_person.remark", words="Tom is") in out
    assert " | " in out


def test_single_fine_text_plain_is_ok() -> None:
    done = _invoke("--field", "action", "Plan voor elke toets drie leermomenten in je agenda.")
    assert done.stdout.decode().strip() == "ok"


def test_options_ignore_case() -> None:
    done = _invoke("--field", "Action", "--lang", "EN", "Try harder.")
    assert done.returncode == 0
    assert done.stdout.decode().startswith("vague_action: ")


def test_empty_text_argument_is_ok() -> None:
    assert _invoke("--field", "remark", "--json", "").stdout.decode().strip() == (
        '{"labels": [], "tips": [], "words": []}'
    )


def test_single_text_json_in_english() -> None:
    done = _invoke("--field", "action", "--lang", "en", "--json", "Harder werken!")
    data = json.loads(done.stdout)
    assert data == {
        "labels": ["vague_action"],
        "tips": [t("en", "coach.tip.vague_action.action", words="Harder")],
        "words": ["Harder"],
    }


def test_stdin_batch_gives_one_json_line_per_input_line() -> None:
    lines = [
        "Hij let slecht op in de les.",
        "",
        "Ik zie dat je je rekenstappen steeds opschrijft.",
        "You are a natural at languages.",
        "Zij maakt haar huiswerk nooit.",
    ]
    done = _run("--field", "remark", "--json", stdin="\n".join(lines) + "\n")
    assert done.returncode == 0, done.stderr
    results = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["labels"] for r in results] == [
        ["third_person", "judgement"],
        [],
        [],
        ["fixed_trait"],
        ["third_person"],
    ]
    assert all(set(r) == {"labels", "tips", "words"} for r in results)
    assert all(len(r["labels"]) == len(r["tips"]) == len(r["words"]) for r in results)
    assert results[3]["words"] == ["a natural"]
    assert results[3]["tips"][0] == t("en", "coach.tip.fixed_trait.remark", words="a natural")


def test_stdin_batch_plain_with_crlf_and_bad_bytes() -> None:
    done = _invoke("--field", "action", stdin=b"Try harder.\r\n\xff\xfe\r\nMeer opletten.")
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode().splitlines()
    assert len(out) == 3
    assert out[0].startswith("vague_action: ")
    assert out[2].startswith("vague_action: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--field", "opmerking", "x"], "--field"),
        (["x"], "--field"),
        (["--field", "remark", "--lang", "de", "x"], "--lang"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args: list[str], message: str) -> None:
    done = _invoke(*args)
    assert done.returncode == 2
    err = done.stderr.decode().strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert done.stdout == b""


def test_the_installed_command_refuses_a_bad_field_in_one_line() -> None:
    done = _run("--field", "nope", "Zwak.")
    assert done.returncode == 2
    assert done.stderr.decode().strip().count("\n") == 0
    assert "--field" in done.stderr.decode()
