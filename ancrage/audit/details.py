"""An audit entry's details in words an organisation admin reads: labels for the keys our
code records, and readable values for the codes among them (pages, roles, sign-in methods,
yes/no). Unknown keys and values are shown as recorded; the CSV download keeps the codes."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ancrage.tenancy.models import Role

KEY_LABELS = {
    "active": _("Active"),
    "api_key": _("API key"),
    "changed": _("Changed"),
    "created": _("Created"),
    "enabled": _("Enabled"),
    "format": _("Format"),
    "from": pgettext_lazy("change", "From"),
    "key": _("Key"),
    "known_account": _("Known account"),
    "mandatory": _("Mandatory"),
    "method": _("Method"),
    "page": _("Page"),
    "path": _("Path"),
    "path_code": _("Path"),
    "prefix": _("Key prefix"),
    "protocol": _("Protocol"),
    "reason": _("Reason"),
    "removed": _("Removed"),
    "revoked_at": _("Revoked at"),
    "rotated_from": _("Replaces the key"),
    "rotated_to": _("Replaced by the key"),
    "rows": _("Rows"),
    "rows_changed": _("Rows changed"),
    "run": _("Run"),
    "scope": _("Scope"),
    "scopes": _("Scopes"),
    "secret_replaced": _("Secret replaced"),
    "settings_changed": _("Settings changed"),
    "size": _("Size"),
    "status": _("Status"),
    "to": pgettext_lazy("change", "To"),
    "view": _("View"),
    "what": _("What"),
}

VALUE_LABELS = {
    # pages that show one person's results (audit.actions.record_learner_viewed)
    "person": _("A person's page"),
    "transfer_report": _("Transfer report"),
    "transfer_team": _("My team's transfer"),
    "audit_log": _("Audit log"),
    # sign-in methods and the views that signed in or out
    "password": _("Password"),
    "code": _("Code sent by e-mail"),
    "sso": _("Single sign-on"),
    "account_login": _("Sign-in page"),
    "account_logout": _("Sign-out"),
    **dict(Role.choices),
}


def readable_details(details: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs, in the order recorded."""
    pairs = []
    for key, value in details.items():
        if isinstance(value, bool):
            shown = str(_("Yes") if value else _("No"))
        elif isinstance(value, str):
            shown = str(VALUE_LABELS.get(value, value))
        else:
            shown = str(value)
        pairs.append((str(KEY_LABELS.get(key, key.replace("_", " ").capitalize())), shown))
    return pairs
