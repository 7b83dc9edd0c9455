"""The layering of ARCHITECTURE.md, checked on the import graph of the source tree.

``bot`` → ``schedules`` → ``dialogs`` → ``storage``: a module may import its own layer and
the ones below it, never one above. Platform SDKs stay in ``bot/<channel>/``. No two modules
import each other, directly or through others (imports inside functions and under
``TYPE_CHECKING`` count too: a circle is a circle, however lazily it closes).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAYERS = ["storage", "dialogs", "schedules", "bot"]  # lowest first
PLATFORM_SDKS = {
    "botbuilder": "bot.teams",
    "botframework": "bot.teams",
    "microsoft_agents": "bot.teams",
    "slack_sdk": "bot.slack",
    "slack_bolt": "bot.slack",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def source_modules() -> dict[str, Path]:
    found = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            if "migrations" in path.parts and "versions" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


def imports_of(path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """Every module named by an import statement in ``path`` (absolute names), with its line;
    ``from pkg import mod`` names ``pkg.mod`` when that is a module of ours."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, node.lineno
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                if sub in known:
                    yield sub, node.lineno
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value, node.lineno


def graph() -> dict[str, set[str]]:
    modules = source_modules()
    known = set(modules)
    edges: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for target, _ in imports_of(path, known):
            # the module itself or its nearest package of ours
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name and not name.startswith(target + "."):
                targets.add(target)
        edges[name] = targets
    return edges


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[0])


def test_no_module_imports_a_higher_layer() -> None:
    wrong = [
        f"{src} imports {dst}"
        for src, dsts in graph().items()
        for dst in dsts
        if _layer(dst) > _layer(src)
    ]
    assert wrong == []


def test_platform_sdks_stay_in_their_channel() -> None:
    modules = source_modules()
    wrong = []
    for name, path in modules.items():
        for target, line in imports_of(path, set(modules)):
            top = target.split(".")[0]
            home = PLATFORM_SDKS.get(top)
            if home and not (name == home or name.startswith(home + ".")):
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {target}")
    assert wrong == []


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a path ``a → … → a``, or None (iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    for start in sorted(edges):
        if state.get(start):
            continue
        stack = [(start, iter(sorted(edges[start])))]
        path = [start]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                stack.pop()
                path.pop()
            elif state.get(child) == 1:
                return path[path.index(child) :] + [child]
            elif not state.get(child):
                state[child] = 1
                path.append(child)
                stack.append((child, iter(sorted(edges.get(child, ())))))
    return None


def test_no_import_circles() -> None:
    assert find_cycle(graph()) is None


@pytest.mark.parametrize(
    ("edges", "circle"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, None),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, ["a", "b", "c", "a"]),
        ({"a": {"b"}, "b": {"b2"}, "b2": {"b"}}, ["b", "b2", "b"]),
    ],
)
def test_the_circle_finder_finds_circles(edges: dict[str, set[str]], circle: list[str]) -> None:
    assert find_cycle(edges) == circle


def test_the_checks_see_a_wrong_import(tmp_path: Path) -> None:
    """The graph reads lazy and TYPE_CHECKING imports and ``from pkg import module``."""
    src = tmp_path / "m.py"
    src.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from bot.app import build_web_app\n"
        "def f():\n    from storage import models\n",
        encoding="utf-8",
    )
    names = {name for name, _ in imports_of(src, {"storage.models"})}
    assert {"bot.app", "storage", "storage.models"} <= names
