"""Periodic jobs of habits (registered with `ancrage.common.schedule`)."""

from datetime import datetime, timedelta

from ancrage.common.schedule import periodic
from ancrage.habits.intake import schedule_recall_from_lrs
from ancrage.habits.optimise import optimise_recall_parameters
from ancrage.habits.reminders import send_ritual_reminders


@periodic(name="habits.send_ritual_reminders", every=timedelta(minutes=5))
def send_ritual_reminders_job(now: datetime) -> str:
    counts = send_ritual_reminders(now=now)
    return (
        f"{counts['sent']} reminder(s) sent, {counts['late']} too late, "
        f"{counts['quiet']} in quiet hours"
    )


@periodic(name="habits.schedule_recall_items", every=timedelta(minutes=5))
def schedule_recall_items_job(now: datetime) -> str:
    return f"{schedule_recall_from_lrs(now=now)} recall item(s) created"


@periodic(name="habits.optimise_recall_parameters", every=timedelta(days=7))
def optimise_recall_parameters_job(now: datetime) -> str:
    return optimise_recall_parameters(now=now)
