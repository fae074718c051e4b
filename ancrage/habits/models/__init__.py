"""Habits: rituals (a learner's recurring micro-slot and its reminders), weekly streaks
computed from facts, and spaced recall scheduled by FSRS.

Split by aggregate: `settings` (HabitSettings per organisation, HabitProfile per learner),
`rituals` (Ritual, RitualOccurrence), `recall` (RecallItem, ReviewLog, RecallCursor, RecallOptimisation).
A streak has no table: it is computed from the acts themselves (see `ancrage.habits.streaks`).
"""

from ancrage.habits.models.recall import (
    OptimisationOutcome,
    RecallCursor,
    RecallItem,
    RecallOptimisation,
    RecallSource,
    ReviewLog,
)
from ancrage.habits.models.rituals import (
    Frequency,
    OccurrenceOutcome,
    Ritual,
    RitualChannel,
    RitualOccurrence,
    RitualState,
)
from ancrage.habits.models.settings import HabitProfile, HabitSettings

__all__ = [
    "Frequency",
    "HabitProfile",
    "HabitSettings",
    "OccurrenceOutcome",
    "OptimisationOutcome",
    "RecallCursor",
    "RecallItem",
    "RecallOptimisation",
    "RecallSource",
    "ReviewLog",
    "Ritual",
    "RitualChannel",
    "RitualOccurrence",
    "RitualState",
]
