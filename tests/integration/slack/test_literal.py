"""Through the whole Slack channel: what people typed (a remark, a mentor note, a round's name)
is stored exactly as typed and reaches Slack as literal text (a ``rich_text`` text element or
a ``plain_text`` object carrying exactly that string), never as ``mrkdwn``: on the prompt's
history, in the modal, in the answered message, in the mentor's report and on App Home."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from sqlalchemy import select, update

from bot.slack.app import SLACK_KEY
from bot.slack.rich import run
from storage.models import Feedback, MentorNote, Round
from tests.integration.slack.conftest import Slack, sample
from tests.unit.dialogs.test_mentor_student import close, give_feedback
from tests.unit.slack.test_render_literal import HOSTILE, LINE, plains, rich


def _no_markup(payload: Any) -> None:
    text = json.dumps(payload, ensure_ascii=False)
    assert '"mrkdwn"' not in text and '"emoji": true' not in text


async def _settle(slack: Slack) -> None:
    await asyncio.sleep(0.1)
    await slack.client.app[SLACK_KEY].turns.drain()


def _set(slack: Slack, statement: Any) -> None:
    with slack.sf.begin() as s:
        s.execute(statement)


async def test_history_modal_and_answered_message_show_typed_text_literally(slack: Slack) -> None:
    _set(slack, update(Round).where(Round.id == slack.school.ids["old"]).values(name=LINE))
    _set(slack, update(Feedback).values(remark=HOSTILE))  # the earlier round's remark
    await slack.dm("UWIS", "feedback")
    await slack.fake.wait_for("chat.postMessage")
    prompt = slack.last_message("UWIS")
    blocks = prompt.params["blocks"]
    _no_markup(blocks)
    history = rich(blocks, quote=True)  # the earlier round, quoted: its name in the title
    assert any(e.get("style") and e["text"].startswith(f"Eerder: {LINE} (") for e in history)
    assert run(HOSTILE) in rich(blocks, quote=True)

    await slack.click("UWIS", prompt, "Ga zo door")
    view = (await slack.fake.wait_for("views.update"))[-1].params["view"]
    _no_markup(view)
    assert run(HOSTILE) in rich(view["blocks"], quote=True)  # the modal shows the card too

    done = await slack.submit("UWIS", view, {"remark": HOSTILE, "action": ""})
    assert done.status == 200 and await done.text() == ""
    answered = (await slack.fake.wait_for("chat.update"))[0]
    _no_markup(answered.params["blocks"])
    [label] = [b["label"]["text"] for b in view["blocks"] if b.get("block_id") == "remark"]
    assert run(label, bold=True) in rich(answered.params["blocks"], quote=False)
    assert run(HOSTILE) in rich(answered.params["blocks"], quote=False)  # the typed echo
    await slack.fake.wait_for("chat.postMessage", 2)
    await _settle(slack)
    with slack.sf() as s:
        rid = slack.school.ids["round"]
        stored = s.scalars(select(Feedback.remark).where(Feedback.round_id == rid)).one()
    assert stored == HOSTILE  # as typed, no Slack escapes
    for call in slack.fake.of("chat.postMessage") + slack.fake.of("chat.update"):
        assert "<!channel>" not in call.params["text"]  # the notification text is escaped


async def test_the_mentors_report_and_note_show_typed_text_literally(slack: Slack) -> None:
    await asyncio.to_thread(give_feedback, slack.sf)
    _set(slack, update(Feedback).where(Feedback.remark != "").values(remark=HOSTILE))
    await asyncio.to_thread(close, slack.sf, slack.school)
    await slack.dm("UMEN", "mentor")
    await slack.fake.wait_for("chat.postMessage")
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.click("UMEN", slack.last_message("UMEN"), "Anna")
    await slack.fake.wait_for("chat.postMessage", posted + 1)
    await _settle(slack)
    report = slack.last_message("UMEN")
    _no_markup(report.params["blocks"])
    assert run(HOSTILE) in rich(report.params["blocks"])

    posted = len(slack.fake.of("chat.postMessage"))
    await slack.click("UMEN", report, "action:m_note")  # the note's prompt
    await slack.fake.wait_for("chat.postMessage", posted + 1)
    await _settle(slack)
    updates = len(slack.fake.of("chat.update"))
    await slack.click("UMEN", slack.last_message("UMEN"), "action:m_note")  # its modal
    view = (await slack.fake.wait_for("views.update"))[-1].params["view"]
    _no_markup(view)
    await slack.submit("UMEN", view, {"note": HOSTILE})
    answered = (await slack.fake.wait_for("chat.update", updates + 1))[updates]
    assert run(HOSTILE) in rich(answered.params["blocks"])
    await _settle(slack)
    with slack.sf() as s:
        assert s.scalars(select(MentorNote.text)).one() == HOSTILE


async def test_app_home_shows_a_round_name_literally(slack: Slack) -> None:
    _set(slack, update(Round).where(Round.id == slack.school.ids["round"]).values(name=LINE))
    await slack.event(sample("event_app_home_opened.json"))
    view = (await slack.fake.wait_for("views.publish"))[0].params["view"]
    _no_markup(view)
    assert run(LINE, bold=True) in rich(view["blocks"])
    assert run("Open besprekingen", bold=True) in rich(view["blocks"])
    assert "Stoplicht" in plains(view["blocks"])
