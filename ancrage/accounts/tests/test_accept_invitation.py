"""The emailed link lets the invited person choose a password, join, and land signed in."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from ancrage.accounts.actions import revoke_invitation
from ancrage.accounts.tests.helpers import invite_nina, link_path
from ancrage.tenancy.models import Membership, MembershipStatus

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "un vrai mot de passe 2026"


@pytest.fixture
def invited(tenancy, smtp_server, django_capture_on_commit_callbacks):
    """Nina invited into Alpha by the L&D lead; returns (invitation, link path)."""
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_nina(tenancy.ld_lead, team=tenancy.team_a, manager=tenancy.manager)
    return invitation, link_path(smtp_server.wait_for(to="nina@alpha.test"))


def _accept(client, path, password=NEW_PASSWORD):
    return client.post(
        path,
        {"new_password1": password, "new_password2": password},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def test_accepting_sets_password_activates_membership_and_signs_in(client, invited):
    invitation, path = invited

    response = _accept(client, path)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None
    membership = Membership.objects.select_related("user").get(pk=invitation.membership_id)
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.user.check_password(NEW_PASSWORD)
    address = EmailAddress.objects.get(user=membership.user)
    assert (address.email, address.verified, address.primary) == ("nina@alpha.test", True, True)
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert home.wsgi_request.user == membership.user
    assert "Alpha SA" in home.content.decode()
    client.logout()
    assert client.login(username="nina@alpha.test", password=NEW_PASSWORD)


def test_weak_password_is_refused_with_the_validators_reason(client, invited):
    invitation, path = invited

    response = _accept(client, path, password="nina@alpha")

    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None
    assert not invitation.membership.user.has_usable_password()


def test_mismatched_passwords_are_refused(client, invited):
    _invitation, path = invited
    response = client.post(
        path, {"new_password1": NEW_PASSWORD, "new_password2": "autre chose 2026"}
    )
    assert response.status_code == 400


def test_used_link_is_gone_with_a_polite_page(client, invited):
    _invitation, path = invited
    _accept(client, path)
    client.logout()

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert _accept(client, path).status_code == 410


def test_expired_link_is_gone_and_says_to_ask_again(client, invited):
    invitation, path = invited
    invitation.expires_at = timezone.now() - timedelta(seconds=1)
    invitation.save(update_fields=["expires_at"])

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert "new invitation" in response.content.decode()
    assert _accept(client, path).status_code == 410
    assert not invitation.membership.user.has_usable_password()


def test_revoked_link_is_gone(client, tenancy, invited):
    invitation, path = invited
    revoke_invitation(actor=tenancy.ld_lead, invitation=invitation)

    response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 410
    assert "withdrawn" in response.content.decode()
    assert _accept(client, path).status_code == 410


@pytest.mark.parametrize("token", ["nope", "A" * 43, "x" * 300])
def test_unknown_link_is_404_with_the_same_polite_page(client, token):
    response = client.get(reverse("accept_invitation", args=[token]), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert "not valid" in response.content.decode()
