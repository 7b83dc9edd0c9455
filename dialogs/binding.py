"""Binding a Teams tenant or Slack workspace to a school, from the chat.

When Stoplicht is used from a tenant or workspace no school is bound to, nobody there can be
recognised. If the person writing is an active organizer, found by email in exactly one school
that is not bound on this platform yet, they are asked once whether to bind this tenant or
workspace to their school; "bind" binds it (``storage.school_config.bind_platform``: audited,
refused when another school holds it) and lets them in. Anyone else, and the organizer who
declined, is told who can bind it and how (``stoplicht school set SCHOOL teams_tenant_id ...``);
nobody gets in until it is bound. The answer "do not bind" is remembered in the organizer's
dialog state (``declined_bindings``), so the question is not asked again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dialogs import actions as A
from dialogs.texts import t
from dialogs.types import Card, Choice, Incoming, Reply, Style
from storage.conversation import state as dialog_state
from storage.models import Person, School
from storage.school_config import bind_platform

PLATFORMS = {"teams": ("Teams", "teams_tenant_id"), "slack": ("Slack", "slack_team_id")}
DECLINED = "declined_bindings"


@dataclass(frozen=True)
class Binding:
    """What the binding flow answers: replies, and the organizer let in when it bound."""

    replies: list[Reply]
    bound: Person | None = None


def unbound(session: Session, inc: Incoming, *, lang: str, now: datetime) -> Binding | None:
    """The answer to a turn from an unbound tenant or workspace; None when the turn's platform
    has no tenants (the terminal) or its tenant is bound (the person is simply not known)."""
    u = inc.user
    if u.channel not in PLATFORMS or not u.tenant.strip():
        return None
    platform, key = PLATFORMS[u.channel]
    column = getattr(School, key)
    if session.scalar(select(School.id).where(column == u.tenant)) is not None:
        return None
    words = {"platform": platform, "setting": key, "tenant": u.tenant}
    explain = Binding([Reply(text=t(lang, "binding.explain", **words))])
    organizers = _organizers(session, u.email)
    if len({p.school_id for p in organizers}) != 1:
        return explain
    person = organizers[0]
    school = session.get_one(School, person.school_id)
    words |= {"school": school.name, "school_id": str(school.id)}
    if getattr(school, key) is not None:  # this school uses another tenant or workspace
        return Binding([Reply(text=t(lang, "binding.bound_elsewhere", **words))])
    if inc.action == A.BIND and inc.args.get("school_id") == str(school.id):
        bind_platform(
            session, school=school, channel=u.channel, tenant=u.tenant, actor_id=person.id, now=now
        )
        return Binding([], bound=person)
    mark = f"{u.channel}:{u.tenant}"
    stored = dialog_state.load(session, person.id)
    declined = list((stored.state if stored else {}).get(DECLINED) or [])
    if inc.action == A.BIND_NO and mark not in declined:
        state = dict(stored.state) if stored else {}
        state[DECLINED] = [*declined, mark]
        dialog_state.save(
            session,
            person_id=person.id,
            state=state,
            version=stored.version if stored else 0,
            now=now,
            read_version=stored.version if stored else None,
        )  # lost to another turn of the organizer: asked again next time, nothing else
        return Binding([Reply(text=t(lang, "binding.declined", **words))])
    if inc.action == A.BIND_NO or mark in declined:
        return Binding([Reply(text=t(lang, "binding.declined", **words))])
    return Binding([Reply(card=_ask(lang, words, school.id))])


def platform_name(channel: str) -> str:
    return PLATFORMS.get(channel, (channel, ""))[0]


def _organizers(session: Session, email: str | None) -> list[Person]:
    if not email or not email.strip():
        return []
    return list(
        session.scalars(
            select(Person)
            .where(
                func.lower(Person.email) == email.strip().lower(),
                Person.active.is_(True),
                Person.is_organizer.is_(True),
            )
            .order_by(Person.id)
        )
    )


def _ask(lang: str, words: dict[str, str], school_id: int) -> Card:
    return Card(
        kind="binding",
        title=t(lang, "binding.ask_title", **words),
        text=t(lang, "binding.ask_text", **words),
        choices=(
            Choice(
                label=t(lang, "binding.yes", **words),
                action=A.BIND,
                args={"school_id": str(school_id)},
                style=Style.PRIMARY,
                submits_fields=False,
            ),
            Choice(label=t(lang, "binding.no"), action=A.BIND_NO, submits_fields=False),
        ),
    )
