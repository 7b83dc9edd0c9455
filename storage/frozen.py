"""Hot statements compiled once per database dialect, so a turn does not pay to look them up.

SQLAlchemy caches every compiled statement, but finds it again by hashing the statement's
cache key: a tuple as large as the statement. For the statements every teacher save runs (the
account lookup, ``storage.people.identity``; the save's read and its insert,
``storage.feedback.save``; the audit row, ``storage.audit``; the state update,
``storage.conversation.state``) that lookup cost about as much as SQLite takes to run them: the
save's insert alone, a tenth of the turn. ``Frozen`` compiles such a statement once per dialect
into a textual statement with the same SQL, the same bound parameters (with their types) and
the same typed result columns, and runs that: same rows, same events (statement counters still
count it), a fraction of the overhead. ``tests/unit/test_frozen.py`` holds it to that.

Only for statements whose SQL does not depend on the values bound (no ``IN`` lists that
expand, no literal rendering): the statement is compiled without them. A statement that differs
per dialect (an upsert) is given as a function of the dialect's name.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, column, text
from sqlalchemy.engine.interfaces import BindTyping
from sqlalchemy.sql.elements import TextClause


class Frozen:
    """A SELECT built once at import; ``execute`` runs its per-dialect textual form."""

    def __init__(self, statement: Any) -> None:
        self.statement = statement  # or a function of the dialect's name giving it
        self._by_dialect: dict[str, Any] = {}

    def execute(self, conn: Connection, params: dict[str, Any] | list[dict[str, Any]]) -> Any:
        """Run it with ``params`` (a list: ``executemany``)."""
        stmt = self._by_dialect.get(conn.dialect.name)
        if stmt is None:
            stmt = self._by_dialect[conn.dialect.name] = self._textual(conn)
        return conn.execute(stmt, params)

    def _textual(self, conn: Connection) -> TextClause:
        # The same dialect, with named parameters: the textual form binds them by name. Casts
        # of parameters (psycopg's ``%(x)s::INTEGER``) come back when the text is run, from the
        # parameters' types: written here they would hide the names from ``text``.
        dialect: Any = type(conn.dialect)(paramstyle="named")  # type: ignore[call-arg]
        dialect.bind_typing = BindTyping.NONE
        stmt = self.statement(dialect.name) if callable(self.statement) else self.statement
        compiled: Any = stmt.compile(dialect=dialect)
        binds = [
            bindparam(name, type_=b.type) if b.required else bindparam(name, b.value, type_=b.type)
            for b, name in compiled.bind_names.items()
        ]
        columns = [column(name, type_) for _key, name, _objs, type_ in compiled._result_columns]
        textual = text(compiled.string).bindparams(*binds)
        return textual.columns(*columns) if columns else textual  # type: ignore[return-value]
