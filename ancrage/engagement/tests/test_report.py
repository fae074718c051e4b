"""The report (bilan) of a themed week: figures from real rows, each labelled with its
evaluation level, small groups hidden — the same on the web page and in the PDF."""

import io
import os
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from ancrage.engagement.actions import CampaignInput, EventInput, create_campaign, generate_report
from ancrage.engagement.models import Recognition, RecognitionStatus
from ancrage.engagement.tests.activity import commit_plan, finish, share, start
from ancrage.engagement.tests.conftest import add_people
from ancrage.tenancy.models import Membership
from ancrage.tenancy.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int = 10) -> datetime:
    return datetime(2027, 6, day, hour, 0, tzinfo=PARIS)


@pytest.fixture
def week(tenancy, paths):
    """A closed collective-intelligence week: Service client (6), Ventes (6), Juridique (3)."""
    service = [
        tenancy.owner,
        tenancy.teammate,
        tenancy.manager,
        *add_people(tenancy, tenancy.team_a, 3, "sc"),
    ]
    ventes = [
        tenancy.outsider,
        tenancy.ld_lead,
        tenancy.admin,
        *add_people(tenancy, tenancy.team_a2, 3, "ve"),
    ]
    legal_team = TeamFactory(organisation=tenancy.org_a, name="Juridique")
    legal = add_people(tenancy, legal_team, 3, "ju")
    with time_machine.travel(at(1), tick=False):
        campaign = create_campaign(
            actor=tenancy.ld_lead,
            data=CampaignInput(
                title="Semaine de l'intelligence collective",
                strategic_stake="Coopérer entre équipes",
                starts_on=date(2027, 6, 7),
                ends_on=date(2027, 6, 11),
                everyone=True,
                paths=paths,
                event=EventInput(
                    theme="collective_intelligence",
                    participation_target=50,
                    daily_card_time=time(9),
                ),
            ),
        )
    # Service client: 5 of 6 start, 4 finish (with survey), 3 commit a plan.
    for index, person in enumerate(service[:5]):
        enrolment = start(person, paths[index % 2], at(7 + index % 3))
        if index < 4:
            finish(
                enrolment,
                at(8 + index % 3, 16),
                survey=("this_week", "planned" if index < 3 else "will_think", "can_ask"),
            )
        if index < 3:
            commit_plan(person, paths[index % 2], at(9 + index % 2, 17))
    # Ventes: 2 of 6 start, 1 finishes.
    finish(start(ventes[0], paths[0], at(8)), at(9, 12), survey=("not_yet", "will_try", "none"))
    start(ventes[1], paths[1], at(10))
    # Juridique (3 people): 2 start — the team is too small to show.
    start(legal[0], paths[0], at(8))
    start(legal[1], paths[0], at(9))
    # Activity outside the week does not count.
    start(ventes[2], paths[0], datetime(2027, 5, 20, 10, tzinfo=PARIS))
    share(
        campaign, service[0], "Je reformule avant de répondre en réunion.", quote=True, when=at(9)
    )
    share(campaign, service[1], "Texte privé qui ne doit pas être cité.", quote=False, when=at(10))
    return campaign


