"""The privacy page lists who sees what for every member; « Mes données » is personal."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_privacy_page_is_open_to_every_member(tenancy) -> None:  # type: ignore[no-untyped-def]
    for member in (tenancy.owner, tenancy.manager, tenancy.ld_lead, tenancy.admin, tenancy.other):
        response = tenancy.client_for(member).get(reverse("privacy"))
        assert response.status_code == 200
        content = response.content.decode()
        assert "5" in content
    assert Client().get(reverse("privacy")).status_code == 302


def test_privacy_page_lists_retention_generated_from_declarations(tenancy) -> None:  # type: ignore[no-untyped-def]
    content = tenancy.client_for(tenancy.owner).get(reverse("privacy")).content.decode()
    # Journal entries: deleted on erasure, kept 365 days after leaving (from declarations.py).
    assert "365" in content
    assert content.count("<tr>") > 15


def test_my_data_page_is_for_signed_in_members(tenancy) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(reverse("privacy_my_data")).status_code == 302
    assert Client().post(reverse("privacy_download")).status_code == 302


def test_person_page_offers_erasure_to_admins_only(tenancy) -> None:  # type: ignore[no-untyped-def]
    link = reverse("privacy_erase", args=[tenancy.owner.pk])
    page = tenancy.client_for(tenancy.admin).get(reverse("person", args=[tenancy.owner.pk]))
    assert link in page.content.decode()
    for member in (tenancy.manager, tenancy.ld_lead):
        page = tenancy.client_for(member).get(reverse("person", args=[tenancy.owner.pk]))
        assert link not in page.content.decode()
