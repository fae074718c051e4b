"""API keys, LRS keys and the LRS forwarding target: every change names who made it, a
repeated revocation is recorded once, and no secret ever reaches the log."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.api.actions import create_api_key, revoke_api_key
from ancrage.api.models import ApiKey
from ancrage.audit.models import Action, AuditEntry
from ancrage.lrs.actions import (
    issue_credential,
    revoke_credential,
    rotate_credential,
    save_forwarding_target,
)
from ancrage.lrs.models import ForwardingTarget, LrsCredential

pytestmark = pytest.mark.django_db

FORWARDING_SECRET = "Fw-7p!k2-secret-of-the-client-lrs"  # noqa: S105  # pragma: allowlist secret
NEW_FORWARDING_SECRET = "Qz-4m@r8-new-secret-of-the-lrs"  # noqa: S105  # pragma: allowlist secret


def _entries(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def _log_text() -> str:
    return json.dumps(list(AuditEntry.objects.values()), default=str)


@pytest.fixture
def staff() -> User:
    return User.objects.create_user("ops@publisher.test", is_staff=True, is_superuser=True)


@pytest.fixture
def staff_client(staff: User) -> Client:
    client = Client()
    client.force_login(staff)
    return client


# --- LRS keys -------------------------------------------------------------------------------


def test_lrs_key_creation_rotation_and_revocation_name_who_did_it(tenancy) -> None:  # type: ignore[no-untyped-def]
    by = tenancy.admin.user
    issued = issue_credential(organisation=tenancy.org_a, label="LMS", scopes=["all"], by=by)
    successor = rotate_credential(credential=issued.credential, overlap=timedelta(hours=1), by=by)
    revoke_credential(credential=successor.credential, by=by)

    created = _entries(Action.LRS_KEY_CREATED)
    revoked = _entries(Action.LRS_KEY_REVOKED)
    assert [e.actor_user_id for e in created + revoked] == [by.pk] * 4
    assert {e.organisation_id for e in created + revoked} == {tenancy.org_a.pk}
    assert created[1].details["rotated_from"] == issued.credential.key
    assert revoked[0].details["rotated_to"] == successor.credential.key
    assert issued.secret not in _log_text()
    assert successor.secret not in _log_text()


def test_a_repeated_lrs_key_revocation_is_recorded_once(tenancy) -> None:  # type: ignore[no-untyped-def]
    issued = issue_credential(organisation=tenancy.org_a, label="LMS", scopes=["all"])
    assert revoke_credential(credential=issued.credential, by=tenancy.admin.user) is True
    first = LrsCredential.objects.get(pk=issued.credential.pk).revoked_at

    stale = LrsCredential.objects.get(pk=issued.credential.pk)
    assert revoke_credential(credential=stale, by=tenancy.admin.user) is False

    assert len(_entries(Action.LRS_KEY_REVOKED)) == 1
    assert LrsCredential.objects.get(pk=issued.credential.pk).revoked_at == first


def test_rotating_a_revoked_lrs_key_never_revives_it(tenancy) -> None:  # type: ignore[no-untyped-def]
    issued = issue_credential(organisation=tenancy.org_a, label="LMS", scopes=["all"])
    revoke_credential(credential=issued.credential)

    rotate_credential(credential=issued.credential, overlap=timedelta(hours=24))

    assert not LrsCredential.objects.get(pk=issued.credential.pk).is_usable()
    assert len(_entries(Action.LRS_KEY_REVOKED)) == 1


def test_revoking_during_a_rotation_overlap_brings_the_end_forward(tenancy) -> None:  # type: ignore[no-untyped-def]
    issued = issue_credential(organisation=tenancy.org_a, label="LMS", scopes=["all"])
    rotate_credential(credential=issued.credential, overlap=timedelta(hours=24))

    assert revoke_credential(credential=issued.credential) is True

    assert not LrsCredential.objects.get(pk=issued.credential.pk).is_usable()
    assert len(_entries(Action.LRS_KEY_REVOKED)) == 2


def test_lrs_key_revocation_in_djangos_admin_names_the_staff_user_once(  # type: ignore[no-untyped-def]
    tenancy, staff, staff_client
) -> None:
    issued = issue_credential(organisation=tenancy.org_a, label="LMS", scopes=["all"])
    changelist = reverse("admin:lrs_lrscredential_changelist")
    form = {"action": "revoke", "_selected_action": [str(issued.credential.pk)]}

    assert staff_client.post(changelist, form).status_code == 302
    assert staff_client.post(changelist, form).status_code == 302

    (entry,) = _entries(Action.LRS_KEY_REVOKED)
    assert entry.actor_user_id == staff.pk
    assert entry.organisation_id == tenancy.org_a.pk
    # The organisation admin sees that platform staff did it (not who, not blank).
    page = tenancy.client_for(tenancy.admin).get(reverse("audit_entry", args=[entry.pk]))
    assert page.context["row"]["actor"] != ""
    assert str(page.context["row"]["actor"]) in page.content.decode()


def test_a_revoked_lrs_key_cannot_be_revived_in_djangos_admin_change_form(  # type: ignore[no-untyped-def]
    tenancy, staff_client
) -> None:
    issued = issue_credential(organisation=tenancy.org_a, label="LMS", scopes=["statements/write"])
    revoke_credential(credential=issued.credential)
    change = reverse("admin:lrs_lrscredential_change", args=[issued.credential.pk])

    revive = {
        "organisation": str(tenancy.org_a.pk),
        "label": "LMS",
        "scopes": '["all"]',
        "authority": json.dumps(issued.credential.authority),
        "rate_limit_per_minute": "6000",
        "expires_at_0": "",
        "expires_at_1": "",
        "revoked_at_0": "",
        "revoked_at_1": "",
    }
    assert staff_client.post(change, revive).status_code == 302

    stored = LrsCredential.objects.get(pk=issued.credential.pk)
    assert stored.revoked_at is not None
    assert stored.scopes == ["statements/write"]


def test_lrs_key_rotation_in_djangos_admin_names_the_staff_user(
    tenancy, staff, staff_client
) -> None:  # type: ignore[no-untyped-def]
    issued = issue_credential(organisation=tenancy.org_a, label="LMS", scopes=["all"])
    staff_client.post(
        reverse("admin:lrs_lrscredential_changelist"),
        {"action": "rotate", "_selected_action": [str(issued.credential.pk)]},
    )

    assert [e.actor_user_id for e in _entries(Action.LRS_KEY_CREATED)][-1] == staff.pk
    (revoked,) = _entries(Action.LRS_KEY_REVOKED)
    assert revoked.actor_user_id == staff.pk


def test_the_lrs_credential_command_records_who_ran_it(tenancy) -> None:  # type: ignore[no-untyped-def]
    by = ("--by", "admin@alpha.test")
    out = StringIO()
    call_command("lrs_credential", "create", "--organisation", "alpha", *by, stdout=out)
    key = out.getvalue().split("key=")[1].split()[0]
    revoked, again = StringIO(), StringIO()
    call_command("lrs_credential", "revoke", key, *by, stdout=revoked)
    call_command("lrs_credential", "revoke", key, *by, stdout=again)

    assert again.getvalue().strip() == "already revoked"
    (created,) = _entries(Action.LRS_KEY_CREATED)
    (revocation,) = _entries(Action.LRS_KEY_REVOKED)
    assert created.actor_user_id == revocation.actor_user_id == tenancy.admin.user_id


def test_platform_staff_may_run_the_lrs_credential_command(tenancy, staff) -> None:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command(
        "lrs_credential", "create", "--organisation", "beta", "--by", staff.email, stdout=out
    )

    (created,) = _entries(Action.LRS_KEY_CREATED)
    assert created.actor_user_id == staff.pk
    assert created.organisation_id == tenancy.org_b.pk


@pytest.mark.parametrize(
    "args",
    [
        ["create", "--organisation", "alpha"],
        ["create", "--organisation", "alpha", "--by", "nobody@alpha.test"],
        ["create", "--organisation", "alpha", "--by", "other@beta.test"],  # another organisation's
    ],
)
def test_the_lrs_credential_command_refuses_to_run_without_a_known_author(tenancy, args) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="--by"):
        call_command("lrs_credential", *args, stdout=StringIO())
    assert not LrsCredential.objects.exists()


# --- API keys -------------------------------------------------------------------------------


def test_api_key_revocation_names_who_and_is_recorded_once(tenancy) -> None:  # type: ignore[no-untyped-def]
    key, _full = create_api_key(organisation=tenancy.org_a, name="SIRH", scopes=["licences:read"])

    assert revoke_api_key(key=key, by=tenancy.admin.user) is True
    assert revoke_api_key(key=ApiKey.objects.get(pk=key.pk), by=tenancy.ld_lead.user) is False

    (entry,) = _entries(Action.API_KEY_REVOKED)
    assert entry.actor_user_id == tenancy.admin.user_id
    assert entry.organisation_id == tenancy.org_a.pk


def test_the_api_key_command_records_who_ran_it(tenancy) -> None:  # type: ignore[no-untyped-def]
    by = ("--by", "admin@alpha.test")
    out = StringIO()
    create = ["create", "--organisation", "alpha", "--scopes", "licences:read", *by]
    call_command("api_key", *create, stdout=out, stderr=StringIO())
    prefix = out.getvalue().strip().split("_")[1]
    call_command("api_key", "revoke", prefix, *by, stdout=StringIO())
    again = StringIO()
    call_command("api_key", "revoke", prefix, *by, stdout=again)

    assert "already revoked" in again.getvalue()
    (created,) = _entries(Action.API_KEY_CREATED)
    (revoked,) = _entries(Action.API_KEY_REVOKED)
    assert created.actor_user_id == revoked.actor_user_id == tenancy.admin.user_id


# --- LRS forwarding target ------------------------------------------------------------------


def _forwarding_form(tenancy, **changes: object) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "organisation": str(tenancy.org_a.pk),
        "endpoint": "https://lrs.alpha.test/xapi/",
        "username": "ancrage",
        "password": FORWARDING_SECRET,
        "enabled": "on",
        **changes,
    }


def test_forwarding_target_changes_are_audited_by_field_name_never_the_secret(  # type: ignore[no-untyped-def]
    tenancy, staff, staff_client
) -> None:
    add = staff_client.post(reverse("admin:lrs_forwardingtarget_add"), _forwarding_form(tenancy))
    assert add.status_code == 302
    target = ForwardingTarget.objects.get(organisation=tenancy.org_a)
    change = reverse("admin:lrs_forwardingtarget_change", args=[target.pk])

    # The secret is never shown back; left empty, it is kept.
    assert FORWARDING_SECRET not in staff_client.get(change).content.decode()
    moved = _forwarding_form(tenancy, endpoint="https://lrs2.alpha.test/x/", password="")
    staff_client.post(change, moved)
    staff_client.post(change, {**moved, "password": NEW_FORWARDING_SECRET})
    staff_client.post(change, {**moved, "enabled": ""})

    created, endpoint, secret, disabled = _entries(Action.LRS_FORWARDING_CHANGED)
    assert created.details == {
        "created": True,
        "enabled": True,
        "settings_changed": "endpoint,username,enabled",
        "secret_replaced": True,
    }
    assert endpoint.details["settings_changed"] == "endpoint"
    assert endpoint.details["secret_replaced"] is False
    assert secret.details["settings_changed"] == ""
    assert secret.details["secret_replaced"] is True
    assert disabled.details["settings_changed"] == "enabled"
    assert disabled.details["enabled"] is False
    for entry in (created, endpoint, secret, disabled):
        assert entry.actor_user_id == staff.pk
        assert entry.organisation_id == tenancy.org_a.pk
    assert ForwardingTarget.objects.get(pk=target.pk).password == NEW_FORWARDING_SECRET
    assert FORWARDING_SECRET not in _log_text()
    assert NEW_FORWARDING_SECRET not in _log_text()


def test_a_forwarding_save_that_changes_nothing_is_not_recorded(tenancy) -> None:  # type: ignore[no-untyped-def]
    target = ForwardingTarget(
        organisation=tenancy.org_a,
        endpoint="https://lrs.alpha.test/xapi/",
        username="ancrage",
        password=FORWARDING_SECRET,
    )
    save_forwarding_target(target=target, by=tenancy.admin.user)

    assert save_forwarding_target(target=target, by=tenancy.admin.user) == []

    assert len(_entries(Action.LRS_FORWARDING_CHANGED)) == 1


def test_removing_the_forwarding_target_is_audited(tenancy, staff, staff_client) -> None:  # type: ignore[no-untyped-def]
    staff_client.post(reverse("admin:lrs_forwardingtarget_add"), _forwarding_form(tenancy))
    target = ForwardingTarget.objects.get()

    staff_client.post(
        reverse("admin:lrs_forwardingtarget_delete", args=[target.pk]), {"post": "yes"}
    )

    assert not ForwardingTarget.objects.exists()
    removed = _entries(Action.LRS_FORWARDING_CHANGED)[-1]
    assert removed.details == {"removed": True, "enabled": False}
    assert removed.actor_user_id == staff.pk
    assert removed.organisation_id == tenancy.org_a.pk
    # The organisation's admins see it in their log.
    log = tenancy.client_for(tenancy.admin).get(
        reverse("audit_log"), {"action": Action.LRS_FORWARDING_CHANGED}
    )
    assert log.context["page"].paginator.count == 2
