"""Tenant-isolation matrix rows for evaluation (format: ancrage/common/tests/isolation/spec.py)."""

from ancrage.common.tests.isolation.spec import Route
from ancrage.evaluation.models import SurveyRequest
from ancrage.tenancy.models import Team

ROUTES = [
    Route("evaluation_index"),  # evaluation/ index
    Route("evaluation_refresh"),  # evaluation/refresh/ refresh
    Route("evaluation_import"),  # evaluation/indicators/import/ import_indicators
    Route(
        "evaluation_survey", kwargs={"request_id": SurveyRequest}
    ),  # evaluation/surveys/<uuid:request_id>/ survey
    Route(
        "evaluation_report", kwargs={"kind": "=team", "scope_id": Team}
    ),  # evaluation/<str:kind>/<uuid:scope_id>/ report
    Route(
        "evaluation_export", kwargs={"kind": "=team", "scope_id": Team, "fmt": "=csv"}
    ),  # evaluation/<str:kind>/<uuid:scope_id>/export.<str:fmt> report
]
