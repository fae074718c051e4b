"""Every page carries a strict Content-Security-Policy and refuses to be framed."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_pages_send_a_strict_csp_and_refuse_framing(client):
    response = client.get(reverse("account_login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert re.search(r"script-src 'self'( 'nonce-[^']+')?;", csp)
    assert "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_pages_reference_no_third_party_asset(client):
    body = client.get(reverse("home")).content.decode()
    assert not re.search(r"""(src|href)=["']https?://""", body)
