"""The message list of a campaign page: each subject as people read it, and what was sent.

Subjects are filled like the messages themselves (`rendering.values_for`): the campaign's
placeholders get their value; the personal ones (`{prenom}`, `{nom}`) differ per recipient,
so the list shows a readable stand-in ("Prénom") where an email carries them, and the
neutral value a Teams card uses when the message only goes to the channel. A Teams card is
posted to a channel, not to people: the list says whether it was published, and where.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ancrage.engagement.models import CampaignMessage, MessageChannel, MessageStatus
from ancrage.engagement.placeholders import fill
from ancrage.engagement.rendering import CampaignFacts, values_for
from ancrage.notify.models import DeliveryStatus, OutboundMessage
from ancrage.notify.queries import outbound_by_key


@dataclass(frozen=True)
class MessageRow:
    message: CampaignMessage
    subject: str
    # "to N people" is true of emails only; a Teams card says where it was published.
    emailed: bool
    teams_note: str


def list_values(facts: CampaignFacts, message: CampaignMessage) -> dict[str, str]:
    """Placeholder values for the list: the campaign's, and stand-ins for the person's."""
    values = values_for(facts, message, None)
    if MessageChannel.EMAIL in message.channels:
        with translation.override(facts.campaign.language):
            values["prenom"] = pgettext("placeholder stand-in", "First name")
            values["nom"] = pgettext("placeholder stand-in", "First and last name")
    return values


def teams_note(message: CampaignMessage, post: OutboundMessage | None) -> str:
    """What became of the message's Teams card ("" while the message waits for its time)."""
    if MessageChannel.TEAMS not in message.channels or message.status != MessageStatus.SENT:
        return ""
    if post is None:
        return _("Teams card not published: the campaign had no active Teams channel.")
    channel = {"channel": post.recipient}
    if post.status == DeliveryStatus.SENT:
        return _("Published in the Teams channel “%(channel)s”.") % channel
    if post.status == DeliveryStatus.FAILED:
        return _("Could not be published in the Teams channel “%(channel)s”.") % channel
    return _("Not published yet in the Teams channel “%(channel)s” (waiting).") % channel


def message_rows(facts: CampaignFacts, messages: Iterable[CampaignMessage]) -> list[MessageRow]:
    messages = list(messages)
    posts = outbound_by_key(facts.campaign.organisation_id, (m.teams_post_key for m in messages))
    return [
        MessageRow(
            message=message,
            subject=fill(message.subject, list_values(facts, message)),
            emailed=MessageChannel.EMAIL in message.channels,
            teams_note=teams_note(message, posts.get(message.teams_post_key)),
        )
        for message in messages
    ]
