"""Viva Learning: payloads from our catalogue and enrolments, contract-tested against the
property lists Microsoft publishes, sent by an idempotent sync to a fake Graph on loopback.

The JSON schemas below are written from the Graph v1.0 reference pages (properties, types,
required flags): learn.microsoft.com/graph/api/resources/learningcontent,
…/learningcourseactivity, …/learningassignment, …/learningselfinitiatedcourse. Read-only
properties (`id`, `createdDateTime` set by Graph) are not ours to send.
"""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import jsonschema
import pytest

from ancrage.licensing.models import Assignment
from ancrage.licensing.tests.factories import make_licence, make_path
from ancrage.microsoft365.actions import (
    configure_viva,
    ensure_microsoft365_settings,
    set_entra_object_id,
)
from ancrage.microsoft365.jobs import enqueue_viva_learning_syncs
from ancrage.microsoft365.tests.fake_graph import FakeGraph
from ancrage.microsoft365.viva.payloads import iso_duration
from ancrage.microsoft365.viva.sync import sync_organisation
from ancrage.player.models import Enrolment, EnrolmentOrigin, EnrolmentStatus

pytestmark = pytest.mark.django_db

TIMESTAMP = {
    "type": "string",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$",
}
DURATION = {"type": "string", "pattern": r"^P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"}
STRINGS = {"type": "array", "items": {"type": "string"}}

LEARNING_CONTENT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "learningContent (Graph v1.0, upsert body)",
    "type": "object",
    "additionalProperties": False,
    "required": ["externalId", "title", "contentWebUrl", "languageTag"],
    "properties": {
        "additionalTags": STRINGS,
        "contentWebUrl": {"type": "string", "format": "uri", "pattern": "^https://"},
        "contributors": STRINGS,
        "createdDateTime": TIMESTAMP,
        "description": {"type": "string"},
        "duration": DURATION,
        "externalId": {"type": "string", "minLength": 1},
        "format": {"type": "string"},
        "isActive": {"type": "boolean"},
        "isPremium": {"type": "boolean"},
        "isSearchable": {"type": "boolean"},
        "languageTag": {"type": "string", "pattern": r"^[a-z]{2}(-[A-Z]{2})?$"},
        "lastModifiedDateTime": TIMESTAMP,
        "level": {"enum": ["Beginner", "Intermediate", "Advanced"]},
        "numberOfPages": {"type": "integer"},
        "skillTags": STRINGS,
        "sourceName": {"type": "string"},
        "thumbnailWebUrl": {"type": "string"},
        "title": {"type": "string", "minLength": 1},
    },
}
_ACTIVITY_COMMON = {
    "completedDateTime": TIMESTAMP,
    "completionPercentage": {"type": "integer", "minimum": 0, "maximum": 100},
    "externalcourseActivityId": {"type": "string"},
    "learnerUserId": {"type": "string", "format": "uuid"},
    "learningContentId": {"type": "string", "minLength": 1},
    "learningProviderId": {"type": "string", "minLength": 1},
    "status": {"enum": ["notStarted", "inProgress", "completed"]},
}
LEARNING_ASSIGNMENT = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "@odata.type",
        "assignmentType",
        "learnerUserId",
        "learningContentId",
        "learningProviderId",
        "status",
    ],
    "properties": {
        **_ACTIVITY_COMMON,
        "@odata.type": {"const": "#microsoft.graph.learningAssignment"},
        "assignedDateTime": TIMESTAMP,
        "assignerUserId": {"type": "string"},
        "assignmentType": {"enum": ["required", "recommended"]},
        "dueDateTime": TIMESTAMP,
        "notes": {"type": "string"},
    },
}
LEARNING_SELF_INITIATED = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "@odata.type",
        "learnerUserId",
        "learningContentId",
        "learningProviderId",
        "status",
    ],
    "properties": {
        **_ACTIVITY_COMMON,
        "@odata.type": {"const": "#microsoft.graph.learningSelfInitiatedCourse"},
        "startedDateTime": TIMESTAMP,
    },
}
LEA = "0b7f9d2e-7c1a-4b5e-9a3d-2f1e8c6b4a01"
TOM = "5c2e8a1f-3d4b-4e6a-8f7c-9b0d1e2f3a02"
PROVIDER = "13727311-e7bb-470d-8b20-6a23d9030d70"


@pytest.fixture
def graph(settings) -> Iterator[FakeGraph]:
    fake = FakeGraph()
    fake.start()
    settings.VIVA_GRAPH_URL = fake.base + "/v1.0"
    settings.VIVA_TOKEN_URL = fake.base + "/token/{tenant}/oauth2/v2.0/token"
    settings.VIVA_CLIENT_ID = "ancrage-app"
    settings.VIVA_CLIENT_SECRET = "not-a-real-secret"  # noqa: S105
    settings.SITE_URL = "https://ancrage.example"
    yield fake
    fake.stop()


