"""Periodic jobs of transfer: the +1/+7/+30 action-plan check-ins (run by `ancrage schedule`)."""

from datetime import datetime, timedelta

from ancrage.common.schedule import periodic
from ancrage.transfer.actions import send_check_in_reminders


@periodic(name="transfer.ask_due_check_ins", every=timedelta(minutes=15))
def ask_due_check_ins(now: datetime) -> str:
    return f"{len(send_check_in_reminders(now=now))} check-in(s) asked"
