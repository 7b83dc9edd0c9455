"""The engine on both backends: JSON state, versions and a save, on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import ChannelAccount, DialogState, Feedback
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import build


def test_walk_state_and_save_on_both_backends(session_factory) -> None:
    school = build(session_factory)
    teams = Chat(session_factory, "t.wis@school.example", user_id="aad-1")
    teams.say("feedback")
    first = teams.card
    teams.light(2, "Ik zie dat je goed meedoet. 'quotes' \"en\" é ✓")
    teams.press("t_skip", card=first)  # outdated card
    assert "verouderd" in teams.text
    # the same person on another channel resumes exactly there
    term = Chat(session_factory, "t.wis@school.example", channel="terminal", tenant="local")
    term.say("waar was ik")
    assert term.card.title == "Bram Bakker"
    with session_factory() as s:
        fb = s.scalars(select(Feedback).where(Feedback.round_id == school.ids["round"])).one()
        assert fb.remark == "Ik zie dat je goed meedoet. 'quotes' \"en\" é ✓"
        ds = s.scalars(select(DialogState)).one()
        assert ds.state["teacher"]["pos"] == 1 and ds.version == term.card.version


def test_unknown_person_in_english(sf) -> None:
    build(sf)
    c = Chat(sf, "who@else.example", locale="en-US")
    c.say("hello")
    assert "I do not know you yet" in c.text


def test_nul_in_texts_and_ids_is_stored_as_a_replacement_character(session_factory) -> None:
    """U+0000 (which PostgreSQL refuses in any text) in typed text and in the channel's ids:
    the turn goes through on both backends and nothing typed is lost."""
    school = build(session_factory)
    teams = Chat(session_factory, "t.wis@school.example", user_id="aad\x00-1", tenant="tenant-1")
    teams.say("feed\x00back")  # a command with a NUL: understood or hinted, never an apology
    teams.say("feedback")
    teams.light(3, "Let\x00 op je huiswerk", "Maak\x00 elke dag je sommen")
    assert "er ging iets mis" not in teams.text.lower()
    with session_factory() as s:
        fb = s.scalars(select(Feedback).where(Feedback.round_id == school.ids["round"])).one()
        assert (fb.remark, fb.action) == (
            "Let\ufffd op je huiswerk",
            "Maak\ufffd elke dag je sommen",
        )
        account = s.scalars(select(ChannelAccount)).one()
        assert account.external_id == "aad\ufffd-1"
