"""A whole term on Slack: the real Bolt app, signed requests, the loopback fake Web API.

Monday: the organizer opens the round in chat; the invitations go out. Wim starts from the
invitation's button, stops halfway, does other things, and comes back days later from the
reminder's button; Els does her whole group. The deadline closes the round by itself (the
school auto-closes); Mia acts from the digest's buttons days later, shares with Anna, who acts
from the "feedback shared" notification after reading other things; Mia records the agreements.
Next term's round shows Wim the first round's feedback ("the clock").
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.app import build_services, build_web_app
from bot.slack.app import SLACK_KEY
from storage.db import make_engine, make_session_factory
from storage.models import ActionPlan, Agreement, MentorNote, PlanState, RoundState, Share
from tests.integration.slack.conftest import Slack, settings_for
from tests.integration.slack.fake_api import FakeSlack
from tests.journeys.slack_people import SLACK_IDS, SlackPerson, text_of
from tests.journeys.term import (
    EMAILS,
    EXPLANATION,
    NAMES,
    Steps,
    Term,
    feedback_of,
    round_exists,
    round_named,
    small_school,
)

pytestmark = pytest.mark.journey


class LocaleSlack(FakeSlack):
    """The fake Slack Web API, where Anna's Slack is set to English."""

    def _answer(self, method: str, p: dict[str, Any]) -> dict[str, Any]:
        answer = super()._answer(method, p)
        if method == "users.info" and p.get("user") == SLACK_IDS["anna"]:
            answer["user"]["locale"] = "en-US"
        return answer


@pytest.fixture
async def school(
    sqlite_url: str, new_term: Any
) -> AsyncIterator[tuple[Term, Slack, dict[str, SlackPerson]]]:
    engine = make_engine(sqlite_url)
    sf = make_session_factory(engine)
    term = new_term(sf)
    fake = await LocaleSlack(users={SLACK_IDS[w]: e for w, e in EMAILS.items()}).start()
    school = small_school(sf, auto_close=True)
    services = build_services(settings_for(sqlite_url, fake))
    app = build_web_app(services)
    client = TestClient(TestServer(app, host="127.0.0.1"))
    await client.start_server()
    slack = Slack(client, fake, school, sf)
    people = {who: SlackPerson(slack, who) for who in EMAILS}
    try:
        yield term, slack, people
    finally:
        await app[SLACK_KEY].turns.drain()
        await client.close()
        await fake.close()
        engine.dispose()
        term.stop()


async def deliver(term: Term, slack: Slack) -> int:
    return await term.deliver(slack.client.app["services"].senders)


