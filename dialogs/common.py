"""What everyone can do: typed commands, help, "where was I", language, the unknown hint,
and the answers for a person who is not in any roster (demo mode: pick a demo identity)."""

from __future__ import annotations

from dataclasses import replace

from dialogs import actions as A
from dialogs.flow import Ctx, choice, menu_card
from dialogs.texts import LANGUAGES, catalogue, t
from dialogs.types import Card, Choice, Reply, Style
from storage.demo.roles import DEMO_ROLES
from storage.people import directory as people

# Command text keys (comma-separated synonyms in each catalogue) → (action, args).
COMMANDS: dict[str, tuple[str, dict[str, str]]] = {
    "command.help": (A.HELP, {}),
    "command.where": (A.WHERE, {}),
    "command.menu": (A.MENU, {}),
    "command.stop": (A.STOP, {}),
    "command.cancel": (A.CANCEL, {}),
    "command.feedback": (A.START_FEEDBACK, {}),
    "command.mentor": (A.M_START, {}),
    "command.plan": (A.S_START, {}),
    "command.rounds": (A.O_START, {}),
    "command.settings": (A.O_SETTINGS, {}),
    "command.review": (A.T_REVIEW, {}),
    "command.lang_nl": (A.LANG, {"lang": "nl"}),
    "command.lang_en": (A.LANG, {"lang": "en"}),
    "command.demo": (A.DEMO, {}),
}


def _normalise(text: str) -> str:
    return " ".join(text.strip().lower().replace("?", " ?").split()).rstrip(" .!")


# While a question waits for typed text, only these commands' first words are commands.
ESCAPES = ("command.stop", "command.cancel")


def parse_command(
    text: str | None, *, answering: bool = False
) -> tuple[str, dict[str, str]] | None:
    """A typed command in either language (whole message, case-insensitive), or None.

    ``answering``: a question waits for typed text, so a single word is the answer ("later",
    "hulp", "engels", "mentor") unless it is "stop" or "annuleer"/"cancel"; commands of several
    words ("waar was ik", "taal en") and any command written with a leading "/" ("/help") still
    count."""
    if not text:
        return None
    said = _normalise(text)
    slashed = said.startswith("/")
    said = said.lstrip("/").strip()
    if not said:
        return None
    for lang in LANGUAGES:
        cat = catalogue(lang)
        for key, target in COMMANDS.items():
            words = [_normalise(w) for w in cat[key].split(",")]
            if answering and not slashed:  # one word is an answer, but "stop" escapes
                words = [w for i, w in enumerate(words) if " " in w or (i == 0 and key in ESCAPES)]
            if said in words:
                return target
    return None


def help_replies(ctx: Ctx) -> list[Reply]:
    lines = [ctx.t("help.intro")]
    for role in ctx.roles:
        lines.append(ctx.t(f"help.{role}"))
    lines.append(ctx.t("help.everyone"))
    return [Reply(card=menu_card(ctx, note="\n".join(lines)))]


def _commands(ctx: Ctx) -> str:
    """The commands of the person's roles and everyone's, for a hint."""
    commands = [ctx.t(f"hint.{role}") for role in ctx.roles]
    commands.append(ctx.t("hint.everyone"))
    return ", ".join(commands)


def unknown_replies(ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("hint.unknown", commands=_commands(ctx)))]


def missing_role_replies(ctx: Ctx, role: str) -> list[Reply]:
    """A role's command from someone without that role: said once, nothing else happens."""
    return [Reply(text=ctx.t(f"role.missing.{role}", commands=_commands(ctx)))]


def stopped_replies(ctx: Ctx) -> list[Reply]:
    return [Reply(text=ctx.t("dialog.stopped"))]


def language_replies(ctx: Ctx, lang: str | None) -> list[Reply] | None:
    """Store the chosen language on the person; None when the language is not supported."""
    if lang not in LANGUAGES:
        return None
    people.set_language(ctx.session, person_id=ctx.person.id, language=lang)
    ctx.person = replace(ctx.person, language=lang)
    ctx.lang = lang
    return [Reply(text=ctx.t("dialog.language_set"))]


def unknown_person_replies(lang: str, *, demo: bool, has_demo_school: bool) -> list[Reply]:
    """A person in no roster: a clear message; in demo mode the demo identities to play."""
    if not (demo and has_demo_school):
        return [Reply(text=t(lang, "identity.unknown"))]
    choices = tuple(
        Choice(
            label=t(lang, f"identity.demo_{role}"),
            action=A.DEMO,
            args={"role": role},
            style=Style.PRIMARY if role == "teacher" else Style.DEFAULT,
            submits_fields=False,
        )
        for role in DEMO_ROLES
    )
    card = Card(
        kind="demo_identity",
        title=t(lang, "identity.demo_title"),
        text=t(lang, "identity.demo_text"),
        choices=choices,
    )
    return [Reply(card=card)]


def demo_roles_card(ctx: Ctx) -> Card:
    """Demo mode, known person: switch to another demo identity."""
    return Card(
        kind="demo_identity",
        title=ctx.t("identity.demo_title"),
        text=ctx.t("identity.demo_text"),
        choices=tuple(
            choice(ctx, f"identity.demo_{role}", A.DEMO, role=role) for role in DEMO_ROLES
        ),
    )
