"""API operations in the isolation matrix: organisation A's key against organisation B's ids.

Every operation of the OpenAPI schema (`/api/openapi.json`) must be listed here.
"""

from ancrage.common.tests.isolation.spec import ApiOperation
from ancrage.licensing.models import Assignment, Programme

API_OPERATIONS = [
    ApiOperation("GET", "/api/licences"),
    ApiOperation("GET", "/api/programmes"),
    ApiOperation("POST", "/api/programmes"),
    ApiOperation("GET", "/api/programmes/{programme_id}", {"programme_id": Programme}),
    ApiOperation("PATCH", "/api/programmes/{programme_id}", {"programme_id": Programme}),
    ApiOperation("GET", "/api/assignments"),
    ApiOperation("POST", "/api/assignments"),
    ApiOperation("DELETE", "/api/assignments/{assignment_id}", {"assignment_id": Assignment}),
    ApiOperation("GET", "/api/enrolments"),
]
