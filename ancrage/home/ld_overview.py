"""What is under way, on the L&D lead's (and organisation admin's) home page.

The featured campaign or themed event is the one running now (an event before a campaign),
or else the latest announced or closed one. Its participation comes from its bilan: the
latest report snapshot when there is one, otherwise the same figures computed live by
`engagement.report.build_figures` (read only; nothing is saved). Its headline figures come
from the evaluation rollups of its scope (`evaluation.queries.dashboard`), each with its
Kirkpatrick level. Everything is read through the engagement and evaluation access helpers,
inside the actor's organisation; a figure about fewer than 5 people is hidden
(`evaluation.privacy.k_anonymous`).
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.http import Http404
from django.utils import timezone

from ancrage.engagement.actions import campaign_facts
from ancrage.engagement.models import Campaign, CampaignStatus, MessageStatus
from ancrage.engagement.queries import campaigns_of, latest_report
from ancrage.engagement.report import build_figures
from ancrage.engagement.timeline import MessageRow, message_rows
from ancrage.evaluation.privacy import MIN_GROUP, k_anonymous
from ancrage.evaluation.queries import Shown, can_see_reports, dashboard
from ancrage.tenancy.models import Membership

HEADLINE_CODES = ("active_30d", "completion_rate", "l1_relevance", "bars_before", "bars_after")
NEXT_MESSAGES = 3
OTHERS = 3
SHOWN_STATUSES = (CampaignStatus.RUNNING, CampaignStatus.SCHEDULED, CampaignStatus.CLOSED)
RECENT = 50


@dataclass(frozen=True)
class Participation:
    """The bilan's headline: None values when the audience is under 5 people."""

    audience: int
    participants: int | None
    participation: int | None
    finishers: int | None
    target: int | None
    as_of: datetime | None  # the snapshot's date; None when computed live
    final: bool

    @property
    def hidden(self) -> bool:
        return self.participants is None


@dataclass
class Featured:
    campaign: Campaign
    participation: Participation
    next_messages: list[MessageRow]
    headlines: list[Shown]
    evaluation_kind: str
    evaluation_scope_id: str
    refreshed_at: datetime | None


@dataclass
class Overview:
    featured: Featured | None
    others: list[Campaign] = field(default_factory=list)
    min_group: int = MIN_GROUP


def _rank(campaign: Campaign) -> tuple[int, int, int]:
    """Running (events first, latest start first), then announced (soonest), then closed."""
    if campaign.status == CampaignStatus.RUNNING:
        return (0, 0 if campaign.is_event else 1, -campaign.starts_on.toordinal())
    if campaign.status == CampaignStatus.SCHEDULED:
        return (1, 0, campaign.starts_on.toordinal())
    return (2, 0, -campaign.ends_on.toordinal())


def _participation(campaign: Campaign, now: datetime) -> Participation:
    report = latest_report(campaign)
    figures: dict[str, Any]
    if report is not None:
        figures, as_of, final = report.figures, report.generated_at, report.final
    else:
        figures, as_of, final = build_figures(campaign, now=now), None, False
    audience = int(figures.get("audience", 0))
    shown = k_anonymous(audience, not figures.get("hidden", False))
    return Participation(
        audience=audience,
        participants=int(figures["participants"]) if shown else None,
        participation=int(figures["participation"]) if shown else None,
        finishers=int(figures["finishers"]) if shown else None,
        target=figures.get("target"),
        as_of=as_of,
        final=final,
    )


def _headlines(actor: Membership, kind: str, scope_id: str) -> tuple[list[Shown], datetime | None]:
    try:
        board = dashboard(actor, kind, scope_id)
    except Http404:
        return [], None
    by_code = {shown.code: shown for shown in board.rows()}
    return [by_code[code] for code in HEADLINE_CODES if code in by_code], board.refreshed_at


def ld_overview(actor: Membership, *, now: datetime | None = None) -> Overview | None:
    """The block's content for an L&D lead or organisation admin; None for anyone else."""
    if not actor.can_manage_people or not can_see_reports(actor):
        return None
    now = now or timezone.now()
    recent = (
        campaigns_of(actor)
        .filter(status__in=SHOWN_STATUSES)
        .select_related("organisation")
        .order_by("-starts_on")
    )
    candidates = sorted(recent[:RECENT], key=_rank)
    if not candidates:
        return Overview(featured=None)
    campaign = candidates[0]
    others = [c for c in candidates[1:] if c.status in Campaign.LIVE_STATUSES][:OTHERS]
    pending = campaign.messages.filter(status=MessageStatus.PENDING).order_by("send_at")
    rows = (
        message_rows(campaign_facts(campaign), pending[:NEXT_MESSAGES])
        if campaign.status in Campaign.LIVE_STATUSES
        else []
    )
    kind = "event" if campaign.is_event else "campaign"
    scope_id = str(campaign.event.pk if campaign.is_event else campaign.pk)
    headlines, refreshed_at = _headlines(actor, kind, scope_id)
    featured = Featured(
        campaign=campaign,
        participation=_participation(campaign, now),
        next_messages=rows,
        headlines=headlines,
        evaluation_kind=kind,
        evaluation_scope_id=scope_id,
        refreshed_at=refreshed_at,
    )
    return Overview(featured=featured, others=others)
