"""A test conversation: feeds ``Incoming`` values to the engine the way a channel would."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from dialogs.engine import DialogEngine
from dialogs.types import Card, Cell, CellMark, Choice, Incoming, IncomingKind, Reply, UserRef
from storage.models import DialogState, Light, Person


class Chat:
    def __init__(
        self,
        sf: sessionmaker[Session],
        email: str | None,
        *,
        channel: str = "teams",
        tenant: str = "tenant-1",
        user_id: str | None = None,
        demo: bool = False,
        locale: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        from tests.unit.dialogs.school import NOW

        self.sf = sf
        self.engine = DialogEngine(session_factory=sf, clock=clock or (lambda: NOW), demo=demo)
        self.user = UserRef(
            channel=channel,
            tenant=tenant,
            user_id=user_id or (email or "x"),
            email=email,
            locale=locale,
        )
        self.replies: list[Reply] = []

    # -- sending ----------------------------------------------------------------------------

    def say(self, text: str) -> list[Reply]:
        self.replies = self.engine.handle(Incoming(user=self.user, text=text))
        return self.replies

    def act(
        self,
        action: str,
        args: dict[str, str] | None = None,
        values: dict[str, str] | None = None,
        version: int | None = None,
    ) -> list[Reply]:
        inc = Incoming(
            user=self.user,
            kind=IncomingKind.ACTION,
            action=action,
            args=args or {},
            values=values or {},
            version=version,
        )
        self.replies = self.engine.handle(inc)
        return self.replies

    def press(
        self,
        match: str | Callable[[Choice], bool],
        values: dict[str, str] | None = None,
        card: Card | None = None,
    ) -> list[Reply]:
        """Press a choice of the last card (by action id, label or predicate)."""
        card = card or self.card
        ch = self.find(match, card)
        return self.act(
            ch.action, dict(ch.args), values if ch.submits_fields else None, card.version
        )

    def light(self, n: int, remark: str = "", action: str = "") -> list[Reply]:
        return self.press(lambda c: c.light == n, {"remark": remark, "action": action})

    # -- reading ----------------------------------------------------------------------------

    @property
    def card(self) -> Card:
        cards = [r.card for r in self.replies if r.card is not None]
        assert cards, f"no card in {self.text}"
        return cards[-1]

    @property
    def text(self) -> str:
        parts: list[str] = []
        for r in self.replies:
            parts.append(r.text)
            if r.card:
                c = r.card
                parts += [c.note, c.title, c.text]
                parts += [f"{f.label}: {f.value}" for f in c.facts]
                if c.table is not None:  # a row a line: "name | cell | ..." (marks by name)
                    parts += [" | ".join(c.table.columns)]
                    parts += [" | ".join(_cell(x) for x in row) for row in c.table.rows]
                for sec in c.sections:
                    parts += [sec.title, sec.text] + [f"{f.label}: {f.value}" for f in sec.facts]
                parts += [ch.label for ch in c.choices]
        return "\n".join(p for p in parts if p)

    def find(self, match: str | Callable[[Choice], bool], card: Card | None = None) -> Choice:
        card = card or self.card
        for ch in card.choices:
            if callable(match) and match(ch):
                return ch
            if isinstance(match, str) and match in (ch.action, ch.label):
                return ch
        raise AssertionError(f"no choice {match!r} in {[c.label for c in card.choices]}")

    def state(self) -> tuple[dict[str, Any], int]:
        with self.sf() as s:
            person = s.query(Person).filter(Person.email == self.user.email).one()
            ds = s.get(DialogState, person.id)
            return (dict(ds.state), ds.version) if ds else ({}, 0)


def _cell(cell: Cell) -> str:
    """A table cell as a test reads it: its text, else its light's name or its mark's."""
    if cell.light:
        out = Light(cell.light).key
    elif cell.mark is not CellMark.NONE:
        out = cell.mark.value
    else:
        out = cell.text
    return f"{out} (worse)" if cell.worse else out
