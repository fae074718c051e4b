"""The configurable channel tab: a manager, L&D lead or admin picks a programme or a themed
event; every member of the organisation then sees it in the tab; other organisations and
unknown tabs get 404, learners cannot configure (403)."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.engagement.actions import CampaignInput, EventInput, create_campaign
from ancrage.licensing.actions import ItemSpec, create_programme
from ancrage.licensing.tests.factories import make_licence, make_path
from ancrage.microsoft365.actions import ensure_microsoft365_settings
from ancrage.microsoft365.models import ChannelTab

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(tenancy):
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    path = make_path("ecoute-active", title="Écoute active")
    make_licence(tenancy.org_a)
    programme = create_programme(
        organisation=tenancy.org_a,
        by=tenancy.ld_lead,
        title="Mieux se parler",
        items=[ItemSpec(path=path)],
    )
    event = create_campaign(
        actor=tenancy.ld_lead,
        data=CampaignInput(
            title="Semaine QVT",
            strategic_stake="Prendre soin de soi",
            everyone=True,
            starts_on=date(2027, 3, 15),
            ends_on=date(2027, 3, 19),
            paths=[path],
            event=EventInput(theme="qvt"),
        ),
    )
    return config, programme, event


def _configure(client: Client, config, subject: str):
    return client.post(
        reverse("microsoft365_tab_configure", args=[config.teams_app_id]), {"subject": subject}
    )


@pytest.mark.parametrize("who", ["manager", "ld_lead", "admin"])
def test_a_programme_is_pinned_and_shown_to_the_team(tenancy, setup, who):
    config, programme, _event = setup
    response = _configure(
        tenancy.client_for(getattr(tenancy, who)), config, f"programme:{programme.pk}"
    )
    assert response.status_code == 302
    tab = ChannelTab.objects.get()
    assert tab.programme == programme

    page = tenancy.client_for(tenancy.owner).get(response["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mieux se parler" in body
    assert "Écoute active" in body
    assert reverse("player", args=["ecoute-active"]) in body
    assert "frame-ancestors 'self' https://*.cloud.microsoft" in page["Content-Security-Policy"]


def test_a_themed_event_is_pinned(tenancy, setup):
    config, _programme, event = setup
    response = _configure(tenancy.client_for(tenancy.manager), config, f"event:{event.pk}")
    page = tenancy.client_for(tenancy.teammate).get(response["Location"])
    assert "Semaine QVT" in page.content.decode()


def test_a_learner_cannot_configure_the_tab(tenancy, setup):
    config, programme, _event = setup
    response = _configure(tenancy.client_for(tenancy.owner), config, f"programme:{programme.pk}")
    assert response.status_code == 403
    assert not ChannelTab.objects.exists()


def test_a_bad_choice_is_refused_with_a_reason(tenancy, setup):
    config, *_ = setup
    response = _configure(tenancy.client_for(tenancy.manager), config, "programme:not-a-uuid")
    assert response.status_code == 400
    assert not ChannelTab.objects.exists()


def test_another_organisations_programme_cannot_be_pinned(tenancy, setup):
    _config, programme, _event = setup
    theirs = ensure_microsoft365_settings(organisation=tenancy.org_b)
    tenancy.other_ld_lead.refresh_from_db()
    response = _configure(
        tenancy.client_for(tenancy.other_ld_lead), theirs, f"programme:{programme.pk}"
    )
    assert response.status_code == 400
    assert not ChannelTab.objects.exists()


def test_another_organisation_never_sees_the_tab(tenancy, setup):
    config, programme, _event = setup
    response = _configure(tenancy.client_for(tenancy.ld_lead), config, f"programme:{programme.pk}")
    tab_url = response["Location"]
    page = tenancy.client_for(tenancy.other).get(tab_url)
    assert page.status_code == 404
    theirs = ensure_microsoft365_settings(organisation=tenancy.org_b)
    tab = ChannelTab.objects.get()
    cross = reverse("microsoft365_channel_tab", args=[theirs.teams_app_id, tab.pk])
    assert tenancy.client_for(tenancy.other).get(cross).status_code == 404


def test_a_stranger_is_offered_the_sign_in(tenancy, setup):
    config, *_ = setup
    page = Client().get(reverse("microsoft365_tab_configure", args=[config.teams_app_id]))
    assert page.status_code == 200
    assert reverse("microsoft365_sign_in_popup") in page.content.decode()
