"""Leading indicators from CSV: all lines or none, each bad line named with its reason."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ancrage.evaluation import actions
from ancrage.evaluation.actions import ImportRefused
from ancrage.evaluation.models import Figure, IndicatorValue

pytestmark = pytest.mark.django_db


def test_a_good_file_imports_every_value(tenancy):
    data = "indicateur;équipe;date;valeur\nPulse réunion;Service client;2026-01-31;3,5\nPulse réunion;ventes;31/01/2026;4\n"
    assert actions.import_indicators(organisation=tenancy.org_a, data=data.encode()) == 2
    assert sorted(IndicatorValue.objects.values_list("value", flat=True)) == [3.5, 4.0]


def test_bad_dates_and_unknown_teams_import_nothing_and_name_each_line(tenancy):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    data = (
        "indicator,team,date,value\n"
        "Pulse,Service client,2026-01-31,3\n"
        "Pulse,Guichet unique,2026-01-31,3\n"  # a team of another organisation
        "Pulse,Service client,31-31-2026,3\n"
        f"Pulse,Service client,{future},3\n"
        "Pulse,Service client,2026-02-28,beaucoup\n"
    )
    with pytest.raises(ImportRefused) as refused:
        actions.import_indicators(organisation=tenancy.org_a, data=data.encode())
    assert [(e.line, e.column) for e in refused.value.errors] == [
        (3, "team"),
        (4, "date"),
        (5, "date"),
        (6, "value"),
    ]
    assert IndicatorValue.objects.count() == 0


def test_the_import_page_shows_the_errors_and_keeps_previous_values(tenancy):
    actions.import_indicators(
        organisation=tenancy.org_a, data=b"indicator;team;date;value\nPulse;Ventes;2026-01-01;2\n"
    )
    client = tenancy.client_for(tenancy.ld_lead)
    upload = SimpleUploadedFile(
        "i.csv",
        b"indicator;team;date;value\nPulse;Ventes;2026-01-02;5\nPulse;Nulle part;2026-01-02;5\n",
    )
    response = client.post(reverse("evaluation_import"), {"file": upload})
    assert response.status_code == 400
    assert "Nulle part" in response.content.decode()
    assert list(IndicatorValue.objects.values_list("value", flat=True)) == [2.0]


def test_a_file_without_the_columns_is_refused(tenancy):
    with pytest.raises(ImportRefused) as refused:
        actions.import_indicators(organisation=tenancy.org_a, data=b"a;b\n1;2\n")
    assert refused.value.errors[0].column == "header"


def test_imported_indicators_become_team_figures(tenancy):
    """An indicator's figure is keyed "indicator:<uuid>" (46 characters): it must fit the
    column on PostgreSQL, which, unlike SQLite, enforces the length."""
    data = "indicateur;équipe;date;valeur\nPulse réunion;Service client;2026-01-31;3,5\n"
    actions.import_indicators(organisation=tenancy.org_a, data=data.encode())
    actions.refresh_rollups(organisation=tenancy.org_a)
    metrics = set(Figure.objects.filter(scope_kind="team").values_list("metric", flat=True))
    assert any(metric.startswith("indicator:") for metric in metrics)
