"""Assignments give a programme or a path to a team (with or without sub-teams) or a person,
with an optional due date; team assignments reach people who join later."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from ancrage.common.testing.browser import fr
from ancrage.licensing import actions
from ancrage.licensing.models import Assignment
from ancrage.licensing.queries import assigned_path_ids, assignments_for
from ancrage.tenancy.models import MembershipStatus, Role
from ancrage.tenancy.tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(tenancy, catalogue, licences):
    return actions.create_programme(
        organisation=tenancy.org_a,
        by=tenancy.ld_lead,
        title="Managers 2027",
        items=[actions.ItemSpec(catalogue.ecoute), actions.ItemSpec(catalogue.feedback)],
    )


def test_ld_lead_assigns_a_programme_to_a_team_with_a_due_date(tenancy, programme):
    due = timezone.localdate() + timedelta(days=30)
    response = tenancy.client_for(tenancy.ld_lead).post(
        reverse("licensing_programme_assign", args=[programme.pk]),
        {"audience": "team", "team": str(tenancy.team_a.pk), "due_on": due.isoformat()},
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get()
    assert (assignment.team, assignment.due_on, assignment.assigned_by) == (
        tenancy.team_a,
        due,
        tenancy.ld_lead,
    )
    assert set(assignments_for(tenancy.owner)) == {assignment}
    assert set(assignments_for(tenancy.teammate)) == {assignment}
    assert not assignments_for(tenancy.outsider).exists()


def test_people_who_join_the_team_later_receive_its_assignments(tenancy, programme):
    actions.assign(organisation=tenancy.org_a, by=None, programme=programme, team=tenancy.team_a)
    newcomer = MembershipFactory(
        organisation=tenancy.org_a,
        user=UserFactory(email="new@alpha.test"),
        team=tenancy.team_a,
    )
    assert assignments_for(newcomer).count() == 1
    tenancy.owner.team = tenancy.team_a2
    tenancy.owner.save()
    assert not assignments_for(tenancy.owner).exists()


def test_sub_teams_receive_a_team_assignment_only_when_asked(tenancy, programme):
    sub = TeamFactory(organisation=tenancy.org_a, name="Niveau 2", parent=tenancy.team_a)
    subsub = TeamFactory(organisation=tenancy.org_a, name="Escalade", parent=sub)
    deep = MembershipFactory(organisation=tenancy.org_a, team=subsub)
    actions.assign(organisation=tenancy.org_a, by=None, programme=programme, team=tenancy.team_a)
    assert not assignments_for(deep).exists()
    actions.assign(
        organisation=tenancy.org_a,
        by=None,
        programme=programme,
        team=tenancy.team_a,
        include_subteams=True,
    )
    assert Assignment.objects.count() == 1  # assigning again updates, never duplicates
    assert assignments_for(deep).count() == 1


def test_a_path_is_assigned_to_a_person_from_the_assignments_page(tenancy, catalogue, licences):
    client = tenancy.client_for(tenancy.ld_lead)
    response = client.post(
        reverse("licensing_assignments"),
        {"audience": "person", "path": "CNV", "person": str(tenancy.outsider.pk)},
    )
    assert response.status_code == 302
    assert assigned_path_ids(tenancy.outsider) == {catalogue.cnv.pk}
    assert assigned_path_ids(tenancy.owner) == set()
    page = client.get(reverse("licensing_assignments")).content.decode()
    assert "Olga Outsider" in page
    assert "Communication non violente" in page


def test_assignments_page_preselects_the_path_from_the_catalogue_link(tenancy, catalogue, licences):
    response = tenancy.client_for(tenancy.ld_lead).get(
        reverse("licensing_assignments") + "?path=FEEDBACK"
    )
    assert 'value="FEEDBACK" selected' in response.content.decode()


def test_a_due_date_in_the_past_is_a_form_error(tenancy, programme):
    past = timezone.localdate() - timedelta(days=1)
    response = tenancy.client_for(tenancy.ld_lead).post(
        reverse("licensing_programme_assign", args=[programme.pk]),
        {"audience": "team", "team": str(tenancy.team_a.pk), "due_on": past.isoformat()},
    )
    assert response.status_code == 400
    assert response.context["team_form"].errors["due_on"] == [fr("The due date is in the past.")]
    assert not Assignment.objects.exists()


def test_an_empty_programme_cannot_be_assigned(tenancy, catalogue, licences):
    empty = actions.create_programme(organisation=tenancy.org_a, by=None, title="Vide")
    with pytest.raises(actions.Invalid) as error:
        actions.assign(organisation=tenancy.org_a, by=None, programme=empty, team=tenancy.team_a)
    assert error.value.code == "empty"


def test_assignments_never_cross_organisations(tenancy, catalogue, licences, programme):
    with pytest.raises(actions.Invalid):
        actions.assign(
            organisation=tenancy.org_a, by=None, programme=programme, team=tenancy.team_b
        )
    with pytest.raises(actions.Invalid):
        actions.assign(
            organisation=tenancy.org_a, by=None, programme=programme, membership=tenancy.other
        )
    with pytest.raises(actions.Invalid):
        actions.assign(
            organisation=tenancy.org_b, by=None, programme=programme, team=tenancy.team_b
        )
    with pytest.raises(actions.Invalid):  # FEEDBACK is outside org B's à la carte licence
        actions.assign(
            organisation=tenancy.org_b, by=None, path=catalogue.feedback, team=tenancy.team_b
        )
    # The web form only offers the actor's own teams and people.
    response = tenancy.client_for(tenancy.ld_lead).post(
        reverse("licensing_programme_assign", args=[programme.pk]),
        {"audience": "team", "team": str(tenancy.team_b.pk)},
    )
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_deactivated_people_are_not_offered_nor_assignable(tenancy, programme):
    tenancy.outsider.status = MembershipStatus.DEACTIVATED
    tenancy.outsider.save()
    with pytest.raises(actions.Invalid):
        actions.assign(
            organisation=tenancy.org_a, by=None, programme=programme, membership=tenancy.outsider
        )


def test_target_and_audience_are_each_exactly_one(tenancy, catalogue, programme):
    with pytest.raises(actions.Invalid) as both:
        actions.assign(
            organisation=tenancy.org_a,
            by=None,
            programme=programme,
            path=catalogue.cnv,
            team=tenancy.team_a,
        )
    assert both.value.field == "target"
    with pytest.raises(actions.Invalid) as nobody:
        actions.assign(organisation=tenancy.org_a, by=None, programme=programme)
    assert nobody.value.field == "audience"


def test_removing_an_assignment_and_404_for_another_organisation(tenancy, programme):
    assignment = actions.assign(
        organisation=tenancy.org_a, by=None, programme=programme, team=tenancy.team_a
    )
    url = reverse("licensing_assignment_remove", args=[assignment.pk])
    assert tenancy.client_for(tenancy.other_ld_lead).post(url).status_code == 404
    assert tenancy.client_for(tenancy.owner).post(url).status_code == 403
    assert Assignment.objects.exists()
    tenancy.client_for(tenancy.ld_lead).post(url)
    assert not Assignment.objects.exists()


def test_another_organisations_assignments_are_not_listed(tenancy, catalogue, licences, programme):
    actions.assign(organisation=tenancy.org_a, by=None, programme=programme, team=tenancy.team_a)
    body = tenancy.client_for(tenancy.other_ld_lead).get(reverse("licensing_assignments"))
    assert "Managers 2027" not in body.content.decode()


def test_an_org_admin_may_assign_too(tenancy, programme):
    assert tenancy.admin.role == Role.ORG_ADMIN
    response = tenancy.client_for(tenancy.admin).post(
        reverse("licensing_programme_assign", args=[programme.pk]),
        {"audience": "person", "person": str(tenancy.owner.pk)},
    )
    assert response.status_code == 302
