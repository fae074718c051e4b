"""Tenant-isolation matrix rows for bridges (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.bridges.models import FoundationProgramme, FoundationRequest
from ancrage.common.tests.isolation.spec import Route

ROUTES = [
    Route("bridges_programmes"),  # bridges/ programmes
    Route("bridges_programme_new"),  # bridges/new/ programme_new
    Route(
        "bridges_programme_edit", kwargs={"programme_id": FoundationProgramme}
    ),  # bridges/<uuid:programme_id>/edit/ programme_edit
    Route("bridges_requests"),  # bridges/requests/ inbox
    Route(
        "bridges_request_handled", kwargs={"request_id": FoundationRequest}
    ),  # bridges/requests/<uuid:request_id>/handled request_handled
    Route("bridges_for_me"),  # bridges/for-me/ for_me
    Route(
        "bridges_request", kwargs={"programme_id": FoundationProgramme}
    ),  # bridges/<uuid:programme_id>/request/ request_place
    Route(
        "bridges_register", kwargs={"programme_id": FoundationProgramme}
    ),  # bridges/<uuid:programme_id>/register register
]
