"""Django admin registrations of the accounts app (SSO connections and identities)."""

from ancrage.accounts.sso import admin as sso_admin  # noqa: F401 — registers on import
