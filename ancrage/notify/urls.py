from django.urls import path

from ancrage.notify import views

urlpatterns = [
    path("unsubscribe/<str:token>/", views.unsubscribe, name="notify_unsubscribe"),
    path("preferences/", views.preferences, name="notify_preferences"),
    path("teams-channels/", views.teams_channels, name="notify_teams_channels"),
    path(
        "teams-channels/<uuid:channel_id>/remove",
        views.teams_channel_remove,
        name="notify_teams_channel_remove",
    ),
    path("outbox/", views.outbox, name="notify_outbox"),
]
