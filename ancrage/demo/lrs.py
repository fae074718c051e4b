"""The demo's LRS credential for Verdane: a fixed key and secret, printed by load_demo.

Idempotent: re-running refreshes the same credential. Demo data only — a real organisation
gets a random key and secret from `manage.py lrs_credential create`.
"""

from dataclasses import dataclass

from django.db import transaction

from ancrage.lrs.models import LrsCredential, Scope
from ancrage.tenancy.models import Organisation

DEMO_LRS_KEY = "verdane-demo"
DEMO_LRS_SECRET = "ancrage-demo-lrs-secret"  # noqa: S105 — printed on purpose: demo data only


@dataclass(frozen=True)
class DemoLrs:
    endpoint_path: str
    key: str
    secret: str


@transaction.atomic
def load_lrs() -> DemoLrs:
    verdane = Organisation.objects.get(slug="verdane")
    LrsCredential.objects.update_or_create(
        key=DEMO_LRS_KEY,
        defaults={
            "organisation": verdane,
            "label": "Démo — lecteur Ancrage",
            "secret_hash": LrsCredential.hash_secret(DEMO_LRS_SECRET),
            "scopes": [Scope.ALL],
            "authority": {
                "objectType": "Agent",
                "name": "Ancrage (démo)",
                "account": {
                    "homePage": "https://ancrage.app/lrs",
                    "name": f"verdane:{DEMO_LRS_KEY}",
                },
            },
            "revoked_at": None,
            "expires_at": None,
        },
    )
    return DemoLrs("/xapi/", DEMO_LRS_KEY, DEMO_LRS_SECRET)
