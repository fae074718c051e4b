"""Who may frame Ancrage: the Microsoft 365 hosts, plus each organisation's own hosts.

`MICROSOFT_365_FRAME_ANCESTORS` is the list Microsoft's "Prerequisites for tabs" page asks a
tab's `Content-Security-Policy: frame-ancestors` to allow (learn.microsoft.com,
microsoftteams/platform/tabs/how-to/tab-requirements): `*.cloud.microsoft` for every host,
`teams.microsoft.com` and `*.teams.microsoft.com` for Teams, `*.microsoft365.com` and
`*.office.com` for the Microsoft 365 app, and the Outlook hosts. Two more come from the
SharePoint and Teams-desktop cases the same docs and the Teams samples name:
`*.sharepoint.com` (SharePoint's Embed web part and a Teams app shown as a SharePoint web
part) and `*.skype.com` (older Teams clients).

An organisation adds its LMS or intranet hosts; `validate_embed_host` refuses anything that
is not a plain host name or a `*.` wildcard under at least two labels.
"""

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MICROSOFT_365_FRAME_ANCESTORS: tuple[str, ...] = (
    "https://*.cloud.microsoft",
    "https://teams.microsoft.com",
    "https://*.teams.microsoft.com",
    "https://*.microsoft365.com",
    "https://*.office.com",
    "https://outlook.office.com",
    "https://outlook.office365.com",
    "https://outlook-sdf.office.com",
    "https://outlook-sdf.office365.com",
    "https://*.sharepoint.com",
    "https://*.skype.com",
)

_LABEL = r"(?!-)[a-z0-9-]{1,63}(?<!-)"
_HOST = re.compile(rf"^(\*\.)?{_LABEL}(\.{_LABEL})+$")
MAX_HOSTS = 20


def validate_embed_host(value: str) -> str:
    """The host name, normalised (lower case, IDNA); ValidationError saying what is wrong."""
    host = value.strip().lower().rstrip(".")
    if "://" in host or "/" in host:
        raise ValidationError(
            _("“%(value)s”: write the host name only, without https:// or a path.")
            % {"value": value},
            code="scheme",
        )
    if ":" in host:
        raise ValidationError(
            _("“%(value)s”: write the host name without a port.") % {"value": value},
            code="port",
        )
    try:
        ascii_host = host.encode("idna").decode("ascii") if host else ""
    except UnicodeError as exc:
        raise ValidationError(
            _("“%(value)s” is not a valid host name.") % {"value": value}, code="host"
        ) from exc
    wildcard = ascii_host.startswith("*.")
    if not _HOST.match(ascii_host) or (wildcard and ascii_host.count(".") < 2):
        raise ValidationError(
            _(
                "“%(value)s” is not a valid host name. Write it like lms.example.com, or "
                "*.example.com for all its sub-domains."
            )
            % {"value": value},
            code="host",
        )
    return ascii_host


def clean_embed_hosts(values: Iterable[str]) -> list[str]:
    """Validate every host; raise one ValidationError listing every bad one."""
    hosts: list[str] = []
    errors: list[ValidationError] = []
    for value in values:
        if not value.strip():
            continue
        try:
            host = validate_embed_host(value)
        except ValidationError as exc:
            errors.append(exc)
            continue
        if host not in hosts:
            hosts.append(host)
    if len(hosts) > MAX_HOSTS:
        errors.append(
            ValidationError(
                _("At most %(count)d hosts may embed Ancrage.") % {"count": MAX_HOSTS},
                code="too_many",
            )
        )
    if errors:
        raise ValidationError(errors)
    return hosts


def frame_ancestors(organisation_hosts: Iterable[str]) -> list[str]:
    """The `frame-ancestors` sources for one organisation: ours, Microsoft 365's, its own."""
    sources = ["'self'", *MICROSOFT_365_FRAME_ANCESTORS]
    for host in organisation_hosts:
        sources.append(f"https://{host}")
        # Local development and the browser test frame pages from http://localhost:port.
        if getattr(settings, "EMBED_ALLOW_HTTP_HOSTS", False):
            sources.append(f"http://{host}:*")
    return sources
