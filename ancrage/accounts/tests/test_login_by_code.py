"""Signing in with a code emailed through real SMTP; an invited person joins by doing so."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from ancrage.accounts.actions import invite_person
from ancrage.accounts.models import Invitation
from ancrage.accounts.tests.helpers import link_path
from ancrage.tenancy.models import Membership, MembershipStatus, Role

pytestmark = pytest.mark.django_db

CODE = re.compile(r"^\s*([0-9]{6})\s*$", re.MULTILINE)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # allauth counts code requests per IP in the cache
    yield
    cache.clear()


def _sign_in_by_code(client, smtp_server, email):
    response = client.post(reverse("account_request_login_code"), {"email": email})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("account_confirm_login_code")
    message = smtp_server.wait_for(to=email)
    match = CODE.search(smtp_server.text_body(message))
    assert match, smtp_server.text_body(message)
    return client.post(reverse("account_confirm_login_code"), {"code": match.group(1)})


def test_member_signs_in_with_a_code_received_by_smtp(client, tenancy, smtp_server):
    response = _sign_in_by_code(client, smtp_server, "owner@alpha.test")

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).wsgi_request.user == tenancy.owner.user


def test_wrong_code_does_not_sign_in(client, tenancy, smtp_server):
    client.post(reverse("account_request_login_code"), {"email": "owner@alpha.test"})
    smtp_server.wait_for(to="owner@alpha.test")

    response = client.post(reverse("account_confirm_login_code"), {"code": "WRONG1"})

    assert response.status_code != 302
    assert not client.get(reverse("home")).wsgi_request.user.is_authenticated


def test_invited_person_who_signs_in_by_code_becomes_active(
    client, tenancy, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_person(
            actor=tenancy.ld_lead,
            email="nina@alpha.test",
            name="Nina Neuve",
            team=None,
            manager=None,
            role=Role.LEARNER,
        )
    path = link_path(smtp_server.wait_for(to="nina@alpha.test"))
    smtp_server.clear()

    response = _sign_in_by_code(client, smtp_server, "nina@alpha.test")

    assert response.status_code == 302
    membership = Membership.objects.get(pk=invitation.membership_id)
    assert membership.status == MembershipStatus.ACTIVE
    assert Invitation.objects.get(pk=invitation.pk).accepted_at is not None
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert home.wsgi_request.membership == membership
    client.logout()
    assert client.get(path).status_code == 410


def test_revoked_person_signing_in_by_code_stays_out(client, tenancy, smtp_server):
    invitation = invite_person(
        actor=tenancy.ld_lead,
        email="nina@alpha.test",
        name="Nina Neuve",
        team=None,
        manager=None,
        role=Role.LEARNER,
    )
    tenancy.client_for(tenancy.ld_lead).post(reverse("invitation_revoke", args=[invitation.pk]))

    _sign_in_by_code(client, smtp_server, "nina@alpha.test")

    membership = Membership.objects.get(pk=invitation.membership_id)
    assert membership.status == MembershipStatus.DEACTIVATED
    assert client.get(reverse("home")).wsgi_request.membership is None
