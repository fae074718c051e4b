"""What a campaign message looks like for one recipient: email context and Teams card.

The same functions serve the preview page and the sending, so what the L&D lead previews
is what people receive. Placeholders are filled per person for emails; a Teams post goes
to a channel, so personal placeholders get a neutral value there ("à toutes et à tous").
"""

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone, translation

from ancrage.engagement.models import Campaign, CampaignMessage, MessageKind
from ancrage.engagement.placeholders import fill
from ancrage.notify import cards
from ancrage.tenancy.models import Membership

NEUTRAL_NAME = {"fr": "à toutes et à tous", "en": "everyone"}
CALL_TO_ACTION = {"fr": "Participer", "en": "Take part"}
EMAIL_TEMPLATE = "engagement/email/campaign_message"


@dataclass(frozen=True)
class CampaignFacts:
    """What every message of one campaign shares (read once per send, not per person)."""

    campaign: Campaign
    titles: dict[uuid.UUID, str]
    link: str
    target: int | None
    dates: dict[date, str] = field(default_factory=dict)

    def day(self, value: date) -> str:
        """'lundi 15 mars' in the campaign's language (formatted once per campaign)."""
        if value not in self.dates:
            with translation.override(self.campaign.language):
                self.dates[value] = formats.date_format(value, "l j F")
        return self.dates[value]


def campaign_link(campaign: Campaign) -> str:
    return settings.SITE_URL + reverse("engagement_join", args=[campaign.pk])


def first_name(member: Membership) -> str:
    name = (member.user.name or "").strip()
    return name.split()[0] if name else member.user.email.split("@", 1)[0]


def values_for(
    facts: CampaignFacts, message: CampaignMessage, member: Membership | None
) -> dict[str, str]:
    campaign = facts.campaign
    neutral = NEUTRAL_NAME.get(campaign.language, NEUTRAL_NAME["en"])
    if message.path_id is not None and message.path_id in facts.titles:
        paths = [facts.titles[message.path_id]]
    else:
        paths = [title for title in facts.titles.values() if title]
    return {
        "prenom": first_name(member) if member else neutral,
        "nom": (member.user.get_full_name() if member else neutral),
        "organisation": campaign.organisation.name,
        "campagne": campaign.title,
        "enjeu": campaign.strategic_stake,
        "parcours": ", ".join(paths),
        "lien": facts.link,
        "date_debut": facts.day(campaign.starts_on),
        "date_fin": facts.day(campaign.ends_on),
        "objectif": str(facts.target) if facts.target is not None else "",
    }


def email_context(
    facts: CampaignFacts, message: CampaignMessage, member: Membership
) -> dict[str, Any]:
    """The JSON context of the campaign email template for this person."""
    values = values_for(facts, message, member)
    body = fill(message.body, values)
    return {
        "subject": fill(message.subject, values),
        "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
        "campaign": facts.campaign.title,
        "stake": facts.campaign.strategic_stake,
        "organisation": facts.campaign.organisation.name,
        "link": facts.link,
        "call_to_action": CALL_TO_ACTION.get(facts.campaign.language, CALL_TO_ACTION["en"]),
    }


def teams_card(facts: CampaignFacts, message: CampaignMessage) -> dict[str, Any]:
    """The Adaptive Card (1.5, from `ancrage.notify.cards`) posted to the campaign's channel."""
    values = values_for(facts, message, None)
    campaign = facts.campaign
    lang = campaign.language
    paragraphs = [p.strip() for p in fill(message.body, values).split("\n\n") if p.strip()]
    subject = fill(message.subject, values)
    action = CALL_TO_ACTION.get(lang, CALL_TO_ACTION["en"])
    event = getattr(campaign, "event", None) if campaign.is_event else None
    if event is not None and message.kind == MessageKind.KICKOFF:
        starts_at = ""
        if event.kickoff_starts_at is not None:
            with translation.override(lang):
                local = timezone.localtime(event.kickoff_starts_at)
                starts_at = formats.date_format(local, "l j F, H:i")
        return cards.event_kickoff_card(
            lang=lang,
            title=subject,
            theme=str(event.get_theme_display()),
            paragraphs=paragraphs,
            starts_at=starts_at,
            location=event.kickoff_location,
            ends_on=values["date_fin"],
            action_title=action,
            action_url=facts.link,
        )
    if message.kind == MessageKind.DAILY_CARD:
        return cards.daily_card(
            lang=lang,
            title=subject,
            paragraphs=paragraphs,
            path_title=facts.titles.get(message.path_id, "") if message.path_id else "",
            action_title=action,
            action_url=facts.link,
        )
    return cards.campaign_launch_card(
        lang=lang,
        title=subject,
        stake=campaign.strategic_stake,
        paragraphs=paragraphs,
        starts_on=values["date_debut"],
        ends_on=values["date_fin"],
        action_title=action,
        action_url=facts.link,
    )
