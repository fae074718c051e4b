"""Bench: launch a campaign to 10,000 learners, and render an event report for 1,000.

Both run on a throw-away database (SQLite in a temporary folder unless DATABASE_URL names
a PostgreSQL one) and print their figures next to a baseline measured in the same run:

1. Launch — a campaign message (announcement) to LEARNERS people. First the scheduler's
   part, timed alone (`run_tick` with a task backend that only queues): audience
   resolution, one OutboundMessage per person (bulk insert), batches of 200 queued. Then
   the workers' part, run here in one process: each batch claimed, every message rendered
   from its templates (text + HTML) and sent over one SMTP connection per batch to an
   aiosmtpd sink on 127.0.0.1, its row marked sent. Baseline: the same number of pre-built
   messages sent with plain smtplib over one connection to the same sink (the floor any
   sender pays). In production the batches spread over every worker.
2. Report — an event with PARTICIPANTS people who started a path (70 % finished, with
   modules, survey answers and action plans): `generate_report` (figures) and the PDF
   (WeasyPrint), timed. Baseline: WeasyPrint rendering a one-page trivial document.

    .venv/bin/python bench/notify/campaign_bench.py [LEARNERS] [PARTICIPANTS]
"""

import logging
import os
import smtplib
import socket
import sys
import tempfile
import time
import uuid
from datetime import date, datetime, timedelta
from datetime import time as clock
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["TASKS_BACKEND"] = "immediate"
_tmp = tempfile.mkdtemp(prefix="ancrage-bench-notify-")
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{_tmp}/bench.sqlite3"

import django  # noqa: E402

django.setup()

import time_machine  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from ancrage.accounts.models import User  # noqa: E402
from ancrage.engagement.actions import (  # noqa: E402
    CampaignInput,
    EventInput,
    create_campaign,
    generate_report,
    run_tick,
    schedule_campaign,
)
from ancrage.engagement.models import MessageKind  # noqa: E402
from ancrage.engagement.pdf import html_to_pdf  # noqa: E402
from ancrage.engagement.views import render_report_pdf  # noqa: E402
from ancrage.licensing.tests.factories import make_path  # noqa: E402
from ancrage.notify.actions import BATCH_SIZE  # noqa: E402
from ancrage.notify.delivery import deliver  # noqa: E402
from ancrage.notify.models import DeliveryStatus, OutboundMessage  # noqa: E402
from ancrage.player.models import (  # noqa: E402
    Enrolment,
    EnrolmentOrigin,
    EnrolmentStatus,
    ModuleProgress,
    SurveyResponse,
)
from ancrage.tenancy.models import Membership, Organisation, Role, Team  # noqa: E402
from ancrage.transfer.models import ActionPlan, PlanState  # noqa: E402

LEARNERS = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
PARTICIPANTS = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
PARIS = ZoneInfo("Europe/Paris")


class Sink:
    """Accepts every message and only counts it (the bench measures the sender)."""

    def __init__(self) -> None:
        self.count = 0

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001, ANN201
        self.count += 1
        return "250 OK"


def people(org: Organisation, count: int, prefix: str) -> list[Membership]:
    teams = [Team.objects.get_or_create(organisation=org, name=f"Équipe {i}")[0] for i in range(20)]
    users = User.objects.bulk_create(
        [User(email=f"{prefix}{i}@bench.test", name=f"Prénom{i} Nom{i}") for i in range(count)],
        batch_size=2000,
    )
    return Membership.objects.bulk_create(
        [
            Membership(organisation=org, user=u, role=Role.LEARNER, team=teams[i % len(teams)])
            for i, u in enumerate(users)
        ],
        batch_size=2000,
    )


def baseline_smtp(port: int, count: int) -> float:
    message = EmailMessage()
    message["From"] = "no-reply@bench.test"
    message["Subject"] = "La transition écologique, c'est nous : rendez-vous lundi"
    message.set_content("Bonjour,\n\n" + "Un texte de campagne de quelques lignes. " * 20)
    message.add_alternative("<p>" + "Un texte de campagne. " * 40 + "</p>", subtype="html")
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for i in range(count):
            del message["To"]
            message["To"] = f"baseline{i}@bench.test"
            smtp.send_message(message)
    return time.perf_counter() - start


def bench_launch(sink: Sink, port: int) -> None:
    org = Organisation.objects.create(name="Bench SA", slug=f"bench-{uuid.uuid4().hex[:6]}")
    ld = people(org, 1, "ld")[0]
    Membership.objects.filter(pk=ld.pk).update(role=Role.LD_LEAD)
    ld.refresh_from_db()
    people(org, LEARNERS - 1, "learner")
    path = make_path(f"BENCH-{uuid.uuid4().hex[:4].upper()}", title="Agir pour le climat")
    with time_machine.travel(datetime(2027, 3, 1, 9, tzinfo=PARIS), tick=False):
        campaign = create_campaign(
            actor=ld,
            data=CampaignInput(
                title="La transition écologique, c'est nous",
                strategic_stake="Plan climat 2030",
                starts_on=date(2027, 3, 15),
                ends_on=date(2027, 3, 26),
                everyone=True,
                paths=[path],
            ),
        )
        schedule_campaign(campaign=campaign)
    announce = campaign.messages.get(kind=MessageKind.ANNOUNCE)
    # 1a. The scheduler's part: audience, one row per person, batches queued (not run).
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with time_machine.travel(announce.send_at, tick=True), override_settings(TASKS=dummy):
        start = time.perf_counter()
        report = run_tick()
        recorded = time.perf_counter() - start
    assert report.recipients == LEARNERS, report
    ids = list(OutboundMessage.objects.filter(source=campaign.source).values_list("pk", flat=True))
    # 1b. The workers' part: the same batches of 200, each over one SMTP connection.
    with time_machine.travel(announce.send_at, tick=True):
        start = time.perf_counter()
        for first in range(0, len(ids), BATCH_SIZE):
            deliver(ids[first : first + BATCH_SIZE])
        delivered = time.perf_counter() - start
    elapsed = recorded + delivered
    sent = OutboundMessage.objects.filter(
        source=campaign.source, status=DeliveryStatus.SENT
    ).count()
    assert sent == LEARNERS == sink.count, (sent, sink.count)
    sink.count = 0
    base = baseline_smtp(port, LEARNERS)
    print(
        f"launch to {LEARNERS:,} learners: scheduler (audience + {LEARNERS:,} rows + "
        f"{len(ids) // BATCH_SIZE} batches queued) {recorded:7.2f} s"
    )
    print(
        f"  delivery (render text + HTML, SMTP, mark sent; one process): {delivered:7.2f} s"
        f"  = {LEARNERS / delivered:6.0f} messages/s"
    )
    print(
        f"baseline: plain smtplib, {LEARNERS:,} pre-built messages, one connection: {base:7.2f} s"
        f"  = {LEARNERS / base:6.0f} messages/s"
    )
    print(f"ratio launch (total {elapsed:.1f} s) / baseline: {elapsed / base:5.1f}x")


