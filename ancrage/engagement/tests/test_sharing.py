"""Sharing a takeaway with one's team: from a card or an action plan, who sees it, who
reacts (colleagues of the team, one per kind, toggled), who features and deletes it."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ancrage.engagement.actions import CampaignError, share_takeaway
from ancrage.engagement.models import (
    Campaign,
    CampaignStatus,
    SharedTakeaway,
    TakeawayReaction,
)
from ancrage.engagement.sharing import actions
from ancrage.engagement.tests.community import committed_plan, path_with_cards, shared
from ancrage.notify.actions import add_teams_channel
from ancrage.notify.models import Channel, OutboundMessage

PARIS = ZoneInfo("Europe/Paris")
TEXT = "Je reformule avant de répondre : les réunions sont plus courtes."


@pytest.fixture
def takeaway(tenancy):
    return shared(tenancy.owner, TEXT, datetime(2027, 3, 16, 10, tzinfo=PARIS))


def test_a_learner_shares_from_a_card_of_the_player(tenancy):
    path_with_cards("ECOUTE", "Écoute active")
    owner = tenancy.client_for(tenancy.owner)
    url = reverse("engagement_share") + "?path=ECOUTE&card=premier-pas.2"
    page = owner.get(url).content.decode()
    assert "Poser une question ouverte" in page
    assert "Écoute active" in page
    response = owner.post(
        reverse("engagement_share"), {"path": "ECOUTE", "card": "premier-pas.2", "text": TEXT}
    )
    assert response.status_code == 302
    takeaway = SharedTakeaway.objects.get()
    assert takeaway.team == tenancy.team_a
    assert takeaway.path.code == "ECOUTE"
    assert takeaway.card.payload["title"] == "Poser une question ouverte"
    assert takeaway.card_key == "premier-pas.2"
    assert takeaway.campaign is None
    feed = tenancy.client_for(tenancy.teammate).get(reverse("engagement_sharing_feed"))
    assert TEXT in feed.content.decode()
    assert "/play/ECOUTE/?card=premier-pas.2" in feed.content.decode()


def test_a_learner_shares_from_their_own_action_plan_only(tenancy):
    plan = committed_plan(tenancy.owner, datetime(2027, 3, 16, 9, tzinfo=PARIS))
    owner = tenancy.client_for(tenancy.owner)
    assert owner.get(reverse("engagement_share") + f"?plan={plan.pk}").status_code == 200
    assert (
        owner.post(reverse("engagement_share"), {"plan": plan.pk, "text": TEXT}).status_code == 302
    )
    assert SharedTakeaway.objects.get().action_plan == plan
    teammate = tenancy.client_for(tenancy.teammate)
    assert teammate.get(reverse("engagement_share") + f"?plan={plan.pk}").status_code == 404


def test_bad_input_is_refused_with_a_reason(tenancy):
    owner = tenancy.client_for(tenancy.owner)
    too_long = owner.post(reverse("engagement_share"), {"text": "x" * 601})
    assert too_long.status_code == 400
    empty = owner.post(reverse("engagement_share"), {"text": "   "})
    assert empty.status_code == 400
    unknown = owner.get(reverse("engagement_share") + "?path=NOPE&card=a.1")
    assert unknown.status_code == 400
    assert "Parcours inconnu" in unknown.content.decode()
    assert not SharedTakeaway.objects.exists()


def test_only_the_team_and_the_l_and_d_lead_see_a_takeaway(tenancy, takeaway):
    for member in (tenancy.owner, tenancy.teammate, tenancy.manager, tenancy.ld_lead):
        page = tenancy.client_for(member).get(reverse("engagement_sharing_feed"))
        assert TEXT in page.content.decode(), member
    outsider = tenancy.client_for(tenancy.outsider)
    assert TEXT not in outsider.get(reverse("engagement_sharing_feed")).content.decode()
    react = reverse("engagement_sharing_react", args=[takeaway.pk])
    assert outsider.post(react, {"kind": "useful"}).status_code == 404
    other = tenancy.client_for(tenancy.other)
    assert other.post(react, {"kind": "useful"}).status_code == 404
    assert TEXT not in other.get(reverse("engagement_sharing_feed")).content.decode()


def test_colleagues_react_once_per_kind_and_can_take_it_back(tenancy, takeaway):
    teammate = tenancy.client_for(tenancy.teammate)
    react = reverse("engagement_sharing_react", args=[takeaway.pk])
    assert teammate.post(react, {"kind": "useful"}).status_code == 302
    assert teammate.post(react, {"kind": "thanks"}).status_code == 302
    assert sorted(TakeawayReaction.objects.values_list("kind", flat=True)) == ["thanks", "useful"]
    assert teammate.post(react, {"kind": "useful"}).status_code == 302  # toggled off
    assert list(TakeawayReaction.objects.values_list("kind", flat=True)) == ["thanks"]
    assert teammate.post(react, {"kind": "applause"}).status_code == 400
    # Manager Karim is in the team: he reacts too.
    manager = tenancy.client_for(tenancy.manager)
    assert manager.post(react, {"kind": "inspiring"}).status_code == 302
    # The author and the L&D lead (not in the team) do not.
    assert tenancy.client_for(tenancy.owner).post(react, {"kind": "useful"}).status_code == 403
    assert tenancy.client_for(tenancy.ld_lead).post(react, {"kind": "useful"}).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.toggle_reaction(takeaway=takeaway, member=tenancy.outsider, kind="useful")
    assert TakeawayReaction.objects.count() == 2


def test_only_the_l_and_d_lead_features_and_the_organisation_then_sees_it(tenancy, takeaway):
    feature = reverse("engagement_sharing_feature", args=[takeaway.pk])
    assert tenancy.client_for(tenancy.owner).post(feature).status_code == 403
    assert tenancy.client_for(tenancy.manager).post(feature).status_code == 403
    assert tenancy.client_for(tenancy.other_ld_lead).post(feature).status_code == 404
    takeaway.refresh_from_db()
    assert not takeaway.is_featured
    assert tenancy.client_for(tenancy.ld_lead).post(feature).status_code == 302
    takeaway.refresh_from_db()
    assert takeaway.featured_by == tenancy.ld_lead
    outsider = tenancy.client_for(tenancy.outsider)
    assert TEXT in outsider.get(reverse("home")).content.decode()
    assert TEXT in outsider.get(reverse("engagement_sharing_feed")).content.decode()
    assert TEXT not in tenancy.client_for(tenancy.other).get(reverse("home")).content.decode()
    assert tenancy.client_for(tenancy.ld_lead).post(feature, {"featured": "0"}).status_code == 302
    takeaway.refresh_from_db()
    assert not takeaway.is_featured


def test_a_learner_deletes_their_own_takeaway_only(tenancy, takeaway):
    TakeawayReaction.objects.create(
        organisation=tenancy.org_a, takeaway=takeaway, member=tenancy.teammate, kind="useful"
    )
    delete = reverse("engagement_sharing_delete", args=[takeaway.pk])
    assert tenancy.client_for(tenancy.teammate).post(delete).status_code == 403
    assert tenancy.client_for(tenancy.ld_lead).post(delete).status_code == 403
    assert tenancy.client_for(tenancy.outsider).post(delete).status_code == 404
    assert tenancy.client_for(tenancy.owner).post(delete).status_code == 302
    assert not SharedTakeaway.objects.exists()
    assert not TakeawayReaction.objects.exists()


def test_a_takeaway_goes_to_the_team_channel_only_when_asked(
    tenancy, webhook_receiver, django_capture_on_commit_callbacks
):
    owner = tenancy.client_for(tenancy.owner)
    assert "Teams" not in owner.get(reverse("engagement_share")).content.decode()
    add_teams_channel(
        organisation=tenancy.org_a,
        name="Service client",
        webhook_url=webhook_receiver.url(),
        team=tenancy.team_a,
    )
    owner.post(reverse("engagement_share"), {"text": "Sans Teams."})
    assert not OutboundMessage.objects.filter(channel=Channel.TEAMS).exists()
    with django_capture_on_commit_callbacks(execute=True):
        owner.post(reverse("engagement_share"), {"text": TEXT, "post_to_teams": "on"})
    card = OutboundMessage.objects.get(channel=Channel.TEAMS)
    assert card.status == "sent"
    [received] = webhook_receiver.wait_for(count=1)
    assert TEXT in str(received.json)
    assert "Léa" in str(received.json)
    posted = SharedTakeaway.objects.get(text=TEXT)
    assert posted.posted_to_teams_at is not None
    # Outsider's team has no channel: asking is refused with a reason.
    refused = tenancy.client_for(tenancy.outsider).post(
        reverse("engagement_share"), {"text": TEXT, "post_to_teams": "on"}
    )
    assert refused.status_code == 302  # the box is not offered; the takeaway is shared alone
    assert OutboundMessage.objects.filter(channel=Channel.TEAMS).count() == 1


def test_the_campaign_page_shares_the_same_takeaway_with_the_team(tenancy):
    campaign = Campaign.objects.create(
        organisation=tenancy.org_a,
        title="La transition écologique, c'est nous",
        strategic_stake="Plan climat",
        everyone=True,
        channels=["email"],
        starts_on=date(2027, 3, 1),
        ends_on=date(2027, 3, 31),
        status=CampaignStatus.RUNNING,
    )
    takeaway = share_takeaway(
        campaign=campaign, author=tenancy.owner, text=TEXT, quote_allowed=True
    )
    assert (takeaway.campaign, takeaway.team, takeaway.quote_allowed) == (
        campaign,
        tenancy.team_a,
        True,
    )
    with pytest.raises(CampaignError):
        share_takeaway(campaign=campaign, author=tenancy.owner, text=" ", quote_allowed=False)
    assert (
        TEXT
        in tenancy.client_for(tenancy.teammate)
        .get(reverse("engagement_sharing_feed"))
        .content.decode()
    )
