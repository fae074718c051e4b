"""Resend and revoke: POST only, by L&D leads and admins of the invitation's organisation."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.accounts.models import Invitation
from ancrage.accounts.tests.helpers import invite_nina, link_path
from ancrage.tenancy.models import Membership, MembershipStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(tenancy, smtp_server, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_nina(tenancy.admin)
    return invitation


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    tenancy, invitation, smtp_server, django_capture_on_commit_callbacks, client
):
    old_path = link_path(smtp_server.wait_for(to="nina@alpha.test"))
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    smtp_server.clear()
    lead = tenancy.client_for(tenancy.ld_lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = lead.post(reverse("invitation_resend", args=[invitation.pk]))

    assert response.status_code == 302
    new_path = link_path(smtp_server.wait_for(to="nina@alpha.test"))
    assert new_path != old_path
    assert client.get(old_path).status_code == 404
    assert client.get(new_path).status_code == 200
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert invitation.invited_by == tenancy.ld_lead.user
    assert Invitation.objects.count() == 1


def test_revoke_closes_the_link_and_the_invited_membership(
    tenancy, invitation, smtp_server, client
):
    path = link_path(smtp_server.wait_for(to="nina@alpha.test"))

    response = tenancy.client_for(tenancy.ld_lead).post(
        reverse("invitation_revoke", args=[invitation.pk])
    )

    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert Membership.objects.get(pk=invitation.membership_id).status == (
        MembershipStatus.DEACTIVATED
    )
    assert client.get(path).status_code == 410
    page = tenancy.client_for(tenancy.ld_lead).get(reverse("invitations")).content.decode()
    assert "nina@alpha.test" not in page


def test_resending_a_revoked_invitation_sends_nothing(
    tenancy, invitation, smtp_server, django_capture_on_commit_callbacks
):
    lead = tenancy.client_for(tenancy.ld_lead)
    lead.post(reverse("invitation_revoke", args=[invitation.pk]))
    smtp_server.clear()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = lead.post(reverse("invitation_resend", args=[invitation.pk]))

    assert response.status_code == 302
    assert callbacks == []
    assert smtp_server.messages == []


def test_a_revoked_person_can_be_invited_again(
    tenancy, invitation, smtp_server, django_capture_on_commit_callbacks, client
):
    tenancy.client_for(tenancy.ld_lead).post(reverse("invitation_revoke", args=[invitation.pk]))
    smtp_server.clear()

    with django_capture_on_commit_callbacks(execute=True):
        again = invite_nina(tenancy.ld_lead)

    assert again.pk != invitation.pk
    assert again.membership_id == invitation.membership_id
    assert Membership.objects.get(pk=again.membership_id).status == MembershipStatus.INVITED
    assert client.get(link_path(smtp_server.wait_for(to="nina@alpha.test"))).status_code == 200


def test_resend_and_revoke_refuse_get(tenancy, invitation):
    lead = tenancy.client_for(tenancy.ld_lead)
    assert lead.get(reverse("invitation_resend", args=[invitation.pk])).status_code == 405
    assert lead.get(reverse("invitation_revoke", args=[invitation.pk])).status_code == 405
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_another_organisation_cannot_resend_or_revoke(tenancy, invitation, smtp_server):
    smtp_server.clear()
    other_lead = tenancy.client_for(tenancy.other_ld_lead)

    assert other_lead.post(reverse("invitation_resend", args=[invitation.pk])).status_code == 404
    assert other_lead.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 404

    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    assert smtp_server.messages == []
    page = other_lead.get(reverse("invitations")).content.decode()
    assert "nina@alpha.test" not in page


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_learners_and_managers_cannot_resend_or_revoke(tenancy, invitation, who):
    client = tenancy.client_for(getattr(tenancy, who))
    assert client.post(reverse("invitation_resend", args=[invitation.pk])).status_code == 403
    assert client.post(reverse("invitation_revoke", args=[invitation.pk])).status_code == 403
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_unknown_invitation_id_is_404(tenancy):
    lead = tenancy.client_for(tenancy.ld_lead)
    url = reverse("invitation_revoke", args=["00000000-0000-0000-0000-000000000000"])
    assert lead.post(url).status_code == 404
