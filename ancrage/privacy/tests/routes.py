"""Tenant-isolation matrix rows for privacy (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import Route
from ancrage.privacy.models import Erasure
from ancrage.tenancy.models import Membership

ROUTES = [
    Route("privacy"),  # privacy/ overview
    Route("privacy_my_data"),  # privacy/my-data/ my_data
    Route("privacy_download"),  # privacy/my-data/download/ download
    Route("privacy_erasures"),  # privacy/erasures/ erasures
    Route(
        "privacy_erase", kwargs={"membership_id": Membership}
    ),  # privacy/erasures/people/<uuid:membership_id>/ erase
    Route(
        "privacy_erasure", kwargs={"erasure_id": Erasure}
    ),  # privacy/erasures/<uuid:erasure_id>/ erasure
]
