"""A learner downloads all their data, and only theirs, as JSON and a readable page."""

import io
import json
import zipfile

import pytest
from django.urls import reverse

from ancrage.audit.models import Action, AuditEntry
from ancrage.privacy.models import DataDownload
from ancrage.privacy.tests.conftest import OWNER_SECRET, TEAMMATE_SECRET

pytestmark = pytest.mark.django_db


def _download(client):  # type: ignore[no-untyped-def]
    response = client.post(reverse("privacy_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["donnees.html", "donnees.json"]
    return json.loads(archive.read("donnees.json")), archive.read("donnees.html").decode()


def _tables(data):  # type: ignore[no-untyped-def]
    return {t["model"]: t["rows"] for k in data["kinds"] for t in k["tables"]}


def test_download_holds_every_kind_of_the_learners_data(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    data, page = _download(tenancy.client_for(tenancy.owner))
    tables = _tables(data)
    assert data["person"]["email"] == "owner@alpha.test"
    assert tables["transfer.JournalEntry"][0]["description"] == OWNER_SECRET
    assert tables["transfer.ActionPlan"][0]["place"] == "salle Innovation"
    assert tables["transfer.ActionCheckIn"][0]["obstacle"] == "Pas le temps"
    observation = tables["transfer.Observation"][0]
    assert observation["bars_score"] == 4
    assert observation["observer__user__name"] == "Karim Manager"
    assert tables["player.Enrolment"][0]["status"] == "completed"
    assert tables["player.SurveyResponse"][0]["comment"] == "Très utile pour moi"
    assert len(tables["evaluation.SurveyRequest"]) == 1
    assert tables["notify.OutboundMessage"][0]["subject"] == "Bonjour Léa Owner"
    statement_ids = {str(row["statement_id"]) for row in tables["lrs.Statement"]}
    assert statement_ids == set(person_data.statement_ids)
    assert tables["tenancy.Membership"][0]["role"] == "learner"
    # The readable page is in French by default.
    assert '<html lang="fr"' in page
    assert "Mes données" in page or "My data" in page
    assert OWNER_SECRET in page


def test_download_never_holds_someone_elses_data(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    data, page = _download(tenancy.client_for(tenancy.owner))
    dumped = json.dumps(data, ensure_ascii=False)
    assert TEAMMATE_SECRET not in dumped
    assert TEAMMATE_SECRET not in page
    assert person_data.teammate_statement_id not in dumped
    assert "teammate@alpha.test" not in dumped


def test_download_is_recorded_and_audited(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    _download(tenancy.client_for(tenancy.owner))
    download = DataDownload.objects.get(membership=tenancy.owner)
    assert download.size > 0
    assert len(download.sha256) == 64
    entry = AuditEntry.objects.get(action=Action.DATA_DOWNLOAD)
    assert entry.actor_membership_id == tenancy.owner.pk
    assert entry.organisation_id == tenancy.org_a.pk


def test_my_data_page_counts_and_download_needs_post(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    client = tenancy.client_for(tenancy.owner)
    page = client.get(reverse("privacy_my_data"))
    assert page.status_code == 200
    assert client.get(reverse("privacy_download")).status_code == 405
