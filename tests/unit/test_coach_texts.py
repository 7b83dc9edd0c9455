"""The coach's texts exist in both languages with the same keys."""

from __future__ import annotations

from dialogs.coach.advice import LABELS
from dialogs.texts import catalogue


def test_coach_keys_match_across_languages() -> None:
    nl = {k for k in catalogue("nl") if k.startswith("coach.")}
    en = {k for k in catalogue("en") if k.startswith("coach.")}
    assert nl == en
    for label in LABELS:
        for field in ("remark", "action"):
            assert f"coach.tip.{label}.{field}" in nl
