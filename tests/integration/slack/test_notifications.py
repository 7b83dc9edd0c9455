"""Slack: notifications delivered through the outbox and the sender, pressed later by people
with dialog state: each of a notification's buttons stays usable, and notifications and the
``/stoplicht`` acknowledgement speak the person's language. A bare ``/stoplicht`` never answers
a waiting question."""

from __future__ import annotations

import asyncio
import json

from sqlalchemy import select

from bot.slack.app import SLACK_KEY
from schedules import outbox
from schedules.composer import compose_digests
from schedules.delivery import Target
from storage.models import ActionPlan, Notification, Person
from tests.integration.slack.conftest import Slack
from tests.unit.dialogs.test_mentor_student import close, give_feedback, shared


def _text(call) -> str:  # type: ignore[no-untyped-def]
    return json.dumps(call.params.get("blocks"), ensure_ascii=False) + str(call.params.get("text"))


async def _settle(slack: Slack, posted: int) -> None:
    await slack.fake.wait_for("chat.postMessage", posted + 1)
    await slack.client.app[SLACK_KEY].turns.drain()


async def _deliver(slack: Slack, email: str, kind: str) -> str:
    """Deliver the latest ``kind`` notification for ``email`` as the dispatcher does; returns
    the language it was composed in."""
    with slack.sf() as s:
        pid = s.scalar(select(Person.id).where(Person.email == email))
        nid = s.scalars(
            select(Notification.id)
            .where(Notification.recipient_id == pid, Notification.kind == kind)
            .order_by(Notification.id.desc())
        ).first()
    [job] = await asyncio.to_thread(outbox.prepare, slack.sf, ids=[nid], channels=["slack"])
    assert job.target is not None and job.error is None
    await slack.client.app[SLACK_KEY].sender.send(job.target, list(job.replies), key=job.key)
    return job.language


async def test_student_with_an_english_slack_gets_english_and_every_button_works(
    slack: Slack,
) -> None:
    slack.fake.locales["US0"] = "en-US"
    await slack.dm("US0", "plan")  # the student has talked to the bot (in English)
    await _settle(slack, 0)
    assert "No feedback" in _text(slack.last_message("US0"))
    await asyncio.to_thread(shared, slack.sf, slack.school)
    posted = len(slack.fake.of("chat.postMessage"))
    assert await _deliver(slack, "s0@school.example", "feedback_shared") == "en"
    notification = slack.fake.of("chat.postMessage")[-1]
    assert "Read the feedback" in _text(notification)
    updates = len(slack.fake.of("chat.update"))
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.click("US0", notification, "Read the feedback")
    await _settle(slack, posted)
    assert "verouderd" not in _text(slack.last_message("US0")).lower()
    assert "outdated" not in _text(slack.last_message("US0")).lower()
    assert len(slack.fake.of("chat.update")) == updates  # the notification keeps its buttons
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.click("US0", notification, "Write the action plan")  # its other button
    await _settle(slack, posted)
    assert "outdated" not in _text(slack.last_message("US0")).lower()
    assert "1 of" in _text(slack.last_message("US0"))  # the plan's first step, in English


async def test_each_button_of_a_digest_works(slack: Slack) -> None:
    await asyncio.to_thread(give_feedback, slack.sf)
    await slack.dm("UMEN", "mentor")  # dialog state before the digest
    await _settle(slack, 0)
    await asyncio.to_thread(close, slack.sf, slack.school)
    with slack.sf() as s:
        mentor = s.scalar(select(Person.id).where(Person.email == "m.ent@school.example"))
        [reply] = compose_digests(s, round_id=slack.school.ids["round"])[mentor]
    posted = len(slack.fake.of("chat.postMessage"))
    target = Target(
        person_id=mentor, channel="slack", tenant="T1", external_id="UMEN", conversation={}
    )
    await slack.client.app[SLACK_KEY].sender.send(target, [reply], key="digest-1")
    await slack.fake.wait_for("chat.postMessage", posted + 1)
    digest = slack.fake.of("chat.postMessage")[-1]
    updates = len(slack.fake.of("chat.update"))
    for label in ("Open Anna", "Deel met Anna", "Overzicht"):
        posted = len(slack.fake.of("chat.postMessage"))
        await slack.click("UMEN", digest, label)
        await _settle(slack, posted)
        assert "verouderd" not in _text(slack.last_message("UMEN")).lower(), label
    assert len(slack.fake.of("chat.update")) == updates  # the digest kept all its buttons


async def test_slash_command_elsewhere_says_so_in_the_persons_language(slack: Slack) -> None:
    slack.fake.locales["UWIS"] = "en-US"
    await slack.command("UWIS", "help", channel_name="general")
    await slack.fake.wait_for("chat.postMessage")
    await slack.client.app[SLACK_KEY].turns.drain()
    [said] = slack.fake.of("respond")
    assert "direct message" in said.params["text"]
    assert "I help you" in _text(slack.last_message("UWIS"))  # the answer in English too


async def test_bare_command_never_answers_the_waiting_plan_question(slack: Slack) -> None:
    await asyncio.to_thread(shared, slack.sf, slack.school)
    await slack.dm("US0", "plan")
    await _settle(slack, 0)
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.click("US0", slack.last_message("US0"), "action:s_plan")
    await _settle(slack, posted)
    await slack.dm("US0", "Ik heb goed opgelet.")  # the first step answered by typing
    await _settle(slack, posted + 1)
    posted = len(slack.fake.of("chat.postMessage"))
    await slack.command("US0", "")  # bare /stoplicht while the next step waits
    await _settle(slack, posted)
    with slack.sf() as s:
        answers = s.scalars(select(ActionPlan)).one().answers
    assert answers["went_well"] == "Ik heb goed opgelet."
    assert "menu" not in json.dumps(answers).lower()
