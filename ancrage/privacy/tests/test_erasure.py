"""An organisation admin erases a person: rerunnable, idempotent, aggregates kept."""

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.audit.models import Action, AuditEntry
from ancrage.lrs.models import Statement
from ancrage.notify.models import OutboundMessage
from ancrage.player.models import CardProgress, Enrolment, SurveyResponse
from ancrage.privacy.actions import ErasureRefused, erase_person
from ancrage.privacy.models import Erasure, ErasureState
from ancrage.privacy.tests.conftest import OWNER_SECRET, TEAMMATE_SECRET
from ancrage.tenancy.models import MembershipStatus
from ancrage.transfer.models import ActionCheckIn, ActionPlan, JournalEntry, Observation

pytestmark = pytest.mark.django_db


def test_erasure_destroys_journals_and_pseudonymises_statements(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    owner = tenancy.owner
    result = erase_person(actor=tenancy.admin, person=owner)
    assert result.total > 0
    assert not JournalEntry.objects.filter(author=owner).exists()
    assert not ActionPlan.objects.filter(learner=owner).exists()
    assert not ActionCheckIn.objects.filter(plan__learner=owner).exists()
    # Observation scores stay for the BARS distribution; the written example is gone.
    observation = Observation.objects.get(learner=owner)
    assert observation.bars_score == 4
    assert observation.example == ""
    assert SurveyResponse.objects.get(enrolment__membership=owner).comment == ""
    assert CardProgress.objects.get(enrolment__membership=owner).answer is None
    enrolment = Enrolment.objects.get(membership=owner)
    assert enrolment.status == "completed"  # completion figures stay
    assert enrolment.position == ""
    message = OutboundMessage.objects.get(membership=owner)
    assert message.recipient == ""
    assert message.subject == ""
    # Statements: same rows, actor replaced by one stable random account, no name or e-mail.
    rows = list(Statement.objects.filter(statement_id__in=person_data.statement_ids))
    assert len(rows) == 2
    erasure = Erasure.objects.get(membership=owner)
    for row in rows:
        body = json.dumps(row.payload, ensure_ascii=False)
        assert "owner@alpha.test" not in body
        assert "Léa Owner" not in body
        assert row.payload["actor"]["account"]["name"] == f"anonyme-{erasure.pseudonym}"
        assert str(owner.pk) not in row.actor_key
    assert len({row.actor_key for row in rows}) == 1
    # The account is anonymised and the membership deactivated.
    user = User.objects.get(pk=owner.user_id)
    assert user.email.endswith("@invalid")
    assert user.name == ""
    assert not user.is_active
    assert not user.has_usable_password()
    owner.refresh_from_db()
    assert owner.status == MembershipStatus.DEACTIVATED
    assert owner.manager_id is None
    assert owner.team_id is None
    assert erasure.state == ErasureState.DONE


def test_second_run_changes_nothing_and_reports_zero(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    erase_person(actor=tenancy.admin, person=tenancy.owner)
    before = {
        row.seq: (row.actor_key, json.dumps(row.payload, sort_keys=True))
        for row in Statement.objects.all()
    }
    again = erase_person(actor=tenancy.admin, person=tenancy.owner)
    assert again.total == 0
    assert set(again.changed.values()) == {0}
    after = {
        row.seq: (row.actor_key, json.dumps(row.payload, sort_keys=True))
        for row in Statement.objects.all()
    }
    assert after == before
    erasure = Erasure.objects.get(membership=tenancy.owner)
    assert erasure.runs == 2
    assert erasure.steps
    assert set(erasure.steps.values()) == {0}
    assert AuditEntry.objects.filter(action=Action.ERASURE).count() == 2


def test_erasure_leaves_other_people_alone(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    erase_person(actor=tenancy.admin, person=tenancy.owner)
    teammate = tenancy.teammate
    assert JournalEntry.objects.get(author=teammate).description == TEAMMATE_SECRET
    assert ActionPlan.objects.filter(learner=teammate).count() == 1
    statement = Statement.objects.get(statement_id=person_data.teammate_statement_id)
    assert statement.payload["actor"]["account"]["name"] == str(teammate.pk)
    assert User.objects.get(pk=teammate.user_id).email == "teammate@alpha.test"


def test_only_an_admin_of_the_same_organisation_may_erase(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    for actor in (tenancy.ld_lead, tenancy.manager, tenancy.owner, tenancy.other_ld_lead):
        with pytest.raises(PermissionDenied):
            erase_person(actor=actor, person=tenancy.teammate)
    with pytest.raises(ErasureRefused):
        erase_person(actor=tenancy.admin, person=tenancy.admin)
    assert JournalEntry.objects.filter(description=OWNER_SECRET).exists()


def test_erasure_pages_for_admins_only(tenancy, person_data) -> None:  # type: ignore[no-untyped-def]
    url = reverse("privacy_erase", args=[tenancy.owner.pk])
    for member in (tenancy.owner, tenancy.manager, tenancy.ld_lead):
        assert tenancy.client_for(member).get(url).status_code == 403
    other_admin = tenancy.other_ld_lead
    other_admin.role = "org_admin"
    other_admin.save()
    assert tenancy.client_for(other_admin).get(url).status_code == 404
    admin = tenancy.client_for(tenancy.admin)
    assert admin.get(reverse("privacy_erasures") + "?q=owner").status_code == 200
    refused = admin.post(url, {"email": "wrong@alpha.test"})
    assert refused.status_code == 400
    assert JournalEntry.objects.filter(author=tenancy.owner).exists()
    done = admin.post(url, {"email": "owner@alpha.test"})
    assert done.status_code == 302
    erasure = Erasure.objects.get(membership=tenancy.owner)
    assert done["Location"] == reverse("privacy_erasure", args=[erasure.pk])
    assert not JournalEntry.objects.filter(author=tenancy.owner).exists()
    assert admin.get(done["Location"]).status_code == 200
    assert admin.post(done["Location"]).status_code == 302  # run again
    assert tenancy.client_for(other_admin).get(done["Location"]).status_code == 404


def test_an_admin_cannot_erase_themselves_from_the_page(tenancy) -> None:  # type: ignore[no-untyped-def]
    admin = tenancy.client_for(tenancy.admin)
    url = reverse("privacy_erase", args=[tenancy.admin.pk])
    assert '<form method="post"' not in admin.get(url).content.decode()
    admin.post(url, {"email": "admin@alpha.test"})
    assert not Erasure.objects.exists()
    assert User.objects.get(pk=tenancy.admin.user_id).is_active
