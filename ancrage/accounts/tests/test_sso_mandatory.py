"""Mandatory SSO: members lose passwords and codes (clear message), admins keep break-glass."""

import re

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from ancrage.accounts.actions import invite_person
from ancrage.accounts.models import new_invitation_token
from ancrage.accounts.sso.crypto import encrypt_secret
from ancrage.accounts.sso.models import Protocol, SsoConnection
from ancrage.accounts.sso.queries import sso_required_for
from ancrage.tenancy.models import Role

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^\s*([0-9]{6})\s*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def mandatory(tenancy) -> SsoConnection:  # type: ignore[no-untyped-def]
    return SsoConnection.objects.create(
        organisation=tenancy.org_a,
        protocol=Protocol.ENTRA,
        enabled=True,
        mandatory=True,
        entra_tenant_id="3f1c2a4e-8b7d-4c1e-9a55-2d6e7f8a9b0c",
        oidc_client_id="ancrage",
        oidc_client_secret_encrypted=encrypt_secret("secret"),
    )


def _password_sign_in(client: Client, email: str, password: str):  # type: ignore[no-untyped-def]
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _is_signed_in(client: Client) -> bool:
    return bool(client.get(reverse("account_login")).wsgi_request.user.is_authenticated)


def test_password_sign_in_is_refused_for_members_pointing_to_sso(
    client, tenancy, mandatory, password
):
    response = _password_sign_in(client, "owner@alpha.test", password)

    assert response.status_code == 302
    assert response["Location"] == reverse("sso_start")
    page = client.get(response["Location"]).content.decode()
    assert "Alpha SA" in page  # the message names the organisation and the SSO button
    assert 'role="status"' in page
    assert not _is_signed_in(client)


@pytest.mark.parametrize("who", ["owner", "manager", "ld_lead"])
def test_every_non_admin_role_is_held_to_sso(client, tenancy, mandatory, password, who):
    email = getattr(tenancy, who).user.email

    _password_sign_in(client, email, password)

    assert not _is_signed_in(client)


def test_code_sign_in_is_refused_for_members(client, tenancy, mandatory, smtp_server):
    client.post(reverse("account_request_login_code"), {"email": "owner@alpha.test"})
    message = smtp_server.wait_for(to="owner@alpha.test")
    code = CODE.search(smtp_server.text_body(message))
    assert code

    response = client.post(reverse("account_confirm_login_code"), {"code": code.group(1)})

    assert response.status_code == 302
    assert response["Location"] == reverse("sso_start")
    assert not _is_signed_in(client)


def test_organisation_admin_keeps_the_password_as_break_glass(client, tenancy, mandatory, password):
    response = _password_sign_in(client, "admin@alpha.test", password)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert _is_signed_in(client)


def test_other_organisations_are_not_affected(client, tenancy, mandatory, password):
    _password_sign_in(client, "other@beta.test", password)

    assert _is_signed_in(client)


def test_not_enforced_while_the_connection_is_disabled(client, tenancy, mandatory, password):
    mandatory.enabled = False
    mandatory.save()

    _password_sign_in(client, "owner@alpha.test", password)

    assert _is_signed_in(client)
    assert sso_required_for(tenancy.owner.user) is None


def test_sign_in_page_offers_the_organisation_button(client):
    page = client.get(reverse("account_login")).content.decode()

    assert f'href="{reverse("sso_start")}' in page


def test_continue_with_your_organisation_by_email_domain_or_short_name(client, mandatory):
    mandatory.email_domains = "alpha.test, alpha-group.fr"
    mandatory.save()

    by_email = client.post(reverse("sso_start"), {"identifier": "Jean@Alpha-Group.fr"})
    by_slug = client.post(reverse("sso_start"), {"identifier": "alpha"})
    unknown = client.post(reverse("sso_start"), {"identifier": "x@nowhere.test"})

    assert by_email["Location"] == by_slug["Location"] == reverse("sso_login", args=["alpha"])
    assert unknown.status_code == 400
    assert "No organisation signs in" in unknown.content.decode() or (
        "Aucune organisation" in unknown.content.decode()
    )


def test_an_invitation_link_leads_to_sso_instead_of_a_password(client, tenancy, mandatory):
    invitation = invite_person(
        actor=tenancy.ld_lead,
        email="nina@alpha.test",
        name="Nina",
        team=None,
        manager=None,
        role=Role.LEARNER,
    )
    token, invitation.token_hash = new_invitation_token()
    invitation.save()

    response = client.get(reverse("accept_invitation", args=[token]))

    assert response.status_code == 302
    assert response["Location"] == reverse("sso_login", args=["alpha"])


def test_an_invited_admin_still_chooses_a_password(client, tenancy, mandatory):
    invitation = invite_person(
        actor=tenancy.admin,
        email="adele@alpha.test",
        name="Adèle",
        team=None,
        manager=None,
        role=Role.ORG_ADMIN,
    )
    token, invitation.token_hash = new_invitation_token()
    invitation.save()

    assert client.get(reverse("accept_invitation", args=[token])).status_code == 200
