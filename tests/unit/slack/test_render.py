"""Block Kit rendering: every card shape, Slack's limits, the answered state, modals.
(That typed text reaches Slack literally: ``test_render_literal``.)"""

from __future__ import annotations

import json

import pytest

from bot.slack.modals import ModalContext, field_errors, field_view, loading_view
from bot.slack.render import (
    LIGHT_EMOJI,
    MAX_MESSAGE_BLOCKS,
    answered_blocks,
    card_blocks,
    encode_value,
    escape,
    home_view,
    reply_messages,
)
from bot.slack.rich import plain, rich_text, run
from bot.slack.translate import decode_value
from bot.teams.render import LIGHT_MARK, render_card
from dialogs.types import Card, Choice, Fact, FieldKind, InputField, Reply, Section, Style


def _all_text(blocks: list[dict]) -> str:  # type: ignore[type-arg]
    return json.dumps(blocks, ensure_ascii=False)


def _rich_size(block: dict) -> int:  # type: ignore[type-arg]
    return sum(len(e["text"]) for part in block["elements"] for e in part["elements"])


def _check_limits(blocks: list[dict], *, limit: int = MAX_MESSAGE_BLOCKS) -> None:  # type: ignore[type-arg]
    assert len(blocks) <= limit
    assert '"mrkdwn"' not in _all_text(blocks)
    for b in blocks:
        if b["type"] == "rich_text":
            assert 1 <= _rich_size(b) <= 3000
            for part in b["elements"]:
                assert all(e["type"] == "text" and e["text"] for e in part["elements"])
        if b["type"] == "section":
            if "text" in b:
                assert len(b["text"]["text"]) <= 3000
            for f in b.get("fields", []):
                assert len(f["text"]) <= 2000
            assert len(b.get("fields", [])) <= 10
        if b["type"] == "header":
            assert len(b["text"]["text"]) <= 150
        if b["type"] == "context":
            assert 1 <= len(b["elements"]) <= 10
            assert all(len(e["text"]) <= 3000 for e in b["elements"])
        if b["type"] == "actions":
            assert 1 <= len(b["elements"]) <= 25
            for e in b["elements"]:
                assert len(e["text"]["text"]) <= 75
                assert len(e["value"]) <= 2000
                assert e["action_id"].startswith("stl:")
    ids = [e["action_id"] for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert len(ids) == len(set(ids))


LIGHTS = tuple(
    Choice(
        label=n,
        action="t_save",
        args={"light": str(i)},
        light=i,
        style=Style.DANGER if i == 4 else Style.PRIMARY,
    )
    for i, n in enumerate(["Excellent", "Ga zo door", "Let op", "Pas op"], start=1)
)
FIELDS = (
    InputField(
        id="remark", label="Opmerking", value="Eerder getypt", required_for_lights=frozenset({4})
    ),
    InputField(
        id="action",
        label="Actie",
        required_for_lights=frozenset({3, 4}),
        max_length=500,
        error_message="Vul een actie in.",
    ),
)
STUDENT = Card(
    kind="student",
    title="Anna Aalders",
    text="Eerdere feedback voor dit vak staat hieronder.",
    facts=(Fact("Klas", "3A"), Fact("Voortgang", "1 van 4")),
    sections=(Section(title="Periode 1", facts=(Fact("Stoplicht", "Let op"),), light=3),),
    fields=FIELDS,
    choices=LIGHTS + (Choice(label="Overslaan", action="t_skip", submits_fields=False),),
    version=7,
    note="Bewaard.",
)


def test_student_card_lights_open_a_modal_and_history_is_quoted() -> None:
    blocks = card_blocks(STUDENT)
    _check_limits(blocks)
    assert blocks[0] == rich_text([run("Bewaard.", italic=True)])  # the note, in italics
    assert blocks[1] == {
        "type": "header",
        "text": {"type": "plain_text", "emoji": False, "text": "Anna Aalders"},
    }
    history = [b for b in blocks if "Periode 1" in _all_text([b])]
    assert [h["elements"][0]["type"] for h in history] == ["rich_text_quote"]  # set apart
    assert LIGHT_EMOJI[3] in _all_text(history)
    assert run("Periode 1", bold=True) in history[0]["elements"][0]["elements"]
    rows = [b for b in blocks if b["type"] == "actions"]
    assert [len(r["elements"]) for r in rows] == [4, 1]
    first = rows[0]["elements"][0]
    value = decode_value(first["value"])
    assert (value.action, dict(value.args), value.version, value.opens_modal) == (
        "t_save",
        {"light": "1"},
        7,
        True,
    )
    skip = decode_value(rows[1]["elements"][0]["value"])
    assert skip.action == "t_skip" and not skip.opens_modal
    assert rows[0]["elements"][3]["style"] == "danger"
    assert "Eerder getypt" in _all_text(blocks)  # the draft is visible


def test_the_chosen_light_stands_before_the_title_as_on_teams() -> None:
    card = Card(kind="student", title="Anna Aalders", light=3)
    header = next(b for b in card_blocks(card) if b["type"] == "header")
    assert header["text"]["text"] == f"{LIGHT_EMOJI[3]} Anna Aalders"
    teams_title = render_card(card)["body"][0]["inlines"][0]["text"]
    assert teams_title == f"{LIGHT_MARK[3]} Anna Aalders" == header["text"]["text"]


def test_the_primary_choice_comes_first_after_a_long_list_and_keeps_its_index() -> None:
    names = tuple(
        Choice(label=f"Leerling {i}", action="t_jump", args={"student_id": str(i)})
        for i in range(30)
    )
    go_on = Choice(label="Verder met invullen", action="start_feedback", style=Style.PRIMARY)
    card = Card(kind="review", title="Overzicht", choices=(*names, go_on), version=3)
    rows = [b for b in card_blocks(card) if b["type"] == "actions"]
    assert [len(r["elements"]) for r in rows] == [25, 6]
    first = rows[0]["elements"][0]
    assert first["text"]["text"] == "Verder met invullen" and first["style"] == "primary"
    assert first["action_id"] == "stl:30"  # named after its place in the card's choices
    assert decode_value(first["value"]).action == "start_feedback"
    assert rows[1]["elements"][-1]["text"]["text"] == "Leerling 29"


@pytest.mark.parametrize("kind", ["menu", "report", "digest", "overview", "confirm", "plan"])
def test_any_card_shape_renders_within_limits(kind: str) -> None:
    card = Card(
        kind=kind,
        title="T" * 400,
        text="regel\n" * 1200,
        facts=tuple(Fact(f"Vak {i}", "x" * 2500) for i in range(23)),
        sections=tuple(
            Section(
                title=f"Vak {i}",
                text="y" * 4000,
                light=(i % 4) + 1,
                facts=(Fact("Opmerking", "z" * 100),),
            )
            for i in range(30)
        ),
        choices=tuple(
            Choice(
                label=f"Leerling {i} " + "n" * 100, action="m_student", args={"student_id": str(i)}
            )
            for i in range(60)
        ),
    )
    messages = reply_messages(Reply(text="Inleiding", card=card))
    assert len(messages) > 2  # paged
    for m in messages:
        _check_limits(list(m.blocks))
        assert len(m.text) <= 3000
    buttons = [
        e for m in messages for b in m.blocks if b["type"] == "actions" for e in b["elements"]
    ]
    assert len(buttons) == 60
    sections = [b for m in messages for b in m.blocks if b["type"] == "rich_text"]
    assert any(LIGHT_EMOJI[4] in _all_text([s]) for s in sections)


def test_the_plain_text_of_a_message_is_escaped_and_bounded() -> None:
    """A message's ``text`` (notifications, screen readers) is the one field Slack reads as
    markup: its control characters are escaped, and an escape is never cut in half."""
    [m] = reply_messages(Reply(text="a & b <!here> <http://evil|klik>"))
    assert m.text == "a &amp; b &lt;!here&gt; &lt;http://evil|klik&gt;"
    assert escape("<&>") == "&lt;&amp;&gt;"
    for text in ["&" * 4000, "<" * 2999 + "&", "x" * 5000]:
        [m] = reply_messages(Reply(text=text))
        assert 2990 < len(m.text) <= 3000 and m.text.endswith("…")
        assert "&" not in m.text.replace("&amp;", "").replace("&lt;", "")


def test_text_only_reply_and_empty_card() -> None:
    [m] = reply_messages(Reply(text="Bewaard."))
    assert m.text == "Bewaard." and m.blocks[0] == rich_text([run("Bewaard.")])
    [m] = reply_messages(Reply(card=Card(kind="x", title="")))
    _check_limits(list(m.blocks))


def test_button_value_is_compact_and_bounded() -> None:
    value = encode_value(
        Choice(label="x", action="t_jump", args={"student_id": "12"}), 3, opens_modal=False
    )
    assert value == '{"a":"t_jump","v":3,"g":{"student_id":"12"}}'
    with pytest.raises(ValueError):
        encode_value(Choice(label="x", action="a", args={"k": "v" * 2100}), 1, opens_modal=False)
    for bad in ["", "{}", "[1]", '{"a": 5}', '{"a":"x","g":[1]}', "not json"]:
        with pytest.raises(ValueError):
            decode_value(bad)


def test_answered_state_drops_buttons_and_says_what_was_chosen() -> None:
    blocks = card_blocks(STUDENT)
    answered = answered_blocks(blocks, "Let op", "nl")
    assert not [b for b in answered if b["type"] == "actions"]
    assert "Gekozen: Let op" in _all_text(answered[-1:])
    many = [{"type": "section", "text": plain("x")}] * 60
    assert len(answered_blocks(many, "x", "en")) == 50
    typed = answered_blocks(many, "x", "en", [Fact("Opmerking", "Goed zo")])
    assert len(typed) == 50 and run("Goed zo") in typed[-2]["elements"][0]["elements"]


def test_home_view_is_bounded() -> None:
    card = Card(
        kind="menu",
        title="Hallo",
        choices=tuple(Choice(label=f"k{i}", action="menu") for i in range(300)),
    )
    view = home_view([Reply(card=card)], "nl")
    assert view["type"] == "home" and len(view["blocks"]) <= 100


def test_modal_marks_fields_required_for_the_chosen_light_and_validates() -> None:
    ctx = ModalContext(
        channel="D1",
        ts="1.2",
        action="t_save",
        args={"light": "3"},
        version=7,
        label="Let op",
        light=3,
    )
    view = field_view(STUDENT, ctx, "nl")
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert inputs["remark"]["optional"] is True and inputs["action"]["optional"] is False
    assert inputs["remark"]["element"]["initial_value"] == "Eerder getypt"
    assert inputs["action"]["element"]["max_length"] == 500
    assert len(view["title"]["text"]) <= 24 and len(view["private_metadata"]) <= 3000
    assert not [b for b in view["blocks"] if b["type"] == "actions"]
    meta = ModalContext.from_metadata(view["private_metadata"])
    assert meta.required == {"action": "Vul een actie in."} and meta.version == 7
    assert field_errors({"remark": "", "action": "  "}, meta) == {"action": "Vul een actie in."}
    assert field_errors({"action": "a" * 501}, meta) == {"action": "Maximaal 500 tekens."}
    assert field_errors({"action": "Oefen."}, meta) == {}
    assert field_errors({"action": "Oefen."}, meta, ["remark"]) == {
        "remark": "Dit veld kon niet gelezen worden; typ het opnieuw."
    }
    english = ModalContext.from_metadata(
        field_view(STUDENT, ModalContext(channel="D1", ts="1", action="t_save"), "en")[
            "private_metadata"
        ]
    )
    assert english.lang == "en"
    assert field_errors({"action": "a" * 501}, english, ["remark"]) == {
        "action": "At most 500 characters.",
        "remark": "This field could not be read; please type it again.",
    }
    assert ModalContext.from_metadata('{"c":"D","ts":"1","a":"x","ln":"xx"}').lang == "nl"
    pas_op = field_view(
        STUDENT,
        ModalContext(channel="D1", ts="1", action="t_save", light=4, label="Pas op" * 10),
        "en",
    )
    assert len(pas_op["title"]["text"]) <= 24
    assert set(ModalContext.from_metadata(pas_op["private_metadata"]).required) == {
        "remark",
        "action",
    }
    for bad in ["", "{}", "[]", '{"c": 1}']:
        with pytest.raises(ValueError):
            ModalContext.from_metadata(bad)
    assert loading_view("x" * 50, "nl")["title"]["text"].endswith("…")


def test_modal_with_a_single_line_field() -> None:
    card = Card(
        kind="organizer",
        title="Nieuwe ronde",
        fields=(InputField(id="name", label="Naam", kind=FieldKind.TEXT, required=True),),
        choices=(Choice(label="Volgende", action="o_value"),),
    )
    view = field_view(
        card, ModalContext(channel="D", ts="1", action="o_value", label="Volgende"), "nl"
    )
    [inp] = [b for b in view["blocks"] if b["type"] == "input"]
    assert inp["element"]["multiline"] is False and inp["optional"] is False
