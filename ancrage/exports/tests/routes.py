"""Tenant-isolation matrix rows for exports (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import Route
from ancrage.exports.lti13.models import Context, Registration

ROUTES = [
    Route("exports"),  # exports/ index
    Route(
        "exports_report_base", kwargs={"token": "=zz-not-a-token"}
    ),  # exports/r/<str:token>/ report_base
    Route(
        "exports_licence", kwargs={"token": "=zz-not-a-token"}
    ),  # exports/r/<str:token>/licence licence
    Route(
        "exports_events", kwargs={"token": "=zz-not-a-token"}
    ),  # exports/r/<str:token>/events events
    Route("lti13_jwks"),  # lti/jwks/ jwks
    Route("lti13_login"),  # lti/login/ login_initiation
    Route("lti13_launch"),  # lti/launch/ launch
    Route("lti13_deep_linking"),  # lti/deep-linking/ launch
    Route("lti13_deep_link_pick"),  # lti/deep-linking/pick/ deep_link_pick
    Route("lti13_session_check"),  # lti/session/ session_check
    Route(
        "lti13_handover", kwargs={"token": "=zz-not-a-token"}
    ),  # lti/continue/<str:token>/ handover
    Route("lti13_registrations"),  # lti/registrations/ registrations
    Route("lti13_registration_new"),  # lti/registrations/new/ registration_form
    Route(
        "lti13_registration_edit", kwargs={"registration_id": Registration}
    ),  # lti/registrations/<str:registration_id>/ registration_form
    Route(
        "lti13_roster", kwargs={"context_id": Context}
    ),  # lti/courses/<str:context_id>/roster/ roster
]
