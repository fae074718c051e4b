"""Bench: evaluation dashboards read rollups; compare with computing the same figures raw.

Builds, on PostgreSQL, one organisation with LEARNERS learners in 40 teams, each enrolled on
one path, and STATEMENTS xAPI statements in the real LRS table (`lrs_statement`, loaded with
COPY; `registration` = enrolment id, a third of them scored). Then, in the same run:

1. `refresh_rollups` (the task) — timed, for information;
2. for each dashboard (path, programme, team, campaign, event): the page's response time
   (Django test client, signed in as the L&D lead, reading `Figure` rows), next to the time
   of `figures.compute(..., activity="raw")` — the same figures straight from the statements.

Pass: every dashboard under 1 s and at most 1/20 of the raw computation.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ancrage_bench \
        .venv/bin/python bench/evaluation/dashboards.py [LEARNERS] [STATEMENTS]
"""

import io
import json
import os
import random
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from ancrage.accounts.models import User  # noqa: E402
from ancrage.catalog.tests.published import published_path  # noqa: E402
from ancrage.engagement.models import Campaign, ThemedEvent  # noqa: E402
from ancrage.evaluation import figures  # noqa: E402
from ancrage.evaluation.actions import refresh_rollups  # noqa: E402
from ancrage.evaluation.scopes import resolve  # noqa: E402
from ancrage.licensing.models import Programme, ProgrammeItem  # noqa: E402
from ancrage.player.models import Enrolment  # noqa: E402
from ancrage.tenancy.models import Membership, Organisation, Role, Team  # noqa: E402
from ancrage.tenancy.tests.factories import UserFactory  # noqa: E402

LEARNERS = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
STATEMENTS = int(sys.argv[2]) if len(sys.argv) > 2 else 5_000_000
TEAMS = 40


def build() -> tuple[Organisation, Membership, dict[str, str]]:
    rng = random.Random(7)  # noqa: S311
    slug = f"bench-{uuid.uuid4().hex[:6]}"
    org = Organisation.objects.create(name="Bench SA", slug=slug)
    teams = [Team.objects.create(organisation=org, name=f"Équipe {i}") for i in range(TEAMS)]
    lead = Membership.objects.create(
        organisation=org,
        user=UserFactory(email=f"lead@{slug}.test"),
        role=Role.LD_LEAD,
        team=teams[0],
    )
    version = published_path(f"BENCH-{slug.upper()}", title="Parcours bench")
    users = User.objects.bulk_create(
        [User(email=f"l{i}@{slug}.test", name=f"Learner {i}") for i in range(LEARNERS)],
        batch_size=5000,
    )
    members = Membership.objects.bulk_create(
        [
            Membership(organisation=org, user=u, role=Role.LEARNER, team=teams[i % TEAMS])
            for i, u in enumerate(users)
        ],
        batch_size=5000,
    )
    now = timezone.now()
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                organisation=org,
                membership=m,
                path_id=version.path_id,
                path_version=version,
                origin="campaign",
                status="completed" if rng.random() < 0.7 else "started",
                started_at=now - timedelta(days=60),
                completed_at=now - timedelta(days=50),
                last_activity_at=now - timedelta(days=5),
            )
            for m in members
        ],
        batch_size=5000,
    )
    programme = Programme.objects.create(organisation=org, title="Programme bench")
    ProgrammeItem.objects.create(
        organisation=org, programme=programme, order=0, path_id=version.path_id
    )
    campaign = Campaign.objects.create(
        organisation=org,
        kind="campaign",
        title="Campagne bench",
        strategic_stake="bench",
        everyone=True,
        channels=["email"],
        starts_on=date.today() - timedelta(days=90),
        ends_on=date.today(),
    )
    campaign.paths.add(version.path)
    event_campaign = Campaign.objects.create(
        organisation=org,
        kind="event",
        title="Semaine bench",
        strategic_stake="bench",
        everyone=False,
        channels=["email"],
        starts_on=date.today() - timedelta(days=90),
        ends_on=date.today(),
    )
    event_campaign.paths.add(version.path)
    event_campaign.teams.add(*teams[:10])
    event = ThemedEvent.objects.create(
        organisation=org, campaign=event_campaign, theme="qvt", participation_target=60
    )
    # Statements through COPY, spread over 90 days (monthly partitions).
    ids = [str(e.pk) for e in enrolments]
    buffer = io.StringIO()
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'lrs_statement'"
        )
        copy_sql = (
            "COPY lrs_statement (organisation_id, statement_id, stored, timestamp, verb_id, activity_id, "
            "actor_key, registration, related_agents, related_activities, voided, payload) FROM STDIN"
        )
        raw = cursor.connection
        for chunk_start in range(0, STATEMENTS, 250_000):
            buffer = io.StringIO()
            for n in range(chunk_start, min(STATEMENTS, chunk_start + 250_000)):
                reg = ids[n % len(ids)]
                stored = (now - timedelta(minutes=rng.randint(0, 90 * 24 * 60))).isoformat()
                payload = (
                    {"result": {"score": {"scaled": round(rng.random(), 2)}}} if n % 3 == 0 else {}
                )
                buffer.write(
                    f"{org.pk}\t{uuid.uuid4()}\t{stored}\t{stored}\thttp://adlnet.gov/expapi/verbs/answered\t"
                    f"https://bench/xapi/activities/path/B/card/{n % 40}\tAgent|account|bench|{reg}\t{reg}\t"
                    f"{{}}\t{{}}\tf\t{json.dumps(payload)}\n"
                )
            buffer.seek(0)
            with raw.cursor() as pg, pg.copy(copy_sql) as copy:
                copy.write(buffer.getvalue())
        cursor.execute("ANALYZE lrs_statement")
    print(
        f"loaded {STATEMENTS:,} statements for {LEARNERS:,} learners in {time.perf_counter() - start:.1f} s"
    )
    scopes = {
        "path": str(version.path_id),
        "programme": str(programme.pk),
        "team": str(teams[3].pk),
        "campaign": str(campaign.pk),
        "event": str(event.pk),
    }
    return org, lead, scopes


def main() -> int:
    if connection.vendor != "postgresql":
        print("This bench runs on PostgreSQL: set DATABASE_URL=postgres://…")
        return 2
    setup_test_environment()
    org, lead, scopes = build()
    start = time.perf_counter()
    written = refresh_rollups(organisation=org)
    print(f"refresh_rollups (task): {time.perf_counter() - start:.2f} s, {written} figures")
    client = Client()
    client.force_login(lead.user)
    ok = True
    print(f"{'dashboard':<10} {'page (s)':>9} {'raw (s)':>9} {'ratio':>7}")
    for kind, scope_id in scopes.items():
        url = f"/evaluation/{kind}/{scope_id}/"
        client.get(url)  # warm the connection and templates once
        start = time.perf_counter()
        response = client.get(url)
        page = time.perf_counter() - start
        assert response.status_code == 200, (url, response.status_code)
        scope, enrolments = resolve(org.pk, kind, scope_id)
        start = time.perf_counter()
        figures.compute(org.pk, enrolments, activity="raw", team_ids=scope.team_ids)
        raw = time.perf_counter() - start
        ratio = page / raw if raw else float("inf")
        passed = page < 1.0 and ratio <= 1 / 20
        ok &= passed
        print(f"{kind:<10} {page:>9.3f} {raw:>9.3f} {ratio:>7.3f} {'ok' if passed else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
