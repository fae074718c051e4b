"""Tenant-isolation matrix rows for notify (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import Route
from ancrage.notify.models import TeamsChannel

ROUTES = [
    Route(
        "notify_unsubscribe", kwargs={"token": "=zz-not-a-token"}
    ),  # notify/unsubscribe/<str:token>/ unsubscribe
    Route("notify_preferences"),  # notify/preferences/ preferences
    Route("notify_teams_channels"),  # notify/teams-channels/ teams_channels
    Route(
        "notify_teams_channel_remove", kwargs={"channel_id": TeamsChannel}
    ),  # notify/teams-channels/<uuid:channel_id>/remove teams_channel_remove
    Route("notify_outbox"),  # notify/outbox/ outbox
]
