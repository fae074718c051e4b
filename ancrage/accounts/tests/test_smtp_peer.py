"""The smtp_server fixture routes Django's mail through a real SMTP dialogue on loopback."""

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail


def test_mail_sent_by_django_arrives_at_the_smtp_peer_and_not_in_locmem(smtp_server):
    mail.outbox = []
    send_mail("Bonjour", "Corps du message é", "from@ancrage.test", ["Someone@Example.org"])

    message = smtp_server.wait_for(to="someone@example.org")
    assert message["Subject"] == "Bonjour"
    assert "Corps du message é" in smtp_server.text_body(message)
    assert mail.outbox == []


def test_html_alternative_is_readable(smtp_server):
    message = EmailMultiAlternatives("S", "plain", "from@ancrage.test", ["a@example.org"])
    message.attach_alternative("<p>rich</p>", "text/html")
    message.send()

    received = smtp_server.wait_for(to="a@example.org")
    assert smtp_server.text_body(received).strip() == "plain"
    assert "<p>rich</p>" in smtp_server.html_body(received)


def test_wait_for_times_out_naming_what_arrived(smtp_server):
    send_mail("Other", "x", "from@ancrage.test", ["other@example.org"])
    smtp_server.wait_for(to="other@example.org")

    with pytest.raises(TimeoutError, match="other@example.org"):
        smtp_server.wait_for(to="nobody@example.org", timeout=0.2)
