from django.urls import path

from ancrage.transfer.views import behaviours, journal, learner, manager

urlpatterns = [
    path("plans/", learner.plans, name="transfer_plans"),
    path("plans/new/", learner.plan_new, name="transfer_plan_new"),
    path("plans/<uuid:plan_id>/", learner.plan, name="transfer_plan"),
    path("plans/<uuid:plan_id>/<str:verb>/", learner.plan_action, name="transfer_plan_action"),
    path("check-ins/<uuid:check_in_id>/", learner.check_in, name="transfer_check_in"),
    path("observations/", learner.my_observations, name="transfer_my_observations"),
    path("team/", manager.team, name="transfer_team"),
    path("team/<uuid:learner_id>/", manager.report, name="transfer_report"),
    path("team/<uuid:learner_id>/observe/", manager.observe, name="transfer_observe"),
    path(
        "team/<uuid:learner_id>/conversation/", manager.conversation, name="transfer_conversation"
    ),
    path(
        "team/observations/<uuid:observation_id>/discussed/",
        manager.observation_discussed,
        name="transfer_observation_discussed",
    ),
    path("journal/", journal.journal, name="transfer_journal"),
    path("journal/new/", journal.entry_new, name="transfer_journal_new"),
    path("journal/ratings/", journal.rate, name="transfer_journal_rate"),
    path("journal/export.json", journal.export_json, name="transfer_journal_export_json"),
    path("journal/export/", journal.export_print, name="transfer_journal_export"),
    path("journal/<uuid:entry_id>/", journal.entry, name="transfer_journal_entry"),
    path("journal/<uuid:entry_id>/assess/", journal.assess, name="transfer_journal_assess"),
    path("behaviours/", behaviours.behaviours, name="transfer_behaviours"),
    path("behaviours/<uuid:behaviour_id>/", behaviours.adapt, name="transfer_behaviour_adapt"),
]