async def test_a_term_on_slack(school: Any) -> None:
    term, slack, p = school
    steps = Steps()
    sf = slack.sf
    # Week 1, Monday 08:00: everyone has opened a direct message with the bot once.
    for who in ("olaf", "wim", "els", "mia", "anna"):
        shown = await p[who].say("hallo")
        assert NAMES[who].split()[0] in "".join(text_of(c) for c in shown), who

    # The organizer opens the round in chat.
    shown = await p["olaf"].say("rondes")
    shown = await p["olaf"].press(shown[-1], "Nieuwe bespreking")
    for answer in ("Periode 2", "3A", "2026-11-23 17:00", EXPLANATION):
        shown = await p["olaf"].say(answer)
    confirm = text_of(shown[-1])  # the date said back in full before anything changes
    assert "Periode 2" in confirm and "maandag 23 november 2026, 17:00" in confirm, confirm
    assert EXPLANATION in confirm and not round_exists(sf, "Periode 2")
    shown = await p["olaf"].press(shown[-1], "Aanmaken en openen")
    rnd = round_named(sf, "Periode 2")
    assert rnd.state is RoundState.OPEN
    term.sweep()
    assert await deliver(term, slack) >= 2
    invitation = p["wim"].find("Nieuwe leerlingbespreking: Periode 2")
    assert "Beginnen" in text_of(invitation)
    steps.expect(EXPLANATION in text_of(invitation), "the invitation shows the explanation")

    # Monday 10:00: Wim starts from the invitation's button (he said "hallo" before: he has
    # dialog state). He gives Anna a "Let op" and Bram a "Ga zo door", then stops.
    term.days(0, hour=9)
    shown = await p["wim"].press(invitation, "Beginnen")
    anna = shown[-1]
    assert "Anna Aalders" in text_of(anna) and "leerling 1 van 4" in text_of(anna)
    # The clock: last round's wiskunde feedback on Anna is on her card.
    assert "Eerder: Periode 1 (Wim Wiskunde)" in text_of(anna)
    shown = await p["wim"].fill(
        anna, "Let op", {"remark": "Ik zie dat je huiswerk mist.", "action": "Maak een planning."}
    )
    assert "Bram Bakker" in text_of(shown[-1])
    shown = await p["wim"].fill(shown[-1], "Ga zo door", {"remark": "Goed bezig.", "action": ""})
    assert "Cas de Clercq" in text_of(shown[-1])
    shown = await p["wim"].press(shown[-1], "Stop (later verder)")
    # Other things in between: help, a student's command (he is no student), the menu.
    await p["wim"].say("help")
    shown = await p["wim"].say("plan")
    steps.expect(
        "met je gedeeld" not in p["wim"].seen(-len(shown))
        and "stap 1 van" not in p["wim"].seen(-len(shown)),
        "Wim typing the student command 'plan' does not land him in the student flow",
        p["wim"].seen(-len(shown)),
    )
    shown = await p["wim"].say("waar was ik")
    steps.expect(
        "Cas de Clercq" in p["wim"].seen(-len(shown)),
        "after 'plan', 'waar was ik' brings Wim back to Cas (where he stopped)",
        p["wim"].seen(-len(shown)),
    )
    await p["wim"].say("menu")

    # Tuesday: Els does her whole group from her invitation, a day after it came.
    term.days(1, hour=12)
    shown = await p["els"].press(p["els"].find("Nieuwe leerlingbespreking"), "Beginnen")
    shown = await p["els"].fill(
        shown[-1], "Pas op", {"remark": "Je mist lessen.", "action": "Kom langs."}
    )
    shown = await p["els"].press(shown[-1], "Rest: Ga zo door")
    shown = await p["els"].press(shown[-1], "Ja, invullen")
    assert "4 van 4" in p["els"].seen(-len(shown))
    assert feedback_of(sf, rnd.id, "els") == {
        "Anna": (4, "Je mist lessen.", "Kom langs."),
        "Bram": (2, None, None),
        "Cas": (2, None, None),
        "Dewi": (2, None, None),
    }

    # Friday evening: the 72-hour reminder goes to Wim (2 of 4), not to Els (done).
    ran = term.to(datetime(2026, 11, 20, 18, 0, tzinfo=UTC))
    assert "send_reminders" in ran
    await deliver(term, slack)
    reminder = p["wim"].find("Verder gaan")
    assert "2" in text_of(reminder) and "4" in text_of(reminder)
    assert not [c for c in p["els"].posts() if "Verder gaan" in text_of(c)]
    # Saturday Wim looks at the menu; Monday morning he presses the reminder's button.
    term.days(1, hour=9)
    await p["wim"].say("menu")
    term.to(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
    shown = await p["wim"].press(reminder, "Verder gaan")
    steps.expect(
        "verouderd" not in p["wim"].seen(-len(shown)),
        "Wim presses the reminder's 'Verder gaan' three days after it came: it is not refused"
        " as outdated",
        p["wim"].seen(-len(shown)),
    )
    if "Cas de Clercq" not in text_of(p["wim"].last()):  # refused: he types the command
        await p["wim"].say("feedback")
    cas = p["wim"].last()
    assert "leerling 3 van 4 (2 ingevuld)" in text_of(cas)
    shown = await p["wim"].fill(cas, "Ga zo door", {"remark": "", "action": ""})
    shown = await p["wim"].fill(
        p["wim"].find("Dewi Dijkstra"), "Excellent", {"remark": "Knap werk!", "action": ""}
    )
    assert "4 van 4" in p["wim"].seen(-len(shown))
    steps.expect(
        "Rest: Ga zo door" not in text_of(p["wim"].last())
        and "Verder met invullen" not in text_of(p["wim"].last()),
        "a complete group offers no 'Rest: Ga zo door' or 'Verder met invullen'",
        text_of(p["wim"].last()),
    )
    # Nothing typed on Monday of last week was lost or overwritten.
    assert feedback_of(sf, rnd.id, "wim") == {
        "Anna": (3, "Ik zie dat je huiswerk mist.", "Maak een planning."),
        "Bram": (2, "Goed bezig.", None),
        "Cas": (2, None, None),
        "Dewi": (1, "Knap werk!", None),
    }

    # The deadline (Monday 17:00 in Amsterdam) closes the round by itself.
    ran = term.to(datetime(2026, 11, 23, 16, 30, tzinfo=UTC))
    assert "deadline_reached" in ran
    assert round_named(sf, "Periode 2").state is RoundState.CLOSED
    await deliver(term, slack)
    digest = p["mia"].find("Open Anna Aalders")
    assert "Deel met Anna Aalders" in text_of(digest)
    assert "Ik zie dat je huiswerk mist." in text_of(digest) or "Je mist lessen." in text_of(digest)
    assert p["wim"].find("Periode 2")  # colleagues' feedback is visible now
    listed = [b["text"]["text"] for b in slack.buttons(digest)]
    for label in listed:
        if label.startswith("Deel met "):
            name = label.removeprefix("Deel met ")
            steps.expect(
                f"{name} (3A)" in text_of(digest),
                f"the digest offers 'Deel met {name}' only for a student it lists",
                text_of(digest),
            )

    # Tuesday Mia reads her menu; Wednesday she opens Anna from the digest, writes a note and
    # shares from the digest's own button.
    term.days(1, hour=8)
    await p["mia"].say("help")
    term.days(1, hour=13)
    shown = await p["mia"].press(digest, "Open Anna Aalders")
    report = p["mia"].find("Ik zie dat je huiswerk mist.")
    steps.expect("verouderd" not in p["mia"].seen(-len(shown)), "Mia's digest 'Open' works")
    assert "Je mist lessen." in text_of(report)
    shown = await p["mia"].press(report, "action:m_note")
    shown = await p["mia"].fill(shown[-1], "action:m_note", {"note": "Fijn gesprek gehad, Anna."})
    with sf() as s:
        assert s.scalars(select(MentorNote.text)).one() == "Fijn gesprek gehad, Anna."
    steps.expect(
        p["mia"].still_usable(digest),
        "Mia's digest keeps its other buttons after she tapped 'Open'",
    )
    shown = await p["mia"].press(digest, "Deel met Anna Aalders")
    steps.expect(
        "verouderd" not in p["mia"].seen(-len(shown)),
        "Mia's digest 'Deel met' works after she acted on the report",
        p["mia"].seen(-len(shown)),
    )
    if "Ja, delen" not in p["mia"].seen(-len(shown)):  # refused: share from her report
        shown = await p["mia"].press(p["mia"].find("Delen met leerling"), "Delen met leerling")
    shown = await p["mia"].press(p["mia"].find("Ja, delen"), "Ja, delen")
    with sf() as s:
        assert len(s.scalars(select(Share)).all()) == 1
    await deliver(term, slack)
    # Anna's Slack is in English: the notification and the conversation are in English.
    told = p["anna"].find("Periode 2")
    steps.expect(
        "Your feedback from Periode 2 is ready" in text_of(told),
        "Anna (Slack locale English) gets the 'feedback shared' notification in English",
        text_of(told),
    )

    # Thursday: Anna first looks around, then acts from the notification.
    term.days(1, hour=15)
    await p["anna"].say("help")
    shown = await p["anna"].press(told, "action:s_feedback")
    steps.expect("outdated" not in p["anna"].seen(-len(shown)), "Anna's 'Read the feedback' works")
    assert "Fijn gesprek gehad, Anna." in p["anna"].seen(-len(shown))
    assert "Ik zie dat je huiswerk mist." in p["anna"].seen(-len(shown))
    shown = await p["anna"].press(told, "action:s_plan")
    steps.expect(
        "outdated" not in p["anna"].seen(-len(shown)),
        "Anna's 'Plan van aanpak maken' works after she read the feedback",
        p["anna"].seen(-len(shown)),
    )
    if "step 1 of" not in p["anna"].seen(-len(shown)):  # refused: from her feedback card
        await p["anna"].press(p["anna"].last(), "action:s_plan")
    answers = [
        "Ik doe goed mee in de les.",
        "Ik maak elke dag mijn huiswerk.",
        "Ik ga naar elke les.",
        "Hulp bij plannen.",
        "",
    ]
    for answer in answers:
        shown = await p["anna"].fill(p["anna"].last(), "action:s_answer", {"answer": answer})
    shown = await p["anna"].press(p["anna"].last(), "action:s_submit")
    with sf() as s:
        plan = s.scalars(select(ActionPlan)).one()
        assert plan.state is PlanState.SUBMITTED
        assert plan.answers["went_well"] == "Ik doe goed mee in de les."
    await deliver(term, slack)
    submitted = p["mia"].last()
    steps.expect(
        "Periode 2" in text_of(submitted) and ": -" not in text_of(submitted),
        "Mia's 'plan submitted' notification names the round",
        text_of(submitted),
    )

    # Next Monday Mia records the agreements from the notification's button.
    term.days(4, hour=9)
    shown = await p["mia"].press(submitted, "action:m_student")
    steps.expect(
        "verouderd" not in p["mia"].seen(-len(shown)),
        "Mia's 'plan submitted' notification's button works days later",
    )
    report = p["mia"].find("Afspraken vastleggen")
    shown = await p["mia"].press(report, "action:m_agree")
    shown = await p["mia"].fill(
        shown[-1], "action:m_agree", {"agreements": "Elke vrijdag planning laten zien."}
    )
    with sf() as s:
        assert s.scalars(select(Agreement.text)).one() == "Elke vrijdag planning laten zien."
        assert s.scalars(select(MentorNote.text)).one() == "Fijn gesprek gehad, Anna."
        assert s.scalars(select(ActionPlan)).one().answers["went_well"] == answers[0]
    shown = await p["anna"].say("plan")
    assert "Elke vrijdag planning laten zien." in p["anna"].seen(-len(shown)) or (
        "See agreements" in p["anna"].seen(-len(shown))
    )

    # A new term: the organizer opens the next round; Wim's card shows Periode 2 ("the clock").
    term.to(datetime(2027, 1, 18, 8, 0, tzinfo=UTC))
    shown = await p["olaf"].say("rondes")
    shown = await p["olaf"].press(shown[-1], "Nieuwe bespreking")
    for answer in ("Periode 3", "alle", "+7", "-"):  # no explanation this time
        shown = await p["olaf"].say(answer)
    assert "maandag 25 januari 2027" in text_of(shown[-1]), text_of(shown[-1])
    shown = await p["olaf"].press(shown[-1], "Aanmaken en openen")
    term.sweep()
    await deliver(term, slack)
    invitation = p["wim"].find("Nieuwe leerlingbespreking: Periode 3")
    shown = await p["wim"].press(invitation, "Beginnen")
    steps.expect("verouderd" not in p["wim"].seen(-len(shown)), "Wim's second invitation works")
    if "Anna Aalders" not in p["wim"].seen(-len(shown)):  # refused: he types the command
        shown = await p["wim"].say("feedback")
    anna = p["wim"].find("Eerder: Periode 2 (Wim Wiskunde)")
    assert "Ik zie dat je huiswerk mist." in text_of(anna)
    assert "Maak een planning." in text_of(anna)
    # A save's next card comes with that student's earlier rounds (the save's one read):
    # Bram's "Goed bezig." of Periode 2.
    shown = await p["wim"].fill(anna, "Ga zo door", {"remark": "Je planning helpt.", "action": ""})
    steps.expect(
        "Bram Bakker" in text_of(shown[-1])
        and "Eerder: Periode 2 (Wim Wiskunde)" in text_of(shown[-1])
        and "Goed bezig." in text_of(shown[-1]),
        "after a save, the next student's card shows their earlier feedback",
        text_of(shown[-1])[:600],
    )
    steps.done()
