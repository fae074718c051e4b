"""Report figures checked against values computed by hand on a small fixture, the
small-group rule, and access to the dashboards."""

import io
import uuid
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from ancrage.common.testing.browser import fr
from ancrage.evaluation import actions
from ancrage.evaluation.figures import statement_activity
from ancrage.evaluation.models import Figure, SurveyRequest
from ancrage.evaluation.privacy import k_anonymous
from ancrage.lrs.models import Statement
from ancrage.player.models import SurveyResponse
from ancrage.tenancy.models import Role
from ancrage.tenancy.tests.factories import MembershipFactory, UserFactory
from ancrage.transfer import actions as transfer
from ancrage.transfer.actions import PlanInput, Rating
from ancrage.transfer.tests.conftest import enrol

pytestmark = pytest.mark.django_db


def test_k_anonymous_hides_groups_under_five():
    assert k_anonymous(4, 80.0) is None
    assert k_anonymous(5, 80.0) == 80.0
    assert k_anonymous(0, 0) is None


def _statement(enrolment, *, score=None, days_ago=1, stored_days_ago=None):  # type: ignore[no-untyped-def]
    payload = {"result": {"score": {"scaled": score}}} if score is not None else {}
    timestamp = timezone.now() - timedelta(days=days_ago)
    stored_ago = days_ago if stored_days_ago is None else stored_days_ago
    Statement.objects.create(
        organisation_id=enrolment.organisation_id,
        statement_id=uuid.uuid4(),
        stored=timezone.now() - timedelta(days=stored_ago),
        timestamp=timestamp,
        verb_id="http://adlnet.gov/expapi/verbs/answered",
        activity_id="x",
        actor_key="a",
        registration=enrolment.pk,
        payload=payload,
    )


@pytest.fixture
def cohort(tenancy, version, behaviours):  # type: ignore[no-untyped-def]
    """Six learners of the manager's team on one path; facts chosen to compute by hand."""
    learners = [tenancy.owner, tenancy.teammate] + [
        MembershipFactory(
            organisation=tenancy.org_a,
            user=UserFactory(),
            role=Role.LEARNER,
            team=tenancy.team_a,
            manager=tenancy.manager,
        )
        for _ in range(4)
    ]
    enrolments = [
        enrol(m, version, completed=i < 3) for i, m in enumerate(learners)
    ]  # 3 of 6 finished
    # Statements: learners 0–3 active recently, learner 4 only 40 days ago, learner 5 none.
    for i, e in enumerate(enrolments[:4]):
        _statement(e, score=0.5 + 0.1 * i)  # scores 50, 60, 70, 80 → mean 65
        _statement(e)
    _statement(enrolments[4], days_ago=40)
    # L1: 5 answers, 4 relevant, 2 planned.
    for i, e in enumerate(enrolments[:5]):
        SurveyResponse.objects.create(
            organisation_id=e.organisation_id,
            enrolment=e,
            relevance="this_week" if i < 4 else "not_my_job",
            intention="planned" if i < 2 else "will_try",
            support="can_ask",
        )
    today = timezone.localdate()
    # BARS: before 2,2,3,3,2 (mean 2.4); after 4,4,3,4,5 (mean 4.0), on behaviour 0.
    for i, m in enumerate(learners[:5]):
        for moment, score in (("before", (2, 2, 3, 3, 2)[i]), ("after", (4, 4, 3, 4, 5)[i])):
            transfer.record_observations(
                observer=tenancy.manager,
                learner=m,
                path=version.path,
                moment=moment,
                context="réunion",
                observed_on=today,
                ratings=[
                    Rating(
                        key_behaviour=behaviours[0],
                        score=score,
                        frequency="often",
                        example="A reformulé.",
                    )
                ],
            )
    # Self-ratings of 5 people: 5,4,4,4,5 vs manager's latest after 4,4,3,4,5 → gaps 1,0,1,0,0 → 0.4.
    for m, score in zip(learners[:5], (5, 4, 4, 4, 5), strict=True):
        transfer.rate_own_behaviour(
            author=m, key_behaviour=behaviours[0], score=score, rated_on=today + timedelta(days=1)
        )
    # Conversations: pre and post for learners 0–2 only → 3/6 = 50 %.
    for m in learners[:3]:
        for kind in ("pre", "post"):
            transfer.record_conversation(
                manager=tenancy.manager,
                learner=m,
                kind=kind,
                held_on=today,
                notes="",
                path=version.path,
            )
    # Plans: 4 learners commit complete plans, one more a draft without place → 4/5 = 80 %.
    now = timezone.now()
    for m in learners[:4]:
        transfer.save_action_plan(
            learner=m,
            commit=True,
            now=now - timedelta(days=10),
            data=PlanInput(
                path=None,
                key_behaviour=None,
                practice="Reformuler",
                planned_on=timezone.localdate(now - timedelta(days=9)),
                planned_at=time(9, 30),
                place="salle",
                task="réunion",
            ),
        )
    transfer.save_action_plan(
        learner=learners[4],
        data=PlanInput(
            path=None,
            key_behaviour=None,
            practice="Reformuler",
            planned_on=None,
            planned_at=None,
            place="",
            task="réunion",
        ),
    )
    # L3 self-report: 5 answers, 3 weekly or more → 60 %.
    for i, e in enumerate(enrolments[:5]):
        SurveyRequest.objects.create(
            organisation_id=e.organisation_id,
            learner=e.membership,
            enrolment=e,
            instrument="l3-self-report-v1",
            due_on=today,
            answered_at=now,
            answers={
                "frequency": ("weekly", "several_weekly", "weekly", "never", "once_or_twice")[i]
            },
        )
    return learners, enrolments


