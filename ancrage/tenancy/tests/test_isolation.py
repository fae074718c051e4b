"""A member of one organisation reaches nothing of another, and roles narrow what they see."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_every_people_and_team_url_of_another_organisation_is_404(tenancy):
    client = tenancy.client_for(tenancy.other_ld_lead)
    foreign_urls = [
        reverse("person", args=[m.pk])
        for m in (tenancy.owner, tenancy.teammate, tenancy.manager, tenancy.ld_lead, tenancy.admin)
    ] + [reverse("team", args=[t.pk]) for t in (tenancy.team_a, tenancy.team_a2)]
    for url in foreign_urls:
        assert client.get(url).status_code == 404, url


def test_people_list_shows_only_own_organisation(tenancy):
    response = tenancy.client_for(tenancy.ld_lead).get(reverse("people"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Léa Owner" in body
    assert "Otto Other" not in body
    assert "Bea Lead" not in body


def test_teams_list_shows_only_own_organisation(tenancy):
    body = tenancy.client_for(tenancy.ld_lead).get(reverse("teams")).content.decode()
    assert "Service client" in body
    assert "Guichet unique" not in body


def test_manager_sees_reports_but_not_other_teams(tenancy):
    client = tenancy.client_for(tenancy.manager)
    assert client.get(reverse("person", args=[tenancy.owner.pk])).status_code == 200
    assert client.get(reverse("person", args=[tenancy.outsider.pk])).status_code == 404
    body = client.get(reverse("people")).content.decode()
    assert "Léa Owner" in body
    assert "Olga Outsider" not in body


def test_learner_sees_only_themselves(tenancy):
    client = tenancy.client_for(tenancy.owner)
    assert client.get(reverse("person", args=[tenancy.owner.pk])).status_code == 200
    assert client.get(reverse("person", args=[tenancy.teammate.pk])).status_code == 404
    assert client.get(reverse("people")).status_code == 403


def test_malformed_ids_are_404_not_500(tenancy):
    client = tenancy.client_for(tenancy.ld_lead)
    assert client.get("/organisation/people/not-a-uuid/").status_code == 404
    assert (
        client.get("/organisation/teams/00000000-0000-0000-0000-000000000000/").status_code == 404
    )


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("people"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
