"""The demo's SSO: Verdane has prepared a Microsoft Entra ID connection, not yet enabled.

Its organisation admin (Nadia) sees it on « Authentification unique » with the redirect URI
to register in Entra ID. No client secret: enabling it needs a real app registration.
Idempotent: re-running refreshes the same row and never enables it.
"""

from django.db import transaction

from ancrage.accounts.sso.models import Protocol, SsoConnection
from ancrage.tenancy.models import Organisation, Role

# A placeholder tenant id (Microsoft's documentation example), not a real Verdane tenant.
DEMO_TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
DEMO_CLIENT_ID = "0f3b6a52-5c1e-4f0e-9a7d-2b8c4e6d1a90"


@transaction.atomic
def load_sso() -> list[str]:
    verdane = Organisation.objects.get(slug="verdane")
    connection, created = SsoConnection.objects.update_or_create(
        organisation=verdane,
        defaults={
            "protocol": Protocol.ENTRA,
            "enabled": False,
            "mandatory": False,
            "email_domains": "verdane.fr",
            "default_role": Role.LEARNER,
            "team_claim": "department",
            "entra_tenant_id": DEMO_TENANT_ID,
            "oidc_client_id": DEMO_CLIENT_ID,
        },
    )
    state = "créée" if created else "mise à jour"
    return [
        f"Verdane : connexion Microsoft Entra ID {state}, désactivée "
        f"(locataire {connection.entra_tenant_id}, domaine {connection.email_domains})"
    ]
