"""The reaction survey at the end of a path (Kirkpatrick level 1, LTEM tier 3).

Performance-focused items (after Thalheimer's performance-focused learner surveys): each
answer choice is a concrete situation, not a Likert agreement, so that the result says
something about the chance of transfer. Three items — relevance to my job, intention to
apply, expected support — and an optional comment. Choices are ordered from the most to
the least favourable to transfer; their codes are what `SurveyResponse` stores and what
reports count.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

INSTRUMENT = "l1-performance-v1"
KIRKPATRICK_LEVEL = 1
LTEM_TIER = 3


@dataclass(frozen=True)
class Item:
    name: str
    question: Promise
    choices: tuple[tuple[str, Promise], ...]
    kirkpatrick_level: int = KIRKPATRICK_LEVEL
    ltem_tier: int = LTEM_TIER

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _label in self.choices)


ITEMS: tuple[Item, ...] = (
    Item(
        "relevance",
        _("How useful is this path for your work?"),
        (
            ("this_week", _("I will use it this week, in a situation I can already name")),
            ("coming_weeks", _("I will use it in the coming weeks, when the situation comes up")),
            ("not_yet", _("It is useful, but I do not see yet when I will use it")),
            ("not_my_job", _("It does not match the situations of my job")),
        ),
    ),
    Item(
        "intention",
        _("What will you do with what you learnt?"),
        (
            ("planned", _("I have decided when and where I will apply it (day, time, place)")),
            ("will_try", _("I will try it, without a precise plan yet")),
            ("will_think", _("I will think about it before deciding")),
            ("no_intention", _("I do not intend to apply it")),
        ),
    ),
    Item(
        "support",
        _("What support do you expect to apply it?"),
        (
            ("manager_follow_up", _("My manager knows about it and will follow up with me")),
            ("can_ask", _("I can talk about it with my manager or colleagues if I need to")),
            ("none", _("I do not expect any support")),
            ("obstacles", _("I expect obstacles that will make it hard to apply")),
        ),
    ),
)
COMMENT_MAX = 2000
