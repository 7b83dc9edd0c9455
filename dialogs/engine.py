"""The dialog engine: one turn in, replies out, in one unit of work.

Per turn: resolve the person behind the platform account, load their ``DialogState`` (a JSON
dict with one part per flow, and a version), step the flow the turn belongs to, save the state
once. The version goes up with every turn that changes the state, and every card a turn returns
carries it; an action from an older card (an outdated card, a double click) changes nothing and
re-shows the current prompt with a note, posted anew (never ``replace``: the outdated card's
content is unknown here). Turns that change no state (help, a hint, "where was I") leave the
cards on screen valid. Which reply updates the acted card in place is decided by
``dialogs.flow.settle`` (see that module's docstring for the rule).

One press counts once, also when two arrive at the same moment (a double click, two devices,
two server processes): the state is written conditionally on the version the turn read
(``storage.conversation.state.save``). The turn that finds the version moved is rolled back
whole (feedback, audit rows, outbox) and answered as a press from an older card. A press of the
card whose press moved the state (same card version, same button: a double click) gets no
replies at all: the first press answered it, and the next prompt is not posted twice. A press
without a card version (a notification's button) is run again on the new state instead.

A platform request or delivery counts once (``Incoming.receipt``): whichever unit of work
answers the turn (the turn itself, the answer after a state conflict or after a domain error)
records the receipt before it commits, so the record and the turn commit together. Another run
of it, at the same moment or later, is rolled back whole and answers nothing (a repeat of a
delivery raises ``AlreadyAnswered``, so the channel answers the platform as for a repeat); a
turn that failed leaves no record, and a redelivery runs it.

A turn whose database connection was lost in a statement (the database restarted; nothing
was committed) runs once more on a new connection (``storage.db.retryable``).

Errors are translated here: a domain error rolls the turn back and answers with its catalogue
text plus the current prompt; anything unexpected is logged once with context and answered with
a short apology, never a stack trace.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import logging
import marshal
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from dialogs import actions as A
from dialogs import binding, common
from dialogs.flow import Ctx, Flow, StepResult, error_text, menu_card, noted, settle
from dialogs.mentor import review as mentor_review
from dialogs.organizer import rounds as organizer
from dialogs.report import deliver as report_pdf
from dialogs.sanitize import clean_incoming
from dialogs.student import plan as student_plan
from dialogs.teacher import walk as teacher_walk
from dialogs.texts import language, t
from dialogs.types import AlreadyAnswered, Incoming, IncomingKind, Reply
from storage.conversation import claims, inbox
from storage.conversation import state as dialog_state
from storage.db import retryable, unit_of_work
from storage.demo.roles import demo_person
from storage.errors import DomainError
from storage.models import DialogState, PersonKind, School
from storage.people.accounts import link_account
from storage.people.identity import PersonView, Resolved, resolve_turn, school_for
from storage.school_settings import SchoolSettings

log = logging.getLogger(__name__)

FLOWS: dict[str, Flow] = {
    "teacher": teacher_walk,
    "mentor": mentor_review,
    "student": student_plan,
    "organizer": organizer,
}

# How often a turn without a card version is run again when another turn of the same person
# committed first (each run sees the state the other left).
_RUNS = 3


class StateConflict(Exception):
    """Another turn of the same person wrote the dialog state after this turn read it."""


class AlreadyDone(Exception):
    """The request this turn answers was done by another run of it (``Incoming.receipt``)."""


# A typed "overzicht"/"list" opens the overview of the flow the person is in.
_OVERVIEW_OF = {"mentor": A.M_BACK, "student": A.S_FEEDBACK, "organizer": A.O_START}


class DialogEngine:
    """Implements ``dialogs.types.TurnHandler`` over the school database."""

    def __init__(
        self,
        *,
        session_factory: sessionmaker[Session],
        clock: Callable[[], datetime],
        demo: bool = False,
    ) -> None:
        self._sf = session_factory
        self._clock = clock
        self._demo = demo

    def handle(self, incoming: Incoming) -> list[Reply]:
        try:
            incoming = clean_incoming(incoming)  # storable text only (dialogs.sanitize)
            lost = False
            for _run in range(_RUNS):
                try:
                    with unit_of_work(self._sf) as session:
                        return self._receipted(session, incoming, self._turn(session, incoming))
                except DBAPIError as exc:
                    if lost or not retryable(exc):
                        raise
                    lost = True  # the database restarted under the pool: once more, anew
                    log.warning("dialog turn: the database connection was lost, running again")
                except StateConflict as conflict:
                    with unit_of_work(self._sf) as session:
                        replies = self._after_conflict(session, incoming, conflict.args[0])
                        if replies is not None:
                            return self._receipted(session, incoming, replies)
                except DomainError as exc:
                    with unit_of_work(self._sf) as session:
                        replies = self._after_domain_error(session, incoming, exc)
                        return self._receipted(session, incoming, replies)
            raise RuntimeError(f"the dialog state kept changing under {_RUNS} runs of a turn")
        except AlreadyDone:
            if incoming.receipt is not None and not incoming.receipt.kept:
                raise AlreadyAnswered(incoming.receipt.key) from None  # the platform is told
            return []  # another run of the same request answered it
        except Exception:
            log.exception(
                "dialog turn failed: channel=%s user=%s action=%s",
                incoming.user.channel,
                incoming.user.user_id,
                incoming.action,
            )
            return [Reply(text=t(language(incoming.user.locale), "error.unexpected"))]

    # -- one turn -----------------------------------------------------------------------------

    def _receipted(self, session: Session, inc: Incoming, replies: list[Reply]) -> list[Reply]:
        """Record the turn's ``Incoming.receipt`` in the turn's transaction, whichever of its
        units of work commits (the turn, the answer after a state conflict or a domain error):
        a kept request is marked done, a delivery claimed. ``AlreadyDone``, which rolls the
        turn back, when another run did it first."""
        receipt = inc.receipt
        if receipt is not None:
            source, key, now = receipt.source, receipt.key, self._clock()
            if receipt.kept:
                done = inbox.mark_done(session, source=source, key=key, now=now)
            else:
                done = claims.claim_in(session, source=source, event_id=key, now=now)
            if not done:
                raise AlreadyDone(receipt.key)
        return replies

    def _turn(self, session: Session, inc: Incoming) -> list[Reply]:
        now = self._clock()
        resolved = self._resolve(session, inc, now)
        if resolved is None:
            return self._unknown_person(session, inc, now)
        person = resolved.person
        ctx = self._ctx(session, resolved, inc, now)
        stored = resolved.state if resolved.state_known else dialog_state.load(session, person.id)
        version = stored.version if stored is not None else 0
        # The stored state is plain JSON; the flows step a private copy of it, and the turn
        # changed the state when the copy no longer equals what was stored.
        original: dict[str, Any] = stored.state if stored is not None else {}
        state = _copy_state(original)
        if _is_stale(inc, version):
            if _is_repeat(original, inc):  # the press that acted, again: it was answered
                return []
            replies = noted(self._prompt(state, ctx), ctx.t("dialog.stale"))  # never replaces
            return _stamp(replies, version)
        read_version = version if stored is not None else None
        state, replies = self._dispatch(state, inc, ctx)
        replies = settle(inc, replies)  # which reply updates the acted card (dialogs.flow)
        changed = state != original
        if changed and _steps(state) != _steps(original):  # a step outdates cards; a pause not
            if inc.kind == IncomingKind.ACTION:  # remember the press, to know it when repeated
                state = {**state, _PRESSED: _press(inc, version)}
            else:
                state.pop(_PRESSED, None)
            version += 1
        if changed or stored is None:
            written = dialog_state.save(
                session,
                person_id=person.id,
                state=state,
                version=version,
                now=now,
                read_version=read_version,
            )
            if not written:
                raise StateConflict(read_version or 0)
        if ctx.person.id != person.id:  # demo mode: the turn switched to another person,
            version = _version_of(session, ctx.person.id)  # whose cards their state answers
        return _stamp(replies, version)

    def _after_conflict(self, session: Session, inc: Incoming, read: int) -> list[Reply] | None:
        """The answer to a turn that lost the race for the state it read at version ``read``:
        nothing for the same press again, the current prompt for another card's press, and
        None (run the turn again) for a press without a card version or a typed message."""
        now = self._clock()
        resolved = self._resolve(session, inc, now)
        if resolved is None:
            return None
        stored = dialog_state.load(session, resolved.person.id)
        current: dict[str, Any] = stored.state if stored is not None else {}
        if inc.kind == IncomingKind.ACTION and current.get(_PRESSED) == _press(inc, read):
            return []
        if inc.kind != IncomingKind.ACTION or inc.version is None or inc.action in A.TIMELESS:
            return None  # not tied to a card's version (a notification's button): run again
        ctx = self._ctx(session, resolved, inc, now)
        replies = noted(self._prompt(_copy_state(current), ctx), ctx.t("dialog.stale"))
        return _stamp(replies, stored.version if stored is not None else 0)

    def _after_domain_error(self, session: Session, inc: Incoming, exc: DomainError) -> list[Reply]:
        now = self._clock()
        resolved = self._resolve(session, inc, now)
        lang = language(inc.user.locale)
        if resolved is None:
            return [Reply(text=error_text(lang, exc))]
        ctx = self._ctx(session, resolved, inc, now)
        ds = session.get(DialogState, resolved.person.id)
        version = ds.version if ds else 0
        replies = [Reply(text=error_text(ctx.lang, exc))]
        with contextlib.suppress(DomainError):  # the prompt itself may be what fails
            replies += self._prompt(copy.deepcopy(ds.state if ds else {}), ctx)
        return _stamp(replies, version)

    def _resolve(self, session: Session, inc: Incoming, now: datetime) -> Resolved | None:
        """The person and (for a linked account, in the same statement) their dialog state."""
        u = inc.user
        return resolve_turn(
            session,
            channel=u.channel,
            tenant=u.tenant,
            user_id=u.user_id,
            email=u.email,
            demo=self._demo,
            now=now,
            conversation=inc.conversation.data if inc.conversation else None,
        )

    def _ctx(self, session: Session, who: Resolved, inc: Incoming, now: datetime) -> Ctx:
        person, school = who.person, who.school
        lang = language(person.language or inc.user.locale or school.language)
        return Ctx(
            session=session,
            person=person,
            school=school,
            settings=SchoolSettings.from_json(school.settings),
            lang=lang,
            now=now,
            channel=inc.user.channel,
            demo=self._demo,
        )

    def _unknown_person(self, session: Session, inc: Incoming, now: datetime) -> list[Reply]:
        u = inc.user
        lang = language(u.locale)
        school = school_for(session, channel=u.channel, tenant=u.tenant, demo=self._demo)
        if self._demo and school is None:
            school = session.scalars(select(School).where(School.demo.is_(True))).first()
        if self._demo and school is not None and inc.action == A.DEMO:
            person = demo_person(session, school_id=school.id, role=inc.args.get("role", ""))
            if person is not None:
                link_account(
                    session,
                    person=person,
                    channel=u.channel,
                    tenant=u.tenant,
                    user_id=u.user_id,
                    now=now,
                    conversation=inc.conversation.data if inc.conversation else None,
                )
                ctx = self._ctx(session, Resolved.of(person), inc, now)
                note = ctx.t("identity.demo_linked", name=person.display_name)
                menu = [Reply(card=menu_card(ctx, note=note))]
                return _stamp(menu, _version_of(session, person.id))
        if school is None:  # an unbound tenant or workspace (dialogs.binding)
            bound = binding.unbound(session, inc, lang=lang, now=now)
            if bound is not None and bound.bound is not None:
                link_account(
                    session,
                    person=bound.bound,
                    channel=u.channel,
                    tenant=u.tenant,
                    user_id=u.user_id,
                    now=now,
                    conversation=inc.conversation.data if inc.conversation else None,
                )
                ctx = self._ctx(session, Resolved.of(bound.bound), inc, now)
                note = ctx.t(
                    "binding.done",
                    platform=binding.platform_name(u.channel),
                    school=ctx.school.name,
                )
                menu = [Reply(card=menu_card(ctx, note=note))]
                return _stamp(menu, _version_of(session, bound.bound.id))
            if bound is not None:
                return bound.replies
        return common.unknown_person_replies(
            lang, demo=self._demo, has_demo_school=school is not None
        )

    # -- dispatch -----------------------------------------------------------------------------

    def _dispatch(self, state: dict[str, Any], inc: Incoming, ctx: Ctx) -> StepResult:
        if inc.kind == IncomingKind.INSTALLED:
            return state, [Reply(card=menu_card(ctx, note=ctx.t("dialog.welcome")))]
        if inc.kind == IncomingKind.CLOSED:
            return state, []
        current = state.get("flow")
        paused = bool(state.pop("paused", False))  # "stop" was the last turn (state is a copy)
        if inc.kind == IncomingKind.MESSAGE:
            flow = FLOWS.get(current or "")
            sub = state.get(current or "", {})
            # While a question waits for typed text, a one-word text is the answer ("later",
            # "hulp" and "plan" are answers too), except "stop" and "annuleer"/"cancel".
            answering = flow is not None and flow.answers_text(sub) and not paused
            command = common.parse_command(inc.text, answering=answering)
            if command is None:
                if flow is not None and flow.accepts_text(sub):
                    return self._step(state, current or "", inc, ctx)
                return state, common.unknown_replies(ctx)
            action, args = command
            if action == A.T_REVIEW and current in _OVERVIEW_OF:  # "overzicht": of this flow
                action = _OVERVIEW_OF[current]
            if action == A.START_FEEDBACK and ctx.person.kind == PersonKind.STUDENT:
                action = A.S_START  # a student's "feedback" is the feedback they received
            inc = replace(inc, kind=IncomingKind.ACTION, action=action, args=args, version=None)
        action = inc.action or ""
        if action == A.HELP:
            return state, common.help_replies(ctx)
        if action == A.WHERE:
            return state, self._prompt(state, ctx)
        if action == A.MENU:  # the menu is on screen now, not the question: words are commands
            return {**state, "paused": True}, [Reply(card=menu_card(ctx))]
        if action == A.STOP:  # until the next turn, typed words are commands again
            return {**state, "paused": True}, common.stopped_replies(ctx)
        if action == A.LANG:
            replies = common.language_replies(ctx, inc.args.get("lang"))
            if replies is None:
                return state, common.unknown_replies(ctx)
            return state, replies + self._prompt(state, ctx)
        if action == A.DEMO:
            return self._demo_switch(state, inc, ctx)
        if action == A.REPORT_PDF:  # the state stays as it is: the cards on screen stay valid
            replies = report_pdf.replies(ctx, inc.args)
            if inc.version is not None:  # pressed on a card, which the channel marks as used:
                replies += self._prompt(state, ctx)  # the prompt again, to go on from
            return state, replies
        if action == A.CANCEL and current in FLOWS:
            return self._step(state, current, inc, ctx)
        if action in (A.BIND, A.BIND_NO):  # a binding question answered after it was bound
            note = ctx.t("binding.already", platform=binding.platform_name(ctx.channel))
            return state, [Reply(card=menu_card(ctx, note=note))]
        if action == A.T_REVIEW and current != "teacher":
            inc = replace(inc, action=A.START_FEEDBACK)
        flow_name = A.flow_of(action)
        if flow_name is None:
            return state, common.unknown_replies(ctx)
        if action in A.FLOW_OF_ACTION and flow_name not in ctx.roles:
            # a role's entry (typed "plan", "mentor", ...) from someone without that role: say
            # so, and leave them where they were (their flow and its question stay as they are)
            return state, common.missing_role_replies(ctx, flow_name)
        state, replies = self._step(state, flow_name, inc, ctx)
        if action in A.PAUSES:  # a flow's own stop: typed words are commands again, as above
            state = {**state, "paused": True}
        return state, replies

    def _step(self, state: dict[str, Any], flow_name: str, inc: Incoming, ctx: Ctx) -> StepResult:
        sub, replies = FLOWS[flow_name].handle(dict(state.get(flow_name, {})), inc, ctx)
        state = {**state, flow_name: sub, "flow": flow_name}
        return state, replies

    def _prompt(self, state: dict[str, Any], ctx: Ctx) -> list[Reply]:
        current = state.get("flow")
        flow = FLOWS.get(current or "")
        if flow is None:
            return [Reply(card=menu_card(ctx))]
        return flow.prompt(dict(state.get(current or "", {})), ctx)

    def _demo_switch(self, state: dict[str, Any], inc: Incoming, ctx: Ctx) -> StepResult:
        if not (self._demo and ctx.school.demo):
            return state, common.unknown_replies(ctx)
        role = inc.args.get("role")
        person = demo_person(ctx.session, school_id=ctx.school.id, role=role) if role else None
        if person is None:
            return state, [Reply(card=common.demo_roles_card(ctx))]
        u = inc.user
        link_account(
            ctx.session,
            person=person,
            channel=u.channel,
            tenant=u.tenant,
            user_id=u.user_id,
            now=ctx.now,
        )
        ctx.person = PersonView.of(person)
        ctx._roles = None
        note = ctx.t("identity.demo_linked", name=person.display_name)
        return state, [Reply(card=menu_card(ctx, note=note))]


def _copy_state(state: dict[str, Any]) -> dict[str, Any]:
    """A deep copy of a state read from JSON (dicts, lists, strings, numbers, booleans,
    None): a ``marshal`` round trip copies exactly those, four times faster than a JSON round
    trip and far faster than ``copy.deepcopy``. The bytes never leave this function."""
    try:
        copied = marshal.loads(marshal.dumps(state))
    except ValueError:  # a type marshal does not take
        return copy.deepcopy(state)
    return copied if isinstance(copied, dict) else copy.deepcopy(state)


def _version_of(session: Session, person_id: int) -> int:
    """The dialog state version of a person (0 without a state): what their cards carry."""
    stored = dialog_state.load(session, person_id)
    return stored.version if stored is not None else 0


def _steps(state: dict[str, Any]) -> dict[str, Any]:
    """The state without the "paused" mark a stop leaves (which changes no card) and the
    last press that moved it."""
    if "paused" in state or _PRESSED in state:
        return {k: v for k, v in state.items() if k not in ("paused", _PRESSED)}
    return state


# The press that last moved the state: the version it acted on and a digest of its button and
# what was typed with it (a digest: the state holds no more ids or text than the flows put
# there). The same button with other text is not a repeat: it gets the current prompt.
_PRESSED = "pressed"


def _press(inc: Incoming, version: int) -> dict[str, Any]:
    button = json.dumps([inc.action, dict(inc.args), dict(inc.values)], sort_keys=True, default=str)
    return {"v": version, "b": hashlib.sha256(button.encode()).hexdigest()[:16]}


def _is_repeat(state: dict[str, Any], inc: Incoming) -> bool:
    """A press of the same button on the card whose press moved the state (a double click)."""
    return inc.version is not None and state.get(_PRESSED) == _press(inc, inc.version)


def _is_stale(inc: Incoming, version: int | None) -> bool:
    """An action from a card of another version: older (outdated, double click) or one this
    state never issued (a forged or garbled version). Without a version it is always taken."""
    return (
        inc.kind == IncomingKind.ACTION
        and inc.action not in A.TIMELESS
        and inc.version is not None
        and inc.version != (version or 0)
    )


def _stamp(replies: list[Reply], version: int) -> list[Reply]:
    """Every card of a turn carries the state version the turn ended with."""
    return [
        replace(r, card=replace(r.card, version=version)) if r.card is not None else r
        for r in replies
    ]
