"""Tenant-isolation matrix rows for tenancy (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import Route
from ancrage.tenancy.models import Membership, Team

ROUTES = [
    Route("people"),  # organisation/people/ people
    Route(
        "person", kwargs={"membership_id": Membership}
    ),  # organisation/people/<uuid:membership_id>/ person
    Route("teams"),  # organisation/teams/ teams
    Route("team", kwargs={"team_id": Team}),  # organisation/teams/<uuid:team_id>/ team
]
