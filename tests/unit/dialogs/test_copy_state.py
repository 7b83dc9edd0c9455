"""The engine steps a private deep copy of the stored state: changing the copy, at any depth,
never changes what was read, also for values JSON would not have given."""

from __future__ import annotations

from datetime import UTC, datetime

from dialogs.engine import _copy_state


def test_a_json_state_is_copied_deeply_and_equal() -> None:
    state = {
        "teacher": {"students": [[1, "Anna", "3A"], [2, "Bram", "3A"]], "draft": {"remark": "é"}},
        "flow": "teacher",
        "pressed": {"v": 3, "b": "ab"},
        "n": None,
        "ok": True,
        "x": 1.5,
    }
    copied = _copy_state(state)
    assert copied == state and copied is not state
    copied["teacher"]["students"][0][1] = "changed"
    copied["teacher"]["draft"]["remark"] = "changed"
    assert state["teacher"]["students"][0][1] == "Anna" and state["teacher"]["draft"] == {
        "remark": "é"
    }


def test_a_value_marshal_does_not_take_is_still_copied() -> None:
    when = datetime(2026, 12, 7, tzinfo=UTC)
    state = {"x": {"when": when, "items": [1, 2]}}
    copied = _copy_state(state)
    assert copied == state
    copied["x"]["items"].append(3)
    assert state["x"]["items"] == [1, 2]
