"""A whole term on Teams: the aiohttp app with botbuilder, each person in their own Agents
Playground, in both card modes (``Action.Execute`` invokes and ``Action.Submit`` submits).

Monday the organizer opens the round in chat; the invitations reach the teachers' chats.
Wim starts from the invitation's button, stops halfway, types other things, and finishes days
later from the reminder's button; Els from her invitation the next day. The deadline passes
(the school does not auto-close): the organizer closes from the deadline notification. Mia
opens Anna from the digest and shares; Anna reads and plans from the "feedback shared"
notification; Mia records the agreements from the "plan submitted" notification. Next term's
round shows Wim the first round's feedback.
"""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.app import build_services, build_web_app
from bot.settings import Settings
from storage.db import make_engine, make_session_factory
from storage.models import ActionPlan, Agreement, MentorNote, PlanState, RoundState, School, Share
from tests.journeys.playground import (
    TENANT,
    Playground,
    TeamsPerson,
    buttons,
    card_text,
    inputs,
)
from tests.journeys.term import (
    EXPLANATION,
    Steps,
    Term,
    feedback_of,
    round_exists,
    round_named,
    small_school,
)
from tests.support.bot_framework import ServerThread

pytestmark = pytest.mark.journey
PEOPLE = ("olaf", "wim", "els", "mia", "anna")


@pytest.fixture(
    params=[
        ("execute", "botbuilder"),
        ("submit", "botbuilder"),
        ("execute", "agents"),
        ("submit", "agents"),
    ],
    ids=lambda p: f"{p[0]}-{p[1]}",
)
def school(
    request: pytest.FixtureRequest, sqlite_url: str, tmp_path: Path, new_term: Any
) -> Iterator[tuple[Term, Any, ServerThread, dict[str, Playground], str]]:
    engine = make_engine(sqlite_url)
    sf = make_session_factory(engine)
    term = new_term(sf)
    small_school(sf, auto_close=False)
    with sf.begin() as s:  # the school's Microsoft 365 tenant is the Playground's
        s.get(School, 1).teams_tenant_id = TENANT
    settings = Settings(
        STOPLICHT_DATABASE_URL=sqlite_url,
        MicrosoftAppId="",
        STOPLICHT_TEAMS_CARD_ACTIONS=request.param[0],
        STOPLICHT_TEAMS_SDK=request.param[1],  # both Teams backends play the whole term
        STOPLICHT_SCHEDULER=False,
    )
    services = build_services(settings)
    server = ServerThread(build_web_app(services)).start()
    grounds = {w: Playground(w, f"{server.url}/api/messages", tmp_path / w) for w in PEOPLE}
    try:
        for g in grounds.values():
            g.wait_ready()
        yield term, sf, server, grounds, request.param[0]
    finally:
        for g in grounds.values():
            g.stop()
        server.stop()
        engine.dispose()
        term.stop()


def only_input(message: dict[str, Any], value: str) -> dict[str, str]:
    [name] = inputs(message)
    return {name: value}


