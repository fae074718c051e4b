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
from django.utils import formats, translation

from ancrage.engagement.models import Campaign, CampaignMessage
from ancrage.engagement.placeholders import fill
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
    """The Adaptive Card (1.4) posted to the campaign's Teams channel."""
    values = values_for(facts, message, None)
    campaign = facts.campaign
    paragraphs = [p.strip() for p in fill(message.body, values).split("\n\n") if p.strip()]
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": fill(message.subject, values),
            "weight": "Bolder",
            "size": "Large",
            "wrap": True,
        },
        {
            "type": "TextBlock",
            "text": campaign.strategic_stake,
            "isSubtle": True,
            "spacing": "None",
            "wrap": True,
        },
    ]
    body.extend({"type": "TextBlock", "text": p, "wrap": True} for p in paragraphs)
    body.append(
        {
            "type": "FactSet",
            "facts": [
                {
                    "title": "Du" if campaign.language == "fr" else "From",
                    "value": values["date_debut"],
                },
                {"title": "Au" if campaign.language == "fr" else "To", "value": values["date_fin"]},
            ],
        }
    )
    return {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "lang": campaign.language,
        "body": body,
        "actions": [
            {
                "type": "Action.OpenUrl",
                "title": CALL_TO_ACTION.get(campaign.language, CALL_TO_ACTION["en"]),
                "url": facts.link,
            }
        ],
    }
