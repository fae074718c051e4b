"""What transfer sends, through ancrage.notify (one log row per message, sent after commit):
the action plan as a calendar invitation (updated on renewal, cancelled when dropped or
once a habit), check-in reminders, and the "new observation" notice to the learner.

Idempotency keys make a retried task or a double click send nothing twice.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from ancrage.notify.actions import (
    cancel_calendar_event,
    save_calendar_event,
    send_calendar_invitation,
    send_email,
)
from ancrage.notify.models import CalendarEvent, Topic
from ancrage.transfer.models import ActionCheckIn, ActionPlan, Observation

PLAN_SLOT = timedelta(minutes=30)


def plan_sentence(plan: ActionPlan) -> str:
    what = plan.task or plan.practice
    return _("Action plan: %(what)s") % {"what": what}


def invite_to_plan(plan: ActionPlan, *, now: datetime) -> None:
    """Create or update the plan's calendar event and send it (REQUEST, SEQUENCE bumps)."""
    moment = plan.moment()
    if moment is None:
        return
    anchor = (
        _("Right after: %(habit)s.") % {"habit": plan.anchor_habit} if plan.anchor_habit else ""
    )
    description = "\n".join(
        part
        for part in (
            plan.practice,
            plan.task,
            anchor,
            _("The day after, Ancrage will ask you how it went."),
        )
        if part
    )
    event = save_calendar_event(
        organisation=plan.organisation,
        uid=plan.calendar_uid,
        summary=plan_sentence(plan),
        starts_at=moment,
        ends_at=moment + PLAN_SLOT,
        description=description,
        location=plan.place,
        url=settings.SITE_URL + reverse("transfer_plan", args=[plan.pk]),
        source=f"action_plan:{plan.pk}",
    )
    send_calendar_invitation(event=event, attendees=[plan.learner], now=now)


def cancel_plan_invitation(plan: ActionPlan, *, now: datetime) -> None:
    event = CalendarEvent.objects.filter(uid=plan.calendar_uid).first()
    if event is None or event.sent_sequence < 0:
        return
    cancel_calendar_event(event=event, attendees=[plan.learner], now=now)


def remind_check_in(check_in: ActionCheckIn) -> None:
    plan = check_in.plan
    send_email(
        to=plan.learner,
        template="transfer/email/check_in_reminder",
        context={
            "name": plan.learner.user.get_full_name(),
            "task": plan.task or plan.practice,
            "offset_days": check_in.offset_days,
            "occurrence_on": check_in.occurrence_on.isoformat(),
            "link": settings.SITE_URL + reverse("transfer_check_in", args=[check_in.pk]),
        },
        idempotency_key=f"transfer:check-in:{check_in.pk}",
        topic=Topic.REMINDERS,
        source=f"action_plan:{plan.pk}",
    )


def tell_learner_about_observation(observation: Observation) -> None:
    send_email(
        to=observation.learner,
        template="transfer/email/observation_shared",
        context={
            "name": observation.learner.user.get_full_name(),
            "manager": observation.observer.user.get_full_name(),
            "link": settings.SITE_URL + reverse("transfer_my_observations"),
        },
        idempotency_key=f"transfer:observation:{observation.learner_id}:{observation.recorded_at}",
        source=f"observation:{observation.pk}",
    )
