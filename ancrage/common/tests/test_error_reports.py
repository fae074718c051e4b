"""Error reports hide passwords written in URLs, from settings and from request.META."""

from django.test import RequestFactory
from django.views.debug import get_default_exception_reporter_filter

SECRET_URL = "postgres://ancrage:s3cret-pw@db.internal:5432/ancrage"  # pragma: allowlist secret


def test_a_password_in_a_url_is_hidden_from_request_meta():
    # Granian copies the process environment into every WSGI environ (ADR 0016).
    mail_url = "smtp://a:b@mail"  # pragma: allowlist secret
    request = RequestFactory().get("/", DATABASE_URL=SECRET_URL, EMAIL_URL=mail_url)
    meta = get_default_exception_reporter_filter().get_safe_request_meta(request)
    assert "s3cret-pw" not in str(meta)
    assert meta["DATABASE_URL"] == "********************"
    assert meta["EMAIL_URL"] == "********************"
    assert meta["PATH_INFO"] == "/"  # the rest stays readable


def test_a_password_in_a_url_is_hidden_from_settings(settings):
    settings.SOME_SERVICE = SECRET_URL
    settings.PLAIN_SERVICE = "https://example.org/path"
    safe = get_default_exception_reporter_filter().get_safe_settings()
    assert safe["SOME_SERVICE"] == "********************"
    assert safe["PLAIN_SERVICE"] == "https://example.org/path"
