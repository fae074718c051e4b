"""Emails go out after commit through a real SMTP peer, once per idempotency key."""

import pytest

from ancrage.notify.actions import send_email
from ancrage.notify.delivery import deliver
from ancrage.notify.models import DeliveryStatus, OutboundMessage, Topic

pytestmark = pytest.mark.django_db

CONTEXT = {
    "subject": "Bienvenue dans la campagne",
    "paragraphs": ["Premier paragraphe.", "Second paragraphe."],
    "link": "https://ancrage.test/c/1",
    "link_label": "Participer",
}


def test_an_email_is_sent_after_commit_with_text_and_html(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        outbound = send_email(
            to=tenancy.owner,
            template="notify/email/message",
            context=CONTEXT,
            idempotency_key="test:welcome:owner",
            subject="Bienvenue",
        )
        assert smtp_server.messages == []  # nothing leaves before the commit
    assert len(callbacks) == 1

    message = smtp_server.wait_for(to="owner@alpha.test")
    assert message["Subject"] == "Bienvenue dans la campagne"
    assert "Second paragraphe." in smtp_server.text_body(message)
    assert "Participer" in smtp_server.html_body(message)
    assert message["Message-ID"].startswith("<")
    outbound.refresh_from_db()
    assert outbound.status == DeliveryStatus.SENT
    assert outbound.attempts == 1
    assert outbound.sent_at is not None
    assert outbound.recipient == "owner@alpha.test"
    assert outbound.membership == tenancy.owner


def test_the_same_key_twice_records_and_sends_once(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = send_email(
            to=tenancy.owner, template="notify/email/message", context=CONTEXT, idempotency_key="k1"
        )
    with django_capture_on_commit_callbacks(execute=True):
        second = send_email(
            to=tenancy.owner, template="notify/email/message", context=CONTEXT, idempotency_key="k1"
        )
    assert first.pk == second.pk
    assert OutboundMessage.objects.filter(idempotency_key="k1").count() == 1
    smtp_server.wait_for(to="owner@alpha.test")
    assert len(smtp_server.messages_to("owner@alpha.test")) == 1


def test_a_retried_delivery_task_never_mails_twice(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outbound = send_email(
            to=tenancy.owner, template="notify/email/message", context=CONTEXT, idempotency_key="k2"
        )
    smtp_server.wait_for(to="owner@alpha.test")

    outcome = deliver([str(outbound.pk)])  # the task runs again (worker retry, duplicate enqueue)

    assert outcome["sent"] == 0
    assert outcome["skipped"] == 1
    assert len(smtp_server.messages_to("owner@alpha.test")) == 1
    outbound.refresh_from_db()
    assert outbound.attempts == 1


def test_optional_messages_carry_one_click_unsubscribe_headers(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_email(
            to=tenancy.owner,
            template="notify/email/message",
            context=CONTEXT,
            idempotency_key="k3",
            topic=Topic.CAMPAIGNS,
        )
        send_email(
            to=tenancy.teammate,
            template="notify/email/message",
            context=CONTEXT,
            idempotency_key="k4",
        )
    optional = smtp_server.wait_for(to="owner@alpha.test")
    assert optional["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = optional["List-Unsubscribe"].strip("<>")
    assert "/notify/unsubscribe/" in link
    assert link in smtp_server.text_body(optional)
    assert link in smtp_server.html_body(optional).replace("&amp;", "&")
    transactional = smtp_server.wait_for(to="teammate@alpha.test")
    assert transactional["List-Unsubscribe"] is None


def test_the_email_speaks_the_requested_language(
    tenancy, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_email(
            to=tenancy.owner,
            template="notify/email/message",
            context=CONTEXT,
            idempotency_key="k5",
            topic=Topic.CAMPAIGNS,
            language="en",
        )
    message = smtp_server.wait_for(to="owner@alpha.test")
    assert "Stop these messages" in smtp_server.text_body(message)
    assert '<html lang="en">' in smtp_server.html_body(message)


def test_a_refused_connection_is_recorded_and_retried_later(
    tenancy, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }
    with django_capture_on_commit_callbacks(execute=True):
        outbound = send_email(
            to=tenancy.owner, template="notify/email/message", context=CONTEXT, idempotency_key="k6"
        )
    outbound.refresh_from_db()
    assert outbound.status == DeliveryStatus.PENDING
    assert outbound.attempts == 1
    assert "ConnectionRefusedError" in outbound.last_error
    assert outbound.next_attempt_at is not None
