"""The modal of a card's input fields (remark, action, mentor note, ...), pure functions.

A button that submits fields opens a modal. Slack's ``trigger_id`` lives three seconds, so the
modal is opened at once with a loading view (no database work before ``views.open``); the
current card is then fetched and the modal updated with its fields. Everything the submit needs
travels in ``private_metadata`` (``ModalContext``): where the message is (to update it to its
answered state), the action, args and card version, and which fields the chosen light makes
mandatory (the school's rule as the card stated it), so validation can answer within the ack
with ``response_action: errors``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bot.slack.render import MAX_VIEW_BLOCKS, card_blocks
from bot.slack.rich import Block, clip, plain
from dialogs.texts import language, t
from dialogs.types import Card, FieldKind

CALLBACK_ID = "stl_modal"
MAX_TITLE = 24
MAX_METADATA = 3000
MAX_INPUT = 3000
MAX_PLACEHOLDER = 150


@dataclass(frozen=True)
class ModalContext:
    """What a modal submit needs, carried in the view's ``private_metadata``."""

    channel: str
    ts: str
    action: str
    args: Mapping[str, str] = field(default_factory=dict)
    version: int = 0
    label: str = ""
    light: int | None = None
    required: Mapping[str, str] = field(default_factory=dict)  # field id -> error text
    max_length: Mapping[str, int] = field(default_factory=dict)
    lang: str = "nl"  # the language the modal was shown in: its error texts follow it

    def to_metadata(self) -> str:
        data = {
            "c": self.channel,
            "ts": self.ts,
            "a": self.action,
            "g": dict(self.args),
            "v": self.version,
            "lb": self.label,
            "l": self.light,
            "r": dict(self.required),
            "x": dict(self.max_length),
            "ln": self.lang,
        }
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        if len(text) > MAX_METADATA:  # error texts are the only long part: fall back to generic
            data["r"] = {k: "" for k in self.required}
            text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return text

    @classmethod
    def from_metadata(cls, text: str) -> ModalContext:
        """Raises ``ValueError`` on anything that is not a context this module wrote."""
        try:
            data = json.loads(text)
            return cls(
                channel=str(data["c"]),
                ts=str(data["ts"]),
                action=str(data["a"]),
                args={str(k): str(v) for k, v in dict(data.get("g") or {}).items()},
                version=int(data.get("v") or 0),
                label=str(data.get("lb") or ""),
                light=int(data["l"]) if data.get("l") is not None else None,
                required={str(k): str(v) for k, v in dict(data.get("r") or {}).items()},
                max_length={str(k): int(v) for k, v in dict(data.get("x") or {}).items()},
                lang=language(str(data.get("ln") or "nl")),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError("not a Stoplicht modal context") from exc


def title(text: str) -> Block:
    return plain(clip(text, MAX_TITLE))


def loading_view(label: str, lang: str) -> Block:
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "title": title(label),
        "close": title(t(lang, "slack.cancel")),
        "blocks": [{"type": "section", "text": plain(t(lang, "slack.loading"))}],
    }


def notice_view(label: str, text: str, lang: str) -> Block:
    return {
        "type": "modal",
        "title": title(label),
        "close": title(t(lang, "slack.cancel")),
        "blocks": [{"type": "section", "text": plain(clip(text, 3000))}],
    }


def field_view(card: Card, ctx: ModalContext, lang: str) -> Block:
    """The card (without its buttons) and an input per field; a field is marked required when
    it is always required or required for the chosen light."""
    required: dict[str, str] = {}
    max_length: dict[str, int] = {}
    inputs: list[Block] = []
    for f in card.fields:
        needed = f.required or (ctx.light is not None and ctx.light in f.required_for_lights)
        if needed:
            required[f.id] = f.error_message
        limit = min(f.max_length or MAX_INPUT, MAX_INPUT)
        max_length[f.id] = limit
        element: Block = {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": f.kind is FieldKind.MULTILINE,
            "max_length": limit,
        }
        if f.value:
            element["initial_value"] = f.value[:limit]
        if f.placeholder:
            element["placeholder"] = plain(clip(f.placeholder, MAX_PLACEHOLDER))
        inputs.append(
            {
                "type": "input",
                "block_id": f.id,
                "optional": not needed,
                "label": plain(clip(f.label, 2000)),
                "element": element,
            }
        )
    full = ModalContext(
        channel=ctx.channel,
        ts=ctx.ts,
        action=ctx.action,
        args=ctx.args,
        version=ctx.version,
        label=ctx.label,
        light=ctx.light,
        required=required,
        max_length=max_length,
        lang=lang,
    )
    shown = card_blocks(card, interactive=False)[: MAX_VIEW_BLOCKS - len(inputs)]
    return {
        "type": "modal",
        "callback_id": CALLBACK_ID,
        "notify_on_close": True,
        "title": title(ctx.label),
        "submit": title(t(lang, "slack.save")),
        "close": title(t(lang, "slack.cancel")),
        "private_metadata": full.to_metadata(),
        "blocks": shown + inputs,
    }


def field_errors(
    values: Mapping[str, str], ctx: ModalContext, unreadable: Iterable[str] = ()
) -> dict[str, str]:
    """``{block id: message}`` for missing mandatory fields, over-long texts and values that
    were not text (``unreadable``), in the modal's language; empty when all is fine."""
    lang = ctx.lang
    errors: dict[str, str] = {}
    for fid, message in ctx.required.items():
        if not (values.get(fid) or "").strip():
            errors[fid] = message or t(lang, "slack.field_required")
    for fid, limit in ctx.max_length.items():
        if len(values.get(fid) or "") > limit:
            errors[fid] = t(lang, "slack.field_too_long", max=limit)
    for fid in unreadable:
        errors[fid] = t(lang, "slack.field_unreadable")
    return errors


def as_json(view: Mapping[str, Any]) -> str:
    return json.dumps(view, separators=(",", ":"), ensure_ascii=False)
