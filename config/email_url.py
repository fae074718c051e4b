"""Turn EMAIL_URL into Django's MAILERS setting (Django 6.1 mail configuration).

smtp://user:password@host:port, smtp+tls://… (STARTTLS), smtp+ssl://… (implicit TLS),
console:// (print to stdout), file:///path/to/dir (one file per message), memory:// (tests).
"""

from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+tls": "django.core.mail.backends.smtp.EmailBackend",
    "smtp+ssl": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "memory": "django.core.mail.backends.locmem.EmailBackend",
}


def parse_email_url(url: str, *, timeout: int = 10) -> dict[str, Any]:
    """The `default` mailer described by url, for MAILERS = {"default": …}."""
    parts = urlsplit(url)
    backend = _BACKENDS.get(parts.scheme)
    if backend is None:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {parts.scheme!r} is not supported; use one of {', '.join(_BACKENDS)}."
        )
    options: dict[str, Any] = {}
    if parts.scheme.startswith("smtp"):
        if not parts.hostname:
            raise ImproperlyConfigured("EMAIL_URL needs a host, e.g. smtp://mail.example.org:587.")
        try:
            port = parts.port
        except ValueError as exc:
            raise ImproperlyConfigured(f"EMAIL_URL has a bad port: {exc}") from exc
        options = {
            "host": parts.hostname,
            "port": port,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_tls": parts.scheme == "smtp+tls",
            "use_ssl": parts.scheme == "smtp+ssl",
            "timeout": timeout,
        }
    elif parts.scheme == "file":
        if not parts.path:
            raise ImproperlyConfigured("EMAIL_URL file:// needs a folder, e.g. file:///var/mail.")
        options = {"file_path": parts.path}
    return {"BACKEND": backend, "OPTIONS": options}
