"""Tenant-isolation matrix rows for transfer (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import CATALOGUE, Route
from ancrage.tenancy.models import Membership
from ancrage.transfer.models import ActionCheckIn, ActionPlan, JournalEntry, Observation

ROUTES = [
    Route("transfer_plans"),  # transfer/plans/ plans
    Route("transfer_plan_new"),  # transfer/plans/new/ plan_new
    Route("transfer_plan", kwargs={"plan_id": ActionPlan}),  # transfer/plans/<uuid:plan_id>/ plan
    Route(
        "transfer_plan_action", kwargs={"plan_id": ActionPlan, "verb": "=drop"}
    ),  # transfer/plans/<uuid:plan_id>/<str:verb>/ plan_action
    Route(
        "transfer_check_in", kwargs={"check_in_id": ActionCheckIn}
    ),  # transfer/check-ins/<uuid:check_in_id>/ check_in
    Route("transfer_my_observations"),  # transfer/observations/ my_observations
    Route("transfer_team"),  # transfer/team/ team
    Route(
        "transfer_report", kwargs={"learner_id": Membership}
    ),  # transfer/team/<uuid:learner_id>/ report
    Route(
        "transfer_observe", kwargs={"learner_id": Membership}
    ),  # transfer/team/<uuid:learner_id>/observe/ observe
    Route(
        "transfer_conversation", kwargs={"learner_id": Membership}
    ),  # transfer/team/<uuid:learner_id>/conversation/ conversation
    Route(
        "transfer_observation_discussed", kwargs={"observation_id": Observation}
    ),  # transfer/team/observations/<uuid:observation_id>/discussed/ observation_discussed
    Route("transfer_journal"),  # transfer/journal/ journal
    Route("transfer_journal_new"),  # transfer/journal/new/ entry_new
    Route("transfer_journal_rate"),  # transfer/journal/ratings/ rate
    Route("transfer_journal_export_json"),  # transfer/journal/export.json export_json
    Route("transfer_journal_export"),  # transfer/journal/export/ export_print
    Route(
        "transfer_journal_entry", kwargs={"entry_id": JournalEntry}
    ),  # transfer/journal/<uuid:entry_id>/ entry
    Route(
        "transfer_journal_assess", kwargs={"entry_id": JournalEntry}
    ),  # transfer/journal/<uuid:entry_id>/assess/ assess
    Route("transfer_behaviours"),  # transfer/behaviours/ behaviours
    Route(
        "transfer_behaviour_adapt",
        kwargs={"behaviour_id": "foreign_key_behaviour"},
        scope=CATALOGUE,
    ),  # transfer/behaviours/<uuid:behaviour_id>/ adapt
]
