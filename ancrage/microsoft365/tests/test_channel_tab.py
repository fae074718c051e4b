"""The configurable channel tab: a manager, L&D lead or admin picks a programme or a themed
event; the save (called by the page's TeamsJS script when Teams' Save button is pressed)
answers what `pages.config.setConfig` needs; every member of the organisation then sees the
tab's content; other organisations and unknown tabs get 404, learners cannot configure (403).

The page's TeamsJS side is proven in Chromium (`test_browser_channel_tab_config.py`)."""

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse

from ancrage.common.testing.browser import fr
from ancrage.microsoft365.actions import ensure_microsoft365_settings
from ancrage.microsoft365.models import ChannelTab
from ancrage.microsoft365.teams_app.manifest import build_manifest

pytestmark = pytest.mark.django_db


def _configure(client: Client, config, subject: str):
    return client.post(
        reverse("microsoft365_tab_configure", args=[config.teams_app_id]),
        {"subject": subject},
        headers={"accept": "application/json"},
    )


@pytest.mark.parametrize("who", ["manager", "ld_lead", "admin"])
def test_a_programme_is_pinned_and_shown_to_the_team(tenancy, subjects, who, settings):
    settings.SITE_URL = "https://ancrage.example.org"
    config, programme, _event = subjects
    response = _configure(
        tenancy.client_for(getattr(tenancy, who)), config, f"programme:{programme.pk}"
    )
    assert response.status_code == 200
    tab = ChannelTab.objects.get()
    assert tab.programme == programme
    tab_url = reverse("microsoft365_channel_tab", args=[config.teams_app_id, tab.pk])
    assert response.json() == {
        "contentUrl": f"https://ancrage.example.org{tab_url}",
        "websiteUrl": f"https://ancrage.example.org{tab_url}",
        "entityId": str(tab.pk),
        "suggestedDisplayName": "Mieux se parler",
    }

    page = tenancy.client_for(tenancy.owner).get(tab_url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "Mieux se parler" in body
    assert "Écoute active" in body
    assert reverse("player", args=["ecoute-active"]) in body
    assert "frame-ancestors 'self' https://*.cloud.microsoft" in page["Content-Security-Policy"]


def test_a_themed_event_is_pinned(tenancy, subjects):
    config, _programme, event = subjects
    response = _configure(tenancy.client_for(tenancy.manager), config, f"event:{event.pk}")
    assert response.json()["suggestedDisplayName"] == "Semaine QVT"
    page = tenancy.client_for(tenancy.teammate).get(response.json()["contentUrl"])
    assert "Semaine QVT" in page.content.decode()


def test_a_learner_cannot_configure_the_tab(tenancy, subjects):
    config, programme, _event = subjects
    response = _configure(tenancy.client_for(tenancy.owner), config, f"programme:{programme.pk}")
    assert response.status_code == 403
    assert response.json()["error"] == fr(
        "Only managers, L&D leads and admins choose what this tab shows."
    )
    assert not ChannelTab.objects.exists()


def test_a_bad_choice_is_refused_with_a_reason(tenancy, subjects):
    config, *_ = subjects
    for subject in ("programme:not-a-uuid", "event:", "path:x", ""):
        response = _configure(tenancy.client_for(tenancy.manager), config, subject)
        assert response.status_code == 400
        assert response.json()["error"] == fr("Choose one programme or one themed event.")
    assert not ChannelTab.objects.exists()


def test_another_organisations_programme_cannot_be_pinned(tenancy, subjects):
    _config, programme, _event = subjects
    theirs = ensure_microsoft365_settings(organisation=tenancy.org_b)
    tenancy.other_ld_lead.refresh_from_db()
    response = _configure(
        tenancy.client_for(tenancy.other_ld_lead), theirs, f"programme:{programme.pk}"
    )
    assert response.status_code == 400
    assert not ChannelTab.objects.exists()


def test_another_organisation_never_sees_the_tab(tenancy, subjects):
    config, programme, _event = subjects
    response = _configure(tenancy.client_for(tenancy.ld_lead), config, f"programme:{programme.pk}")
    tab_url = response.json()["contentUrl"]
    page = tenancy.client_for(tenancy.other).get(tab_url)
    assert page.status_code == 404
    theirs = ensure_microsoft365_settings(organisation=tenancy.org_b)
    tab = ChannelTab.objects.get()
    cross = reverse("microsoft365_channel_tab", args=[theirs.teams_app_id, tab.pk])
    assert tenancy.client_for(tenancy.other).get(cross).status_code == 404


def test_a_stranger_is_offered_the_sign_in(tenancy, subjects):
    config, *_ = subjects
    page = Client().get(reverse("microsoft365_tab_configure", args=[config.teams_app_id]))
    assert page.status_code == 200
    assert reverse("microsoft365_sign_in_popup") in page.content.decode()


def test_a_save_without_a_session_says_to_sign_in_again(tenancy, subjects):
    config, programme, _event = subjects
    response = _configure(Client(), config, f"programme:{programme.pk}")
    assert response.status_code == 403
    assert response.json()["error"] == fr(
        "You are not signed in any more. Sign in again, then save."
    )
    response = _configure(tenancy.client_for(tenancy.other_ld_lead), config, "programme:x")
    assert response.status_code == 403
    assert response.json()["error"] == fr(
        "You are signed in with an account of another organisation. Sign in with your "
        "account of this organisation."
    )
    assert not ChannelTab.objects.exists()


def test_the_configuration_page_loads_teamsjs_from_our_own_static_files(tenancy, subjects):
    config, programme, event = subjects
    page = tenancy.client_for(tenancy.manager).get(
        reverse("microsoft365_tab_configure", args=[config.teams_app_id])
    )
    body = page.content.decode()
    assert 'data-teams-js="/static/teams-js/MicrosoftTeams.min.js"' in body
    assert "/static/microsoft365/teams_config.js" in body
    assert f'value="programme:{programme.pk}"' in body
    assert f'value="event:{event.pk}"' in body
    # Served from node_modules (npm @microsoft/teams-js, pinned), never from a CDN.
    found = finders.find("teams-js/MicrosoftTeams.min.js")
    assert found is not None
    assert "node_modules/@microsoft/teams-js/dist/umd" in str(found)
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_no_tab_asks_teams_for_a_loading_indicator(tenancy, subjects):
    """Without `showLoadingIndicator` Teams shows a page as soon as it loads, so the personal
    tab and the channel tab's content need not call TeamsJS' `app.notifySuccess()`. Turning
    it on means adding that call to those pages first."""
    config, *_ = subjects
    manifest = build_manifest(config)
    for tab in manifest["staticTabs"] + manifest["configurableTabs"]:
        assert "showLoadingIndicator" not in tab
    assert "showLoadingIndicator" not in manifest
