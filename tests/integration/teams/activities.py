"""Realistic Teams activities from ``tests/fixtures/teams/``, with the test's ids filled in.

A string that is exactly ``$NAME`` is replaced by the value given (any JSON); inside longer
strings ``$NAME`` is replaced by its text. ``ACTIVITY_ID``, when not given, is a new id for every
activity loaded, as every activity Teams sends has its own (the bot ignores a repeated one).
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "teams"
_ACTIVITY_IDS = itertools.count(1763632900000)


def _fill(node: Any, subs: dict[str, Any]) -> Any:
    if isinstance(node, dict):
        return {k: _fill(v, subs) for k, v in node.items()}
    if isinstance(node, list):
        return [_fill(v, subs) for v in node]
    if isinstance(node, str):
        if node.startswith("$") and node[1:] in subs:
            return subs[node[1:]]
        for key in sorted(subs, key=len, reverse=True):
            if f"${key}" in node:
                node = node.replace(f"${key}", str(subs[key]))
        return node
    return node


def load(name: str, **subs: Any) -> dict[str, Any]:
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    subs.setdefault("ACTIVITY_ID", str(next(_ACTIVITY_IDS)))
    return _fill(data, subs)
