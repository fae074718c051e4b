"""Each kind of event leaves an audit entry, with IP and user agent, and no free text."""

import json
from types import SimpleNamespace

import pytest
from django.contrib.admin import site as admin_site
from django.test import Client, RequestFactory
from django.urls import reverse

from ancrage.accounts.actions import import_invitations_csv
from ancrage.accounts.models import User
from ancrage.accounts.sso.models import SsoConnection
from ancrage.api.actions import create_api_key, revoke_api_key
from ancrage.audit.actions import record
from ancrage.audit.models import Action, AuditEntry
from ancrage.lrs.actions import issue_credential, revoke_credential
from ancrage.privacy.actions import erase_person
from ancrage.privacy.tests.conftest import OWNER_SECRET
from ancrage.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db
BROWSER = "Mozilla/5.0 (iPhone) Test"


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def test_sign_in_success_and_failure(tenancy, password) -> None:  # type: ignore[no-untyped-def]
    client = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.10")
    login = reverse("account_login")
    client.post(login, {"login": "owner@alpha.test", "password": "wrong password"})
    client.post(login, {"login": "owner@alpha.test", "password": password})
    failed = _entries(Action.SIGN_IN_FAILED)
    assert len(failed) == 1
    assert failed[0].target_id == str(tenancy.owner.user_id)
    assert failed[0].organisation_id == tenancy.org_a.pk
    assert "owner@alpha.test" not in json.dumps(failed[0].details)
    signed_in = _entries(Action.SIGN_IN)
    assert len(signed_in) == 1  # force_login of other tests signs in too; here only the form
    assert signed_in[0].actor_membership_id == tenancy.owner.pk
    assert signed_in[0].ip == "192.0.2.10"
    assert signed_in[0].user_agent == BROWSER


def test_refused_access_403_and_foreign_404(tenancy) -> None:  # type: ignore[no-untyped-def]
    learner = tenancy.client_for(tenancy.owner)
    assert learner.get(reverse("audit_log")).status_code == 403
    manager = tenancy.client_for(tenancy.manager)
    assert manager.get(reverse("person", args=[tenancy.other.pk])).status_code == 404
    denied = _entries(Action.ACCESS_DENIED)
    assert [(e.details["status"], e.actor_membership_id) for e in denied] == [
        (403, tenancy.owner.pk),
        (404, tenancy.manager.pk),
    ]
    assert denied[1].details["view"] == "person"
    # An unknown URL is not an authorisation failure.
    manager.get("/no-such-page/")
    assert len(_entries(Action.ACCESS_DENIED)) == 2


def test_role_team_and_manager_changes(tenancy) -> None:  # type: ignore[no-untyped-def]
    data = (
        b"email,name,team,manager email,role\n"
        b"teammate@alpha.test,Tom Teammate,Ventes,ld@alpha.test,manager\n"
    )
    report = import_invitations_csv(actor=tenancy.admin, data=data)
    assert not report.errors
    for action in (Action.ROLE_CHANGED, Action.TEAM_CHANGED, Action.MANAGER_CHANGED):
        (entry,) = _entries(action)
        assert entry.actor_membership_id == tenancy.admin.pk
        assert entry.target_id == str(tenancy.teammate.pk)
    assert _entries(Action.ROLE_CHANGED)[0].details == {"from": "learner", "to": "manager"}


def test_api_and_lrs_keys_created_and_revoked(tenancy) -> None:  # type: ignore[no-untyped-def]
    key, _full = create_api_key(
        organisation=tenancy.org_a, name="SIRH", scopes=["licences:read"], by=tenancy.admin.user
    )
    revoke_api_key(key=key)
    revoke_api_key(key=key)  # idempotent: recorded once
    issued = issue_credential(organisation=tenancy.org_a, label="LMS", scopes=["statements/write"])
    revoke_credential(credential=issued.credential)
    (created,) = _entries(Action.API_KEY_CREATED)
    assert created.actor_user_id == tenancy.admin.user_id
    assert created.organisation_id == tenancy.org_a.pk
    assert len(_entries(Action.API_KEY_REVOKED)) == 1
    assert len(_entries(Action.LRS_KEY_CREATED)) == 1
    assert len(_entries(Action.LRS_KEY_REVOKED)) == 1
    dumped = json.dumps([e.details for e in AuditEntry.objects.all()])
    assert _full not in dumped
    assert issued.secret not in dumped


