"""The L&D page /exports/: who may export, what, and the audit trail."""

from typing import Any

import pytest

from ancrage.audit.models import Action, AuditEntry
from ancrage.catalog.models import Path
from ancrage.exports.models import Export
from ancrage.exports.package.archive import read_archive
from ancrage.licensing.models import Programme, ProgrammeItem

pytestmark = pytest.mark.usefixtures("licensed")


def test_ld_lead_downloads_a_scorm_package_and_it_is_recorded(tenancy: Any) -> None:
    client = tenancy.client_for(tenancy.ld_lead)
    page = client.get("/exports/")
    assert page.status_code == 200
    assert "path:ECOUTE-ACTIVE" in page.content.decode()
    response = client.post("/exports/", {"format": "scorm12", "target": "path:ECOUTE-ACTIVE"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "alpha-scorm12-ecoute-active.zip" in response["Content-Disposition"]
    assert "imsmanifest.xml" in read_archive(response.content)
    export = Export.objects.get()
    assert (export.organisation, export.created_by, export.format) == (
        tenancy.org_a,
        tenancy.ld_lead.user,
        "scorm12",
    )
    assert export.size == len(response.content)
    assert len(export.sha256) == 64
    logged = AuditEntry.objects.get(action=Action.EXPORT)
    assert (logged.organisation_id, logged.target_id) == (tenancy.org_a.pk, str(export.pk))
    assert logged.details["format"] == "scorm12"
    history = client.get("/exports/").content.decode()
    assert export.title in history
    assert "Sophie Lead" in history


def test_org_admin_exports_a_module_as_cmi5(tenancy: Any) -> None:
    client = tenancy.client_for(tenancy.admin)
    response = client.post(
        "/exports/",
        {"format": "cmi5", "target": "module:ECOUTE-ACTIVE:reformuler-avant-de-repondre"},
    )
    assert response.status_code == 200
    assert "cmi5.xml" in read_archive(response.content)
    assert Export.objects.get().scope == "module"


@pytest.mark.parametrize("who", ["owner", "manager"])
def test_learners_and_managers_may_not_export(tenancy: Any, who: str) -> None:
    client = tenancy.client_for(getattr(tenancy, who))
    assert client.get("/exports/").status_code == 403
    response = client.post("/exports/", {"format": "scorm12", "target": "path:ECOUTE-ACTIVE"})
    assert response.status_code == 403
    assert not Export.objects.exists()


def test_another_organisations_programme_cannot_be_exported(tenancy: Any) -> None:
    programme = Programme.objects.create(organisation=tenancy.org_a, title="Managers 2027")
    ProgrammeItem.objects.create(
        organisation=tenancy.org_a,
        programme=programme,
        order=0,
        path=Path.objects.get(code="CNV"),
    )
    mine = tenancy.client_for(tenancy.ld_lead).get("/exports/").content.decode()
    assert f"programme:{programme.pk}" in mine
    other = tenancy.client_for(tenancy.other_ld_lead)
    page = other.get("/exports/")
    assert f"programme:{programme.pk}" not in page.content.decode()
    response = other.post("/exports/", {"format": "scorm12", "target": f"programme:{programme.pk}"})
    assert response.status_code == 400
    assert not Export.objects.exists()


def test_an_unlicensed_path_is_refused_with_a_reason(tenancy: Any) -> None:
    # Organisation B has no licence: nothing to export, and a forged choice is refused.
    client = tenancy.client_for(tenancy.other_ld_lead)
    page = client.get("/exports/")
    assert "il n'y a rien à exporter" in page.content.decode()
    response = client.post("/exports/", {"format": "scorm12", "target": "path:ECOUTE-ACTIVE"})
    assert response.status_code == 400
    assert not Export.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client: Any) -> None:
    response = client.get("/exports/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
