"""Writing shared takeaways: share, react (toggle), feature, delete, post to Teams.

Refusals a person can fix are `SharingError`s naming the field; acting on someone else's
takeaway without the right (reacting from outside its team, featuring without being an L&D
lead, deleting another's) raises `PermissionDenied`. Teams cards leave after commit through
`ancrage.notify.actions.post_teams_card`, once per takeaway (idempotency key).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.catalog.models import Card, Path
from ancrage.engagement.models import (
    Campaign,
    ReactionKind,
    SharedTakeaway,
    TakeawayReaction,
)
from ancrage.engagement.sharing.cards import takeaway_teams_card
from ancrage.engagement.sharing.queries import may_react
from ancrage.notify import actions as notify
from ancrage.notify.models import TeamsChannel
from ancrage.tenancy.models import Membership, Team
from ancrage.transfer.models import ActionPlan


class SharingError(Exception):
    """A refusal with the form field it concerns ("" for the whole form)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def team_channel(team: Team | None) -> TeamsChannel | None:
    """The active Teams channel of a team, if the organisation connected one."""
    if team is None:
        return None
    return TeamsChannel.objects.filter(
        organisation_id=team.organisation_id, team=team, active=True
    ).first()


@transaction.atomic
def share_takeaway(
    *,
    author: Membership,
    text: str,
    campaign: Campaign | None = None,
    path: Path | None = None,
    card: Card | None = None,
    card_key: str = "",
    action_plan: ActionPlan | None = None,
    quote_allowed: bool = False,
    post_to_teams: bool = False,
) -> SharedTakeaway:
    """A learner shares what they take away with their team (optionally its Teams channel)."""
    cleaned = text.strip()
    if not cleaned:
        raise SharingError(_("Write what you take away."), "text")
    if len(cleaned) > SharedTakeaway.MAX_LENGTH:
        raise SharingError(
            _("Keep it to %(max)s characters (you wrote %(n)s).")
            % {"max": SharedTakeaway.MAX_LENGTH, "n": len(cleaned)},
            "text",
        )
    if campaign is not None and campaign.organisation_id != author.organisation_id:
        raise SharingError(_("This campaign belongs to another organisation."))
    if action_plan is not None and action_plan.learner_id != author.pk:
        raise SharingError(_("You can only share from your own action plan."))
    if action_plan is not None and path is None:
        path = action_plan.path
    channel = team_channel(author.team) if post_to_teams else None
    if post_to_teams and channel is None:
        raise SharingError(_("Your team has no Teams channel connected yet."), "post_to_teams")
    takeaway = SharedTakeaway.objects.create(
        organisation_id=author.organisation_id,
        campaign=campaign,
        author=author,
        team_id=author.team_id,
        path=path,
        card=card,
        card_key=card_key if card is not None else "",
        action_plan=action_plan,
        text=cleaned,
        quote_allowed=quote_allowed,
    )
    if channel is not None:
        _post_to_teams(takeaway, channel)
    return takeaway


def _post_to_teams(takeaway: SharedTakeaway, channel: TeamsChannel) -> None:
    notify.post_teams_card(
        webhook=channel,
        card=takeaway_teams_card(takeaway, link=reverse("engagement_sharing_feed")),
        idempotency_key=f"takeaway:{takeaway.pk}:teams",
        source=f"takeaway:{takeaway.pk}",
    )
    takeaway.posted_to_teams_at = timezone.now()
    takeaway.save(update_fields=["posted_to_teams_at", "updated_at"])


@transaction.atomic
def toggle_reaction(*, takeaway: SharedTakeaway, member: Membership, kind: str) -> bool:
    """Add the member's reaction of this kind, or take it back; True when it is now given."""
    if kind not in ReactionKind.values:
        raise SharingError(_("Choose one of the reactions offered."), "kind")
    if not may_react(member, takeaway):
        raise PermissionDenied(_("Only colleagues of the author's team can react."))
    deleted, _rows = TakeawayReaction.objects.filter(
        takeaway=takeaway, member=member, kind=kind
    ).delete()
    if deleted:
        return False
    TakeawayReaction.objects.get_or_create(
        takeaway=takeaway,
        member=member,
        kind=kind,
        defaults={"organisation_id": takeaway.organisation_id},
    )
    return True


@transaction.atomic
def feature_takeaway(
    *, takeaway: SharedTakeaway, by: Membership, featured: bool, now: datetime | None = None
) -> SharedTakeaway:
    """An L&D lead (or admin) features a takeaway for the whole organisation, or stops."""
    if not by.can_manage_people or by.organisation_id != takeaway.organisation_id:
        raise PermissionDenied(_("Only the L&D lead can feature a takeaway."))
    takeaway.featured_at = (now or timezone.now()) if featured else None
    takeaway.featured_by = by if featured else None
    takeaway.save(update_fields=["featured_at", "featured_by", "updated_at"])
    return takeaway


@transaction.atomic
def delete_takeaway(*, takeaway: SharedTakeaway, by: Membership) -> None:
    """Authors delete their own takeaways (reactions go with them)."""
    if takeaway.author_id != by.pk:
        raise PermissionDenied(_("You can only delete your own takeaways."))
    takeaway.delete()
