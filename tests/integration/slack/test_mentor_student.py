"""The mentor shares the feedback and the student writes the action plan, through Slack."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from bot.slack.app import SLACK_KEY
from storage.models import ActionPlan, MentorNote, Notification, PlanState, Share
from tests.integration.slack.conftest import Slack
from tests.support.pdf_check import pdf_text
from tests.unit.dialogs.test_mentor_student import close, give_feedback, shared


def _text(call) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(call.params.get("blocks"), ensure_ascii=False)


async def _press(slack: Slack, user: str, label: str) -> None:
    """Press a button of the user's last message and wait until the turn is done."""
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.click(user, slack.last_message(user), label)
    await slack.fake.wait_for("chat.postMessage", posted + 1)
    await slack.client.app[SLACK_KEY].turns.drain()


async def _fill(slack: Slack, user: str, action: str, values: dict[str, str]) -> None:
    """A button that opens the fields modal, then its submit."""
    views = len(slack.fake.of("views.update"))
    await slack.click(user, slack.last_message(user), f"action:{action}")
    view = (await slack.fake.wait_for("views.update", views + 1))[-1].params["view"]
    assert [b for b in view["blocks"] if b["type"] == "input"], view
    posted = len(slack.fake.of("chat.postMessage"))
    response = await slack.submit(user, view, values)
    assert response.status == 200 and await response.text() == ""
    await slack.fake.wait_for("chat.postMessage", posted + 1)
    await slack.client.app[SLACK_KEY].turns.drain()


async def test_mentor_writes_a_note_and_shares(slack: Slack) -> None:
    await asyncio.to_thread(give_feedback, slack.sf)
    await asyncio.to_thread(close, slack.sf, slack.school)
    await slack.dm("UMEN", "mentor")
    await slack.fake.wait_for("chat.postMessage")
    assert "Anna" in _text(slack.last_message("UMEN"))
    await _press(slack, "UMEN", "Anna")
    report = slack.last_message("UMEN")
    assert "Ik maak me zorgen over je toetsen." in _text(report)
    await _press(slack, "UMEN", "action:m_note")
    await _fill(slack, "UMEN", "m_note", {"note": "Goed gedaan, Anna!"})
    with slack.sf() as s:
        assert s.scalars(select(MentorNote.text)).one() == "Goed gedaan, Anna!"
    await _press(slack, "UMEN", "action:m_share")
    await _press(slack, "UMEN", "action:m_share_yes")
    assert "Gedeeld" in _text(slack.last_message("UMEN")) or any(
        "Gedeeld" in _text(c) for c in slack.fake.of("chat.postMessage")[-2:]
    )
    with slack.sf() as s:
        assert len(s.scalars(select(Share)).all()) == 1
        assert s.scalars(select(Notification).where(Notification.kind == "feedback_shared")).one()
    updates = slack.fake.of("chat.update")
    assert updates and all(
        not [b for b in u.params["blocks"] if b["type"] == "actions"] for u in updates
    )


async def test_student_writes_and_submits_the_plan(slack: Slack) -> None:
    await asyncio.to_thread(shared, slack.sf, slack.school)
    await slack.dm("US0", "plan")
    await slack.fake.wait_for("chat.postMessage")
    assert "Ik maak me zorgen over je toetsen." in " ".join(
        _text(c) for c in slack.fake.of("chat.postMessage")
    )
    await _press(slack, "US0", "action:s_plan")
    answers = [
        "Ik doe goed mee in de les.",
        "Ik ga naar de bijles.",
        "Ik leer elke dag woordjes.",
        "Hulp van mijn mentor met plannen.",
        "",
    ]
    for answer in answers:
        await _fill(slack, "US0", "s_answer", {"answer": answer})
    await _press(slack, "US0", "action:s_submit")
    with slack.sf() as s:
        plan = s.scalars(select(ActionPlan)).one()
        assert plan.state == PlanState.SUBMITTED
        assert plan.answers["subjects"] == {
            "wiskunde": "Ik ga naar de bijles.",
            "engels": "Ik leer elke dag woordjes.",
        }


