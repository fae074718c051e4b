"""Real learning activity for report tests: enrolments, completed modules, survey answers,
action plans and takeaways, written as rows the player and transfer apps write."""

from datetime import datetime, time, timedelta

import time_machine

from ancrage.catalog.models import Path
from ancrage.engagement.models import Campaign, SharedTakeaway
from ancrage.player.models import (
    Enrolment,
    EnrolmentOrigin,
    EnrolmentStatus,
    ModuleProgress,
    SurveyResponse,
)
from ancrage.tenancy.models import Membership
from ancrage.transfer.models import ActionPlan, PlanState


def start(member: Membership, path: Path, when: datetime) -> Enrolment:
    return Enrolment.objects.create(
        organisation=member.organisation,
        membership=member,
        path=path,
        path_version=path.versions.get(status="published"),
        origin=EnrolmentOrigin.EVENT,
        status=EnrolmentStatus.STARTED,
        started_at=when,
        last_activity_at=when,
    )


def finish(
    enrolment: Enrolment,
    when: datetime,
    *,
    survey: tuple[str, str, str] | None = None,
    comment: str = "",
) -> Enrolment:
    for module in enrolment.path_version.modules.order_by("order"):
        ModuleProgress.objects.create(
            organisation=enrolment.organisation,
            enrolment=enrolment,
            module_slug=module.slug,
            completed_at=when,
        )
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = when
    enrolment.last_activity_at = when
    enrolment.save()
    if survey:
        with time_machine.travel(when, tick=False):  # answered when the path ended
            SurveyResponse.objects.create(
                organisation=enrolment.organisation,
                enrolment=enrolment,
                relevance=survey[0],
                intention=survey[1],
                support=survey[2],
                comment=comment,
            )
    return enrolment


def commit_plan(
    member: Membership, path: Path, when: datetime, *, complete: bool = True
) -> ActionPlan:
    return ActionPlan.objects.create(
        organisation=member.organisation,
        learner=member,
        path=path,
        practice="Reformuler avant de répondre",
        planned_on=(when + timedelta(days=2)).date(),
        planned_at=time(9, 30) if complete else None,
        place="Salle Innovation" if complete else "",
        task="réunion d'équipe",
        state=PlanState.COMMITTED,
        committed_at=when,
    )


def share(
    campaign: Campaign, member: Membership, text: str, *, quote: bool, when: datetime
) -> SharedTakeaway:
    with time_machine.travel(when, tick=False):
        return SharedTakeaway.objects.create(
            organisation=campaign.organisation,
            campaign=campaign,
            author=member,
            text=text,
            quote_allowed=quote,
        )
