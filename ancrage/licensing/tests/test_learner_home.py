"""The learner home lists assigned programmes and paths, what is under way and what is
finished — in a constant number of queries, whatever the number of assignments."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from ancrage.common.testing.browser import fr
from ancrage.licensing import actions
from ancrage.licensing.models import Assignment, Programme
from ancrage.licensing.tests.factories import make_path
from ancrage.player.actions import start_path
from ancrage.player.models import Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db

# Session, user and membership (3), the dashboard's own (at most 8, learner_dashboard) and
# the player's resume points (3, player.queries.resume_entries, once its bundles are cached):
# 13 for an organisation on the intégrale; then the learner's own habits card (profile,
# organisation settings, the acts of the streak in one UNION, recall items due, ritual: 5)
# and the community card (validated recognitions, featured takeaways: 2). None grows with
# the number of assignments (the last assert below).
MAX_HOME_QUERIES = 21


def _home_queries(client) -> tuple[int, str]:
    client.get(reverse("home"))  # warm the caches (e.g. the player's content bundles)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    return len(captured), response.content.decode()


def _assign_many(tenancy, count: int, prefix: str) -> None:
    """`count` assignments mixing programmes (with a module step) and paths, to the person
    and to their team, some started, some finished."""
    paths = [make_path(f"{prefix}{index:02d}", title=f"{prefix} {index}") for index in range(count)]
    for index in range(count):
        if index % 2 == 0:
            programme = actions.create_programme(
                organisation=tenancy.org_a,
                by=None,
                title=f"Programme {prefix} {index}",
                items=[
                    actions.ItemSpec(paths[index]),
                    actions.ItemSpec(paths[(index + 1) % count], "premier-pas"),
                ],
            )
            target = {"programme": programme}
        else:
            target = {"path": paths[index]}
        audience = {"team": tenancy.team_a} if index % 3 else {"membership": tenancy.owner}
        actions.assign(
            organisation=tenancy.org_a,
            by=None,
            due_on=timezone.localdate() + timedelta(days=index),
            **target,
            **audience,
        )
    for index, path in enumerate(paths[::5]):
        enrolment = start_path(membership=tenancy.owner, path=path, origin="assignment")
        if index % 2:
            Enrolment.objects.filter(pk=enrolment.pk).update(
                status=EnrolmentStatus.COMPLETED, completed_at=timezone.now()
            )


def test_home_shows_an_assigned_programme_with_its_steps_and_statuses(tenancy, catalogue, licences):
    programme = actions.create_programme(
        organisation=tenancy.org_a,
        by=None,
        title="Managers 2027",
        items=[actions.ItemSpec(catalogue.ecoute), actions.ItemSpec(catalogue.cnv, "premier-pas")],
    )
    due = timezone.localdate() + timedelta(days=20)
    actions.assign(
        organisation=tenancy.org_a, by=None, programme=programme, team=tenancy.team_a, due_on=due
    )
    actions.assign(
        organisation=tenancy.org_a, by=None, path=catalogue.feedback, membership=tenancy.owner
    )
    start_path(membership=tenancy.owner, path=catalogue.ecoute, origin="assignment")

    response = tenancy.client_for(tenancy.owner).get(reverse("home"))
    body = response.content.decode()
    dashboard = response.context["dashboard"]
    assert [p.programme.title for p in dashboard.programmes] == ["Managers 2027"]
    steps = dashboard.programmes[0].steps
    assert [(s.title, s.status) for s in steps] == [
        ("Écouter pour de vrai", "started"),
        ("Communication non violente", "assigned"),
    ]
    assert steps[1].module_title == "Module premier-pas"
    assert [e.title for e in dashboard.assigned] == ["Le feedback qui aide"]
    assert [e.title for e in dashboard.in_progress] == ["Écouter pour de vrai"]
    assert "Managers 2027" in body
    assert reverse("licensing_path", args=["FEEDBACK"]) in body


def test_finished_paths_are_listed_as_finished(tenancy, catalogue, licences):
    enrolment = start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    Enrolment.objects.filter(pk=enrolment.pk).update(
        status=EnrolmentStatus.COMPLETED, completed_at=timezone.now()
    )
    dashboard = tenancy.client_for(tenancy.owner).get(reverse("home")).context["dashboard"]
    assert [e.title for e in dashboard.completed] == ["Communication non violente"]
    assert dashboard.in_progress == []


def test_past_due_assignments_are_flagged_in_words(tenancy, catalogue, licences):
    assignment = actions.assign(
        organisation=tenancy.org_a, by=None, path=catalogue.cnv, membership=tenancy.owner
    )
    assignment.due_on = timezone.localdate() - timedelta(days=2)
    assignment.save()
    body = tenancy.client_for(tenancy.owner).get(reverse("home")).content.decode()
    assert escape(fr("Past the due date")) in body


def test_a_manager_sees_their_own_assignments_too(tenancy, catalogue, licences):
    actions.assign(organisation=tenancy.org_a, by=None, path=catalogue.cnv, team=tenancy.team_a)
    dashboard = tenancy.client_for(tenancy.manager).get(reverse("home")).context["dashboard"]
    assert [e.title for e in dashboard.assigned] == ["Communication non violente"]


def test_a_suspended_licence_is_explained_on_the_home_and_progress_stays_listed(
    tenancy, catalogue, licences
):
    start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    actions.suspend_licence(by=None, licence=licences.a)
    dashboard = tenancy.client_for(tenancy.owner).get(reverse("home")).context["dashboard"]
    assert dashboard.licence_refusal == "licence_suspended"
    assert [e.title for e in dashboard.in_progress] == ["Communication non violente"]
    assert dashboard.in_progress[0].available is False


def test_another_organisations_assignments_never_reach_the_home(tenancy, catalogue, licences):
    programme = actions.create_programme(
        organisation=tenancy.org_b, by=None, title="Bêta", items=[actions.ItemSpec(catalogue.cnv)]
    )
    actions.assign(organisation=tenancy.org_b, by=None, programme=programme, team=tenancy.team_b)
    dashboard = tenancy.client_for(tenancy.owner).get(reverse("home")).context["dashboard"]
    assert dashboard.is_empty


def test_home_queries_do_not_grow_with_the_number_of_assignments(
    tenancy, licences, django_assert_max_num_queries
):
    client = tenancy.client_for(tenancy.owner)
    _assign_many(tenancy, 1, "A")
    one, body = _home_queries(client)
    assert "Programme A 0" in body
    with django_assert_max_num_queries(MAX_HOME_QUERIES):
        client.get(reverse("home"))

    Enrolment.objects.all().delete()
    Assignment.objects.all().delete()
    Programme.objects.all().delete()
    _assign_many(tenancy, 50, "B")
    assert Assignment.objects.count() == 50
    fifty, body = _home_queries(client)
    assert body.count("programme-card") == 25
    with django_assert_max_num_queries(MAX_HOME_QUERIES):
        client.get(reverse("home"))

    print(f"\nLearner home queries: {one} with 1 assignment, {fifty} with 50 assignments")
    assert fifty == one