def test_the_report_counts_real_activity_and_hides_small_groups(week):
    campaign = week
    with time_machine.travel(at(14, 8), tick=False):
        report = generate_report(campaign=campaign, final=True)
    f = report.figures
    assert f["audience"] == 15 + 0  # everyone active: 6 + 6 + 3
    assert f["participants"] == 9
    assert f["participation"] == 60
    assert f["reached_target"] is True
    assert f["completions"] == 5
    assert f["minutes"] == 5 * 2 * 5  # five paths of two 5-minute modules
    assert f["reaction"]["responses"] == 5
    assert f["reaction_hidden"] is False
    assert f["plans"] == {
        "count": 3,
        "people": 3,
        "complete_share": 100,
        "share_of_finishers": 60,
        "hidden": True,
    }
    teams = {row["name"]: row for row in f["teams"]}
    assert teams["Service client"]["participation"] == 83
    assert teams["Service client"]["challenge"] == 50
    assert teams["Ventes"]["participation"] == 33
    assert teams["Juridique"] == {"name": "Juridique", "audience": 3, "hidden": True}
    assert f["winner"] == "Service client"
    assert f["takeaways"]["quotes"] == ["Je reformule avant de répondre en réunion."]
    assert sum(d["new"] for d in f["daily"]) == 9


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_pdf_report_says_what_the_web_report_says(tenancy, week):
    campaign = week
    with time_machine.travel(at(14, 8), tick=False):
        generate_report(campaign=campaign, final=True)
    client = tenancy.client_for(tenancy.ld_lead)

    response = client.get(
        reverse("engagement_report_pdf", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    keep = os.environ.get("ANCRAGE_KEEP_REPORT_PDF")
    if keep:  # to look at the pages: pdftoppm -png -r 60 FILE out
        Path(keep).write_bytes(response.content)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(_pdf_text(response.content).split())
    for expected in (
        "Semaine de l'intelligence collective",
        "Coopérer entre équipes",
        "Participation",
        "60 %",
        "LTEM tier 1 · attendance",
        "Kirkpatrick level 1 · LTEM tier 3 · reaction",
        "Kirkpatrick level 2 · commitment",
        "Service client",
        "Ventes",
        "Juridique",
        "hidden (fewer than 5 people)",
        "Team challenge won by Service client",
        "Je reformule avant de répondre en réunion.",
        "Final report",
    ):
        assert expected in text, expected
    assert "alpha sa" in text.lower()
    assert "Texte privé" not in text
    assert "Léa" not in text  # no learner is named

    page = client.get(reverse("engagement_report", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Team challenge won by Service client" in html
    assert 'role="img"' in html
    assert "Texte privé" not in html


def test_an_audience_under_five_hides_every_figure(tenancy, paths):
    with time_machine.travel(at(1), tick=False):
        campaign = create_campaign(
            actor=tenancy.ld_lead,
            data=CampaignInput(
                title="Petit pilote",
                strategic_stake="Tester",
                starts_on=date(2027, 6, 7),
                ends_on=date(2027, 6, 11),
                teams=[tenancy.team_a],
                paths=paths,
            ),
        )
    finish(
        start(tenancy.owner, paths[0], at(8)), at(8, 15), survey=("this_week", "planned", "can_ask")
    )
    with time_machine.travel(at(14), tick=False):
        report = generate_report(campaign=campaign)
    assert report.figures["hidden"] is True
    client = tenancy.client_for(tenancy.ld_lead)
    response = client.get(
        reverse("engagement_report_pdf", args=[campaign.pk]), HTTP_ACCEPT_LANGUAGE="en"
    )
    text = " ".join(_pdf_text(response.content).split())
    assert "Petit pilote" in text
    assert "fewer than 5 people: figures are hidden" in text
    assert "Participation by team" not in text
    assert "%" not in text


def test_the_report_counts_validated_recognitions_per_title_hiding_small_ones(tenancy, week):
    people = list(Membership.objects.filter(organisation=tenancy.org_a, status="active"))[:7]
    for index, person in enumerate(people):
        Recognition.objects.create(
            organisation=tenancy.org_a,
            learner=person,
            period_key=f"test:{index}",
            title="Champion de la semaine" if index < 5 else "Apprenant proactif",
            reason="Pour le test.",
            status=RecognitionStatus.VALIDATED,
            decided_at=at(10 + index % 2),
        )
    with time_machine.travel(at(14, 8), tick=False):
        figures = generate_report(campaign=week, final=True).figures["recognitions"]
    assert figures["validated"] == 7
    assert figures["validated_hidden"] is False
    # Only titles given to at least 5 people are named.
    assert figures["validated_by_title"] == [["Champion de la semaine", 5]]
