"""The plain values that cross the channel boundary.

A channel adapter (``bot/<channel>/translate``) turns a platform payload into an ``Incoming``;
the dialogs answer with a list of ``Reply``; the channel's renderer turns each into an Adaptive
Card, Block Kit or terminal text. Nothing here knows about a platform.

How a card works on every channel: a ``Card`` shows text, facts and sections, has input
``fields`` and ``choices`` (buttons). Pressing a choice sends back
``Incoming(action=choice.action, args=choice.args, values={field id: typed value},
version=card.version)``. A choice with ``submits_fields=False`` sends no field values (e.g.
"back"). A choice with ``fields_optional=True`` sends the values the card's inputs hold where the
channel has them on the card (Teams, the terminal's inline form), but works without them: a
channel never blocks it on a required field nor asks for the fields first (Slack opens no modal
for it, the terminal asks no questions); e.g. "stop" on a plan step, which keeps what was typed.
The version lets the dialogs recognise an outdated card or a double click. A notification's
card has no version (``None``): it was made outside any dialog turn, so its buttons are entry
points (``start_feedback`` round_id, ``m_student``, ``s_plan``, ...) that work whenever they are
pressed, days later and after other turns; the dialog they land in checks that what they point
to still allows it, and resumes rather than restarts work in progress.

Answered cards and ``Reply.replace`` (the rule is made in ``dialogs.flow.settle``): a reply with
``replace=True`` is always the first reply of a turn that came from a card action, and says
"update the card the user acted on, in place, to this card". Two cases:

- ``card.answered`` is True: the answered state of the acted card (no fields, no choices, the
  ``note`` says what was done: "Bewaard: Anna, Let op", "Overgeslagen", "Gedeeld met Sanne").
  The next prompt follows as a new message (the next reply).
- ``card.answered`` is False: the acted card is replaced by this live card: the same card again
  with a reason in ``note`` and the typed values in its fields (a missing mandatory field, a
  text too long, an empty answer, a date not understood). Nothing else follows.

Navigation (back, review list, pick a group, open a question) replaces nothing: the next prompt
is a new message; the channel may mark the acted card as used its own way.

A channel that cannot update in place (or lost the message id) posts the card as a new message.
An outdated card or a double click never gets ``replace``: the current prompt is posted anew.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


@dataclass(frozen=True)
class UserRef:
    """Who sent a turn, as the platform knows them."""

    channel: str  # "teams", "slack", "terminal"
    tenant: str  # AAD tenant id, Slack team id, "local"
    user_id: str  # AAD object id, Slack user id, email for the terminal
    email: str | None = None  # email or UPN when the platform gave it
    name: str | None = None
    locale: str | None = None  # platform locale ("nl-NL", "en-US") as a language hint


@dataclass(frozen=True)
class ConversationRef:
    """Where to reach a user proactively; ``data`` is the channel's own reference (JSON)."""

    channel: str
    tenant: str
    user_id: str
    data: Mapping[str, Any] = field(default_factory=dict)


class IncomingKind(enum.StrEnum):
    MESSAGE = "message"  # typed text or a slash command
    ACTION = "action"  # a button/submit on a card
    INSTALLED = "installed"  # bot added / conversation started: welcome
    CLOSED = "closed"  # a modal/card was dismissed without submit


@dataclass(frozen=True)
class Incoming:
    user: UserRef
    kind: IncomingKind = IncomingKind.MESSAGE
    text: str | None = None
    action: str | None = None
    args: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    version: int | None = None
    conversation: ConversationRef | None = None
    # What makes this turn count once (``Receipt``), recorded in the turn's own transaction.
    receipt: Receipt | None = None


@dataclass(frozen=True)
class Receipt:
    """The platform's request or delivery a turn answers, recorded as answered in the same
    transaction as the turn, so it counts once even when it arrives or runs twice; a turn that
    fails and is rolled back leaves no record, and the next delivery runs it.

    ``kept``: a request kept before its turn (the Slack inbox, ``storage.conversation.inbox``):
    the turn marks it done, and another run of it gives no replies (the first answered).
    Otherwise a delivery seen first by its turn (a Teams activity id, ``turn_key``): the turn
    claims it (``storage.conversation.claims.claim_in``), and another run raises
    ``AlreadyAnswered`` from ``TurnHandler.handle``: the platform waits for an answer to it.
    """

    source: str
    key: str
    kept: bool = False


class AlreadyAnswered(Exception):
    """``TurnHandler.handle``: the turn's delivery (``Receipt``, not ``kept``) was answered by
    an earlier turn; nothing was done."""


class Style(enum.StrEnum):
    DEFAULT = "default"
    PRIMARY = "primary"
    DANGER = "danger"


# The longest button label every channel shows whole (Slack clips a button's text at 75
# characters); a card whose button says more keeps what it says in its text as well.
FULL_LABEL = 75


