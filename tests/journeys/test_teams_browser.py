"""Wim's part of a term in the Agents Playground's own web client, in headless Chromium.

The organizer opens the round through her Playground's API; the invitation reaches Wim's chat,
which runs in Chromium (Debian's ``chromium`` and ``chromium-driver``, installed by
``make test``). Wim clicks the rendered "Beginnen", types a remark and an action in the rendered
inputs and clicks "Let op"; the feedback is stored as typed. "Ga zo door" with empty
fields is never blocked by the client, not even after the server refused a light for want of
text. What Teams' renderer enforces
(required inputs, associated inputs) is part of the test.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from bot.app import build_services, build_web_app
from bot.settings import Settings
from storage.db import make_engine, make_session_factory
from storage.models import School
from storage.rounds.lifecycle import create_round
from tests.journeys.playground import TENANT, Playground
from tests.journeys.term import Steps, feedback_of, person_id, round_named, small_school
from tests.support.bot_framework import ServerThread

pytestmark = pytest.mark.journey
WORDS = {
    "nl": {"let_op": "Let op", "ga_zo_door": "Ga zo door", "asks": "vraagt je school om"},
    "en": {"let_op": "Watch out", "ga_zo_door": "Keep going", "asks": "your school asks for"},
}


@pytest.fixture
def browser() -> Iterator[webdriver.Chrome]:
    binary = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    assert binary and driver_path, "make test installs chromium and chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,1600"):
        options.add_argument(arg)
    service = webdriver.ChromeService(executable_path=driver_path)
    driver = webdriver.Chrome(options=options, service=service)
    try:
        yield driver
    finally:
        driver.quit()


def wait_for(find: Any, what: str, timeout: float = 30) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = find()
        if found:
            return found
        assert time.monotonic() < deadline, f"not shown: {what}"
        time.sleep(0.2)


def _title(text: str) -> str:
    """A button's title without a light's emoji in front."""
    first, _, rest = text.strip().partition(" ")
    return rest if rest and not any(c.isalnum() for c in first) else text.strip()


def buttons(driver: webdriver.Chrome, title: str) -> list[WebElement]:
    """The shown buttons titled ``title`` (none while the chat re-renders)."""
    try:
        return [
            b
            for b in driver.find_elements(By.CSS_SELECTOR, "button")
            if _title(b.text) == title and b.is_displayed()
        ]
    except StaleElementReferenceException:
        return []


def click(driver: webdriver.Chrome, title: str) -> None:
    """Click the last shown button titled ``title`` once it is there."""
    deadline = time.monotonic() + 30
    while True:
        found = buttons(driver, title)
        if found:
            try:
                found[-1].click()
                return
            except StaleElementReferenceException:
                pass
        shown = [b.text for b in driver.find_elements(By.TAG_NAME, "button")]
        assert time.monotonic() < deadline, f"no button {title!r} in {shown}"
        time.sleep(0.2)


def body_has(driver: webdriver.Chrome, text: str) -> bool:
    try:
        return text in driver.find_element(By.TAG_NAME, "body").text
    except StaleElementReferenceException:
        return False


def test_wim_gives_feedback_in_the_web_client(
    sqlite_url: str, tmp_path: Path, browser: webdriver.Chrome, new_term: Any
) -> None:
    engine = make_engine(sqlite_url)
    sf = make_session_factory(engine)
    term = new_term(sf)
    steps = Steps()
    school = small_school(sf, auto_close=False)
    with sf.begin() as s:
        s.get(School, school.school_id).teams_tenant_id = TENANT
    settings = Settings(
        STOPLICHT_DATABASE_URL=sqlite_url, MicrosoftAppId="", STOPLICHT_SCHEDULER=False
    )
    services = build_services(settings)
    server = ServerThread(build_web_app(services)).start()
    ground = Playground("wim", f"{server.url}/api/messages", tmp_path / "wim")
    try:
        ground.wait_ready()
        browser.get(ground.url)
        # The web client installs the app: the welcome card.
        wait_for(lambda: buttons(browser, "Help"), "the welcome card")
        # The welcome's language is the client's (English) or, when the install activity that
        # came first carried no locale (a conversationUpdate), the school's (Dutch). Wim
        # chooses Nederlands himself either way, so that his choice is what the walk follows.
        if not buttons(browser, "Nederlands"):
            click(browser, "English")
            wait_for(lambda: buttons(browser, "Nederlands"), "the menu in English")
        click(browser, "Nederlands")
        wait_for(lambda: buttons(browser, "Feedback geven"), "the menu in Dutch")
        with sf.begin() as s:
            create_round(
                s,
                school_id=school.school_id,
                actor_id=person_id(sf, "olaf"),
                name="Periode 2",
                group_ids=[school.ids["cls"]],
                deadline=term.now().replace(day=23, hour=16, minute=0),
                now=term.now(),
                open_now=True,
            )
        term.sweep()
        server.call(term.deliver(services.senders))
        wait_for(lambda: buttons(browser, "Beginnen"), "the invitation")
        term.days(1, hour=9)
        click(browser, "Beginnen")
        wait_for(lambda: body_has(browser, "Anna Aalders"), "Anna's card")
        dutch = wait_for(lambda: buttons(browser, "Let op") or buttons(browser, "Watch out"), "")
        steps.expect(
            _title(dutch[-1].text) == "Let op",
            "Wim chose Nederlands: the walk he starts from the invitation is in Dutch",
            [b.text for b in browser.find_elements(By.TAG_NAME, "button")],
        )
        w = WORDS["nl" if _title(dutch[-1].text) == "Let op" else "en"]
        fields = wait_for(
            lambda: [
                f
                for f in browser.find_elements(
                    By.CSS_SELECTOR, ".ac-adaptiveCard textarea, .ac-adaptiveCard input"
                )
                if f.is_displayed()
            ],
            "the inputs",
        )
        remark, action = fields[-2], fields[-1]
        remark.send_keys("Ik zie dat je huiswerk mist.")
        action.send_keys("Maak een planning.")
        click(browser, w["let_op"])
        wait_for(
            lambda: body_has(browser, "Bram Bakker"),
            "Bram's card",
        )
        rnd = round_named(sf, "Periode 2")
        assert feedback_of(sf, rnd.id, "wim") == {
            "Anna": (3, "Ik zie dat je huiswerk mist.", "Maak een planning.")
        }
        # "Ga zo door" needs no text: the client never blocks it, the server stores it.
        click(browser, w["ga_zo_door"])
        deadline = time.monotonic() + 20
        while "Bram" not in feedback_of(sf, rnd.id, "wim") and time.monotonic() < deadline:
            time.sleep(0.2)
        steps.expect(
            feedback_of(sf, rnd.id, "wim").get("Bram", (0,))[0] == 2,
            "Wim's click on 'Ga zo door' with empty fields in the web client is stored",
            browser.find_element(By.TAG_NAME, "body").text[-1500:],
        )
        # Cas: "Let op" with empty fields is refused by the server (the school wants an
        # action); Wim changes his mind: "Ga zo door" with the fields still empty is stored.
        wait_for(lambda: body_has(browser, "3 van 4") or body_has(browser, "3 of 4"), "Cas")
        click(browser, w["let_op"])
        wait_for(lambda: body_has(browser, w["asks"]), "the refusal")
        click(browser, w["ga_zo_door"])
        deadline = time.monotonic() + 20
        while "Cas" not in feedback_of(sf, rnd.id, "wim") and time.monotonic() < deadline:
            time.sleep(0.2)
        steps.expect(
            feedback_of(sf, rnd.id, "wim").get("Cas", (0,))[0] == 2,
            "after a refused 'Let op', the client lets Wim press 'Ga zo door' with empty fields",
            browser.find_element(By.TAG_NAME, "body").text[-1500:],
        )
        steps.done()
    finally:
        ground.stop()
        server.stop()
        engine.dispose()
        term.stop()
