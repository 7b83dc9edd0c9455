"""The order in which the Teams and Slack renderers show a card's buttons.

The four lights come first, in a row of their own. The other choices follow with the primary
ones first (in their own order), then the rest as the dialogs listed them: on a card with a
long list of buttons (the review list, the mentor's overview, a closed round's students) the
action the card is about ("Verder met invullen", "Feedback geven") is then the first button
a person sees on a phone, not one buried under thirty names.

The terminal keeps the dialogs' own order, because its choices are numbered. Each choice keeps
its index in ``card.choices``, so a channel can still name the button after it.
"""

from __future__ import annotations

from dialogs.types import Card, Choice, Style

Indexed = list[tuple[int, Choice]]


def button_rows(card: Card) -> tuple[Indexed, Indexed]:
    """``(lights, others)``: the light choices, then the other choices with the primary first;
    each as ``(index in card.choices, choice)``."""
    indexed = list(enumerate(card.choices))
    lights = [p for p in indexed if p[1].light is not None]
    others = [p for p in indexed if p[1].light is None]
    primary = [p for p in others if p[1].style is Style.PRIMARY]
    rest = [p for p in others if p[1].style is not Style.PRIMARY]
    return lights, primary + rest
