"""The coach on the student's side: a vague step in the student's Plan van Aanpak ("beter mijn
best doen", "harder werken", "try harder") gets one friendly tip, written to the student, with
an example of a concrete step for that subject. It never blocks: the step is saved as typed.

The same rule as for a teacher's action decides what is vague (``actions.vague_action``: no
when, no number, no named thing; an effort idiom or "beter/meer/harder" alone), so a tip
names the words it is about. The example is picked by the subject's name (``_SUBJECT_KINDS``),
texts in ``dialogs/texts/<lang>/coach.yml`` (``coach.plan.*``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from dialogs.coach.actions import vague_action
from dialogs.coach.advice import detect_language
from dialogs.coach.evaluate import TableError
from dialogs.coach.languages import LEXICONS
from dialogs.coach.text import normalise, tokenise
from dialogs.texts import t

# fmt: off
# The start of a subject's name (normalised) -> the kind of example step it gets.
_SUBJECT_KINDS = (
    (("wisk", "reken", "math", "wi", "wa", "wb", "wc", "wd"), "maths"),
    (("engels", "frans", "duits", "spaans", "nederlands", "latijn", "grieks", "chinees",
      "arabisch", "turks", "italiaans", "english", "french", "german", "spanish", "dutch",
      "latin", "greek", "ne", "en", "fa", "du", "sp", "la", "gr", "ltc", "mfl"), "language"),
    (("natuurkunde", "scheikunde", "biologie", "nask", "nlt", "science", "physics",
      "chemistry", "biology", "na", "sk", "bi", "bio"), "science"),
    (("geschiedenis", "aardrijkskunde", "economie", "maatschappij", "filosofie", "levensbesch",
      "history", "geography", "economics", "business", "ak", "gs", "ec", "mw", "ma", "m&o"),
     "reading"),
    (("lo", "gym", "bewegings", "sport", "pe", "physical"), "sport"),
    (("tekenen", "muziek", "kunst", "ckv", "drama", "beeldend", "art", "music", "handvaardig",
      "design"), "arts"),
)
# fmt: on


@dataclass(frozen=True, slots=True)
class PlanTip:
    """The words the tip is about and the tip itself, in the language asked for."""

    words: str
    text: str


def subject_kind(subject: str) -> str:
    """ "maths", "language", "science", "reading", "sport", "arts" or "other"."""
    name = normalise(subject).strip()
    first = name.split()[0] if name.split() else ""
    for starts, kind in _SUBJECT_KINDS:
        for start in starts:
            if (len(start) <= 3 and first == start) or (len(start) > 3 and name.startswith(start)):
                return kind
    return "other"


def plan_step_tip(text: str, *, subject: str, lang: str) -> PlanTip | None:
    """A tip for a vague plan step, None for a concrete one (or nothing typed)."""
    tokens = tokenise(text or "")
    if not any(tok.is_word for tok in tokens):
        return None
    words = vague_action(tokens, LEXICONS[detect_language(tokens)], strict=True)
    if not words:
        return None
    example = t(lang, f"coach.plan.example.{subject_kind(subject)}")
    return PlanTip(words, t(lang, "coach.plan.tip", words=words, subject=subject, example=example))


# ---------------------------------------------------------------- figures
@dataclass(frozen=True)
class PlanScores:
    """The tip on a labelled table of plan steps: vague steps tipped, concrete ones left be."""

    steps: int
    vague: int
    vague_tipped: float
    concrete_tipped: float
    misses: tuple[tuple[str, str, bool], ...] = ()

    def lines(self, name: str) -> list[tuple[str, str]]:
        return [
            (
                f"{name}: steps (vague/concrete)",
                f"{self.steps} ({self.vague}/{self.steps - self.vague})",
            ),
            (f"{name}: vague steps tipped", f"{self.vague_tipped:.3f}"),
            (f"{name}: concrete steps tipped", f"{self.concrete_tipped:.3f}"),
        ]


def read_plan_table(path: Path) -> list[tuple[str, str, bool]]:
    """Rows ``subject<TAB>step<TAB>vague|ok``; a bad line raises ``TableError``."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[2] not in ("vague", "ok") or not parts[1].strip():
            raise TableError(f"{path.name}:{number}: expected subject, step and vague/ok")
        rows.append((parts[0], parts[1], parts[2] == "vague"))
    return rows


def plan_step_scores(path: Path) -> PlanScores:
    rows = read_plan_table(path)
    vague = [row for row in rows if row[2]]
    concrete = [row for row in rows if not row[2]]
    misses = tuple(
        row
        for row in rows
        if (plan_step_tip(row[1], subject=row[0], lang="nl") is not None) != row[2]
    )
    missed_vague = sum(1 for row in misses if row[2])
    wrongly_tipped = len(misses) - missed_vague
    return PlanScores(
        steps=len(rows),
        vague=len(vague),
        vague_tipped=(len(vague) - missed_vague) / len(vague) if vague else 1.0,
        concrete_tipped=wrongly_tipped / len(concrete) if concrete else 0.0,
        misses=misses,
    )
