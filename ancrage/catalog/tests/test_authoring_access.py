"""The studio exists only for publisher staff: everyone else is sent to sign in or gets 404."""

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.catalog.models import Card, Module, PathVersion
from ancrage.catalog.tests.published import published_path
from ancrage.catalog.tests.studio import client_for
from conftest import Tenancy

pytestmark = pytest.mark.django_db


def studio_urls(version: PathVersion) -> list[str]:
    module = Module.objects.filter(version=version).first()
    card = Card.objects.filter(module__version=version).first()
    kb = version.key_behaviours.first()
    assert module
    assert card
    assert kb
    return [
        reverse("studio"),
        reverse("studio_path_new"),
        reverse("studio_media"),
        reverse("studio_version", args=[version.pk]),
        reverse("studio_version_details", args=[version.pk]),
        reverse("studio_version_diff", args=[version.pk]),
        reverse("studio_module_edit", args=[module.pk]),
        reverse("studio_card_edit", args=[card.pk]),
        reverse("studio_card_preview", args=[card.pk]),
        reverse("studio_key_behaviour_edit", args=[kb.pk]),
    ]


def test_signed_out_visitors_are_sent_to_sign_in() -> None:
    version = published_path("ECOUTE", title="Écoute")
    for url in studio_urls(version):
        response = Client().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_client_members_of_any_role_get_404(tenancy: Tenancy) -> None:
    version = published_path("ECOUTE", title="Écoute")
    for member in (tenancy.owner, tenancy.manager, tenancy.ld_lead, tenancy.admin, tenancy.other):
        client = client_for(member.user)
        for url in studio_urls(version):
            assert client.get(url).status_code == 404, (member, url)


def test_client_members_cannot_change_anything_by_posting(tenancy: Tenancy) -> None:
    version = published_path("ECOUTE", title="Écoute")
    client = client_for(tenancy.ld_lead.user)
    response = client.post(
        reverse("studio_version_status", args=[version.pk]), {"action": "retire"}
    )
    assert response.status_code == 404
    version.refresh_from_db()
    assert version.status == "published"
    assert client.post(reverse("studio_new_draft", args=[version.path_id])).status_code == 404
    assert PathVersion.objects.count() == 1


def test_publisher_staff_reach_every_studio_page(author: User) -> None:
    version = published_path("ECOUTE", title="Écoute")
    client = client_for(author)
    for url in studio_urls(version):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


def test_unknown_or_malformed_ids_are_404(author: User) -> None:
    client = client_for(author)
    assert client.get("/studio/versions/not-a-uuid/").status_code == 404
    assert (
        client.get(
            reverse("studio_card_edit", args=["0" * 8 + "-0000-0000-0000-" + "0" * 12])
        ).status_code
        == 404
    )


def test_the_publisher_home_counts_versions_and_links_to_the_studio(author: User) -> None:
    published_path("ECOUTE", title="Écoute")
    response = client_for(author).get(reverse("home"))
    assert response.status_code == 200
    assert response.context["counts"] == {"draft": 0, "in_review": 0, "published": 1}
    assert reverse("studio") in response.content.decode()
