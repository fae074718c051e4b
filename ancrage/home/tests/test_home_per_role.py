"""Each role lands on its own home page after sign-in, in French by default."""

import pytest
from django.urls import reverse

from ancrage.tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_see_what_ancrage_is_and_a_sign_in_link(client):
    body = client.get(reverse("home")).content.decode()
    assert 'lang="fr"' in body
    assert reverse("account_login") in body


def test_learner_home_shows_my_paths_with_a_helpful_empty_state(tenancy):
    body = tenancy.client_for(tenancy.owner).get(reverse("home")).content.decode()
    assert "Mes parcours" in body
    assert "assigne" in body  # "dès que votre organisation vous en assigne un…"
    assert reverse("people") not in body


def test_manager_home_lists_their_reports(tenancy):
    body = tenancy.client_for(tenancy.manager).get(reverse("home")).content.decode()
    assert "Léa Owner" in body
    assert "Tom Teammate" in body
    assert "Olga Outsider" not in body


def test_ld_lead_home_counts_people_and_teams_of_their_organisation_only(tenancy):
    response = tenancy.client_for(tenancy.ld_lead).get(reverse("home"))
    assert response.context["people_count"] == 6
    assert response.context["team_count"] == 2
    assert reverse("people") in response.content.decode()


def test_english_is_one_switch_away(tenancy):
    client = tenancy.client_for(tenancy.owner)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert 'lang="en"' in body
    assert "My paths" in body


def test_publisher_staff_have_their_own_home(client):
    user = UserFactory(email="claire@editions.test", publisher_role="editor")
    client.force_login(user)
    assert "Catalogue" in client.get(reverse("home")).content.decode()