async def test_a_term_on_teams(school: Any) -> None:
    term, sf, server, grounds, mode = school
    steps = Steps()
    senders = server.app["services"].senders

    async def deliver() -> int:
        return await asyncio.to_thread(server.call, term.deliver(senders))

    async with aiohttp.ClientSession() as session:
        p = {w: TeamsPerson(session, g, mode) for w, g in grounds.items()}
        for person in p.values():
            await person.start()
            await person.install()  # the app is installed: its welcome card
        for person in p.values():
            welcomes = [
                m
                for m in person.shown()
                if "Welcome to Stoplicht" in card_text(m) or "Welkom bij Stoplicht" in card_text(m)
            ]
            steps.expect(
                len(welcomes) == 1,
                f"installing the app shows {person.who} one welcome card (not one per"
                " conversationUpdate and installationUpdate, the first then outdated)",
                len(welcomes),
            )
            await person.say("nederlands")  # the Playground's locale is English
        shown = await p["olaf"].say("rondes")
        _, shown = await p["olaf"].press(p["olaf"].find("Nieuwe bespreking"), "Nieuwe bespreking")
        for answer in ("Periode 2", "3A", "2026-11-23 17:00", EXPLANATION):
            card = p["olaf"].last()
            _, shown = await p["olaf"].press(card, "Volgende", **only_input(card, answer))
        confirm = card_text(p["olaf"].last())  # the date in full before anything changes
        assert "maandag 23 november 2026, 17:00" in confirm and EXPLANATION in confirm, confirm
        assert not round_exists(sf, "Periode 2")
        await p["olaf"].press(p["olaf"].last(), "Aanmaken en openen")
        rnd = round_named(sf, "Periode 2")
        assert rnd.state is RoundState.OPEN
        term.sweep()
        assert await deliver() >= 2
        invitation = await p["wim"].arrives("Nieuwe leerlingbespreking: Periode 2")
        steps.expect(EXPLANATION in card_text(invitation), "the invitation shows the explanation")

        # Wim starts from the invitation's button, two students, then stops.
        term.days(0, hour=9)
        _, shown = await p["wim"].press(invitation, "Beginnen")
        steps.expect("verouderd" not in p["wim"].seen(-len(shown) or -1), "Wim's invitation")
        anna = p["wim"].find("Anna Aalders")
        assert "Eerder: Periode 1 (Wim Wiskunde)" in card_text(anna)
        await p["wim"].press(
            anna, "Let op", remark="Ik zie dat je huiswerk mist.", action="Maak een planning."
        )
        bram = copy.deepcopy(p["wim"].find("Bram Bakker"))  # the card as first shown
        await p["wim"].press(bram, "Ga zo door", remark="Goed bezig.", action="")
        # A double press: the same button of the same card again, after the first saved.
        acted = bram["messageId"]
        await p["wim"].press(bram, "Ga zo door", remark="Goed bezig.", action="")
        steps.expect(
            "verouderd" not in card_text(p["wim"].messages[acted]),
            "after a double press the acted card does not say 'outdated' (the first press saved)",
            card_text(p["wim"].messages[acted]),
        )
        prompts = [m for m in p["wim"].shown() if "leerling 3 van 4" in card_text(m)]
        steps.expect(len(prompts) == 1, "a double press posts the next prompt once", len(prompts))
        cas = p["wim"].find("Cas de Clercq")
        # "Let op" with only a remark: the school wants an action, so nothing is saved yet.
        await p["wim"].press(cas, "Let op", remark="Ik mis je huiswerk.", action="")
        assert "vraagt je school om" in p["wim"].seen(-2)
        assert "Cas" not in feedback_of(sf, rnd.id, "wim")
        await p["wim"].say("help")
        await p["wim"].say("feedback")  # back to the walk: the remark he typed is still there
        cas = p["wim"].find("Cas de Clercq")
        kept = inputs(cas).get("remark", {}).get("value")
        steps.expect(
            kept == "Ik mis je huiswerk.",
            "resuming the walk with 'feedback' keeps the remark typed before the refusal",
            kept,
        )
        await p["wim"].press(cas, "Stop (later verder)")
        await p["wim"].say("help")

        # Tuesday: Els from her invitation, one light and the rest in one go.
        term.days(1, hour=12)
        await p["els"].press(p["els"].find("Nieuwe leerlingbespreking"), "Beginnen")
        await p["els"].press(
            p["els"].find("Anna Aalders"), "Pas op", remark="Je mist lessen.", action="Kom langs."
        )
        await p["els"].press(p["els"].last(), "Rest: Ga zo door")
        await p["els"].press(p["els"].find("Ja, invullen"), "Ja, invullen")
        assert feedback_of(sf, rnd.id, "els")["Anna"] == (4, "Je mist lessen.", "Kom langs.")

        # Friday's reminder; Monday morning Wim continues from it.
        assert "send_reminders" in term.to(datetime(2026, 11, 20, 18, 0, tzinfo=UTC))
        await deliver()
        reminder = await p["wim"].arrives("Verder gaan")
        term.to(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))
        await p["wim"].say("menu")
        _, shown = await p["wim"].press(reminder, "Verder gaan")
        steps.expect(
            "verouderd" not in p["wim"].seen(-len(shown) if shown else len(p["wim"].order)),
            "Wim presses the reminder's 'Verder gaan' days later: not refused as outdated",
            p["wim"].seen(-3),
        )
        if "Cas de Clercq" not in card_text(p["wim"].last()):
            await p["wim"].say("feedback")
        cas = p["wim"].find("Cas de Clercq")
        await p["wim"].press(cas, "Ga zo door", remark="", action="")
        await p["wim"].press(
            p["wim"].find("Dewi Dijkstra"), "Excellent", remark="Knap werk!", action=""
        )
        assert feedback_of(sf, rnd.id, "wim") == {
            "Anna": (3, "Ik zie dat je huiswerk mist.", "Maak een planning."),
            "Bram": (2, "Goed bezig.", None),
            "Cas": (2, None, None),
            "Dewi": (1, "Knap werk!", None),
        }

        # The deadline passes; the organizer closes from the deadline notification.
        assert "deadline_reached" in term.to(datetime(2026, 11, 23, 16, 30, tzinfo=UTC))
        await deliver()
        reached = await p["olaf"].arrives("De deadline van Periode 2 is verstreken")
        assert any(b["data"]["stoplicht"]["action"] == "o_close" for b in buttons(reached))
        term.days(0, hour=18)
        _, shown = await p["olaf"].press(reached, "action:o_close")
        if "Ja, sluiten" not in p["olaf"].seen(-len(shown) if shown else -1):
            steps.expect(False, "Olaf's deadline notification 'close' works", p["olaf"].seen(-2))
            await p["olaf"].say("rondes")
            await p["olaf"].press(p["olaf"].last(), "Periode 2")
            await p["olaf"].press(p["olaf"].last(), "Bespreking sluiten")
        await p["olaf"].press(p["olaf"].find("Ja, sluiten"), "Ja, sluiten")
        assert round_named(sf, "Periode 2").state is RoundState.CLOSED
        await deliver()
        digest = await p["mia"].arrives("Open Anna Aalders")

        # Wednesday Mia opens Anna from the digest, writes a note, shares from the digest.
        term.days(2, hour=13)
        await p["mia"].say("help")
        _, shown = await p["mia"].press(digest, "Open Anna Aalders")
        steps.expect("verouderd" not in p["mia"].seen(-2), "Mia's digest 'Open' works")
        steps.expect(
            "Open Anna Aalders" in card_text(p["mia"].messages[digest["messageId"]]),
            "the digest keeps showing its content after a press",
            card_text(p["mia"].messages[digest["messageId"]]),
        )
        report = p["mia"].find("Mentoropmerking schrijven")
        await p["mia"].press(report, "Mentoropmerking schrijven")
        note = p["mia"].last()
        await p["mia"].press(note, "action:m_note", note="Fijn gesprek gehad, Anna.")
        with sf() as s:
            assert s.scalars(select(MentorNote.text)).one() == "Fijn gesprek gehad, Anna."
        digest = p["mia"].messages[digest["messageId"]]  # as her chat shows it now
        shown = []
        if steps.expect(
            "Deel met Anna Aalders" in card_text(digest),
            "the digest's 'Deel met' button is still there after 'Open'",
            card_text(digest),
        ):
            _, shown = await p["mia"].press(digest, "Deel met Anna Aalders")
        if not steps.expect(
            shown and "Ja, delen" in p["mia"].seen(-len(shown)),
            "Mia's digest 'Deel met' works after she acted on the report",
            p["mia"].seen(-2),
        ):
            await p["mia"].press(p["mia"].find("Delen met leerling"), "Delen met leerling")
        await p["mia"].press(p["mia"].find("Ja, delen"), "Ja, delen")
        with sf() as s:
            assert len(s.scalars(select(Share)).all()) == 1
        await deliver()
        told = await p["anna"].arrives("Je feedback van Periode 2 staat klaar")

        # Thursday Anna reads, then plans, from the notification.
        term.days(1, hour=15)
        await p["anna"].say("help")
        await p["anna"].press(told, "Feedback lezen")
        assert "Fijn gesprek gehad, Anna." in p["anna"].seen(-3)
        told = p["anna"].messages[told["messageId"]]  # as her chat shows it now
        if steps.expect(
            "Plan van aanpak maken" in card_text(told),
            "the 'feedback shared' notification keeps its buttons after 'Feedback lezen'",
            card_text(told),
        ):
            await p["anna"].press(told, "Plan van aanpak maken")
        if not steps.expect(
            "stap 1 van" in card_text(p["anna"].last()),
            "Anna's 'Plan van aanpak maken' works after she read the feedback",
            p["anna"].seen(-2),
        ):
            await p["anna"].press(p["anna"].last(), "action:s_plan")
        answers = [
            "Ik doe goed mee in de les.",
            "Ik maak elke dag mijn huiswerk.",
            "Ik ga naar elke les.",
            "Hulp bij plannen.",
            "",
        ]
        for answer in answers:
            step = p["anna"].last()
            await p["anna"].press(step, "action:s_answer", answer=answer)
        await p["anna"].press(p["anna"].last(), "action:s_submit")
        with sf() as s:
            plan = s.scalars(select(ActionPlan)).one()
            assert plan.state is PlanState.SUBMITTED
            assert plan.answers["went_well"] == answers[0]
        await deliver()
        submitted = await p["mia"].arrives("heeft een plan van aanpak ingediend")
        steps.expect(
            "Periode 2" in card_text(submitted),
            "'plan submitted' names the round",
            card_text(submitted),
        )

        # Monday Mia records the agreements from the notification's button.
        term.days(4, hour=9)
        _, shown = await p["mia"].press(submitted, "action:m_student")
        steps.expect("verouderd" not in p["mia"].seen(-2), "Mia's 'plan submitted' button works")
        await p["mia"].press(p["mia"].find("Afspraken vastleggen"), "Afspraken vastleggen")
        await p["mia"].press(
            p["mia"].last(), "action:m_agree", agreements="Elke vrijdag planning laten zien."
        )
        with sf() as s:
            assert s.scalars(select(Agreement.text)).one() == "Elke vrijdag planning laten zien."
            assert s.scalars(select(MentorNote.text)).one() == "Fijn gesprek gehad, Anna."

        # Next term: Wim's card in the new round shows Periode 2 ("the clock").
        term.to(datetime(2027, 1, 18, 8, 0, tzinfo=UTC))
        await p["olaf"].say("rondes")
        await p["olaf"].press(p["olaf"].last(), "Nieuwe bespreking")
        for answer in ("Periode 3", "alle", "+7", ""):  # the explanation left empty
            card = p["olaf"].last()
            await p["olaf"].press(card, "Volgende", **only_input(card, answer))
        assert "maandag 25 januari 2027" in card_text(p["olaf"].last())
        await p["olaf"].press(p["olaf"].last(), "Aanmaken en openen")
        term.sweep()
        await deliver()
        _, shown = await p["wim"].press(
            await p["wim"].arrives("Nieuwe leerlingbespreking: Periode 3"), "Beginnen"
        )
        if not steps.expect(
            "Anna Aalders" in card_text(p["wim"].last()), "Wim's second invitation works"
        ):
            await p["wim"].say("feedback")
        anna = p["wim"].find("Eerder: Periode 2 (Wim Wiskunde)")
        assert "Ik zie dat je huiswerk mist." in card_text(anna)
        # A save's next card comes with that student's earlier rounds (the save's one read):
        # Bram's "Goed bezig." of Periode 2.
        await p["wim"].press(anna, "Ga zo door", remark="Je planning helpt.", action="")
        bram = p["wim"].last()
        steps.expect(
            "Bram Bakker" in card_text(bram)
            and "Eerder: Periode 2 (Wim Wiskunde)" in card_text(bram)
            and "Goed bezig." in card_text(bram),
            "after a save, the next student's card shows their earlier feedback",
            card_text(bram)[:600],
        )
        for person in p.values():
            await person.close()
    steps.done()
