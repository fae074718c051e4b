"""Teams cards: the Workflows envelope posted to a real local receiver, retried with backoff,
and https enforced when a channel is configured."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ancrage.notify.actions import add_teams_channel, post_teams_card, retry_due
from ancrage.notify.delivery import MAX_ATTEMPTS
from ancrage.notify.models import DeliveryStatus, OutboundMessage, TeamsChannel

pytestmark = pytest.mark.django_db

CARD = {
    "type": "AdaptiveCard",
    "version": "1.4",
    "body": [{"type": "TextBlock", "text": "Semaine QVT : jour 2", "wrap": True}],
}
T0 = datetime(2027, 3, 15, 8, 0, tzinfo=UTC)


@pytest.fixture
def channel(tenancy, webhook_receiver):
    return add_teams_channel(
        organisation=tenancy.org_a, name="Général", webhook_url=webhook_receiver.url()
    )


def test_a_card_is_posted_as_a_workflows_message(
    channel, webhook_receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbound = post_teams_card(webhook=channel, card=CARD, idempotency_key="card-1")

    [request] = webhook_receiver.wait_for(count=1)
    assert request.headers["Content-Type"].startswith("application/json")
    assert request.headers["Idempotency-Key"] == "card-1"
    body = request.json
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert attachment["content"] == CARD
    outbound.refresh_from_db()
    assert outbound.status == DeliveryStatus.SENT
    assert outbound.subject == "Semaine QVT : jour 2"


def test_a_failing_webhook_is_retried_with_backoff_then_succeeds(
    channel, webhook_receiver, django_capture_on_commit_callbacks
):
    webhook_receiver.fail_next(500, 429)
    with time_machine.travel(T0, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            outbound = post_teams_card(webhook=channel, card=CARD, idempotency_key="card-2")
        outbound.refresh_from_db()
        assert outbound.status == DeliveryStatus.PENDING
        assert outbound.last_error == "WebhookError: HTTP 500 Internal Server Error"
        assert outbound.next_attempt_at == T0 + timedelta(minutes=1)

    with time_machine.travel(T0 + timedelta(seconds=59), tick=False):  # not due yet
        with django_capture_on_commit_callbacks(execute=True):
            assert retry_due() == 0
    assert webhook_receiver.attempts == 1

    with time_machine.travel(T0 + timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert retry_due() == 1
    outbound.refresh_from_db()
    assert outbound.attempts == 2
    assert "429" in outbound.last_error
    assert outbound.next_attempt_at == T0 + timedelta(minutes=1) + timedelta(minutes=5)

    with time_machine.travel(T0 + timedelta(minutes=6), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            retry_due()
            retry_due()  # a second tick at the same moment finds nothing left to do
    outbound.refresh_from_db()
    assert outbound.status == DeliveryStatus.SENT
    assert outbound.attempts == 3
    assert len(webhook_receiver.wait_for(count=1)) == 1
    assert webhook_receiver.attempts == 3


def test_a_webhook_that_keeps_failing_ends_as_failed(
    channel, webhook_receiver, django_capture_on_commit_callbacks
):
    webhook_receiver.fail_next(*[503] * MAX_ATTEMPTS)
    moment = T0
    with time_machine.travel(moment, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            outbound = post_teams_card(webhook=channel, card=CARD, idempotency_key="card-3")
    for _ in range(MAX_ATTEMPTS - 1):
        outbound.refresh_from_db()
        moment = outbound.next_attempt_at
        with time_machine.travel(moment, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                retry_due()
    outbound.refresh_from_db()
    assert outbound.status == DeliveryStatus.FAILED
    assert outbound.attempts == MAX_ATTEMPTS
    assert webhook_receiver.requests == []


def test_a_card_key_posts_once(channel, webhook_receiver, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        post_teams_card(webhook=channel, card=CARD, idempotency_key="card-4")
        post_teams_card(webhook=channel, card=CARD, idempotency_key="card-4")
    webhook_receiver.wait_for(count=1)
    assert webhook_receiver.attempts == 1
    assert OutboundMessage.objects.filter(idempotency_key="card-4").count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "http://prod-12.westeurope.logic.azure.com/workflows/abc",
        "http://127.0.0.1:8080/workflows/abc",
        "https://user:secret@example.org/hook",
        "ftp://example.org/hook",
        "https:///nohost",
    ],
)
def test_a_channel_needs_an_https_webhook(tenancy, settings, url):
    settings.NOTIFY_ALLOW_LOOPBACK_WEBHOOKS = False
    with pytest.raises(ValidationError):
        add_teams_channel(organisation=tenancy.org_a, name="Général", webhook_url=url)
    assert not TeamsChannel.objects.exists()


def test_the_channels_page_explains_an_http_url(tenancy, settings):
    settings.NOTIFY_ALLOW_LOOPBACK_WEBHOOKS = False
    client = tenancy.client_for(tenancy.ld_lead)
    response = client.post(
        reverse("notify_teams_channels"),
        {"name": "Général", "webhook_url": "http://example.org/hook", "team": ""},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert "must start with https://" in response.content.decode()

    response = client.post(
        reverse("notify_teams_channels"),
        {
            "name": "Général",
            "webhook_url": "https://prod-12.westeurope.logic.azure.com/workflows/abc?sig=x",
            "team": str(tenancy.team_a.pk),
        },
    )
    assert response.status_code == 302
    channel = TeamsChannel.objects.get()
    assert (channel.organisation, channel.team) == (tenancy.org_a, tenancy.team_a)


def test_channels_and_send_log_stay_inside_the_organisation(tenancy, webhook_receiver):
    channel = add_teams_channel(
        organisation=tenancy.org_a, name="Canal Alpha", webhook_url=webhook_receiver.url()
    )
    other = tenancy.client_for(tenancy.other_ld_lead)
    assert other.post(reverse("notify_teams_channel_remove", args=[channel.pk])).status_code == 404
    assert "Canal Alpha" not in other.get(reverse("notify_teams_channels")).content.decode()
    learner = tenancy.client_for(tenancy.owner)
    assert learner.get(reverse("notify_teams_channels")).status_code == 403
    assert learner.get(reverse("notify_outbox")).status_code == 403
    channel.refresh_from_db()
    assert channel.active
