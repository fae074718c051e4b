"""Tenant-isolation matrix rows for habits (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import Route
from ancrage.habits.models import RecallItem, ReviewLog, Ritual

ROUTES = [
    Route("habits_settings"),  # habits/settings/ organisation_settings
    Route("habits_home"),  # habits/ home
    Route("habits_ritual_save"),  # habits/ritual/ ritual_save
    Route(
        "habits_ritual_snooze", kwargs={"ritual_id": Ritual}
    ),  # habits/ritual/<uuid:ritual_id>/snooze ritual_snooze
    Route(
        "habits_ritual_stop", kwargs={"ritual_id": Ritual}
    ),  # habits/ritual/<uuid:ritual_id>/stop ritual_stop
    Route(
        "habits_ritual_link", kwargs={"token": "=zz-not-a-token"}
    ),  # habits/r/<str:token>/ ritual_link
    Route("habits_target"),  # habits/target/ target
    Route("habits_recall"),  # habits/recall/ recall
    Route(
        "habits_recall_answer", kwargs={"item_id": RecallItem}
    ),  # habits/recall/<uuid:item_id>/answer recall_answer
    Route(
        "habits_recall_feedback", kwargs={"review_id": ReviewLog}
    ),  # habits/recall/review/<uuid:review_id>/ recall_feedback
]
