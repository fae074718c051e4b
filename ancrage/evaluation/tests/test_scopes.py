"""Who a programme's, a campaign's and a themed event's figures count: the programme's
assigned people only; the event's audience, on its paths, during its days — the same people
as its report (bilan)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import ngettext

from ancrage.catalog.tests.published import published_path
from ancrage.common.testing.browser import fr
from ancrage.engagement.models import Campaign, CampaignKind, CampaignStatus, ThemedEvent
from ancrage.engagement.report import build_figures
from ancrage.evaluation import actions
from ancrage.evaluation.models import Figure
from ancrage.licensing.models import Assignment, Programme, ProgrammeItem
from ancrage.player.models import Enrolment, EnrolmentOrigin, EnrolmentStatus, ModuleProgress
from ancrage.tenancy.models import Role
from ancrage.tenancy.tests.factories import MembershipFactory, TeamFactory, UserFactory
from ancrage.transfer.tests.conftest import enrol

pytestmark = pytest.mark.django_db


def figures(org, kind, scope_id):  # type: ignore[no-untyped-def]
    return {
        f.metric: f
        for f in Figure.objects.filter(organisation=org, scope_kind=kind, scope_id=str(scope_id))
    }


def _learner(tenancy, team):  # type: ignore[no-untyped-def]
    return MembershipFactory(
        organisation=tenancy.org_a, user=UserFactory(), role=Role.LEARNER, team=team
    )


def _programme(tenancy, *steps):  # type: ignore[no-untyped-def]
    programme = Programme.objects.create(organisation=tenancy.org_a, title="Managers 2027")
    for order, (path_id, slug) in enumerate(steps):
        ProgrammeItem.objects.create(
            organisation=tenancy.org_a,
            programme=programme,
            order=order,
            path_id=path_id,
            module_slug=slug,
        )
    return programme


def _assign(programme, *, membership=None, team=None, subteams=False):  # type: ignore[no-untyped-def]
    Assignment.objects.create(
        organisation=programme.organisation,
        programme=programme,
        membership=membership,
        team=team,
        include_subteams=subteams,
    )


def test_a_programme_counts_only_the_people_it_is_assigned_to(tenancy, version):
    """Eight people started the path; the programme is assigned to two of them by name and
    to Ventes with its sub-teams (outsider, and one person in a sub-team)."""
    sub_team = TeamFactory(organisation=tenancy.org_a, name="PME", parent=tenancy.team_a2)
    in_sub_team = _learner(tenancy, sub_team)
    others = [_learner(tenancy, tenancy.team_a) for _ in range(4)]
    for person in (tenancy.owner, tenancy.teammate, tenancy.outsider, in_sub_team, *others):
        enrol(person, version, completed=person in (tenancy.owner, in_sub_team, *others))
    programme = _programme(tenancy, (version.path_id, ""))
    _assign(programme, membership=tenancy.owner)
    _assign(programme, membership=tenancy.teammate)
    _assign(programme, team=tenancy.team_a2, subteams=True)
    actions.refresh_rollups(organisation=tenancy.org_a)

    assert figures(tenancy.org_a, "path", version.path_id)["enrolled"].value == 8
    got = figures(tenancy.org_a, "programme", programme.pk)
    assert (got["enrolled"].value, got["enrolled"].population) == (4, 4)
    assert got["completion_rate"].value == 50.0  # owner and the sub-team person, of 4


def test_a_team_assignment_without_sub_teams_leaves_them_out(tenancy, version):
    sub_team = TeamFactory(organisation=tenancy.org_a, name="PME", parent=tenancy.team_a2)
    for person in (tenancy.outsider, _learner(tenancy, sub_team), tenancy.owner):
        enrol(person, version)
    programme = _programme(tenancy, (version.path_id, ""))
    _assign(programme, team=tenancy.team_a2)
    actions.refresh_rollups(organisation=tenancy.org_a)
    assert figures(tenancy.org_a, "programme", programme.pk)["enrolled"].value == 1


def test_finishing_a_programme_means_every_step(tenancy, version):
    """Steps: the whole of ÉCOUTE, and one module of CNV. A person who finished ÉCOUTE and
    only that module of CNV finished the programme; one who finished ÉCOUTE only did not."""
    cnv = published_path("CNV", title="CNV")
    slug = cnv.modules.order_by("order").values_list("slug", flat=True)[0]
    programme = _programme(tenancy, (version.path_id, ""), (cnv.path_id, slug))
    done, half = tenancy.owner, tenancy.teammate
    for person in (done, half):
        _assign(programme, membership=person)
        enrol(person, version, completed=True)
    cnv_enrolment = enrol(done, cnv)
    ModuleProgress.objects.create(
        organisation_id=tenancy.org_a.pk,
        enrolment=cnv_enrolment,
        module_slug=slug,
        completed_at=timezone.now(),
    )
    actions.refresh_rollups(organisation=tenancy.org_a)
    got = figures(tenancy.org_a, "programme", programme.pk)
    assert (got["enrolled"].value, got["completion_rate"].value) == (2, 50.0)


def test_a_programme_page_speaks_of_the_programme(tenancy, version):
    programme = _programme(tenancy, (version.path_id, ""))
    _assign(programme, membership=tenancy.owner)
    enrol(tenancy.owner, version)
    actions.refresh_rollups(organisation=tenancy.org_a)
    client = tenancy.client_for(tenancy.ld_lead)
    body = client.get(reverse("evaluation_report", args=["programme", programme.pk])).content
    text = body.decode()
    assert escape(fr("Finished the programme (every step)")) in text
    assert escape(fr("Finished the path")) not in text
    path_page = client.get(reverse("evaluation_report", args=["path", version.path_id]))
    assert escape(fr("Finished the path")) in path_page.content.decode()


def _started(person, version, *, on, completed_on=None):  # type: ignore[no-untyped-def]
    at = timezone.make_aware(datetime.combine(on, time(10)))
    done = timezone.make_aware(datetime.combine(completed_on, time(11))) if completed_on else None
    return Enrolment.objects.create(
        organisation_id=person.organisation_id,
        membership=person,
        path_id=version.path_id,
        path_version=version,
        origin=EnrolmentOrigin.SELF,
        status=EnrolmentStatus.COMPLETED if done else EnrolmentStatus.STARTED,
        started_at=at,
        completed_at=done,
        last_activity_at=done or at,
    )


def test_an_event_counts_the_people_its_report_counts(tenancy, version):
    """A past week for Service client: before, during and after it; inside and outside its
    audience. Evaluation and report (bilan) must both say 3 people took part."""
    today = timezone.localdate()
    starts_on, ends_on = today - timedelta(days=60), today - timedelta(days=54)
    campaign = Campaign.objects.create(
        organisation=tenancy.org_a,
        kind=CampaignKind.EVENT,
        title="Semaine de l'intelligence collective",
        strategic_stake="Coopérer",
        channels=["email"],
        starts_on=starts_on,
        ends_on=ends_on,
        status=CampaignStatus.CLOSED,
    )
    campaign.teams.set([tenancy.team_a])
    campaign.paths.set([version.path])
    event = ThemedEvent.objects.create(
        organisation=tenancy.org_a, campaign=campaign, theme="collective_intelligence"
    )
    extra = [_learner(tenancy, tenancy.team_a) for _ in range(3)]
    _started(tenancy.owner, version, on=starts_on)  # first day: counts
    _started(tenancy.teammate, version, on=ends_on)  # last day: counts
    _started(  # started before, finished during: counts (as in the report)
        tenancy.manager, version, on=starts_on - timedelta(days=10), completed_on=starts_on
    )
    _started(extra[0], version, on=starts_on - timedelta(days=1))  # before, still going
    _started(extra[1], version, on=ends_on + timedelta(days=1))  # the day after
    _started(extra[2], version, on=today)  # weeks later
    _started(tenancy.outsider, version, on=starts_on)  # not in the audience (Ventes)
    actions.refresh_rollups(organisation=tenancy.org_a)

    got = figures(tenancy.org_a, "event", event.pk)["enrolled"]
    report = build_figures(campaign, now=timezone.now(), final=True)
    assert report["participants"] == 3
    assert (got.value, got.population) == (3, 3)


def test_a_campaign_for_roles_only_counts_those_roles(tenancy, version):
    """A campaign for every manager, whatever their team (no team chosen)."""
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        organisation=tenancy.org_a,
        title="Managers",
        strategic_stake="Manager",
        roles=[Role.MANAGER],
        channels=["email"],
        starts_on=today - timedelta(days=5),
        ends_on=today + timedelta(days=5),
        status=CampaignStatus.RUNNING,
    )
    campaign.paths.set([version.path])
    for person in (tenancy.manager, tenancy.owner):
        _started(person, version, on=today)
    actions.refresh_rollups(organisation=tenancy.org_a)
    assert figures(tenancy.org_a, "campaign", campaign.pk)["enrolled"].value == 1
    client = tenancy.client_for(tenancy.ld_lead)
    body = client.get(reverse("evaluation_report", args=["campaign", campaign.pk])).content
    assert escape(fr("People who started or finished a path during the campaign")) in body.decode()


def test_the_refresh_message_counts_figures_in_words(tenancy, version):
    enrol(tenancy.owner, version)
    client = tenancy.client_for(tenancy.ld_lead)
    response = client.post(reverse("evaluation_refresh"))
    assert response.status_code == 302
    count = Figure.objects.filter(organisation=tenancy.org_a).count()
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    with translation.override("fr"):
        expected = ngettext(
            "%(count)s figure recalculated.", "%(count)s figures recalculated.", count
        ) % {"count": count}
    assert message == expected
    assert "(" not in message


def test_dates_of_an_event_are_calendar_days(tenancy, version):
    """Starting at 00:30 on the first day counts; at 00:30 the day after the last does not."""
    start = date(2026, 3, 2)
    campaign = Campaign.objects.create(
        organisation=tenancy.org_a,
        title="Une journée",
        strategic_stake="x",
        everyone=True,
        channels=["email"],
        starts_on=start,
        ends_on=start,
        status=CampaignStatus.CLOSED,
    )
    campaign.paths.set([version.path])
    for person, day in ((tenancy.owner, start), (tenancy.teammate, start + timedelta(days=1))):
        at = timezone.make_aware(datetime.combine(day, time(0, 30)))
        enrolment = enrol(person, version)
        Enrolment.objects.filter(pk=enrolment.pk).update(started_at=at)
    actions.refresh_rollups(organisation=tenancy.org_a)
    assert figures(tenancy.org_a, "campaign", campaign.pk)["enrolled"].value == 1
