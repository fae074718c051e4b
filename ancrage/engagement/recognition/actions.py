"""Writing recognitions: rules, automatic proposals, nominations, decisions, Teams posts.

Who decides (docs/adr/0015-recognition-validation-and-no-ranking.md): the organisation's
L&D leads and admins decide every proposal; a manager decides the automatic proposals about their own
direct reports, but never their own nominations (those go to the L&D lead: four eyes). A
learner decides nothing — except whether a validated recognition of theirs goes to their
team's Teams channel (consent). Refusals a person can fix are `RecognitionError`s naming
the field; acting without the right raises `PermissionDenied`.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ancrage.engagement.models import (
    CampaignStatus,
    Recognition,
    RecognitionPeriod,
    RecognitionRule,
    RecognitionStatus,
    ThemedEvent,
)
from ancrage.engagement.queries import campaign_path_ids
from ancrage.engagement.recognition.rules import (
    Period,
    activity_in,
    describe,
    event_period,
    quarters_to_check,
)
from ancrage.engagement.sharing.actions import team_channel
from ancrage.notify import actions as notify
from ancrage.notify.cards import recognition_card
from ancrage.tenancy.models import Membership, MembershipStatus, Role

# An event's recognitions are still proposed this long after its last day (late rows).
EVENT_GRACE_DAYS = 14


class RecognitionError(Exception):
    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class RuleInput:
    name: str
    description: str
    period: str
    min_paths: int
    min_takeaways: int
    min_action_plans: int
    active: bool = True


def _require_ld(actor: Membership) -> None:
    if not actor.can_manage_people:
        raise PermissionDenied(_("Only the L&D lead defines recognitions."))


def _check_rule(organisation_id: uuid.UUID, data: RuleInput, exclude: uuid.UUID | None) -> None:
    if not data.name.strip():
        raise RecognitionError(_("Give the recognition a name."), "name")
    if data.period not in RecognitionPeriod.values:
        raise RecognitionError(_("Choose a quarter or a themed event."), "period")
    if not (data.min_paths or data.min_takeaways or data.min_action_plans):
        raise RecognitionError(
            _("Ask for at least one thing: paths finished, takeaways or action plans."),
            "min_paths",
        )
    same = RecognitionRule.objects.filter(organisation_id=organisation_id, name=data.name.strip())
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise RecognitionError(_("Another recognition already has this name."), "name")


@transaction.atomic
def create_rule(*, by: Membership, data: RuleInput) -> RecognitionRule:
    _require_ld(by)
    _check_rule(by.organisation_id, data, None)
    return RecognitionRule.objects.create(
        organisation_id=by.organisation_id,
        name=data.name.strip(),
        description=data.description.strip(),
        period=data.period,
        min_paths=data.min_paths,
        min_takeaways=data.min_takeaways,
        min_action_plans=data.min_action_plans,
        active=data.active,
        created_by=by,
    )


@transaction.atomic
def update_rule(*, by: Membership, rule: RecognitionRule, data: RuleInput) -> RecognitionRule:
    _require_ld(by)
    _check_rule(rule.organisation_id, data, rule.pk)
    rule.name = data.name.strip()
    rule.description = data.description.strip()
    rule.period = data.period
    rule.min_paths = data.min_paths
    rule.min_takeaways = data.min_takeaways
    rule.min_action_plans = data.min_action_plans
    rule.active = data.active
    rule.save()
    return rule


def _periods_for(rule: RecognitionRule, now: datetime) -> list[Period]:
    if rule.period == RecognitionPeriod.QUARTER:
        return quarters_to_check(now)
    today = timezone.localdate(now)
    events = ThemedEvent.objects.filter(
        organisation_id=rule.organisation_id,
        campaign__status__in=(
            CampaignStatus.SCHEDULED,
            CampaignStatus.RUNNING,
            CampaignStatus.PAUSED,
            CampaignStatus.CLOSED,
        ),
        campaign__starts_on__lte=today,
        campaign__ends_on__gte=today - timedelta(days=EVENT_GRACE_DAYS),
    ).select_related("campaign")
    return [event_period(e, frozenset(campaign_path_ids(e.campaign))) for e in events]


@transaction.atomic
def propose_for_rule(*, rule: RecognitionRule, now: datetime) -> int:
    """Propose the rule to everyone who meets it in a period to check; once each."""
    created = 0
    active_people = set(
        Membership.objects.filter(organisation_id=rule.organisation_id)
        .exclude(status=MembershipStatus.DEACTIVATED)
        .values_list("pk", flat=True)
    )
    for period in _periods_for(rule, now):
        if period.starts_at > now:
            continue
        people = activity_in(rule.organisation_id, period, until=now).meets(rule)
        people = [p for p in people if p in active_people]
        if not people:
            continue
        known = set(
            Recognition.objects.filter(
                rule=rule, period_key=period.key, learner_id__in=people
            ).values_list("learner_id", flat=True)
        )
        rows = [
            Recognition(
                organisation_id=rule.organisation_id,
                learner_id=person,
                rule=rule,
                period_key=period.key,
                period_label=period.label[:200],
                title=rule.name,
                reason=describe(rule, period)[:600],
            )
            for person in people
            if person not in known
        ]
        # ignore_conflicts: a concurrent run proposing the same row is not an error.
        Recognition.objects.bulk_create(rows, ignore_conflicts=True)
        created += len(rows)
    return created


def propose_recognitions(*, now: datetime | None = None) -> int:
    """The periodic job: every active rule of every organisation, each in its own transaction."""
    now = now or timezone.now()
    with translation.override(settings.LANGUAGE_CODE):
        return sum(
            propose_for_rule(rule=rule, now=now)
            for rule in RecognitionRule.objects.filter(active=True).order_by("pk")
        )


@transaction.atomic
def nominate(
    *,
    by: Membership,
    learner: Membership,
    title: str,
    reason: str,
    rule: RecognitionRule | None = None,
) -> Recognition:
    """A manager proposes one of their reports (an L&D lead: anyone in the organisation)."""
    if learner.organisation_id != by.organisation_id:
        raise PermissionDenied
    if not (by.can_manage_people or (by.is_manager and learner.manager_id == by.pk)):
        raise PermissionDenied(_("Managers can only propose their own reports."))
    if learner.pk == by.pk:
        raise RecognitionError(_("You cannot propose yourself."), "learner")
    if rule is not None and rule.organisation_id != by.organisation_id:
        raise PermissionDenied
    title = (title or (rule.name if rule else "")).strip()
    if not title:
        raise RecognitionError(_("Name the recognition or choose one."), "title")
    if not reason.strip():
        raise RecognitionError(_("Say in one sentence what they did."), "reason")
    return Recognition.objects.create(
        organisation_id=by.organisation_id,
        learner=learner,
        rule=rule,
        period_key=f"nomination:{uuid.uuid4()}",
        period_label=_("proposed by %(name)s") % {"name": by.user.name or by.user.email},
        title=title[:120],
        reason=reason.strip()[:600],
        proposed_by=by,
    )


def may_decide(actor: Membership, recognition: Recognition) -> bool:
    if actor.organisation_id != recognition.organisation_id:
        return False
    if actor.can_manage_people:
        return True
    return (
        actor.role == Role.MANAGER
        and recognition.learner.manager_id == actor.pk
        and recognition.proposed_by_id != actor.pk
    )


@transaction.atomic
def decide_recognition(
    *, recognition: Recognition, by: Membership, validate: bool, now: datetime | None = None
) -> Recognition:
    """Validate (the learner is told by email) or decline a proposal; decided once."""
    if not may_decide(by, recognition):
        raise PermissionDenied(_("You cannot decide on this recognition."))
    locked = Recognition.objects.select_for_update().get(pk=recognition.pk)
    if locked.status != RecognitionStatus.PROPOSED:
        raise RecognitionError(_("This recognition was already decided."))
    locked.status = RecognitionStatus.VALIDATED if validate else RecognitionStatus.DECLINED
    locked.decided_by = by
    locked.decided_at = now or timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if validate:
        _tell_learner(locked)
    return locked


def _tell_learner(recognition: Recognition) -> None:
    learner = recognition.learner
    language = getattr(learner.user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = _("Recognition: %(title)s") % {"title": recognition.title}
        paragraphs = [
            _("Hello %(name)s,") % {"name": (learner.user.name or "").split(" ")[0]},
            _("%(organisation)s recognises you: « %(title)s ».")
            % {"organisation": learner.organisation.name, "title": recognition.title},
            recognition.reason,
            _(
                "It shows on your home page. If you wish, you can share it with your team "
                "on Teams from there."
            ),
        ]
        link_label = _("See my recognitions")
    notify.send_email(
        to=learner,
        template="notify/email/message",
        context={
            "subject": subject,
            "paragraphs": paragraphs,
            "link": settings.SITE_URL + reverse("engagement_my_recognitions"),
            "link_label": link_label,
        },
        idempotency_key=f"recognition:{recognition.pk}:validated",
        language=language,
        subject=subject,
        source=f"recognition:{recognition.pk}",
    )


@transaction.atomic
def post_recognition_to_teams(
    *, recognition: Recognition, by: Membership, now: datetime | None = None
) -> Recognition:
    """The learner agrees to show their validated recognition in their team's channel."""
    if by.pk != recognition.learner_id:
        raise PermissionDenied(_("Only the person recognised can share it."))
    if recognition.status != RecognitionStatus.VALIDATED:
        raise RecognitionError(_("Only a validated recognition can be shared."))
    channel = team_channel(by.team)
    if channel is None:
        raise RecognitionError(_("Your team has no Teams channel connected yet."))
    card = recognition_card(
        lang=settings.LANGUAGE_CODE,
        recipient_name=by.user.name or by.user.email,
        giver_name=by.organisation.name,
        message=recognition.reason,
        behaviour=recognition.title,
        action_url=settings.SITE_URL + reverse("engagement_sharing_feed"),
    )
    notify.post_teams_card(
        webhook=channel,
        card=card,
        idempotency_key=f"recognition:{recognition.pk}:teams",
        source=f"recognition:{recognition.pk}",
    )
    if recognition.posted_to_teams_at is None:
        recognition.posted_to_teams_at = now or timezone.now()
        recognition.save(update_fields=["posted_to_teams_at", "updated_at"])
    return recognition
