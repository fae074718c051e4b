"""Unsubscribing: one click from the email (RFC 8058), then that topic is never sent again."""

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.notify.actions import send_email
from ancrage.notify.models import DeliveryStatus, NotificationPreference, OutboundMessage, Topic
from ancrage.notify.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db

CONTEXT = {"subject": "Rappel", "paragraphs": ["Votre parcours vous attend."]}


def _send(member, key, topic, callbacks):
    with callbacks(execute=True):
        return send_email(
            to=member,
            template="notify/email/message",
            context=CONTEXT,
            idempotency_key=key,
            topic=topic,
        )


def test_one_click_post_unsubscribes_without_signing_in(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    _send(tenancy.owner, "first", Topic.REMINDERS, django_capture_on_commit_callbacks)
    message = smtp_server.wait_for(to="owner@alpha.test")
    link = message["List-Unsubscribe"].strip("<>")
    path = link.split("://", 1)[1].split("/", 1)[1]

    response = Client(enforce_csrf_checks=True).post(
        "/" + path, {"List-Unsubscribe": "One-Click"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 200
    preference = NotificationPreference.objects.get(membership=tenancy.owner)
    assert preference.reminders is False
    assert preference.campaigns is True

    smtp_server.clear()
    later = _send(tenancy.owner, "second", Topic.REMINDERS, django_capture_on_commit_callbacks)
    assert later.status == DeliveryStatus.SKIPPED
    other = _send(tenancy.owner, "third", Topic.CAMPAIGNS, django_capture_on_commit_callbacks)
    smtp_server.wait_for(to="owner@alpha.test")
    assert [m["Subject"] for m in smtp_server.messages_to("owner@alpha.test")] == ["Rappel"]
    other.refresh_from_db()
    assert other.status == DeliveryStatus.SENT


def test_the_link_opened_in_a_browser_asks_before_unsubscribing(tenancy):
    token = unsubscribe_token(tenancy.owner.pk, Topic.CAMPAIGNS)
    response = Client().get(reverse("notify_unsubscribe", args=[token]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "owner@alpha.test" in response.content.decode()
    assert not NotificationPreference.objects.filter(membership=tenancy.owner).exists()


def test_a_forged_token_changes_nothing(tenancy):
    token = unsubscribe_token(tenancy.owner.pk, Topic.CAMPAIGNS)
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    response = Client().post(reverse("notify_unsubscribe", args=[forged]))
    assert response.status_code == 404
    assert not NotificationPreference.objects.exists()


def test_pending_messages_of_the_topic_are_skipped_on_unsubscribe(tenancy):
    # Recorded but not delivered yet (the commit callbacks do not run here).
    waiting = send_email(
        to=tenancy.owner,
        template="notify/email/message",
        context=CONTEXT,
        idempotency_key="waiting",
        topic=Topic.REMINDERS,
    )
    token = unsubscribe_token(tenancy.owner.pk, Topic.REMINDERS)
    Client().post(reverse("notify_unsubscribe", args=[token]))
    waiting.refresh_from_db()
    assert waiting.status == DeliveryStatus.SKIPPED


def test_a_person_chooses_their_messages_on_the_preferences_page(tenancy):
    client = tenancy.client_for(tenancy.owner)
    page = client.get(reverse("notify_preferences"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert 'name="campaigns"' in page.content.decode()

    response = client.post(reverse("notify_preferences"), {"campaigns": "on", "calendar": "on"})

    assert response.status_code == 302
    preference = NotificationPreference.objects.get(membership=tenancy.owner)
    assert (preference.campaigns, preference.reminders, preference.calendar) == (True, False, True)
    assert OutboundMessage.objects.count() == 0
