"""Invitations go through the outbox like every message, without their secret link in it."""

import json

import pytest

from ancrage.accounts.actions import invite_person, resend_invitation, revoke_invitation
from ancrage.accounts.models import Invitation, hash_invitation_token
from ancrage.accounts.tests.helpers import link_path
from ancrage.notify.delivery import deliver
from ancrage.notify.models import Channel, DeliveryStatus, OutboundMessage
from ancrage.tenancy.models import Role

pytestmark = pytest.mark.django_db


def _invite(tenancy, email="olga@alpha.test"):  # type: ignore[no-untyped-def]
    return invite_person(
        actor=tenancy.ld_lead, email=email, name="Olga", team=None, manager=None, role=Role.LEARNER
    )


def test_an_invitation_is_recorded_in_the_outbox_without_its_link(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(tenancy)
    outbound = OutboundMessage.objects.get(recipient="olga@alpha.test")
    assert outbound.channel == Channel.EMAIL
    assert outbound.status == DeliveryStatus.SENT
    assert outbound.source.startswith("invitation:")
    message = smtp_server.wait_for(to="olga@alpha.test")
    token = link_path(message).rstrip("/").rsplit("/", 1)[1]
    assert token not in json.dumps(outbound.payload)
    invitation = Invitation.objects.get(membership__user__email="olga@alpha.test")
    assert invitation.token_hash == hash_invitation_token(token)


def test_a_retried_delivery_sends_once_and_only_the_delivered_link_works(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invite(tenancy)
    outbound = OutboundMessage.objects.get(recipient="olga@alpha.test")
    # The task runs again (a worker retried it): the row is already sent, nothing leaves.
    assert deliver([outbound.pk])["sent"] == 0
    assert len(smtp_server.messages_to("olga@alpha.test")) == 1


def test_resending_records_a_second_message_and_the_first_link_stops_working(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = _invite(tenancy)
    first = link_path(smtp_server.wait_for(to="olga@alpha.test"))
    with django_capture_on_commit_callbacks(execute=True):
        resend_invitation(
            actor=tenancy.ld_lead, invitation=Invitation.objects.get(pk=invitation.pk)
        )
    assert OutboundMessage.objects.filter(recipient="olga@alpha.test").count() == 2
    messages = smtp_server.messages_to("olga@alpha.test")
    assert len(messages) == 2
    second = link_path(messages[-1])
    assert first != second
    client = tenancy.client_for(tenancy.outsider)
    client.logout()
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_an_invitation_withdrawn_before_delivery_sends_nothing(tenancy, smtp_server):
    invitation = _invite(tenancy)  # on-commit delivery not run: the message waits
    revoke_invitation(actor=tenancy.ld_lead, invitation=invitation)
    outbound = OutboundMessage.objects.get(recipient="olga@alpha.test")
    outcome = deliver([outbound.pk])
    assert outcome["sent"] == 0
    outbound.refresh_from_db()
    assert "withdrawn" in outbound.last_error
    assert smtp_server.messages_to("olga@alpha.test") == []
