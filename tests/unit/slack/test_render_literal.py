"""What people type reaches Slack so that Slack shows it literally, wherever it appears: as a
``rich_text`` text element or a ``plain_text`` object (``emoji`` off) carrying exactly the
typed string, never in ``mrkdwn``; our own labels are still bold and our notes italic."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from bot.slack.modals import ModalContext, field_view
from bot.slack.render import (
    DONE,
    LIGHT_EMOJI,
    answered_blocks,
    card_blocks,
    home_view,
    reply_messages,
)
from bot.slack.rich import MAX_LINE, MAX_RICH_TEXT, run
from dialogs.types import Card, Choice, Fact, InputField, Reply, Section
from schedules.compose import digest
from storage.mentoring.service import Concern, MenteeSummary, Remark
from storage.models import Light

# Everything Slack's mrkdwn would draw: emphasis, code, a code block and a quote at the start of
# a line, an emoji code, a link, a broadcast, a bare mention, and the three control characters.
HOSTILE = (
    "*vet* _schuin_ ~weg~ `code`\n```blok```\n> quote :smile: "
    "<https://x.example|klik> <!channel> @here & < > x@y.example https://z.example"
)
LINE = HOSTILE.replace("\n", " ")  # for one-line places: titles, names, labels


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            yield from _walk(item)


def _check_nothing_is_markup(blocks: Any) -> None:
    for node in _walk(blocks):
        assert node.get("type") != "mrkdwn", node
        if node.get("type") == "plain_text":
            assert node.get("emoji") is False, node


def rich(blocks: Any, *, quote: bool | None = None) -> list[dict[str, Any]]:
    """The text elements of the rich text blocks (only those in a quote, or not, if asked)."""
    kinds = {None: ("rich_text_section", "rich_text_quote"), True: ("rich_text_quote",)}
    wanted = kinds.get(quote, ("rich_text_section",))
    return [e for block in _walk(blocks) if block.get("type") in wanted for e in block["elements"]]


def plains(blocks: Any) -> list[str]:
    return [n["text"] for n in _walk(blocks) if n.get("type") == "plain_text"]


def _literal(blocks: Any, text: str, **kw: Any) -> bool:
    """``text`` as one unstyled rich text element, exactly."""
    return run(text) in rich(blocks, **kw)


def _bold(blocks: Any, text: str, **kw: Any) -> bool:
    return run(text, bold=True) in rich(blocks, **kw)


def test_card_body_facts_header_note_and_buttons() -> None:
    card = Card(
        kind="report",
        title=LINE,
        text=HOSTILE,
        note=HOSTILE,
        facts=(Fact("Opmerking", HOSTILE), Fact(LINE, "3A")),
        choices=(Choice(label=LINE, action="m_student"),),
    )
    blocks = card_blocks(card)
    _check_nothing_is_markup(blocks)
    assert blocks[0]["type"] == "rich_text"
    assert run(HOSTILE, italic=True) in rich(blocks[:1])  # our note: italic, the text as is
    assert blocks[1]["text"]["text"] == LINE  # the header
    assert _literal(blocks, HOSTILE)  # the body
    assert _bold(blocks, "Opmerking") and _literal(blocks, HOSTILE)  # our label in bold
    assert _bold(blocks, LINE) and _literal(blocks, "3A")  # a label that is a name
    [button] = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert button["text"] == {"type": "plain_text", "text": LINE[:74] + "…", "emoji": False}


def test_text_reply_and_its_notification_text() -> None:
    [message] = reply_messages(Reply(text=HOSTILE))
    _check_nothing_is_markup(list(message.blocks))
    assert _literal(list(message.blocks), HOSTILE)
    assert "<!channel>" not in message.text and "&lt;!channel&gt;" in message.text


def test_history_on_a_prompt_is_a_quote_and_literal() -> None:
    card = Card(
        kind="student",
        title="Anna Aalders",
        sections=(Section(title=LINE, text=HOSTILE, facts=(Fact("Opmerking", HOSTILE),), light=3),),
        fields=(InputField(id="remark", label="Opmerking", value=HOSTILE),),
        choices=(Choice(label="Let op", action="t_save", light=3),),
    )
    blocks = card_blocks(card)
    _check_nothing_is_markup(blocks)
    assert run(f"{LIGHT_EMOJI[3]} ") in rich(blocks, quote=True)
    assert _bold(blocks, LINE, quote=True)  # the round's name, bold as a title
    assert _literal(blocks, HOSTILE, quote=True)  # its text and its remark
    assert _bold(blocks, "Opmerking", quote=True)
    assert _bold(blocks, "Opmerking", quote=False)  # the draft of the field, below
    assert _literal(blocks, HOSTILE, quote=False)


def test_report_sections_are_literal() -> None:
    card = Card(
        kind="report",
        title="Anna Aalders",
        sections=(
            Section(title=LINE, text=HOSTILE, facts=(Fact(LINE, HOSTILE),), light=4),
            Section(text=HOSTILE),
        ),
        choices=(Choice(label="Terug", action="back"),),
    )
    blocks = card_blocks(card)
    _check_nothing_is_markup(blocks)
    assert rich(blocks, quote=True) == []  # a report's sections are the content, not history
    assert _bold(blocks, LINE) and _literal(blocks, HOSTILE)
    assert run(f"{LIGHT_EMOJI[4]} ") in rich(blocks)


def test_the_mentors_digest_is_literal() -> None:
    mentee = MenteeSummary(
        student_id=1,
        name=LINE,
        class_title="3A",
        counts={Light.PAS_OP: 1},
        concern=Concern.PAS_OP,
        worse_than_previous=False,
        remarks=(Remark(subject=LINE, light=Light.PAS_OP, text=HOSTILE),),
    )
    messages = reply_messages(Reply(card=digest(LINE, 7, [mentee], "nl")))
    blocks = [b for m in messages for b in m.blocks]
    _check_nothing_is_markup(blocks)
    assert _bold(blocks, f"{LINE} (3A)")  # the student, as a section title
    assert _bold(blocks, LINE) and _literal(blocks, HOSTILE)  # subject: the remark
    assert any(LINE in p for p in plains(blocks))  # the round's name in the header
    assert "<!channel>" not in json.dumps([m.text for m in messages])


def test_app_home_is_literal() -> None:
    rounds = Section(title="Open besprekingen", facts=(Fact(LINE, HOSTILE),))
    view = home_view([Reply(text=HOSTILE, card=Card(kind="menu", title=LINE))], "nl", [rounds])
    _check_nothing_is_markup(view)
    assert _bold(view["blocks"], "Open besprekingen") and _bold(view["blocks"], LINE)
    assert _literal(view["blocks"], HOSTILE)
    assert LINE in plains(view["blocks"])


def test_answered_states_echo_typed_values_literally() -> None:
    done = card_blocks(Card(kind="student", title="x", note=HOSTILE, answered=True))
    _check_nothing_is_markup(done)
    assert done[0] == {"type": "context", "elements": [plain_text(f"{DONE} {HOSTILE}")]}

    shown = card_blocks(Card(kind="student", title="Anna", choices=(Choice("a", "b"),)))
    answered = answered_blocks(shown, LINE, "nl", [Fact("Opmerking", HOSTILE), Fact(LINE, "")])
    _check_nothing_is_markup(answered)
    assert not [b for b in answered if b["type"] == "actions"]
    assert _bold(answered, "Opmerking") and _literal(answered, HOSTILE)
    assert answered[-1] == {"type": "context", "elements": [plain_text(f"{DONE} Gekozen: {LINE}")]}


def plain_text(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text, "emoji": False}


def test_modal_shows_the_card_and_the_typed_values_literally() -> None:
    card = Card(
        kind="student",
        title=LINE,
        text=HOSTILE,
        sections=(Section(title=LINE, facts=(Fact("Opmerking", HOSTILE),), light=2),),
        fields=(InputField(id="remark", label="Opmerking", value=HOSTILE, placeholder=LINE),),
        choices=(Choice(label="Ga zo door", action="t_save", light=2),),
    )
    view = field_view(card, ModalContext(channel="D", ts="1", action="t_save", label=LINE), "nl")
    _check_nothing_is_markup(view)
    assert _literal(view["blocks"], HOSTILE, quote=False)
    assert _bold(view["blocks"], LINE, quote=True) and _literal(view["blocks"], HOSTILE, quote=True)
    [field] = [b for b in view["blocks"] if b["type"] == "input"]
    assert field["element"]["initial_value"] == HOSTILE
    assert field["element"]["placeholder"]["text"] == LINE
    assert view["title"]["text"] == LINE[:23] + "…"


@pytest.mark.parametrize("size", [MAX_LINE + 500, 3 * MAX_RICH_TEXT + 7])
def test_long_typed_texts_stay_within_slacks_sizes(size: int) -> None:
    long = (HOSTILE * (size // len(HOSTILE) + 1))[:size]
    messages = reply_messages(Reply(text=long))
    texts = [e["text"] for m in messages for e in rich(list(m.blocks))]
    assert all(len(t) <= MAX_RICH_TEXT for t in texts)
    assert "".join(texts).replace("\n", "") == long.replace("\n", "")  # split, nothing lost

    card = Card(
        kind="report",
        title=long,
        facts=tuple(Fact(f"Vak {i}", long) for i in range(12)),
        sections=(Section(title=long, text=long, facts=(Fact(f"Vak {long}", long),)),),
    )
    blocks = card_blocks(card)
    _check_nothing_is_markup(blocks)
    assert len(blocks[0]["text"]["text"]) <= 150
    for block in blocks[1:]:
        elements = rich([block])
        assert sum(len(e["text"]) for e in elements) <= MAX_RICH_TEXT
        lines = [0]
        for e in elements:
            if e == run("\n"):
                lines.append(0)
            else:
                lines[-1] += len(e["text"])
        facts = any(e.get("style") and e["text"].startswith("Vak ") for e in elements)
        assert max(lines) <= (MAX_LINE if facts else MAX_RICH_TEXT)
    assert _bold(blocks, "Vak 11")  # every fact is there, clipped
