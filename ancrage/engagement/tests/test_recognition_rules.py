"""Recognition rules on a controlled clock: quarters in Paris time, themed events, and the
scheduler proposing each person × rule × period once."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from ancrage.engagement import jobs
from ancrage.engagement.models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    Recognition,
    RecognitionRule,
    RecognitionStatus,
    ThemedEvent,
)
from ancrage.engagement.recognition.actions import propose_recognitions
from ancrage.engagement.recognition.rules import quarter_of
from ancrage.engagement.tests.community import committed_plan, finish_path, shared
from ancrage.licensing.tests.factories import make_path

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def paths(db):
    return [make_path(f"P{n}", title=f"Parcours {n}") for n in range(1, 7)]


@pytest.fixture
def proactive(tenancy):
    return RecognitionRule.objects.create(
        organisation=tenancy.org_a,
        name="Apprenant·e proactif·ve",
        period="quarter",
        min_paths=3,
        min_takeaways=2,
    )


def test_a_quarter_starts_at_midnight_in_paris_not_in_utc():
    new_year_utc_evening = datetime(2026, 12, 31, 23, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 Paris
    assert quarter_of(new_year_utc_evening).key == "2027-Q1"
    last_minute_paris = datetime(2026, 12, 31, 23, 59, tzinfo=PARIS)
    assert quarter_of(last_minute_paris).key == "2026-Q4"
    assert quarter_of(datetime(2026, 4, 1, 0, 0, tzinfo=PARIS)).key == "2026-Q2"
    assert quarter_of(datetime(2026, 3, 31, 23, 59, tzinfo=PARIS)).key == "2026-Q1"


def test_the_proactive_learner_is_proposed_for_the_quarter_the_acts_fall_in(
    tenancy, paths, proactive
):
    owner, teammate = tenancy.owner, tenancy.teammate
    # Léa: 3 paths and 2 takeaways in Q4 — the last path at 23:30 on 31 December, Paris time.
    finish_path(owner, paths[0], datetime(2026, 10, 5, 10, tzinfo=PARIS))
    finish_path(owner, paths[1], datetime(2026, 11, 12, 10, tzinfo=PARIS))
    finish_path(owner, paths[2], datetime(2026, 12, 31, 23, 30, tzinfo=PARIS))
    shared(owner, "Je reformule.", datetime(2026, 11, 3, 9, tzinfo=PARIS))
    shared(owner, "Je pose une question ouverte.", datetime(2026, 12, 1, 9, tzinfo=PARIS))
    # Tom: same, but his third path is finished at 00:30 on 1 January (still 2026 in UTC).
    finish_path(teammate, paths[0], datetime(2026, 10, 6, 10, tzinfo=PARIS))
    finish_path(teammate, paths[1], datetime(2026, 11, 13, 10, tzinfo=PARIS))
    finish_path(teammate, paths[2], datetime(2027, 1, 1, 0, 30, tzinfo=PARIS))
    shared(teammate, "J'écoute.", datetime(2026, 11, 4, 9, tzinfo=PARIS))
    shared(teammate, "Je résume.", datetime(2026, 12, 2, 9, tzinfo=PARIS))

    # Before the quarter is over, Léa has only two paths: nothing is proposed.
    assert propose_recognitions(now=datetime(2026, 12, 20, 12, tzinfo=PARIS)) == 0
    # Early January: Q4 is still checked, and only Léa met the rule in it.
    assert propose_recognitions(now=datetime(2027, 1, 2, 10, tzinfo=PARIS)) == 1
    recognition = Recognition.objects.get()
    assert (recognition.learner, recognition.period_key) == (owner, "2026-Q4")
    assert recognition.status == RecognitionStatus.PROPOSED
    assert recognition.is_automatic
    assert "3 parcours terminés" in recognition.reason


def test_proposing_again_proposes_nothing_twice(tenancy, paths, proactive):
    for index, path in enumerate(paths[:3]):
        finish_path(tenancy.owner, path, datetime(2027, 2, 1 + index, 10, tzinfo=PARIS))
    shared(tenancy.owner, "Un.", datetime(2027, 2, 4, 9, tzinfo=PARIS))
    shared(tenancy.owner, "Deux.", datetime(2027, 2, 5, 9, tzinfo=PARIS))
    now = datetime(2027, 2, 6, 9, tzinfo=PARIS)
    assert jobs.propose_recognitions(now) == "1 recognition(s) proposed"
    assert jobs.propose_recognitions(now) == "0 recognition(s) proposed"
    # Even once decided, the same period is never proposed again.
    Recognition.objects.update(status=RecognitionStatus.DECLINED)
    assert propose_recognitions(now=datetime(2027, 3, 30, 9, tzinfo=PARIS)) == 0
    # A new quarter is a new period.
    for path in paths[3:6]:
        finish_path(tenancy.owner, path, datetime(2027, 4, 2, 10, tzinfo=PARIS))
    shared(tenancy.owner, "Trois.", datetime(2027, 4, 3, 9, tzinfo=PARIS))
    shared(tenancy.owner, "Quatre.", datetime(2027, 4, 4, 9, tzinfo=PARIS))
    assert propose_recognitions(now=datetime(2027, 4, 5, 9, tzinfo=PARIS)) == 1
    assert sorted(Recognition.objects.values_list("period_key", flat=True)) == [
        "2027-Q1",
        "2027-Q2",
    ]


def test_an_inactive_rule_or_another_organisation_proposes_nothing(tenancy, paths, proactive):
    proactive.active = False
    proactive.save()
    for path in paths[:3]:
        finish_path(tenancy.owner, path, datetime(2027, 2, 1, 10, tzinfo=PARIS))
        finish_path(tenancy.other, path, datetime(2027, 2, 1, 10, tzinfo=PARIS))
    shared(tenancy.owner, "Un.", datetime(2027, 2, 4, 9, tzinfo=PARIS))
    shared(tenancy.owner, "Deux.", datetime(2027, 2, 5, 9, tzinfo=PARIS))
    shared(tenancy.other, "Un.", datetime(2027, 2, 4, 9, tzinfo=PARIS))
    shared(tenancy.other, "Deux.", datetime(2027, 2, 5, 9, tzinfo=PARIS))
    assert propose_recognitions(now=datetime(2027, 2, 6, 9, tzinfo=PARIS)) == 0
    proactive.active = True
    proactive.save()
    assert propose_recognitions(now=datetime(2027, 2, 6, 9, tzinfo=PARIS)) == 1
    assert Recognition.objects.get().learner == tenancy.owner  # Bêta's rows never count


def test_the_event_champion_finished_a_featured_path_and_wrote_a_plan_during_the_event(
    tenancy, paths
):
    campaign = Campaign.objects.create(
        organisation=tenancy.org_a,
        kind=CampaignKind.EVENT,
        title="Semaine de la qualité de vie au travail",
        strategic_stake="QVT",
        everyone=True,
        channels=["email"],
        starts_on=date(2027, 3, 15),
        ends_on=date(2027, 3, 19),
        status=CampaignStatus.RUNNING,
    )
    campaign.paths.set([paths[0]])
    event = ThemedEvent.objects.create(organisation=tenancy.org_a, campaign=campaign, theme="qvt")
    RecognitionRule.objects.create(
        organisation=tenancy.org_a,
        name="Champion·ne de l'événement",
        period="event",
        min_paths=1,
        min_action_plans=1,
    )
    # Léa: the featured path on Tuesday, a plan on Wednesday.
    finish_path(tenancy.owner, paths[0], datetime(2027, 3, 16, 11, tzinfo=PARIS))
    committed_plan(tenancy.owner, datetime(2027, 3, 17, 9, tzinfo=PARIS))
    # Tom: another path (not featured) and a plan. Olga: the featured path a day too early.
    finish_path(tenancy.teammate, paths[1], datetime(2027, 3, 16, 11, tzinfo=PARIS))
    committed_plan(tenancy.teammate, datetime(2027, 3, 17, 9, tzinfo=PARIS))
    finish_path(tenancy.outsider, paths[0], datetime(2027, 3, 14, 23, 30, tzinfo=PARIS))
    committed_plan(tenancy.outsider, datetime(2027, 3, 17, 9, tzinfo=PARIS))

    assert propose_recognitions(now=datetime(2027, 3, 18, 8, tzinfo=PARIS)) == 1
    recognition = Recognition.objects.get()
    assert recognition.learner == tenancy.owner
    assert recognition.period_key == f"event:{event.pk}"
    assert "Semaine de la qualité de vie au travail" in recognition.period_label
    # Still checked a week after the event; still proposed once.
    assert propose_recognitions(now=datetime(2027, 3, 26, 8, tzinfo=PARIS)) == 0
