"""Refusals and missing pages are explained in the layout, with a way back home."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_forbidden_page_explains_whom_to_ask(tenancy):
    response = tenancy.client_for(tenancy.owner).get(reverse("people"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    body = response.content.decode()
    assert "<title>Not available to you" in body
    assert "ask your L&D lead" in body
    assert 'lang="' in body


def test_not_found_page_offers_the_way_home(tenancy, settings):
    settings.DEBUG = False
    client = tenancy.client_for(tenancy.owner)
    response = client.get("/organisation/people/00000000-0000-0000-0000-000000000000/")
    assert response.status_code == 404
    assert reverse("home") in response.content.decode()
