"""A teacher's walk through Slack: DM → student message → light button → modal → submit →
the message updated to its answered state, the next student posted, the feedback stored."""

from __future__ import annotations

import json

from sqlalchemy import select

from storage.models import Feedback, Light, ProcessedEvent
from tests.integration.slack.conftest import Slack


def _text(call) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(call.params.get("blocks") or call.params.get("view"), ensure_ascii=False)


async def test_button_modal_submit_updates_the_message(slack: Slack) -> None:
    response = await slack.dm("UWIS", "feedback")
    assert response.status == 200
    await slack.fake.wait_for("chat.postMessage")
    message = slack.last_message("UWIS")
    assert "Anna Aalders" in _text(message)
    assert "Ik zie dat je je huiswerk vaak vergeet." in _text(message)  # history as context
    assert slack.fake.of("users.info")[0].params["user"] == "UWIS"

    response = await slack.click("UWIS", message, "Let op")
    assert response.status == 200
    opened = await slack.fake.wait_for("views.open")
    assert opened[0].params["trigger_id"].startswith("trig")
    view = (await slack.fake.wait_for("views.update"))[-1].params["view"]
    inputs = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert set(inputs) == {"remark", "action"}
    assert inputs["action"]["optional"] is False  # "Let op" needs an action (school rule)
    assert inputs["remark"]["optional"] is True

    missing = await slack.submit(
        "UWIS", view, {"remark": "Ik zie dat je hard werkt.", "action": " "}
    )
    assert missing.status == 200
    answer = await missing.json()
    assert answer["response_action"] == "errors" and set(answer["errors"]) == {"action"}
    with slack.sf() as s:
        assert (
            s.scalars(select(Feedback).where(Feedback.round_id == slack.school.ids["round"])).all()
            == []
        )

    done = await slack.submit(
        "UWIS", view, {"remark": "Ik zie dat je hard werkt.", "action": "Plan je toetsweek."}
    )
    assert done.status == 200 and await done.text() == ""
    update = (await slack.fake.wait_for("chat.update"))[0]
    assert update.params["ts"] == message.result["ts"]
    assert update.params["channel"] == "DUWIS"
    assert not [b for b in update.params["blocks"] if b["type"] in ("actions", "input")]
    assert "Let op" in _text(update) and "Plan je toetsweek." in _text(update)
    await slack.fake.wait_for("chat.postMessage", 2)
    assert "Bram Bakker" in _text(slack.last_message("UWIS"))
    with slack.sf() as s:
        fb = s.scalars(select(Feedback).where(Feedback.round_id == slack.school.ids["round"])).one()
        assert fb.light == Light.LET_OP
        assert fb.remark == "Ik zie dat je hard werkt." and fb.action == "Plan je toetsweek."
        assert s.scalars(select(ProcessedEvent)).all()


async def _open_modal(slack: Slack, light: str) -> dict:  # type: ignore[type-arg]
    await slack.dm("UWIS", "feedback")
    await slack.fake.wait_for("chat.postMessage")
    await slack.click("UWIS", slack.last_message("UWIS"), light)
    return (await slack.fake.wait_for("views.update"))[-1].params["view"]


def _entries(slack: Slack) -> list[Feedback]:
    with slack.sf() as s:
        rid = slack.school.ids["round"]
        return list(s.scalars(select(Feedback).where(Feedback.round_id == rid)))


async def test_a_submitted_value_that_is_not_text_is_named_in_the_modal(slack: Slack) -> None:
    view = await _open_modal(slack, "Let op")
    bad = await slack.submit("UWIS", view, {"remark": {"rich": "x"}, "action": "Plan."})  # type: ignore[dict-item]
    assert bad.status == 200
    answer = await bad.json()
    assert answer == {
        "response_action": "errors",
        "errors": {"remark": "Dit veld kon niet gelezen worden; typ het opnieuw."},
    }
    assert _entries(slack) == []  # nothing stored; the modal stays open with what was typed


async def test_a_lone_surrogate_in_a_submitted_text_is_stored_as_replacement(
    slack: Slack,
) -> None:
    view = await _open_modal(slack, "Let op")
    done = await slack.submit("UWIS", view, {"remark": "Goed \ud800 zo", "action": "Plan."})
    assert done.status == 200
    await slack.fake.wait_for("chat.postMessage", 2)  # the next student: the turn is done
    assert [(e.remark, e.action) for e in _entries(slack)] == [("Goed \ufffd zo", "Plan.")]
