"""The shell examples of the README and docs/ run as written, and the command line's help
reads as the docs do.

Every line of a ```sh block is run with bash from the repository's root, page by page on a
fresh SQLite database (``STOPLICHT_DATABASE_URL``), in the order written, and must exit 0
without a traceback. Lines that need a platform or run until stopped (``make``, ``npx``,
``stoplicht serve``, ``stoplicht worker``) are left out. Usage synopses with placeholders are
written as ```text blocks and are not run.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NOT_RUN = re.compile(r"^(make|npx)\b|\bstoplicht (serve|worker)\b")
BLOCK = re.compile(r"^```sh\n(.*?)^```", re.M | re.S)


def shell_examples(page: Path) -> list[str]:
    lines = []
    for block in BLOCK.findall(page.read_text(encoding="utf-8")):
        for line in block.splitlines():
            line = line.strip()
            if line and not line.startswith("#") and not NOT_RUN.search(line):
                lines.append(line)
    return lines


def test_the_pages_have_examples_and_links_that_exist() -> None:
    assert sum(len(shell_examples(p)) for p in PAGES) >= 15
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            assert (page.parent / target).exists(), f"{page.name} links to missing {target}"


def test_readme_is_a_newcomers_page() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text.encode()) < 10_000
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "make test" in ci and "make test" in text and "make run" in text


@pytest.mark.parametrize("page", [p for p in PAGES if shell_examples(p)], ids=lambda p: p.name)
def test_shell_examples_run_as_written(page: Path, tmp_path: Path) -> None:
    env = dict(os.environ)
    env["STOPLICHT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'docs.sqlite'}"
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    for line in shell_examples(page):
        done = subprocess.run(
            ["bash", "-c", line],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, f"{page.name}: {line}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, f"{page.name}: {line}\n{done.stderr}"


def _help(args: list[str]) -> str:
    from typer.testing import CliRunner

    from bot.cli import main as cli

    cli._register()
    done = CliRunner().invoke(
        cli.app, [*args, "--help"], prog_name="stoplicht", env={"COLUMNS": "100"}
    )
    assert done.exit_code == 0, (args, done.output)
    return done.output


def _subcommands(help_text: str) -> list[str]:
    """The command names of a help page's Commands panel."""
    panel = help_text.split("Commands", 1)[1] if "Commands" in help_text else ""
    return re.findall(r"^│ ([a-z][a-z-]*)\s", panel, re.M)


def test_every_help_page_reads_as_the_docs_do() -> None:
    seen = 0
    todo: list[list[str]] = [[]]
    while todo:
        args = todo.pop()
        text = _help(args)
        seen += 1
        assert "`" not in text, f"stoplicht {' '.join(args)} --help shows backquotes:\n{text}"
        assert "Usage: stoplicht" in text
        todo.extend([*args, name] for name in _subcommands(text))
    assert seen >= 15