def figures(org, kind, scope_id):  # type: ignore[no-untyped-def]
    return {
        f.metric: f
        for f in Figure.objects.filter(organisation=org, scope_kind=kind, scope_id=str(scope_id))
    }


def test_path_figures_match_the_hand_computation(tenancy, version, cohort):
    actions.refresh_rollups(organisation=tenancy.org_a)
    got = figures(tenancy.org_a, "path", version.path_id)
    expected = {
        "enrolled": (6, 6),
        "completion_rate": (50.0, 6),
        "active_30d": (66.7, 6),  # 4 of 6
        "statements_per_learner": (1.5, 6),  # 9 statements / 6
        "l2_score": (65.0, 4),
        "l1_relevance": (80.0, 5),
        "l1_planned": (40.0, 5),
        "bars_before": (2.4, 5),
        "bars_after": (4.0, 5),
        "self_manager_gap": (0.4, 5),
        "conversations_pre_post": (50.0, 6),
        "observation_coverage": (83.3, 6),  # 5 of 6 observed after
        "plans_complete": (80.0, 5),
        "l3_weekly": (60.0, 5),
    }
    for code, (value, population) in expected.items():
        assert (got[code].value, got[code].population) == (value, population), code


def test_the_dashboard_hides_figures_about_fewer_than_five_people(tenancy, version, cohort):
    actions.refresh_rollups(organisation=tenancy.org_a)
    client = tenancy.client_for(tenancy.ld_lead)
    body = client.get(reverse("evaluation_report", args=["path", version.path_id])).content.decode()
    assert escape(fr("Kirkpatrick level 3 — transfer")) in body
    assert "LTEM 7" in body
    assert "LTEM 7" in body
    assert (
        escape(fr("hidden (fewer than %(n)s people)") % {"n": 5}) in body
    )  # the mean score concerns 4 people
    got = figures(tenancy.org_a, "path", version.path_id)
    assert got["l2_score"].population == 4
    csv_text = client.get(
        reverse("evaluation_export", args=["path", version.path_id, "csv"])
    ).content.decode("utf-8-sig")
    score_line = next(line for line in csv_text.splitlines() if fr("Mean quiz score") in line)
    assert "< 5" in score_line
    assert "65" not in score_line
    book = load_workbook(
        io.BytesIO(
            client.get(reverse("evaluation_export", args=["path", version.path_id, "xlsx"])).content
        )
    )
    values = list(book.active.iter_rows(values_only=True))
    assert any(row[4] == "2.4" and row[2] == fr("Kirkpatrick level 3 — transfer") for row in values)
    pdf = client.get(reverse("evaluation_export", args=["path", version.path_id, "pdf"]))
    assert pdf.content.startswith(b"%PDF")


def test_dashboards_are_for_ld_leads_of_the_same_organisation(tenancy, version, cohort):
    actions.refresh_rollups(organisation=tenancy.org_a)
    url = reverse("evaluation_report", args=["path", version.path_id])
    team_url = reverse("evaluation_report", args=["team", tenancy.team_a.pk])
    assert tenancy.client_for(tenancy.ld_lead).get(team_url).status_code == 200
    for member in (tenancy.manager, tenancy.owner):
        assert tenancy.client_for(member).get(url).status_code == 403
    assert tenancy.client_for(tenancy.other_ld_lead).get(team_url).status_code == 404
    body = tenancy.client_for(tenancy.other_ld_lead).get(url).content.decode()
    assert "2,4" not in body
    assert "2.4" not in body


def test_team_dashboard_counts_the_teams_people(tenancy, version, cohort):
    actions.refresh_rollups(organisation=tenancy.org_a)
    got = figures(tenancy.org_a, "team", tenancy.team_a.pk)
    assert got["enrolled"].value == 6
    assert figures(tenancy.org_a, "team", tenancy.team_a2.pk)["enrolled"].value == 0


def test_activity_is_dated_when_it_happened_not_when_it_was_stored(tenancy, version):  # type: ignore[no-untyped-def]
    played_offline = enrol(tenancy.owner, version)
    future_clock = enrol(tenancy.teammate, version)
    _statement(played_offline, days_ago=40, stored_days_ago=0)  # synced today, played 40 days ago
    _statement(future_clock, days_ago=-3, stored_days_ago=1)  # a device clock 3 days ahead
    found = statement_activity(tenancy.org_a.pk, None)
    assert found[str(played_offline.pk)].last_stored < timezone.now() - timedelta(days=39)
    assert found[str(future_clock.pk)].last_stored < timezone.now()