async def test_stop_on_a_plan_step_is_one_tap(slack: Slack) -> None:
    """On Teams "stop" sends the field along; on Slack it opens no modal and just stops."""
    await asyncio.to_thread(shared, slack.sf, slack.school)
    await slack.dm("US0", "plan")
    await slack.fake.wait_for("chat.postMessage")
    await _press(slack, "US0", "action:s_plan")
    await _fill(slack, "US0", "s_answer", {"answer": "Ik doe goed mee in de les."})
    opened = len(slack.fake.of("views.open"))
    await _press(slack, "US0", "action:s_stop")
    assert len(slack.fake.of("views.open")) == opened  # no modal
    assert "Gestopt." in _text(slack.last_message("US0"))
    with slack.sf() as s:
        assert s.scalars(select(ActionPlan)).one().answers == {
            "went_well": "Ik doe goed mee in de les."
        }
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.dm("US0", "waar was ik")
    await slack.fake.wait_for("chat.postMessage", posted + 1)
    await slack.client.app[SLACK_KEY].turns.drain()
    assert "stap 2 van 5" in _text(slack.last_message("US0"))


async def test_mentor_gets_the_report_pdf_in_the_dm(slack: Slack) -> None:
    await asyncio.to_thread(shared, slack.sf, slack.school)
    await slack.dm("UMEN", "mentor")
    await slack.fake.wait_for("chat.postMessage")
    assert "Anna Aalders" in _text(slack.last_message("UMEN"))  # resumes at her report
    await slack.click("UMEN", slack.last_message("UMEN"), "action:report_pdf")
    done = await slack.fake.wait_for("files.completeUploadExternal")
    await slack.client.app[SLACK_KEY].turns.drain()
    asked = slack.fake.of("files.getUploadURLExternal")[-1].params
    assert asked["filename"] == "verslag-anna-aalders-periode-2.pdf"
    assert done[-1].params["channel_id"] == "DUMEN"
    assert "het driehoeksgesprek" in done[-1].params["initial_comment"]
    (content,) = slack.fake.uploads.values()
    assert int(asked["length"]) == len(content)
    text = pdf_text(content)
    assert "Anna Aalders" in text and "Ik maak me zorgen over je toetsen." in text


async def test_a_failed_upload_is_said_in_the_dm(slack: Slack) -> None:
    await asyncio.to_thread(shared, slack.sf, slack.school)
    slack.fake.fail["upload"] = [(500, {"error": "boom"}, {})]
    await slack.dm("UMEN", "mentor")
    await slack.fake.wait_for("chat.postMessage")
    assert "Anna Aalders" in _text(slack.last_message("UMEN"))  # resumes at her report
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.click("UMEN", slack.last_message("UMEN"), "action:report_pdf")
    await slack.fake.wait_for("chat.postMessage", posted + 2)
    await slack.client.app[SLACK_KEY].turns.drain()
    assert not slack.fake.of("files.completeUploadExternal")
    last = slack.fake.of("chat.postMessage")[-1].params["text"]
    assert last == "Het verslag kon niet worden verstuurd. Probeer het zo nog eens."


async def test_student_asking_for_another_students_report_is_refused(slack: Slack) -> None:
    await asyncio.to_thread(shared, slack.sf, slack.school)
    await slack.dm("US0", "plan")
    await slack.fake.wait_for("chat.postMessage")
    message = slack.last_message("US0")
    button = slack.button(message, "action:report_pdf")  # forged to name another student
    value = json.loads(button["value"])
    value["g"]["student_id"] = str(slack.school.students[1])
    button["value"] = json.dumps(value)
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.click("US0", message, "action:report_pdf")
    await slack.fake.wait_for("chat.postMessage", posted + 2)
    await slack.client.app[SLACK_KEY].turns.drain()
    refusal, again = slack.fake.of("chat.postMessage")[posted:]
    assert refusal.params["text"] == "Dat mag je hier niet doen."
    assert "Jouw feedback" in again.params["text"]  # the page again, to go on from
    assert not slack.fake.of("files.getUploadURLExternal")
