"""Tenant-isolation matrix rows for licensing (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import CATALOGUE, PUBLISHER, Route
from ancrage.licensing.models import (
    Assignment,
    Licence,
    Programme,
    ProgrammeItem,
    Seat,
    SeatRequest,
)

ROUTES = [
    Route(
        "licensing_catalogue", note="301 to `catalogue`, query string kept"
    ),  # licensing/catalogue/ catalogue
    Route(
        "licensing_path", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # licensing/paths/<str:code>/ path_detail
    Route(
        "licensing_start", kwargs={"code": "path_code"}, scope=CATALOGUE
    ),  # licensing/paths/<str:code>/start start
    Route("licensing_self_enrolment"),  # licensing/settings/self-enrolment self_enrolment
    Route(
        "licensing_seats", kwargs={"licence_id": Licence}
    ),  # licensing/licences/<uuid:licence_id>/seats/ seats
    Route(
        "licensing_seat_release", kwargs={"seat_id": Seat}
    ),  # licensing/seats/<uuid:seat_id>/release seat_release
    Route("licensing_seat_requests"),  # licensing/seat-requests/ seat_requests
    Route(
        "licensing_seat_request_handled", kwargs={"request_id": SeatRequest}
    ),  # licensing/seat-requests/<uuid:request_id>/handled seat_request_handled
    Route("licensing_programmes"),  # licensing/programmes/ programmes
    Route("licensing_programme_new"),  # licensing/programmes/new/ programme_new
    Route(
        "licensing_programme", kwargs={"programme_id": Programme}
    ),  # licensing/programmes/<uuid:programme_id>/ programme
    Route(
        "licensing_programme_add", kwargs={"programme_id": Programme}
    ),  # licensing/programmes/<uuid:programme_id>/steps/add programme_add
    Route(
        "licensing_programme_step", kwargs={"programme_id": Programme, "item_id": ProgrammeItem}
    ),  # licensing/programmes/<uuid:programme_id>/steps/<uuid:item_id> programme_step
    Route(
        "licensing_programme_assign", kwargs={"programme_id": Programme}
    ),  # licensing/programmes/<uuid:programme_id>/assign programme_assign
    Route(
        "licensing_programme_delete", kwargs={"programme_id": Programme}
    ),  # licensing/programmes/<uuid:programme_id>/delete programme_delete
    Route("licensing_assignments"),  # licensing/assignments/ assignments
    Route(
        "licensing_assignment_remove", kwargs={"assignment_id": Assignment}
    ),  # licensing/assignments/<uuid:assignment_id>/remove assignment_remove
    Route("licensing_licences", scope=PUBLISHER),  # licensing/publisher/licences/ licences
    Route(
        "licensing_licence_new", scope=PUBLISHER
    ),  # licensing/publisher/licences/new/ licence_new
    Route(
        "licensing_licence", kwargs={"licence_id": Licence}, scope=PUBLISHER
    ),  # licensing/publisher/licences/<uuid:licence_id>/ licence_detail
    Route(
        "licensing_licence_action",
        kwargs={"licence_id": Licence, "action": "=suspend"},
        scope=PUBLISHER,
    ),  # licensing/publisher/licences/<uuid:licence_id>/<slug:action> licence_action
]
