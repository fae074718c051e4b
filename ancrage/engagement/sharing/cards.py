"""The Teams card of a shared takeaway: helper over `ancrage.notify.cards.takeaway_card`."""

from typing import Any

from django.conf import settings

from ancrage.engagement.models import SharedTakeaway
from ancrage.engagement.rendering import first_name
from ancrage.engagement.sharing.queries import path_title
from ancrage.notify.cards import takeaway_card


def takeaway_teams_card(takeaway: SharedTakeaway, *, link: str) -> dict[str, Any]:
    """Posted in the organisation's language, with the author's first name."""
    return takeaway_card(
        lang=settings.LANGUAGE_CODE,
        text=takeaway.text,
        campaign_title=takeaway.campaign.title if takeaway.campaign else "",
        path_title=path_title(takeaway.path) if takeaway.path else "",
        author_name=first_name(takeaway.author),
        action_url=settings.SITE_URL.rstrip("/") + link,
    )
