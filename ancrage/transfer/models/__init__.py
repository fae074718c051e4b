"""Transfer: action plans and their check-ins, key-behaviour adaptations, manager
observations and conversations, and the learner's private reflective journal.

Split by aggregate: `plans` (ActionPlan, ActionCheckIn), `behaviours` (OrgKeyBehaviour),
`observations` (Observation, ManagerConversation), `journal` (JournalEntry,
SelfAssessment, BehaviourSelfRating).
"""

from ancrage.transfer.models.behaviours import OrgKeyBehaviour
from ancrage.transfer.models.journal import (
    BehaviourSelfRating,
    JournalEntry,
    SelfAssessment,
    SituationKind,
)
from ancrage.transfer.models.observations import (
    ConversationKind,
    Frequency,
    ManagerConversation,
    Moment,
    Observation,
    ObservationState,
)
from ancrage.transfer.models.plans import (
    CHECK_IN_OFFSETS,
    ActionCheckIn,
    ActionPlan,
    CheckInState,
    Outcome,
    PlanState,
)

__all__ = [
    "CHECK_IN_OFFSETS",
    "ActionCheckIn",
    "ActionPlan",
    "BehaviourSelfRating",
    "CheckInState",
    "ConversationKind",
    "Frequency",
    "JournalEntry",
    "ManagerConversation",
    "Moment",
    "Observation",
    "ObservationState",
    "OrgKeyBehaviour",
    "Outcome",
    "PlanState",
    "SelfAssessment",
    "SituationKind",
]
