"""The Adaptive Card renderer: every card shape, escaping, phone-friendly layout."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bot.teams import render
from dialogs.types import Card, Choice, Fact, FieldKind, InputField, Reply, Section, Style


def _blocks(card: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if node.get("type") == kind:
                found.append(node)
            for v in node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(card["body"])
    return found


STUDENT = Card(
    kind="student",
    title="Anna Aalders",
    text="Leerling 1 van 4",
    facts=(Fact("Klas", "3A"),),
    sections=(
        Section(
            title="Periode 1",
            facts=(Fact("Opmerking", "Ik zie dat je *hard* werkt."),),
            light=3,
        ),
    ),
    fields=(
        InputField(
            id="remark",
            label="Opmerking",
            required_for_lights=frozenset({3, 4}),
            max_length=500,
            error_message="Verplicht bij Let op en Pas op.",
        ),
        InputField(id="action", label="Actie", kind=FieldKind.TEXT, value="Oefen"),
    ),
    choices=(
        Choice(label="Excellent", action="t_save", args={"light": "1"}, light=1),
        Choice(label="Ga zo door", action="t_save", args={"light": "2"}, light=2),
        Choice(label="Let op", action="t_save", args={"light": "3"}, light=3),
        Choice(label="Pas op", action="t_save", args={"light": "4"}, light=4, style=Style.DANGER),
        Choice(label="Terug", action="t_back", submits_fields=False),
        Choice(label="Overslaan", action="t_skip", submits_fields=False, style=Style.PRIMARY),
    ),
    version=7,
    note="Opgeslagen: Bram",
)


def test_student_card_has_lights_inputs_history_and_navigation() -> None:
    card = render.render_card(STUDENT)
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.5"
    sets = _blocks(card, "ActionSet")
    assert len(sets) == 2
    lights, nav = sets
    assert [a["title"] for a in lights["actions"]] == [
        "🎩 Excellent",
        "🟢 Ga zo door",
        "🟠 Let op",
        "❗ Pas op",
    ]
    for n, a in enumerate(lights["actions"], start=1):
        assert a["type"] == "Action.Execute" and a["verb"] == "t_save"
        assert a["data"] == {
            "stoplicht": {"action": "t_save", "args": {"light": str(n)}, "version": 7}
        }
        assert a["associatedInputs"] == "auto"
    assert lights["actions"][3]["style"] == "destructive"
    assert [a["associatedInputs"] for a in nav["actions"]] == ["none", "none"]
    assert [a["title"] for a in nav["actions"]] == ["Overslaan", "Terug"]  # primary first
    assert nav["actions"][0]["style"] == "positive"
    remark, action = _blocks(card, "Input.Text")
    assert remark["isMultiline"] is True and remark["maxLength"] == 500
    assert "isRequired" not in remark  # no light chosen yet: the server checks on submit
    assert remark["errorMessage"] == "Verplicht bij Let op en Pas op."
    assert action["value"] == "Oefen" and "isMultiline" not in action
    assert _blocks(card, "FactSet") == []  # facts are lines, their values literal
    history = _blocks(card, "Container")[0]
    assert history["items"][1]["inlines"] == [
        {"type": "TextRun", "text": "Opmerking: ", "weight": "bolder"},
        {"type": "TextRun", "text": "Ik zie dat je *hard* werkt."},
    ]


def test_a_chosen_light_never_makes_its_fields_required() -> None:
    """Teams blocks every light on an empty required input, even "Ga zo door" which needs no
    text: a field required for some lights is never marked; the server checks the rule."""
    from dataclasses import replace

    for card in (replace(STUDENT, light=4), replace(STUDENT, chosen_light=4, note="Nog niet")):
        rendered = render.render_card(card)
        assert all("isRequired" not in b for b in _blocks(rendered, "Input.Text"))
    card = render.render_card(replace(STUDENT, light=4))
    assert card["body"][1]["inlines"][0]["color"] == "attention"


def test_always_required_field() -> None:
    card = Card(
        kind="x",
        title="t",
        fields=(
            InputField(id="note", label="Notitie", required=True, error_message="Vul iets in"),
        ),
    )
    block = _blocks(render.render_card(card), "Input.Text")[0]
    assert block["isRequired"] is True and block["errorMessage"] == "Vul iets in"


def test_submit_mode_uses_action_submit() -> None:
    card = render.render_card(STUDENT, mode="submit")
    acts = [a for s in _blocks(card, "ActionSet") for a in s["actions"]]
    assert {a["type"] for a in acts} == {"Action.Submit"}
    assert all("verb" not in a for a in acts)


def test_phone_friendly_no_columns_and_text_wraps() -> None:
    card = render.render_card(STUDENT)
    text = json.dumps(card)
    assert "ColumnSet" not in text
    assert _blocks(card, "TextBlock") == []  # all free text is RichTextBlock/TextRun


def test_user_text_is_never_markdown() -> None:
    evil = "**vet** [klik](https://evil.example) <script>x</script>\n- lijst"
    card = Card(kind="report", title=evil, text=evil, facts=(Fact("Opmerking", evil),))
    out = render.render_card(card)
    runs = [b["inlines"][-1]["text"] for b in _blocks(out, "RichTextBlock")]
    assert runs == [evil, evil, evil]  # TextRun: shown literally, line breaks kept
    assert _blocks(out, "TextBlock") == [] and _blocks(out, "FactSet") == []


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("a_b", "a\\_b"),
        ("1. een", "1\\. een"),
        ("# kop", "\\# kop"),
        ("`code`", "\\`code\\`"),
        ("3.5 gemiddeld", "3.5 gemiddeld"),
        ("back\\slash", "back\\\\slash"),
    ],
)
def test_escape_markdown(raw: str, escaped: str) -> None:
    assert render.escape_markdown(raw) == escaped


def test_digest_and_report_cards_with_sections() -> None:
    digest = Card(
        kind="digest",
        title="Jouw mentorleerlingen",
        sections=tuple(
            Section(
                title=f"Leerling {i}",
                text="2× Pas op",
                facts=(Fact("Wiskunde", "Pas op"),),
                light=4,
            )
            for i in range(3)
        ),
        choices=(Choice(label="Open", action="m_student", args={"student_id": "5"}),),
    )
    out = render.render_card(digest)
    containers = _blocks(out, "Container")
    assert len(containers) == 3 and all(c["separator"] for c in containers)
    assert containers[0]["items"][0]["inlines"][0]["text"] == "❗ Leerling 0"


def test_student_plan_card_with_datetime_field() -> None:
    plan = Card(
        kind="plan",
        title="Plan van aanpak",
        fields=(
            InputField(
                id="answer",
                label="Wanneer?",
                kind=FieldKind.DATETIME,
                placeholder="2026-12-01 10:00",
            ),
        ),
        choices=(Choice(label="Volgende", action="s_answer"),),
    )
    block = _blocks(render.render_card(plan), "Input.Text")[0]
    assert block["placeholder"] == "2026-12-01 10:00" and "isMultiline" not in block


def test_reserved_field_id_is_refused() -> None:
    with pytest.raises(ValueError):
        render.render_card(
            Card(kind="x", title="t", fields=(InputField(id="stoplicht", label="x"),))
        )


def test_card_without_choices_has_no_action_set() -> None:
    out = render.render_card(Card(kind="info", title="Klaar"))
    assert _blocks(out, "ActionSet") == [] and len(out["body"]) == 1


def test_message_for_text_and_card() -> None:
    msg = render.message(Reply(text="Opgeslagen *Anna*", card=STUDENT))
    assert msg["type"] == "message" and msg["text"] == "Opgeslagen \\*Anna\\*"
    assert msg["attachments"][0]["contentType"] == render.CONTENT_TYPE
    assert render.message(Reply(text="hoi")).get("attachments") is None


def test_answered_card_has_no_inputs_or_buttons() -> None:
    card = render.answered_card("Opgeslagen: Anna, Ga zo door")
    assert _blocks(card, "ActionSet") == [] and _blocks(card, "Input.Text") == []
    assert "Opgeslagen: Anna" in card["body"][0]["inlines"][0]["text"]


def test_answered_summary_prefers_text_then_note() -> None:
    assert render.answered_summary([Reply(text="Verouderd"), Reply(card=STUDENT)]) == "Verouderd"
    assert render.answered_summary([Reply(card=STUDENT)]) == "Opgeslagen: Bram"
    assert render.answered_summary([Reply(card=Card(kind="x", title="t"))]) is None


def _long_list_card(n: int) -> Card:
    names = tuple(
        Choice(label=f"Leerling {i}", action="t_jump", args={"student_id": str(i)})
        for i in range(n)
    )
    return Card(
        kind="review",
        title="Overzicht 3A",
        choices=names
        + (
            Choice(label="Verder met invullen", action="start_feedback", style=Style.PRIMARY),
            Choice(label="Stop", action="t_stop"),
        ),
    )


def test_a_long_list_of_buttons_is_split_into_sets_of_six_with_the_primary_first() -> None:
    card = render.render_card(_long_list_card(20))
    sets = _blocks(card, "ActionSet")
    assert [len(s["actions"]) for s in sets] == [6, 6, 6, 4]
    titles = [a["title"] for s in sets for a in s["actions"]]
    assert titles[0] == "Verder met invullen"  # not hidden in Teams' "..." menu
    assert titles[1:] == [f"Leerling {i}" for i in range(20)] + ["Stop"]
    assert [s["spacing"] for s in sets] == ["medium", "small", "small", "small"]


def test_lights_keep_their_own_set_before_the_other_choices() -> None:
    sets = _blocks(render.render_card(STUDENT), "ActionSet")
    assert [len(s["actions"]) for s in sets] == [4, 2]
    assert all(len(s["actions"]) <= render.MAX_ACTIONS for s in sets)


def test_facts_are_lines_with_bold_labels_and_literal_multiline_values() -> None:
    typed = "Afspraken:\n- *dinsdag* bijles\n- <b>planner</b> laten zien"
    card = render.render_card(
        Card(kind="report", title="Sanne", facts=(Fact("Klas", "3A"), Fact("Afspraken", typed)))
    )
    first, second = card["body"][1:3]
    assert first["inlines"][0] == {"type": "TextRun", "text": "Klas: ", "weight": "bolder"}
    assert "spacing" not in first and second["spacing"] == "small"
    assert second["inlines"][1]["text"] == typed  # exactly as typed, line breaks included


def test_a_fact_without_value_shows_its_label() -> None:
    card = render.render_card(Card(kind="x", title="t", facts=(Fact("Nog open", ""),)))
    assert card["body"][1]["inlines"] == [
        {"type": "TextRun", "text": "Nog open", "weight": "bolder"}
    ]


def test_every_execute_carries_a_submit_fallback_with_the_same_data() -> None:
    card = render.render_card(STUDENT)
    acts = [a for s in _blocks(card, "ActionSet") for a in s["actions"]]
    assert acts and {a["type"] for a in acts} == {"Action.Execute"}
    for a in acts:
        fallback = a["fallback"]
        assert fallback["type"] == "Action.Submit" and "verb" not in fallback
        for key in ("title", "data", "associatedInputs", "style"):
            assert fallback.get(key) == a.get(key), key
    assert acts[3]["fallback"]["style"] == "destructive"
    submit_only = render.render_card(STUDENT, mode="submit")
    assert not [
        a for s in _blocks(submit_only, "ActionSet") for a in s["actions"] if "fallback" in a
    ]
