"""Teams channels: Workflows URLs only (https, not the retired Office 365 connectors), cards
from notify.cards posted through the real webhook path, and failures shown to the admin."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ancrage.notify import cards
from ancrage.notify.actions import add_teams_channel, post_teams_card, retry_due
from ancrage.notify.delivery import MAX_ATTEMPTS
from ancrage.notify.models import DeliveryStatus
from ancrage.notify.webhooks import validate_webhook_url

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 3, 15, 8, 0, tzinfo=UTC)
WORKFLOWS = (
    "https://prod-12.westeurope.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke"
    "?api-version=2016-06-01&sp=%2Ftriggers&sv=1.0&sig=s3cr3t"
)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://prod-12.westeurope.logic.azure.com/workflows/abc", "https"),
        (
            "https://outlook.office.com/webhook/1234@5678/IncomingWebhook/abc/def",
            "retired_connector",
        ),
        (
            "https://verdane.webhook.office.com/webhookb2/1234@5678/IncomingWebhook/a/b",
            "retired_connector",
        ),
        ("https://user:pw@prod-12.westeurope.logic.azure.com/workflows/abc", "credentials"),
    ],
)
def test_bad_webhook_urls_are_refused_with_a_reason(url, code):
    with pytest.raises(ValidationError) as error:
        validate_webhook_url(url)
    assert error.value.code == code


def test_a_workflows_url_is_accepted():
    validate_webhook_url(WORKFLOWS)


def test_the_channels_page_explains_a_retired_connector_url(tenancy):
    client = tenancy.client_for(tenancy.ld_lead)
    response = client.post(
        reverse("notify_teams_channels"),
        {
            "name": "Général",
            "webhook_url": "https://outlook.office.com/webhook/1/IncomingWebhook/2",
        },
    )
    assert response.status_code == 400
    assert "Workflows" in response.content.decode()


@pytest.fixture
def channel(tenancy, webhook_receiver):
    return add_teams_channel(
        organisation=tenancy.org_a, name="Général", webhook_url=webhook_receiver.url()
    )


def test_a_recognition_card_reaches_the_channel(
    channel, webhook_receiver, django_capture_on_commit_callbacks
):
    card = cards.recognition_card(
        lang="fr", recipient_name="Inès", giver_name="Paul", message="Merci !", behaviour="Écoute"
    )
    with django_capture_on_commit_callbacks(execute=True):
        post_teams_card(webhook=channel, card=card, idempotency_key="reco-1")
    [request] = webhook_receiver.wait_for(count=1)
    content = request.json["attachments"][0]["content"]
    assert content["version"] == "1.5"
    assert content == card


def test_a_failing_webhook_is_retried_and_shown_on_the_channels_page(
    tenancy, channel, webhook_receiver, django_capture_on_commit_callbacks
):
    card = cards.takeaway_card(lang="fr", text="Je reformule avant de répondre.")
    webhook_receiver.fail_next(*[503] * MAX_ATTEMPTS)
    with time_machine.travel(T0, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            outbound = post_teams_card(webhook=channel, card=card, idempotency_key="take-1")
    outbound.refresh_from_db()
    assert outbound.status == DeliveryStatus.PENDING
    assert outbound.next_attempt_at == T0 + timedelta(minutes=1)

    client = tenancy.client_for(tenancy.ld_lead)
    page = client.get(reverse("notify_teams_channels")).content.decode()
    assert "503" in page
    assert "1 card waiting for a new attempt" in page or "1 carte" in page

    for _ in range(MAX_ATTEMPTS - 1):
        outbound.refresh_from_db()
        with time_machine.travel(outbound.next_attempt_at, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                retry_due()
    outbound.refresh_from_db()
    assert outbound.status == DeliveryStatus.FAILED

    page = client.get(reverse("notify_teams_channels")).content.decode()
    assert "échec définitif" in page
    assert "503" in page
