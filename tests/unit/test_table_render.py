"""The channel-neutral ``Table`` (the mentor's class picture) on every channel: an Adaptive
Card ``Table``, a Block Kit ``table`` block (lines where a grid cannot go) and a terminal grid;
the same marks, the legend under it, typed text shown as typed."""

from __future__ import annotations

from bot.slack import render as slack
from bot.teams import render as teams
from bot.terminal import render as terminal
from dialogs.types import Card, Cell, CellMark, Reply, Table

HOSTILE = "*Anna* <b>x</b> `c` \x1b[31m"
TABLE = Table(
    columns=("Leerling", "Wis", "Eng", "Stand"),
    rows=(
        (
            Cell(text=HOSTILE, worse=True),
            Cell(light=4, worse=True),
            Cell(mark=CellMark.PENDING),
            Cell(text="gelezen"),
        ),
        (Cell(text="Bram (3A)"), Cell(light=2), Cell(mark=CellMark.ABSENT), Cell(text="gedeeld")),
    ),
    legend=((Cell(mark=CellMark.PENDING), "nog geen licht"), (Cell(worse=True), "slechter")),
)
CARD = Card(kind="overview", title="Mijn mentorleerlingen", table=TABLE)


def test_teams_draws_an_adaptive_card_table_with_a_header_row_and_the_legend() -> None:
    body = teams.render_card(CARD)["body"]
    [table] = [b for b in body if b["type"] == "Table"]
    rows = [[c["items"][0]["inlines"][0]["text"] for c in r["cells"]] for r in table["rows"]]
    assert rows[0] == ["Leerling", "Wis", "Eng", "Stand"]
    assert rows[1] == [f"{HOSTILE} ↓", "❗↓", "⋯", "gelezen"]  # literal TextRuns, no markdown
    assert rows[2] == ["Bram (3A)", "🟢", "—", "gedeeld"]
    assert [c["width"] for c in table["columns"]] == [3, 1, 1, 2]  # marks narrow
    legend = body[body.index(table) + 1]["inlines"][0]["text"]
    assert legend == "⋯ nog geen licht · ↓ slechter"


def test_slack_draws_a_table_block_in_a_message() -> None:
    [message] = slack.reply_messages(Reply(card=CARD))
    [table] = [b for b in message.blocks if b["type"] == "table"]
    assert [[c["type"] for c in r] for r in table["rows"]] == [["raw_text"] * 4] * 3
    assert [c["text"] for c in table["rows"][1]] == [f"{HOSTILE} ↓", "❗↓", "⋯", "gelezen"]
    assert table["column_settings"][1] == {"align": "center"}
    assert sum(b["type"] == "table" for b in message.blocks) == 1  # Slack allows one


def test_slack_shows_lines_where_a_grid_cannot_go() -> None:
    wide = Table(columns=tuple(f"c{i}" for i in range(21)), rows=((Cell(text="Anna"),) * 21,))
    blocks = slack.card_blocks(Card(kind="overview", title="x", table=wide))
    assert not any(b["type"] == "table" for b in blocks)
    assert "Anna" in str(blocks) and "c20 Anna" in str(blocks)
    tall = Table(
        columns=("a", "b"), rows=tuple((Cell(text=str(i)), Cell(light=1)) for i in range(100))
    )
    assert not any(
        b["type"] == "table" for b in slack.card_blocks(Card(kind="o", title="x", table=tall))
    )
    home = slack.home_view([Reply(card=CARD)], "nl")  # the App Home: no table block
    assert not any(b["type"] == "table" for b in home["blocks"]) and "Bram (3A)" in str(home)


def test_the_terminal_prints_an_aligned_grid_with_its_legend() -> None:
    out = terminal.render_card(CARD).splitlines()
    header, rule, first, second, legend = out[1:6]
    assert header.split(" | ")[0].strip() == "Leerling"
    assert len({line.index("|") for line in (header, first, second)}) == 1  # aligned
    assert "\\x1b" in first and "\x1b" not in "\n".join(out)  # control characters shown, not run
    assert "[!]v" in first and "..." in first and " - " in second and "[G]" in second
    assert set(rule.strip()) <= {"-", "+"}
    assert legend.strip() == "... nog geen licht · v slechter"
