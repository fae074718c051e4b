"""Only the organisation's admins read its audit log (list, entry, CSV)."""

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.audit.actions import record
from ancrage.audit.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(tenancy):  # type: ignore[no-untyped-def]
    mine = record(
        action=Action.LEARNER_VIEWED,
        actor=tenancy.manager,
        target=tenancy.owner,
        details={"page": "person"},
    )
    theirs = record(action=Action.SIGN_IN, actor=tenancy.other)
    return mine, theirs


def test_admin_sees_own_organisation_entries_only(tenancy, entries) -> None:  # type: ignore[no-untyped-def]
    mine, theirs = entries
    admin = tenancy.client_for(tenancy.admin)
    page = admin.get(reverse("audit_log"))
    assert page.status_code == 200
    pks = [row["entry"].pk for row in page.context["rows"]]
    assert mine.pk in pks
    assert theirs.pk not in pks
    rows = admin.get(reverse("audit_log"), {"action": "learner_viewed"}).context["rows"]
    assert [row["entry"].pk for row in rows] == [mine.pk]
    assert rows[0]["actor"] == "Karim Manager"
    assert rows[0]["target"] == "Léa Owner"
    assert admin.get(reverse("audit_entry", args=[mine.pk])).status_code == 200
    assert admin.get(reverse("audit_entry", args=[theirs.pk])).status_code == 404


def test_filters_and_csv(tenancy, entries) -> None:  # type: ignore[no-untyped-def]
    admin = tenancy.client_for(tenancy.admin)
    signed_in = admin.get(reverse("audit_log"), {"action": "sign_in"}).context["rows"]
    assert {row["actor"] for row in signed_in} == {"Nadia Admin"}  # the test client's sign-in
    found = admin.get(reverse("audit_log"), {"person": "Léa"}).context["rows"]
    assert [row["entry"].action for row in found] == ["learner_viewed"]
    assert admin.get(reverse("audit_log"), {"since": "not a date"}).status_code == 400
    csv = admin.get(reverse("audit_download")).content.decode()
    assert "Karim Manager" in csv
    assert "Otto" not in csv


def test_other_roles_and_organisations_are_refused(tenancy, entries) -> None:  # type: ignore[no-untyped-def]
    mine, _theirs = entries
    for member in (tenancy.owner, tenancy.manager, tenancy.ld_lead, tenancy.other_ld_lead):
        client = tenancy.client_for(member)
        assert client.get(reverse("audit_log")).status_code == 403
        assert client.get(reverse("audit_download")).status_code == 403
    other_admin = tenancy.other_ld_lead
    other_admin.role = "org_admin"
    other_admin.save()
    client = tenancy.client_for(other_admin)
    assert client.get(reverse("audit_entry", args=[mine.pk])).status_code == 404
    assert mine.pk not in [r["entry"].pk for r in client.get(reverse("audit_log")).context["rows"]]


def test_failed_sign_ins_name_the_account_and_match_the_person_filter(tenancy) -> None:  # type: ignore[no-untyped-def]
    Client().post(reverse("account_login"), {"login": "owner@alpha.test", "password": "nope"})
    admin = tenancy.client_for(tenancy.admin)
    rows = admin.get(reverse("audit_log"), {"person": "Léa"}).context["rows"]
    assert [(row["entry"].action, row["target"]) for row in rows] == [
        ("sign_in_failed", "Léa Owner")
    ]


def test_an_entry_shows_its_details_in_words(tenancy) -> None:  # type: ignore[no-untyped-def]
    entry = record(
        action=Action.LEARNER_VIEWED,
        actor=tenancy.manager,
        target=tenancy.owner,
        details={"page": "transfer_report", "role": "manager", "known_account": True},
    )
    admin = tenancy.client_for(tenancy.admin)
    page = admin.get(reverse("audit_entry", args=[entry.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.context["details"] == [
        ("Page", "Transfer report"),
        ("Role", "Manager"),
        ("Known account", "Yes"),
    ]
    assert "transfer_report" not in page.content.decode()
    # The CSV keeps the codes, for machines.
    assert "page=transfer_report" in admin.get(reverse("audit_download")).content.decode()