def test_views_of_one_learners_results_by_someone_else(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    tenancy.client_for(tenancy.manager).get(reverse("person", args=[tenancy.owner.pk]))
    tenancy.client_for(tenancy.manager).get(reverse("transfer_report", args=[tenancy.owner.pk]))
    tenancy.client_for(tenancy.ld_lead).get(reverse("person", args=[tenancy.owner.pk]))
    tenancy.client_for(tenancy.owner).get(reverse("person", args=[tenancy.owner.pk]))  # self
    viewed = _entries(Action.LEARNER_VIEWED)
    assert [(e.actor_membership_id, e.details["page"]) for e in viewed] == [
        (tenancy.manager.pk, "person"),
        (tenancy.manager.pk, "transfer_report"),
        (tenancy.ld_lead.pk, "person"),
    ]
    assert {e.target_id for e in viewed} == {str(tenancy.owner.pk)}


def test_exports_erasures_and_downloads(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    record(action=Action.EXPORT, actor=tenancy.ld_lead, target_type="exports.export", target_id="x")
    tenancy.client_for(tenancy.owner).post(reverse("privacy_download"))
    erase_person(actor=tenancy.admin, person=tenancy.owner)
    assert len(_entries(Action.EXPORT)) == 1
    assert len(_entries(Action.DATA_DOWNLOAD)) == 1
    (erasure,) = _entries(Action.ERASURE)
    assert erasure.target_id == str(tenancy.owner.pk)


def test_no_journal_text_or_statement_body_in_the_log(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    tenancy.client_for(tenancy.manager).get(reverse("transfer_report", args=[tenancy.owner.pk]))
    tenancy.client_for(tenancy.owner).get(reverse("transfer_journal"))
    tenancy.client_for(tenancy.owner).post(reverse("privacy_download"))
    erase_person(actor=tenancy.admin, person=tenancy.owner)
    everything = json.dumps(list(AuditEntry.objects.values()), default=str, ensure_ascii=False)
    assert AuditEntry.objects.count() >= 3
    assert OWNER_SECRET not in everything
    assert "a répondu" not in everything  # a statement's result text
    for bad in ({"text": "x"}, {"statement": "x"}, {"note": "x" * 500}, {"nested": {"a": 1}}):
        with pytest.raises(ValueError, match="audit details"):
            record(action=Action.EXPORT, actor=tenancy.admin, details=bad)


def test_report_downloads_are_exports(tenancy) -> None:  # type: ignore[no-untyped-def]
    client = tenancy.client_for(tenancy.ld_lead)
    html = client.get(reverse("evaluation_report", args=["team", tenancy.team_a.pk]))
    assert html.status_code == 200
    csv = client.get(reverse("evaluation_export", args=["team", tenancy.team_a.pk, "csv"]))
    assert csv.status_code == 200
    (entry,) = _entries(Action.EXPORT)
    assert entry.actor_membership_id == tenancy.ld_lead.pk
    assert entry.details == {"format": "csv"}
    assert entry.target_id == str(tenancy.team_a.pk)


def test_downloading_the_audit_log_is_itself_an_export(tenancy) -> None:  # type: ignore[no-untyped-def]
    response = tenancy.client_for(tenancy.admin).get(reverse("audit_download"))
    assert response.status_code == 200
    (entry,) = _entries(Action.EXPORT)
    assert entry.actor_membership_id == tenancy.admin.pk
    assert entry.organisation_id == tenancy.org_a.pk
    assert entry.details["what"] == "audit_log"


def test_changes_made_in_djangos_admin_are_audited(tenancy) -> None:  # type: ignore[no-untyped-def]
    staff = User.objects.create_user("ops@publisher.test", is_staff=True, is_superuser=True)
    request = RequestFactory().post("/admin/")
    request.user = staff
    membership = Membership.objects.get(pk=tenancy.owner.pk)
    membership.role = Role.ORG_ADMIN
    admin_site._registry[Membership].save_model(request, membership, None, True)
    connection = SsoConnection.objects.create(organisation=tenancy.org_a, protocol="saml")
    connection.enabled = False
    form = SimpleNamespace(changed_data=["mandatory", "enabled"])
    admin_site._registry[SsoConnection].save_model(request, connection, form, True)

    (role,) = _entries(Action.ROLE_CHANGED)
    assert role.actor_user_id == staff.pk
    assert role.organisation_id == tenancy.org_a.pk
    assert role.details == {"from": "learner", "to": "org_admin"}
    (sso,) = _entries(Action.SSO_CHANGED)
    assert sso.actor_user_id == staff.pk
    assert sso.details["settings_changed"] == "enabled,mandatory"