@pytest.fixture
def connected(tenancy):
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    configure_viva(
        config=config, provider_id=PROVIDER, tenant_id="alpha.onmicrosoft.com", enabled=True
    )
    ecoute = make_path("ecoute-active", title="Écoute active")
    feedback = make_path("feedback", title="Le feedback qui fait grandir")
    make_path("hors-licence", title="Autre")  # licensed too (whole catalogue)
    make_licence(tenancy.org_a)
    Assignment.objects.create(
        organisation=tenancy.org_a, path=ecoute, team=tenancy.team_a, due_on=date(2027, 4, 9)
    )
    started = datetime(2027, 3, 16, 9, 0, tzinfo=UTC)
    Enrolment.objects.create(
        organisation=tenancy.org_a,
        membership=tenancy.owner,
        path=ecoute,
        path_version=ecoute.versions.get(),
        origin=EnrolmentOrigin.ASSIGNMENT,
        status=EnrolmentStatus.COMPLETED,
        started_at=started,
        completed_at=started + timedelta(days=2),
        last_activity_at=started + timedelta(days=2),
    )
    Enrolment.objects.create(
        organisation=tenancy.org_a,
        membership=tenancy.owner,
        path=feedback,
        path_version=feedback.versions.get(),
        origin=EnrolmentOrigin.SELF,
        started_at=started,
        last_activity_at=started,
    )
    set_entra_object_id(membership=tenancy.owner, object_id=LEA)
    set_entra_object_id(membership=tenancy.teammate, object_id=TOM)
    return config


def test_the_sync_sends_contents_and_activities_that_match_graphs_schema(graph, connected):
    result = sync_organisation(connected)

    assert result.error == ""
    token_call = graph.calls("POST", "/token/")[0]
    assert token_call.path == "/token/alpha.onmicrosoft.com/oauth2/v2.0/token"
    assert token_call.body["scope"] == ["https://graph.microsoft.com/.default"]

    contents = graph.calls("PATCH", "learningContents")
    assert len(contents) == 3
    for call in contents:
        jsonschema.validate(call.body, LEARNING_CONTENT, format_checker=jsonschema.FormatChecker())
        assert call.headers["Authorization"] == "Bearer fake-graph-token"
    ecoute = next(c for c in contents if c.body["externalId"] == "ecoute-active")
    assert ecoute.path == (
        f"/v1.0/employeeExperience/learningProviders/{PROVIDER}/"
        "learningContents(externalId='ecoute-active')"
    )
    assert ecoute.body["title"] == "Écoute active"
    assert ecoute.body["languageTag"] == "fr-FR"
    assert ecoute.body["duration"] == "PT20M"
    assert ecoute.body["contentWebUrl"] == "https://ancrage.example/licensing/paths/ecoute-active/"

    activities = graph.calls("POST", "learningCourseActivities")
    by_learner: dict[tuple[str, str], dict] = {}
    for call in activities:
        schema = (
            LEARNING_ASSIGNMENT
            if call.body["@odata.type"].endswith("learningAssignment")
            else LEARNING_SELF_INITIATED
        )
        jsonschema.validate(call.body, schema, format_checker=jsonschema.FormatChecker())
        by_learner[(call.body["learnerUserId"], call.body["@odata.type"])] = call.body
    lea_done = by_learner[(LEA, "#microsoft.graph.learningAssignment")]
    assert lea_done["status"] == "completed"
    assert lea_done["completionPercentage"] == 100
    assert lea_done["completedDateTime"] == "2027-03-18T09:00:00Z"
    assert lea_done["dueDateTime"] == "2027-04-09T21:59:59Z"  # end of day, Paris time
    lea_self = by_learner[(LEA, "#microsoft.graph.learningSelfInitiatedCourse")]
    assert lea_self["status"] == "inProgress"
    assert lea_self["startedDateTime"] == "2027-03-16T09:00:00Z"
    tom = by_learner[(TOM, "#microsoft.graph.learningAssignment")]
    assert tom["status"] == "notStarted"
    assert tom["completionPercentage"] == 0
    assert len(activities) == 3  # people without an Entra id are not sent


def test_a_second_sync_sends_only_what_changed(graph, connected, tenancy):
    sync_organisation(connected)
    first = len(graph.requests)

    again = sync_organisation(connected)
    assert again.contents_sent == again.activities_sent == 0
    assert [r.method for r in graph.requests[first:]] == []  # not even a token

    enrolment = Enrolment.objects.get(membership=tenancy.owner, path__code="feedback")
    enrolment.status = EnrolmentStatus.COMPLETED
    enrolment.completed_at = datetime(2027, 3, 20, 10, 0, tzinfo=UTC)
    enrolment.save()
    third = sync_organisation(connected)

    assert (third.contents_sent, third.activities_sent) == (0, 1)
    [update] = graph.calls("PATCH", "learningCourseActivities/")
    assert update.body["status"] == "completed"
    assert update.body["completedDateTime"] == "2027-03-20T10:00:00Z"


def test_a_graph_failure_is_recorded_and_the_next_run_carries_on(graph, connected):
    graph.fail_with = 503
    failed = sync_organisation(connected)
    connected.refresh_from_db()
    assert "503" in failed.error
    assert "503" in connected.viva_last_result

    graph.fail_with = 0
    done = sync_organisation(connected)
    assert done.error == ""
    assert done.contents_sent == 3


def test_the_periodic_job_enqueues_connected_organisations_only(graph, connected, tenancy):
    ensure_microsoft365_settings(organisation=tenancy.org_b)  # not connected
    summary = enqueue_viva_learning_syncs(datetime.now(tz=UTC))
    assert summary == "1 Viva Learning sync(s) enqueued"
    assert graph.calls("PATCH", "learningContents")  # immediate task backend in tests


def test_turning_the_sync_on_needs_both_ids(tenancy):
    config = ensure_microsoft365_settings(organisation=tenancy.org_a)
    with pytest.raises(Exception, match="(?i)tenant|locataire"):
        configure_viva(config=config, provider_id=PROVIDER, tenant_id="", enabled=True)


@pytest.mark.parametrize(("minutes", "expected"), [(20, "PT20M"), (60, "PT1H"), (95, "PT1H35M")])
def test_durations_are_iso_8601(minutes, expected):
    assert iso_duration(minutes) == expected
