"""The privacy page lists who sees what for every member, in French; « Mes données » is
personal."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import escape
from django.utils.text import capfirst

from ancrage.privacy.declarations import DECLARATIONS
from ancrage.privacy.queries import retention_table

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


def test_every_record_kind_on_the_privacy_page_has_a_translatable_name() -> None:
    """A model named by Django from its class name ("enrolment activitys") stays English."""
    shown = {row.label for row in retention_table()}
    for declaration in DECLARATIONS:
        meta = declaration.model_class._meta
        if capfirst(str(meta.verbose_name_plural)) not in shown:
            continue
        name = meta.original_attrs.get(
            "verbose_name_plural", meta.original_attrs.get("verbose_name")
        )
        assert isinstance(name, Promise), (
            f"{meta.label}: give Meta.verbose_name(_plural) with gettext_lazy"
        )


# Words the same in both languages.
SAME_IN_FRENCH = {"Sessions", "Invitations", "Observations", "Licences", "Programmes", "Exports"}


def test_the_privacy_page_in_french_names_every_record_kind_in_french(tenancy) -> None:  # type: ignore[no-untyped-def]
    with translation.override("en"):
        english = {row.label for row in retention_table()} - SAME_IN_FRENCH
    page = tenancy.client_for(tenancy.owner).get(reverse("privacy")).content.decode()

    leftovers = sorted(
        label for label in english if f'<th scope="row">{escape(label)}</th>' in page
    )
    assert leftovers == []
    assert "Identités Microsoft Entra" in page  # capitals inside a name are kept