def bench_report() -> None:
    org = Organisation.objects.create(name="Bench Report SA", slug=f"bench-{uuid.uuid4().hex[:6]}")
    members = people(org, PARTICIPANTS + PARTICIPANTS // 2, "p")
    ld = members[0]
    Membership.objects.filter(pk=ld.pk).update(role=Role.LD_LEAD)
    ld.refresh_from_db()
    path = make_path(f"BENCH-{uuid.uuid4().hex[:4].upper()}", title="Intelligence collective")
    version = path.versions.get(status="published")
    with time_machine.travel(datetime(2027, 6, 1, 9, tzinfo=PARIS), tick=False):
        event = create_campaign(
            actor=ld,
            data=CampaignInput(
                title="Semaine de l'intelligence collective",
                strategic_stake="Coopérer entre équipes",
                starts_on=date(2027, 6, 7),
                ends_on=date(2027, 6, 11),
                everyone=True,
                paths=[path],
                event=EventInput(
                    theme="collective_intelligence",
                    participation_target=50,
                    daily_card_time=clock(9),
                ),
            ),
        )
    start_at = datetime(2027, 6, 8, 10, tzinfo=PARIS)
    enrolments = Enrolment.objects.bulk_create(
        [
            Enrolment(
                organisation=org,
                membership=m,
                path=path,
                path_version=version,
                origin=EnrolmentOrigin.EVENT,
                status=EnrolmentStatus.COMPLETED if i % 10 < 7 else EnrolmentStatus.STARTED,
                started_at=start_at + timedelta(minutes=i),
                completed_at=start_at + timedelta(hours=5, minutes=i) if i % 10 < 7 else None,
                last_activity_at=start_at + timedelta(minutes=i),
            )
            for i, m in enumerate(members[1 : PARTICIPANTS + 1])
        ],
        batch_size=1000,
    )
    done = [e for e in enrolments if e.status == EnrolmentStatus.COMPLETED]
    ModuleProgress.objects.bulk_create(
        [
            ModuleProgress(
                organisation=org, enrolment=e, module_slug=slug, completed_at=e.completed_at
            )
            for e in done
            for slug in ("premier-pas", "en-pratique")
        ],
        batch_size=2000,
    )
    with time_machine.travel(datetime(2027, 6, 9, 12, tzinfo=PARIS), tick=False):
        SurveyResponse.objects.bulk_create(
            [
                SurveyResponse(
                    organisation=org,
                    enrolment=e,
                    relevance="this_week",
                    intention="planned",
                    support="can_ask",
                )
                for e in done
            ],
            batch_size=2000,
        )
    ActionPlan.objects.bulk_create(
        [
            ActionPlan(
                organisation=org,
                learner_id=e.membership_id,
                path=path,
                practice="Reformuler",
                planned_on=date(2027, 6, 15),
                planned_at=clock(9, 30),
                place="salle Innovation",
                task="réunion",
                state=PlanState.COMMITTED,
                committed_at=e.completed_at,
            )
            for e in done[: len(done) // 2]
        ],
        batch_size=2000,
    )
    with time_machine.travel(datetime(2027, 6, 14, 8, tzinfo=PARIS), tick=False):
        start = time.perf_counter()
        report = generate_report(campaign=event, final=True)
        figures = time.perf_counter() - start
        start = time.perf_counter()
        pdf = render_report_pdf(event)
        render = time.perf_counter() - start
    assert report.figures["participants"] == PARTICIPANTS, report.figures["participants"]
    start = time.perf_counter()
    html_to_pdf(
        "<!doctype html><html><body><h1>Bilan</h1><p>Une page.</p></body></html>",
        stylesheets=["engagement/report.css"],
    )
    trivial = time.perf_counter() - start
    print(
        f"event report for {PARTICIPANTS:,} participants: figures {figures:6.2f} s, "
        f"PDF {render:6.2f} s ({len(pdf) // 1024} KiB)"
    )
    print(f"baseline: WeasyPrint, trivial one-page document: {trivial:6.2f} s")
    print(
        f"ratio report PDF / trivial PDF: {render / trivial:5.1f}×; figures + PDF: {figures + render:6.2f} s"
    )


def main() -> None:
    for name in ("mail.log", "django.tasks"):  # one line per SMTP command or task otherwise
        logging.getLogger(name).setLevel(logging.WARNING)
    call_command("migrate", verbosity=0)
    sink = Sink()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    try:
        with override_settings(MAILERS=mailers):
            bench_launch(sink, port)
            bench_report()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
