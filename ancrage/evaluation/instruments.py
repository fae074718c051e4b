"""Follow-up survey instruments; every item carries its Kirkpatrick level and LTEM tier.

The level-1 reaction survey lives in the player (`ancrage.player.survey`). Here:
the level-3 self-report at +30 days and Brinkerhoff's success-case survey at +90 days.
Answer choices are concrete (performance-focused), not Likert agreements.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

L3_SELF_REPORT = "l3-self-report-v1"
SUCCESS_CASE = "success-case-v1"
DELAYS = {L3_SELF_REPORT: 30, SUCCESS_CASE: 90}


@dataclass(frozen=True)
class Item:
    name: str
    question: Promise
    choices: tuple[tuple[str, Promise], ...]
    kirkpatrick_level: int
    ltem_tier: int
    free_text: bool = False


INSTRUMENTS: dict[str, tuple[Item, ...]] = {
    L3_SELF_REPORT: (
        Item(
            "frequency",
            _("Since the path, how often have you applied its key behaviours?"),
            (
                ("several_weekly", _("Several times a week")),
                ("weekly", _("About once a week")),
                ("once_or_twice", _("Once or twice in all")),
                ("never", _("Not yet")),
            ),
            kirkpatrick_level=3,
            ltem_tier=7,
        ),
        Item(
            "obstacle",
            _("What gets most in the way?"),
            (
                ("time", _("Lack of time or the pace of work")),
                ("situations", _("The situations do not come up")),
                ("support", _("Lack of support from my manager or team")),
                ("nothing", _("Nothing: I apply it")),
            ),
            kirkpatrick_level=3,
            ltem_tier=7,
        ),
        Item(
            "manager_talk",
            _("Have you talked about it with your manager since the path?"),
            (
                ("yes_planned", _("Yes, we set a next step together")),
                ("yes_briefly", _("Yes, briefly")),
                ("no", _("No")),
            ),
            kirkpatrick_level=3,
            ltem_tier=7,
        ),
    ),
    SUCCESS_CASE: (
        Item(
            "impact",
            _("Which sentence best describes what changed in your work?"),
            (
                (
                    "concrete_result",
                    _(
                        "I used it and can name a concrete result (a meeting, a client, a conflict settled)"
                    ),
                ),
                ("used_no_result", _("I used it, without a visible result yet")),
                ("not_used", _("I have not really used it")),
            ),
            kirkpatrick_level=4,
            ltem_tier=8,
        ),
        Item(
            "story",
            _("If you have an example, tell it in a few lines (who, what, what result)."),
            (),
            kirkpatrick_level=4,
            ltem_tier=8,
            free_text=True,
        ),
    ),
}
TITLES = {
    L3_SELF_REPORT: _("One month later: what have you applied?"),
    SUCCESS_CASE: _("Three months later: what has changed?"),
}
