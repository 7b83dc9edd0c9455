"""Leaving a plan step ("stop", "previous") keeps what was typed in its field: the answer is
saved as a draft first. On Teams the field goes along, on Slack the stop stays one tap (no
modal), in the terminal the stop asks nothing. Bad input changes nothing."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from bot.slack.render import card_blocks
from bot.slack.translate import decode_value
from bot.teams.render import render_card
from bot.terminal.session import TerminalSession
from dialogs.engine import DialogEngine
from dialogs.types import Card, UserRef
from storage.models import ActionPlan, DialogState, Person
from tests.unit.dialogs.chat import Chat
from tests.unit.dialogs.school import NOW, SmallSchool, build
from tests.unit.dialogs.test_mentor_student import ANNA, shared

STOPPED = {"nl": "Gestopt. Alles is bewaard", "en": "Stopped. Everything is kept"}
SAVED = {"nl": "Bewaard.", "en": "Saved."}
STEP = {"nl": "stap {n} van", "en": "step {n} of"}


def _answers(sf) -> dict:
    with sf() as s:
        plan = s.scalars(select(ActionPlan)).one_or_none()
        return dict(plan.answers) if plan is not None else {}


def _version(sf) -> int:
    with sf() as s:
        anna = s.scalars(select(Person).where(Person.email == ANNA)).one()
        return s.get(DialogState, anna.id).version


def _at_step(sf, school: SmallSchool, lang: str = "nl") -> Chat:
    """Anna at step 1 of her plan (what goes well)."""
    shared(sf, school)
    s = Chat(sf, ANNA, locale="en-US" if lang == "en" else None)
    s.say("plan")
    s.press("s_plan")
    assert STEP[lang].format(n=1) in s.text.lower()
    return s


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_stop_saves_what_was_typed_then_stops(sf, school: SmallSchool, lang: str) -> None:
    s = _at_step(sf, school, lang)
    step = s.card
    stop = s.find("s_stop")
    assert stop.submits_fields and stop.fields_optional
    replies = s.press("s_stop", {"answer": "Ik doe goed mee in de les."})
    assert _answers(sf) == {"went_well": "Ik doe goed mee in de les."}
    done = replies[0]
    assert done.replace and done.card is not None and done.card.answered
    assert done.card.note == SAVED[lang] and done.card.title == step.title
    assert "Ik doe goed mee in de les." in [f.value for f in done.card.facts]
    assert STOPPED[lang] in replies[-1].text
    s.say("plan")  # after a stop one word is a command again, not the answer
    assert _answers(sf) == {"went_well": "Ik doe goed mee in de les."}
    assert s.card.kind == "plan_step" and STEP[lang].format(n=1) in s.text.lower()
    assert s.card.fields[0].value == "Ik doe goed mee in de les."


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_previous_saves_what_was_typed_then_goes_back(sf, school: SmallSchool, lang: str) -> None:
    s = _at_step(sf, school, lang)
    s.say("Ik doe goed mee in de les.")
    assert STEP[lang].format(n=2) in s.text.lower()
    prev = s.find("s_prev")
    assert prev.submits_fields and prev.fields_optional
    replies = s.press("s_prev", {"answer": "Ik ga naar de bijles."})
    assert _answers(sf)["subjects"] == {"wiskunde": "Ik ga naar de bijles."}
    assert replies[0].replace and replies[0].card.answered
    assert replies[0].card.note == SAVED[lang]
    assert STEP[lang].format(n=1) in s.text.lower()
    s.say("Ik doe goed mee in de les.")  # on to step 2 again: the draft is there
    assert s.card.fields[0].value == "Ik ga naar de bijles."


def test_an_empty_or_unchanged_field_saves_nothing_and_wipes_nothing(
    sf, school: SmallSchool
) -> None:
    s = _at_step(sf, school)
    s.say("Ik doe goed mee in de les.")
    s.press("s_prev", {"answer": "   "})  # emptied field: the saved answer stays
    assert _answers(sf) == {"went_well": "Ik doe goed mee in de les."}
    replies = s.press("s_stop", {"answer": "Ik doe goed mee in de les."})  # as saved
    assert [r.text for r in replies] == [replies[0].text] and "Gestopt" in replies[0].text
    assert not any(r.replace for r in replies)  # nothing done: the card is not answered
    s.say("waar was ik")
    s.press("s_stop")  # Slack and the terminal send no field: a plain stop
    assert "Gestopt" in s.text
    assert _answers(sf) == {"went_well": "Ik doe goed mee in de les."}


def test_a_text_too_long_is_kept_for_later_and_named(sf) -> None:
    school = build(sf, settings={"max_text_length": 15})
    s = _at_step(sf, school)
    long = "Ik doe heel goed mee."
    s.press("s_stop", {"answer": long})
    assert "nog niet bewaard" in s.text and "te lang (21 tekens)" in s.text
    assert _answers(sf) == {}
    s.say("plan")  # resumes with the text to shorten
    assert s.card.fields[0].value == long
    s.say("Goed mee.")
    s.press("s_prev", {"answer": long})  # "previous": the same step again, in place
    assert s.replies[0].replace and "te lang (21 tekens)" in s.card.note
    assert "stap 2 van" in s.text and s.card.fields[0].value == long
    assert _answers(sf) == {"went_well": "Goed mee."}


def test_an_outdated_or_forged_stop_changes_nothing(sf, school: SmallSchool) -> None:
    s = _at_step(sf, school)
    old = s.card
    s.say("Ik doe goed mee in de les.")
    s.press("s_stop", {"answer": "Oude tekst"}, card=old)  # a card of an earlier version
    assert "verouderd" in s.text
    assert _answers(sf) == {"went_well": "Ik doe goed mee in de les."}
    s.act("s_feedback", version=_version(sf))
    s.act("s_stop", values={"answer": "Vervalst"}, version=_version(sf))  # no step open
    assert "Gestopt" in s.text
    s.act("s_stop", values={"answer": ["geen", "tekst"]}, version=_version(sf))  # type: ignore[dict-item]
    assert _answers(sf) == {"went_well": "Ik doe goed mee in de les."}


def test_after_the_agreements_a_stop_saves_nothing(sf, school: SmallSchool) -> None:
    m = shared(sf, school)
    s = Chat(sf, ANNA)
    s.say("plan")
    s.press("s_plan")
    s.say("Ik doe goed mee in de les.")
    step = s.card
    m.say("mentor")
    m.press("m_agree")
    m.say("Anna gaat naar de bijles.")
    s.press("s_stop", {"answer": "Ik ga naar de bijles."}, card=step)
    assert "afspraken vastgelegd" in s.text
    assert _answers(sf) == {"went_well": "Ik doe goed mee in de les."}


# -- the channels -----------------------------------------------------------------------------


def _step_card(sf, school: SmallSchool) -> Card:
    s = _at_step(sf, school)
    s.say("Ik doe goed mee in de les.")  # step 2: next, previous and stop
    return s.card


def test_teams_sends_the_field_with_stop_and_previous_and_never_blocks_them(
    sf, school: SmallSchool
) -> None:
    content = render_card(_step_card(sf, school))
    actions = {
        a["data"]["stoplicht"]["action"]: a
        for block in content["body"]
        if block["type"] == "ActionSet"
        for a in block["actions"]
    }
    assert {k: a["associatedInputs"] for k, a in actions.items()} == {
        "s_answer": "auto",
        "s_prev": "auto",
        "s_stop": "auto",
    }
    field = next(b for b in content["body"] if b["type"] == "Input.Text")
    assert "isRequired" not in field  # an empty field must not block "stop"


def test_slack_stop_and_previous_are_one_tap(sf, school: SmallSchool) -> None:
    blocks = card_blocks(_step_card(sf, school))
    buttons = [e for b in blocks if b["type"] == "actions" for e in b["elements"]]
    modal = {decode_value(b["value"]).action: decode_value(b["value"]).opens_modal for b in buttons}
    assert modal == {"s_answer": True, "s_prev": False, "s_stop": False}


def test_the_terminal_stop_asks_nothing_and_takes_an_inline_answer(sf, school: SmallSchool) -> None:
    shared(sf, school)
    user = UserRef(channel="terminal", tenant="local", user_id=ANNA, email=ANNA)
    engine = DialogEngine(session_factory=sf, clock=lambda: NOW)
    lines = [
        "plan",
        "Plan van aanpak maken",
        "Ik doe goed mee.",
        "3",  # stop on step 2: asks nothing
        "waar was ik",
        "3 | Ik ga naar de bijles.",  # stop with the answer inline: saved
        "waar was ik",
        "",  # Enter: "next" with the answer shown
        "2",  # previous: asks nothing
    ]
    out = io.StringIO()
    TerminalSession(
        handler=engine, user=user, stdin=io.StringIO("\n".join(lines) + "\n"), stdout=out
    ).run()
    text = out.getvalue()
    assert "3) Stop (later verder)" in text and text.count("Gestopt.") == 2
    assert _answers(sf) == {
        "went_well": "Ik doe goed mee.",
        "subjects": {"wiskunde": "Ik ga naar de bijles."},
    }
    assert "Jouw antwoord:" not in text and "Jouw antwoord [" not in text  # nothing asked
    assert "stap 3 van 5" in text  # Enter still answers with the answer shown
    assert text.rstrip().split("== ")[-1].startswith("Plan van aanpak, stap 2 van 5")
