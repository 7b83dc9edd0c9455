"""A walk through every kind of card the dialogs produce, on the demo school, in one language.

Teacher (choice of group, student card with history, a student's earlier full feedback, coach
tips, refused input, outdated card, review list, bulk confirmation, stop and resume, earlier
rounds, a closed round's read-only view), mentor (overview with the class picture, report,
note, other round, share, plan, agreements), organizer (rounds, status, deadline, close, the
follow-through after close, a new round, the settings card, binding a workspace), student
(feedback, plan steps,
review, submit, other round, agreements), and everyone (menu, help, language, hints, an
unknown person, the demo roles). Typed texts carry markup (``TYPED``) so a renderer can be
checked for showing them exactly as typed.

``tour(sf, lang)`` returns ``[(tag, reply), ...]`` in the order they were shown;
``tour_on_copy(template, folder, lang)`` does so on a copy of an empty migrated SQLite file.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from dialogs.types import Choice, Reply
from storage.db import make_engine, make_session_factory, unit_of_work
from storage.demo.seed import (
    DEMO_MENTOR_EMAIL,
    DEMO_ORGANIZER_EMAIL,
    DEMO_STUDENT_EMAIL,
    DEMO_TEACHER_EMAIL,
    seed_demo,
)
from tests.unit.dialogs.chat import Chat

NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
MARKUP = "*vet* _schuin_ ~weg~ `code` <b>x</b> &amp; :smile: @here <https://x.example|klik>"
TYPED = {
    "remark": f"Hij is lui. {MARKUP}",
    "action": "Beter je best doen.\n- regel twee",
    "note": f"Fijn gesprek.\n# geen kop\n1. geen lijst {MARKUP}",
    "answer": f"Elke dag oefenen {MARKUP}",
    "agreements": "Dinsdag bijles.\n- punt 1\n- punt 2 > citaat",
    "round": "Periode 3 *nieuw* <x>",
}

Shown = list[tuple[str, Reply]]


class _Person:
    def __init__(self, sf: sessionmaker[Session], email: str, shown: Shown, **kw: object):
        self.chat = Chat(sf, email, channel="terminal", tenant="local", clock=lambda: NOW, **kw)  # type: ignore[arg-type]
        self.shown = shown
        self.who = email.split("@")[0]

    def _keep(self, tag: str, replies: list[Reply]) -> None:
        self.shown += [(f"{self.who}:{tag}", r) for r in replies]

    def say(self, tag: str, text: str) -> None:
        self._keep(tag, self.chat.say(text))

    def can(self, action: str, when: Callable[[Choice], bool] | None = None) -> bool:
        cards = [r.card for r in self.chat.replies if r.card is not None]
        return bool(cards) and any(
            c.action == action and (when is None or when(c)) for c in cards[-1].choices
        )

    def press(
        self,
        tag: str,
        action: str,
        values: dict[str, str] | None = None,
        when: Callable[[Choice], bool] | None = None,
    ) -> None:
        match = lambda c: c.action == action and (when is None or when(c))  # noqa: E731
        self._keep(tag, self.chat.press(match, values))

    def stale(self, tag: str, action: str, version: int) -> None:
        self._keep(tag, self.chat.act(action, version=version))


def _teacher(t: _Person, lang: str) -> None:
    t.say("feedback", "feedback")
    t.press("pick-group", "t_group")
    first = t.chat.card.version
    t.press("coach", "t_save", {"remark": TYPED["remark"], "action": TYPED["action"]}, _light(3))
    t.press("coach-edit", "t_edit")
    t.press("save", "t_save", {"remark": "Ik zie dat je meedoet.", "action": ""}, _light(2))
    t.press("mandatory", "t_save", {"remark": "", "action": ""}, _light(4))
    t.press("too-long", "t_save", {"remark": "x" * 1200, "action": ""}, _light(1))
    t.stale("stale", "t_skip", first)
    t.press("skip", "t_skip")
    t.press("history", "t_history")  # the student's earlier full feedback, one press
    t.press("history-back", "start_feedback")
    t.press("review", "t_review")
    t.press("jump", "t_jump")
    t.press("stop", "t_stop")
    t.say("where", "waar was ik" if lang == "nl" else "where was I")
    t.press("bulk", "t_bulk")
    t.press("bulk-yes", "t_bulk_yes")
    t.press("groups", "t_groups")
    t.press("earlier", "t_earlier")
    t.press("earlier-open", "start_feedback", when=lambda c: "round_id" in c.args)
    t.press("closed-view", "t_view")
    t.say("help", "help")
    t.say("unknown", "blablabla")


def _light(n: int) -> Callable[[Choice], bool]:
    return lambda c: c.light == n


def _mentor_open(m: _Person) -> None:
    m.say("overview", "mentor")
    m.press("report", "m_student")
    m.press("note-ask", "m_note")
    m.say("note", TYPED["note"])
    m.press("back", "m_back")
    m.press("rounds", "m_rounds")
    m.press("round", "m_round", when=lambda c: c.args.get("round_id") == "1")


def _organizer(o: _Person, lang: str) -> None:
    o.say("rounds", "rondes")
    o.press("status", "o_status", when=lambda c: c.args.get("round_id") == "2")
    o.press("extend", "o_extend")
    o.say("extend-bad", "morgen ofzo" if lang == "nl" else "sometime")
    o.say("extend-good", "2026-12-05")
    o.press("extend-yes", "o_extend_yes")  # the new deadline said back in full, confirmed
    o.press("close", "o_close")
    o.press("close-yes", "o_close_yes")
    o.say("rounds-closed", "rondes")
    o.press("status-closed", "o_status", when=lambda c: c.args.get("round_id") == "2")


def _new_round(o: _Person) -> None:
    o.say("rounds-again", "rondes")
    o.press("new", "o_new")
    o.say("name", TYPED["round"])
    o.say("groups", "3A, 3B")
    o.say("deadline", "2026-12-20")
    o.say("explanation", "Let op de overgang naar de bovenbouw.")
    o.press("create", "o_create")


def _settings(o: _Person) -> None:
    o.say("settings", "instellingen")
    o.press("settings-light", "o_require", when=lambda c: c.args.get("light") == "let_op")
    o.press("settings-toggle", "o_toggle", when=lambda c: c.args.get("key") == "auto_close")
    o.press("settings-bad", "o_times", {"reminders": "-5", "quiet": "21:00-07:00"})
    o.press("settings-times", "o_times", {"reminders": "48, 4", "quiet": "22:00-07:00"})


def _sanne(m: _Person) -> None:
    m.say("overview-again", "overzicht")
    m.press("rounds-again", "m_rounds")
    m.press("overview-closed", "m_round", when=lambda c: c.args.get("round_id") == "2")
    m.press("report-closed", "m_student", when=lambda c: "Sanne" in c.label)
    m.press("share", "m_share")
    m.press("share-yes", "m_share_yes")


def _student(s: _Person) -> None:
    s.say("feedback", "plan")
    s.press("plan", "s_plan")
    for step in range(8):
        if not s.can("s_answer"):
            break
        s.press(f"step{step}", "s_answer", {"answer": TYPED["answer"]})
    s.press("goto", "s_goto")
    s.press("goto-save", "s_answer", {"answer": TYPED["answer"]})
    s.press("submit", "s_submit")
    s.press("rounds", "s_rounds")
    s.press("round", "s_feedback", when=lambda c: c.args.get("round_id") == "1")


def _agreements(m: _Person, s: _Person) -> None:
    m.say("report-again", "waar was ik")
    m.press("plan", "m_plan")
    m.press("back-report", "m_student")
    m.press("agree-ask", "m_agree")
    m.say("agree", TYPED["agreements"])
    s.say("feedback-again", "plan")
    s.press("rounds-again", "s_rounds")
    s.press("round-again", "s_feedback", when=lambda c: c.args.get("round_id") == "2")
    s.press("agreements", "s_agreements")


def tour(sf: sessionmaker[Session], lang: str) -> Shown:
    """Seed the demo school in ``sf`` and walk through every card in ``lang``."""
    with unit_of_work(sf) as session:
        seed_demo(session, now=NOW)
    shown: Shown = []
    people = {
        e: _Person(sf, e, shown)
        for e in (DEMO_TEACHER_EMAIL, DEMO_MENTOR_EMAIL, DEMO_STUDENT_EMAIL, DEMO_ORGANIZER_EMAIL)
    }
    t, m, s, o = people.values()
    for p in people.values():
        p.say("menu", "menu" if lang == "nl" else "english")
    _teacher(t, lang)
    _mentor_open(m)
    _organizer(o, lang)
    _sanne(m)
    _student(s)
    _agreements(m, s)
    t.say("closed", "feedback")
    _new_round(o)
    _settings(o)
    binder = Chat(sf, DEMO_ORGANIZER_EMAIL, channel="slack", tenant="TNEW", clock=lambda: NOW)
    shown += [("organizer:binding", r) for r in binder.say("hallo")]
    _Person(sf, "niemand@elders.example", shown).say("unknown-person", "hallo")
    demo = _Person(sf, "nieuw@elders.example", shown, demo=True)
    demo.say("demo", "hallo")
    demo.press("demo-pick", "demo", when=lambda c: c.args.get("role") == "student")
    return shown


def tour_on_copy(template: Path, folder: Path, lang: str) -> Shown:
    path = folder / f"tour-{lang}.sqlite"
    shutil.copy(template, path)
    engine = make_engine(f"sqlite:///{path}")
    try:
        return tour(make_session_factory(engine), lang)
    finally:
        engine.dispose()
