"""The L&D lead's home shows what is under way: the running themed event, its participation,
its next messages, its evaluation figures with their level, and links to its report and its
evaluation page — small groups hidden, other organisations never shown, few queries."""

import pytest
from django.urls import reverse

from ancrage.engagement.actions import generate_report
from ancrage.engagement.models import Campaign, CampaignStatus
from ancrage.engagement.tests.activity import start
from ancrage.evaluation.actions import refresh_rollups
from ancrage.home.ld_overview import ld_overview
from ancrage.home.tests.conftest import morning, running

pytestmark = pytest.mark.django_db
HIDDEN = "masqué (moins de 5 personnes)"
MAX_QUERIES = 34
MAX_QUERIES_WITH_REPORT = 20


def test_ld_lead_sees_the_running_event_its_figures_and_links(tenancy, qvt_week):
    body = tenancy.client_for(tenancy.ld_lead).get(reverse("home")).content.decode()
    assert 'id="under-way-title"' in body
    assert "Semaine de la qualité de vie au travail" in body
    assert "6 personnes sur 12 ont commencé un parcours" in body  # 12: everyone active at Alpha
    assert "50 %" in body
    assert "Kirkpatrick niveau 1" in body
    assert HIDDEN in body  # three end-of-path answers: fewer than 5
    assert reverse("engagement_report", args=[qvt_week.pk]) in body
    assert reverse("engagement_campaign", args=[qvt_week.pk]) in body
    assert reverse("evaluation_report", args=["event", qvt_week.event.pk]) in body
    assert "Prénom, votre parcours vous attend" in body  # a next message, its subject filled


def test_the_org_admin_sees_it_too_and_the_counters_stay(tenancy, qvt_week):
    response = tenancy.client_for(tenancy.admin).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["overview"].featured.campaign == qvt_week
    assert response.context["people_count"] == 12
    assert reverse("people") in response.content.decode()


def test_figures_about_fewer_than_five_people_are_hidden(tenancy):
    small = running(tenancy.ld_lead, "Petite semaine", everyone=False, teams=[tenancy.team_a])
    start(tenancy.owner, small.paths.get(), morning())
    refresh_rollups(organisation=tenancy.org_a)
    overview = ld_overview(tenancy.ld_lead)
    assert overview is not None
    assert overview.featured is not None
    assert overview.featured.participation.audience == 3
    assert overview.featured.participation.participants is None
    assert all(shown.hidden for shown in overview.featured.headlines)
    body = tenancy.client_for(tenancy.ld_lead).get(reverse("home")).content.decode()
    assert HIDDEN in body
    assert "ont commencé un parcours" not in body


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_learners_and_managers_do_not_see_the_block(tenancy, qvt_week, who):
    member = getattr(tenancy, who)
    assert ld_overview(member) is None
    body = (
        tenancy.client_for(member).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert 'id="under-way-title"' not in body
    assert reverse("engagement_report", args=[qvt_week.pk]) not in body


def test_another_organisations_campaign_never_appears(tenancy, qvt_week):
    theirs = running(tenancy.other_ld_lead, "Semaine de Bêta", event=False)
    body = (
        tenancy.client_for(tenancy.ld_lead)
        .get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Semaine de Bêta" not in body
    assert str(theirs.pk) not in body
    other = (
        tenancy.client_for(tenancy.other_ld_lead)
        .get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Semaine de Bêta" in other
    assert "Semaine de la qualité de vie au travail" not in other
    assert str(qvt_week.pk) not in other


def test_nothing_under_way_says_so(tenancy):
    body = (
        tenancy.client_for(tenancy.ld_lead)
        .get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert 'id="under-way-title"' in body
    assert reverse("engagement_events") in body


def test_the_home_page_reads_a_bounded_number_of_queries(
    tenancy, qvt_week, django_assert_max_num_queries
):
    running(tenancy.ld_lead, "La transition écologique, c'est nous", event=False)
    client = tenancy.client_for(tenancy.ld_lead)
    client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")  # session, language: warm
    with django_assert_max_num_queries(MAX_QUERIES):  # the bilan computed live
        response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "La transition écologique" in response.content.decode()  # "also under way"
    generate_report(campaign=qvt_week)
    with django_assert_max_num_queries(MAX_QUERIES_WITH_REPORT):  # the latest snapshot
        response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.context["overview"].featured.participation.as_of is not None


def test_without_anything_running_the_latest_closed_event_shows_its_final_report(tenancy, qvt_week):
    Campaign.objects.filter(pk=qvt_week.pk).update(status=CampaignStatus.CLOSED)
    qvt_week.refresh_from_db()
    generate_report(campaign=qvt_week, final=True)
    overview = ld_overview(tenancy.ld_lead)
    assert overview is not None
    assert overview.featured is not None
    assert overview.featured.campaign == qvt_week
    assert overview.featured.participation.final is True
    assert overview.featured.next_messages == []
    body = (
        tenancy.client_for(tenancy.ld_lead)
        .get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
        .content.decode()
    )
    assert "Final report of" in body
    assert reverse("engagement_report", args=[qvt_week.pk]) in body
