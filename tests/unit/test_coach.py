"""The feedback coach on the labelled example table and on a wider set of teacher texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dialogs.coach.advice import LABELS, CoachResult, check
from dialogs.texts import t

_HERE = Path(__file__).resolve()
_SHARED = _HERE.parents[2].parent / "shared" / "coach-examples.md"
_FIXTURES = _HERE.parents[1] / "fixtures" / "coach"
_ROW = re.compile(r"^\|\s*(remark|action)\s*\|(.+)\|\s*([a-z_, ]+?)\s*\|\s*$")


def _labels(text: str) -> tuple[str, ...]:
    found = [part.strip() for part in text.split(",") if part.strip() not in ("", "ok")]
    assert all(label in LABELS for label in found), text
    return tuple(label for label in LABELS if label in found)


def _example_rows(path: Path | None = None) -> list[tuple[str, str, tuple[str, ...]]]:
    path = path or (_SHARED if _SHARED.exists() else _FIXTURES / "examples.md")
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if match:
            field, text, labels = match.groups()
            rows.append((field, text.strip(), _labels(labels)))
    return rows


def _tsv_rows(name: str = "wider.tsv") -> list[tuple[str, str, tuple[str, ...]]]:
    rows = []
    for line in (_FIXTURES / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        field, text, labels = line.split("\t")
        rows.append((field, text, _labels(labels)))
    return rows


EXAMPLES = _example_rows()
WIDER = _tsv_rows()
HELDOUT = _tsv_rows("heldout.tsv")


def test_the_tables_are_there() -> None:
    assert len(EXAMPLES) >= 30
    assert len(WIDER) >= 120
    # Both languages, both fields, every label and plenty of texts that are fine.
    for rows in (WIDER,):
        assert {field for field, _, _ in rows} == {"remark", "action"}
        assert {label for _, _, labels in rows for label in labels} == set(LABELS)
        assert sum(1 for _, _, labels in rows if not labels) >= 40
        assert len({(field, text) for field, text, _ in rows}) == len(rows)  # no duplicates


def test_the_fixture_copy_holds_the_same_rows() -> None:
    copy = _example_rows(_FIXTURES / "examples.md")
    assert len(copy) >= 30
    if _SHARED.exists():
        assert copy == EXAMPLES


@pytest.mark.parametrize(("field", "text", "labels"), EXAMPLES, ids=[r[1][:40] for r in EXAMPLES])
def test_example_table(field: str, text: str, labels: tuple[str, ...]) -> None:
    assert check(text, field=field).labels == labels  # type: ignore[arg-type]


@pytest.mark.parametrize(("field", "text", "labels"), WIDER, ids=[r[1][:40] for r in WIDER])
def test_wider_set(field: str, text: str, labels: tuple[str, ...]) -> None:
    assert check(text, field=field).labels == labels  # type: ignore[arg-type]


def test_result_shape_and_tips_in_both_languages() -> None:
    result = check("Hij is lui.", field="remark")
    assert isinstance(result, CoachResult)
    assert result.labels == ("third_person", "fixed_trait")
    assert result.language == "nl"
    assert len(result.tips) == 2
    assert "Ik zie dat je" in result.tips[0]
    english = check("Hij is lui.", field="remark", lang="en")
    assert english.labels == result.labels
    assert english.language == "en"
    assert "I see that you" in english.tips[0]
    assert english.tips != result.tips


def test_tips_follow_the_label_order_and_field() -> None:
    result = check("Hij moet harder werken.", field="action")
    assert result.labels == ("third_person", "vague_action")
    assert result.words == ("Hij", "harder")
    assert result.tips == (
        t("nl", "coach.tip.third_person.action", words="Hij"),
        t("nl", "coach.tip.vague_action.action", words="harder"),
    )
    assert "komende periode" in result.tips[1]


def test_language_is_detected_from_the_text() -> None:
    assert check("Try harder.", field="action").language == "en"
    assert check("Try harder.", field="action").tips[0] == t(
        "en", "coach.tip.vague_action.action", words="Try harder"
    )
    assert check("Beter je best doen.", field="action").language == "nl"
    assert check("Zwak.", field="remark").language == "nl"


def test_fine_text_has_no_labels_and_no_tips() -> None:
    result = check("Ik zie dat je je verslag op tijd inleverde.", field="remark")
    assert result.ok
    assert result.labels == () and result.tips == ()


@pytest.mark.parametrize("text", ["", "   ", "...", "\n", "!!!"])
def test_empty_text_has_nothing_to_coach(text: str) -> None:
    assert check(text, field="action").labels == ()


def test_remark_is_never_a_vague_action() -> None:
    assert "vague_action" not in check("Harder werken!", field="remark").labels


def test_language_variants_are_accepted() -> None:
    assert check("Zwak.", field="remark", lang="en-GB").language == "en"
    assert check("Zwak.", field="remark", lang="NL").language == "nl"


def test_bad_field_or_language_is_refused() -> None:
    with pytest.raises(ValueError, match="field"):
        check("Zwak.", field="opmerking")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="language"):
        check("Zwak.", field="remark", lang="de")


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "x" * 5000,
        "Hij " * 500,
        "😀 Top! 😀",
        "1234567890",
        "Ik zie dat je\x00 werkt",
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    result = check(text, field="remark")
    assert set(result.labels) <= set(LABELS)
    assert len(result.tips) == len(result.labels)


def test_noise_in_casing_and_punctuation() -> None:
    assert check("HIJ IS LUI!!!", field="remark").labels == ("third_person", "fixed_trait")
    assert check("  onvoldoende   inzet ", field="remark").labels == ("judgement",)
    assert check("slechte,inzet", field="remark").labels == ("judgement",)


# Floors on the held-out set: texts written before the rules were tuned and never tuned on
# phrase by phrase. The coach meets them with a margin; a regression in one label fails here.
_HELDOUT_EXACT = 0.97
_HELDOUT_PRECISION = 0.95
_HELDOUT_RECALL = 0.95


def test_heldout_set_meets_the_floors() -> None:
    assert len(HELDOUT) >= 200
    assert {field for field, _, _ in HELDOUT} == {"remark", "action"}
    assert {label for _, _, labels in HELDOUT for label in labels} == set(LABELS)
    assert len({(field, text) for field, text, _ in HELDOUT}) == len(HELDOUT)
    counts = {label: {"tp": 0, "fp": 0, "fn": 0} for label in LABELS}
    exact = 0
    for field, text, want in HELDOUT:
        got = check(text, field=field).labels  # type: ignore[arg-type]
        exact += got == want
        for label in LABELS:
            if label in got or label in want:
                kind = "tp" if label in got and label in want else "fp" if label in got else "fn"
                counts[label][kind] += 1
    assert exact / len(HELDOUT) >= _HELDOUT_EXACT
    for label, c in counts.items():
        assert c["tp"] / max(1, c["tp"] + c["fp"]) >= _HELDOUT_PRECISION, (label, c)
        assert c["tp"] / max(1, c["tp"] + c["fn"]) >= _HELDOUT_RECALL, (label, c)