@dataclass(frozen=True)
class Choice:
    """A button. ``action`` + ``args`` come back in ``Incoming``; ``light`` marks a light;
    ``fields_optional``: the fields go along when at hand, never asked for (module docstring)."""

    label: str
    action: str
    args: Mapping[str, str] = field(default_factory=dict)
    style: Style = Style.DEFAULT
    submits_fields: bool = True
    fields_optional: bool = False
    light: int | None = None  # 1..4 when the choice sets a traffic light


class FieldKind(enum.StrEnum):
    TEXT = "text"
    MULTILINE = "multiline"
    DATETIME = "datetime"


@dataclass(frozen=True)
class InputField:
    """A text input. ``required_for_lights``: required when the chosen light is one of these
    (the school's rule); ``required``: always required."""

    id: str
    label: str
    kind: FieldKind = FieldKind.MULTILINE
    value: str = ""
    placeholder: str = ""
    required: bool = False
    required_for_lights: frozenset[int] = frozenset()
    max_length: int | None = None
    error_message: str = ""


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Section:
    """A block of a card: a heading, plain text and facts (e.g. one subject in a report)."""

    title: str = ""
    text: str = ""
    facts: tuple[Fact, ...] = ()
    light: int | None = None


class CellMark(enum.StrEnum):
    """What a table cell shows besides its text: a light (``Cell.light``), or one of the marks
    every channel draws its own clear way."""

    NONE = "none"
    PENDING = "pending"  # no light yet
    ABSENT = "absent"  # not in this subject


@dataclass(frozen=True)
class Cell:
    """One cell of a ``Table``: text, a light (1..4) or a mark; ``worse``: marked as worse than
    last time."""

    text: str = ""
    light: int | None = None
    mark: CellMark = CellMark.NONE
    worse: bool = False


@dataclass(frozen=True)
class Table:
    """A grid (the mentor's class picture): ``columns`` are the headers, each row has one cell
    per column, the first column names the row. ``legend`` explains the marks: a sample cell
    and what it means, shown under the grid. A channel that cannot draw a grid (too many
    columns or rows for it) shows each row as a line of "header: cell" pairs."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    legend: tuple[tuple[Cell, str], ...] = ()


@dataclass(frozen=True)
class Card:
    """``kind`` names the prompt ("student", "digest", "report", ...) for renderer layout
    hints; a renderer must show any card correctly without knowing its kind."""

    kind: str
    title: str
    text: str = ""
    facts: tuple[Fact, ...] = ()
    sections: tuple[Section, ...] = ()
    fields: tuple[InputField, ...] = ()
    choices: tuple[Choice, ...] = ()
    # The dialog state version of the turn that made the card (``dialogs.engine`` stamps it).
    # None: a notification's card, made outside any turn; its buttons are entry points that
    # are taken whenever pressed (the dialog checks what they point to still allows it).
    version: int | None = 0
    note: str = ""  # a short line above the card ("Saved", "This card was outdated")
    light: int | None = None  # the light saved, if any (shown with the title)
    # A light chosen but not saved (a save refused): a channel may preselect it where it can,
    # never shows it as saved, and never blocks choosing another light on the fields it needs.
    chosen_light: int | None = None
    answered: bool = False  # the answered state of an acted card: read-only, ``note`` = outcome
    table: Table | None = None  # shown after the facts, before the sections


@dataclass(frozen=True)
class File:
    """A document for the user (the printable report): the channel delivers ``content`` as a
    file named ``name`` (Teams after the user's consent, Slack as an upload to the DM, the
    terminal as a file on disk). ``action``/``args`` make the same file again: Teams asks
    for consent first and fetches the bytes anew when the user accepts, through the rules.
    ``failed``: what to tell the user when the channel could not deliver it."""

    name: str
    content: bytes
    description: str
    failed: str = ""
    media_type: str = "application/pdf"
    action: str = ""
    args: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    """One thing to show. ``replace``: update the card the user acted on in place (to its answered
    state, or to the card shown again / the next prompt) instead of posting a new message; a
    channel that cannot, posts it. Only ever set on the first reply of a card action's turn.
    ``file``: a document to hand over (``text`` then says what it is)."""

    text: str = ""
    card: Card | None = None
    replace: bool = False
    file: File | None = None


class TurnHandler(Protocol):
    """What a channel needs from the dialogs: one turn in, replies out (one transaction).

    Implemented by ``dialogs.engine.DialogEngine``. Synchronous: channels call it through
    ``asyncio.to_thread`` so the event loop never waits on the database. Raises
    ``AlreadyAnswered`` for a repeated delivery (``Incoming.receipt``), nothing else.
    """

    def handle(self, incoming: Incoming) -> list[Reply]: ...
