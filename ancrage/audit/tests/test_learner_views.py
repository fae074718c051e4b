"""Every page or API read that shows one person's individual results to someone else leaves
a `learner_viewed` entry: the person page, the manager's report on one person, the manager's
team overview (one entry per report shown), and the HR API's enrolments."""

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.api.actions import create_api_key
from ancrage.audit.models import Action, AuditEntry

pytestmark = pytest.mark.django_db


def _viewed() -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=Action.LEARNER_VIEWED).order_by("id"))


def test_the_managers_team_overview_records_each_report_shown(tenancy) -> None:  # type: ignore[no-untyped-def]
    response = tenancy.client_for(tenancy.manager).get(reverse("transfer_team"))

    assert response.status_code == 200
    viewed = _viewed()
    assert {e.target_id for e in viewed} == {str(tenancy.owner.pk), str(tenancy.teammate.pk)}
    assert len(viewed) == 2
    for entry in viewed:
        assert entry.actor_membership_id == tenancy.manager.pk
        assert entry.organisation_id == tenancy.org_a.pk
        assert entry.target_type == "tenancy.membership"
        assert entry.details == {"page": "transfer_team", "role": "manager"}


def test_a_team_overview_without_reports_records_nothing(tenancy) -> None:  # type: ignore[no-untyped-def]
    assert tenancy.client_for(tenancy.owner).get(reverse("transfer_team")).status_code == 200

    assert _viewed() == []


def test_reading_enrolments_through_the_hr_api_is_recorded(tenancy) -> None:  # type: ignore[no-untyped-def]
    row, key = create_api_key(organisation=tenancy.org_a, name="SIRH", scopes=["enrolments:read"])
    headers = {"Authorization": f"Bearer {key}"}

    response = Client().get("/api/enrolments", {"status": "completed"}, headers=headers)

    assert response.status_code == 200
    (entry,) = _viewed()
    assert entry.organisation_id == tenancy.org_a.pk
    assert entry.actor_membership_id is None
    assert entry.target_type == "player.enrolment"
    assert entry.details == {
        "page": "api_enrolments",
        "api_key": row.prefix,
        "status": "completed",
        "path_code": "",
    }
    assert key not in str(entry.details)


def test_a_refused_hr_api_read_records_no_view(tenancy) -> None:  # type: ignore[no-untyped-def]
    _row, key = create_api_key(organisation=tenancy.org_a, name="SIRH", scopes=["licences:read"])

    response = Client().get("/api/enrolments", headers={"Authorization": f"Bearer {key}"})

    assert response.status_code == 403
    assert _viewed() == []
