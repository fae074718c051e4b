"""The demo's campaigns and themed weeks (../shared/mission/DEMO.md), with the activity their
reports count.

* « La transition écologique, c'est nous » — a campaign tied to Verdane's climate plan,
  running: announcement, launch and myth-busting sent; reminder and last call to come.
* « Semaine de la qualité de vie au travail » — this week: kick-off message and kick-off
  invitation sent, a daily Teams card each working day up to today, the team challenge on.
* « Semaine de l'intelligence collective » — last quarter, closed, with its final report.

Every figure of the reports is computed from rows written here the way the product writes
them: enrolments (through `start_path`, so seats are taken), cards played through the
player (demo/play.py: progress, completion and xAPI statements), end-of-path survey answers
(through `submit_survey`), committed action plans and shared takeaways, all dated inside
each event's window, with a fixed random seed so screenshots and figures are stable. What
was sent in the past (messages, cards, invitations) is recorded as sent history; nothing is
mailed while loading the demo. Idempotent: the three campaigns are rebuilt on each run, activity
is only added where it is missing.
"""

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone

from ancrage.catalog.models import Path
from ancrage.demo.play import answer_survey, enrol, play
from ancrage.engagement.actions import (
    CampaignInput,
    EventInput,
    campaign_facts,
    create_campaign,
    generate_report,
)
from ancrage.engagement.models import (
    Campaign,
    CampaignMessage,
    CampaignStatus,
    MessageChannel,
    MessageStatus,
    SharedTakeaway,
)
from ancrage.engagement.queries import audience_of, recipients_of
from ancrage.engagement.rendering import teams_card
from ancrage.licensing.entitlements import EntitlementRefused
from ancrage.notify.models import (
    CalendarEvent,
    Channel,
    DeliveryStatus,
    OutboundMessage,
    TeamsChannel,
    Topic,
)
from ancrage.player.models import (
    Enrolment,
    EnrolmentOrigin,
)
from ancrage.tenancy.models import Membership, Organisation, Role, Team
from ancrage.transfer.models import ActionPlan, PlanState

SEED = 2709
CLIMATE = "La transition écologique, c'est nous"
QVT = "Semaine de la qualité de vie au travail"
COLLECTIVE = "Semaine de l'intelligence collective"
DEMO_WEBHOOK = "https://teams.example.invalid/workflows/verdane-general"
# How keen each top-level team is (share of people who start), so the team chart tells a story.
KEENNESS = {"Service client": 0.8, "RH": 0.7, "Produit": 0.55, "Ventes": 0.4, "Direction": 0.3}
TAKEAWAYS = {
    QVT: [
        ("Je bloque dix minutes de pause sans écran après le déjeuner.", True),
        ("Je dis non à une réunion par semaine quand je n'y suis pas utile.", True),
        ("On a fixé une plage sans mails le vendredi après-midi dans l'équipe.", True),
        ("J'ai parlé de ma charge à mon manager, ça m'a soulagée.", False),
    ],
    COLLECTIVE: [
        ("En réunion, je fais parler ceux qui ne se sont pas encore exprimés.", True),
        ("On a testé le tour de table silencieux : trois fois plus d'idées.", True),
        ("Je reformule avant de répondre, ça évite les malentendus.", True),
        ("Je n'ose pas encore le proposer à mon équipe.", False),
    ],
    CLIMATE: [
        ("J'ai éteint mes écrans le soir et réglé l'imprimante en recto verso par défaut.", True),
        ("On organise le covoiturage pour le salon de mars.", True),
    ],
}
SURVEYS = {
    "relevance": (("this_week", 5), ("coming_weeks", 4), ("not_yet", 2), ("not_my_job", 1)),
    "intention": (("planned", 4), ("will_try", 5), ("will_think", 2), ("no_intention", 1)),
    "support": (("manager_follow_up", 3), ("can_ask", 6), ("none", 2), ("obstacles", 1)),
}


@dataclass(frozen=True)
class Window:
    starts_on: date
    ends_on: date

    def moment(self, rng: random.Random, *, until: datetime) -> datetime:
        """A working-hours moment inside the window, and before `until`."""
        days = max((min(self.ends_on, timezone.localdate(until)) - self.starts_on).days, 0)
        day = self.starts_on + timedelta(days=rng.randint(0, days))
        moment = timezone.make_aware(
            datetime.combine(day, time(rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
        )
        # Today, later than now: earlier today instead (never "a minute before loading").
        return min(moment, until - timedelta(minutes=rng.randint(45, 240)))


def _aware(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _top_team(
    member: Membership, parents: dict[uuid.UUID, uuid.UUID | None], names: dict[uuid.UUID, str]
) -> str:
    node = member.team_id
    while node is not None and parents.get(node) is not None:
        node = parents[node]
    return str(names.get(node, "")) if node is not None else ""


def _weighted(rng: random.Random, choices: tuple[tuple[str, int], ...]) -> str:
    codes = [code for code, _weight in choices]
    weights = [weight for _code, weight in choices]
    return rng.choices(codes, weights=weights)[0]


def _channel(verdane: Organisation) -> TeamsChannel:
    channel, _ = TeamsChannel.objects.update_or_create(
        organisation=verdane,
        name="Verdane — Général",
        defaults={"webhook_url": DEMO_WEBHOOK, "active": True},
    )
    return channel


def _paths(*codes: str) -> list[Path]:
    found = {p.code: p for p in Path.objects.filter(code__in=codes)}
    return [found[code] for code in codes if code in found]


def _activity(
    campaign: Campaign,
    paths: list[Path],
    window: Window,
    *,
    now: datetime,
    rng: random.Random,
    origin: str,
) -> int:
    """Enrolments, completed modules, survey answers and action plans inside the window."""
    people = list(
        audience_of(campaign).filter(role__in=(Role.LEARNER, Role.MANAGER)).order_by("user__email")
    )
    teams = Team.objects.filter(organisation=campaign.organisation)
    parents: dict[uuid.UUID, uuid.UUID | None] = dict(teams.values_list("id", "parent_id"))
    names = dict(teams.values_list("id", "name"))
    created = 0
    for member in people:
        # One seed per person, drawn whatever happens next: a second run draws the same.
        own = random.Random(rng.randrange(1 << 30))  # noqa: S311 — demo data, not security
        keen = KEENNESS.get(_top_team(member, parents, names), 0.35)
        if own.random() > keen:
            continue
        path = paths[own.randrange(len(paths))]
        if Enrolment.objects.filter(membership=member, path=path).exists():
            continue
        started = window.moment(own, until=now)
        try:
            enrolment = enrol(member, path, origin=origin, when=started)
        except EntitlementRefused:
            continue
        created += 1
        finished = started + timedelta(hours=own.randint(2, 50))
        unfinished = own.random() > 0.7
        if unfinished or finished > now - timedelta(minutes=30):  # started, not finished yet
            until = min(finished, now - timedelta(minutes=10))
            play(enrolment, until=until, rng=own, cards=own.randint(2, 12))
            continue
        play(enrolment, until=finished, rng=own)
        if own.random() < 0.85:
            answer_survey(
                enrolment,
                {name: _weighted(own, choices) for name, choices in SURVEYS.items()},
                when=finished + timedelta(minutes=1),
            )
        if own.random() < 0.6 and not ActionPlan.objects.filter(learner=member, path=path).exists():
            plan_day = timezone.localdate(finished) + timedelta(days=own.randint(1, 6))
            ActionPlan.objects.create(
                organisation_id=member.organisation_id,
                learner=member,
                path=path,
                practice=own.choice(
                    (
                        "Reformuler avant de répondre",
                        "Proposer un tour de table silencieux",
                        "Prendre une vraie pause sans écran",
                        "Éteindre les écrans en partant",
                    )
                ),
                planned_on=plan_day,
                planned_at=time(own.choice((9, 10, 14, 16)), 0),
                place=own.choice(("salle Innovation", "open space", "réunion d'équipe", "visio")),
                task=own.choice(("réunion d'équipe du lundi", "point client", "atelier projet")),
                state=PlanState.COMMITTED,
                committed_at=finished + timedelta(minutes=3),
            )
    return created


def _takeaways(campaign: Campaign, window: Window, *, now: datetime, rng: random.Random) -> None:
    people = list(audience_of(campaign).filter(role=Role.LEARNER).order_by("user__email"))
    for text, allowed in TAKEAWAYS.get(campaign.title, []):
        author = people[rng.randrange(len(people))]
        takeaway = SharedTakeaway.objects.create(
            organisation_id=campaign.organisation_id,
            campaign=campaign,
            author=author,
            text=text,
            quote_allowed=allowed,
        )
        SharedTakeaway.objects.filter(pk=takeaway.pk).update(
            created_at=window.moment(rng, until=now)
        )


def _sent_row(campaign: Campaign, message: CampaignMessage, **fields: Any) -> OutboundMessage:
    """A row of the outbox as a real, successful send of this campaign message leaves it."""
    return OutboundMessage(
        organisation_id=campaign.organisation_id,
        source=campaign.source,
        payload={"demo": True},
        status=DeliveryStatus.SENT,
        attempts=1,
        sent_at=message.send_at,
        **fields,
    )


def _record_sent(campaign: Campaign, *, now: datetime) -> None:
    """Mark the messages whose time has passed as sent, with the log a real send leaves."""
    campaign.refresh_from_db()
    facts = campaign_facts(campaign)
    channel = campaign.teams_channel
    for message in campaign.messages.filter(send_at__lte=now).order_by("send_at"):
        sent = partial(_sent_row, campaign, message)
        rows: list[OutboundMessage] = []
        reached = 0
        if MessageChannel.EMAIL in message.channels:
            topic = (
                Topic.REMINDERS if message.kind in ("reminder", "last_call") else Topic.CAMPAIGNS
            )
            for person in recipients_of(message):
                reached += 1
                rows.append(
                    sent(
                        idempotency_key=f"campaign-message:{message.pk}:email:{person.pk}",
                        channel=Channel.EMAIL,
                        topic=topic,
                        recipient=person.user.email,
                        membership=person,
                        subject=message.subject[:300],
                    )
                )
        if MessageChannel.TEAMS in message.channels and channel is not None:
            rows.append(
                sent(
                    idempotency_key=f"campaign-message:{message.pk}:teams",
                    channel=Channel.TEAMS,
                    recipient=channel.name,
                    teams_channel=channel,
                    subject=str(teams_card(facts, message)["body"][0]["text"])[:300],
                )
            )
        OutboundMessage.objects.bulk_create(rows, ignore_conflicts=True)
        message.status = MessageStatus.SENT
        message.sent_at = message.send_at
        message.recipient_count = reached
        message.save(update_fields=["status", "sent_at", "recipient_count", "updated_at"])


def _record_invitation(campaign: Campaign, *, now: datetime) -> None:
    event = campaign.event
    if event.kickoff_starts_at is None:
        return
    calendar, _ = CalendarEvent.objects.update_or_create(
        uid=event.calendar_uid,
        defaults={
            "organisation_id": campaign.organisation_id,
            "summary": f"{campaign.title} — lancement",
            "description": campaign.strategic_stake,
            "location": event.kickoff_location,
            "starts_at": event.kickoff_starts_at,
            "ends_at": event.kickoff_starts_at + timedelta(minutes=event.kickoff_minutes),
            "source": campaign.source,
            "sequence": 0,
            "sent_sequence": 0,
        },
    )
    sent_at = min(campaign.scheduled_at or now, now)
    OutboundMessage.objects.bulk_create(
        [
            OutboundMessage(
                organisation_id=campaign.organisation_id,
                idempotency_key=f"calendar:{calendar.uid}:0:REQUEST:{person.pk}",
                channel=Channel.CALENDAR,
                topic=Topic.CALENDAR,
                recipient=person.user.email,
                membership=person,
                source=campaign.source,
                subject=calendar.summary,
                payload={"demo": True},
                status=DeliveryStatus.SENT,
                attempts=1,
                sent_at=sent_at,
            )
            for person in audience_of(campaign)
        ],
        ignore_conflicts=True,
    )


def _rebuild(verdane: Organisation, title: str) -> None:
    for campaign in Campaign.objects.filter(organisation=verdane, title=title):
        OutboundMessage.objects.filter(source=campaign.source).delete()
        if campaign.is_event:
            CalendarEvent.objects.filter(uid=campaign.event.calendar_uid).delete()
        campaign.delete()


def _set_status(campaign: Campaign, status: str, *, scheduled_at: datetime) -> None:
    Campaign.objects.filter(pk=campaign.pk).update(status=status, scheduled_at=scheduled_at)
    campaign.refresh_from_db()


@dataclass(frozen=True)
class DemoCampaign:
    """One demo campaign: what the L&D lead typed, and when it ran."""

    title: str
    strategic_stake: str
    description: str
    window: Window
    path_codes: tuple[str, ...]
    scheduled_at: datetime
    origin: str = EnrolmentOrigin.CAMPAIGN
    event: EventInput | None = None


def _run_campaign(
    demo: DemoCampaign,
    *,
    verdane: Organisation,
    sophie: Membership,
    channel: TeamsChannel,
    now: datetime,
    rng: random.Random,
) -> tuple[Campaign, int]:
    """Create the campaign afresh, running, with its learners' activity, take-aways and sent
    messages up to `now`; returns it and how many paths were started."""
    _rebuild(verdane, demo.title)
    campaign = create_campaign(
        actor=sophie,
        data=CampaignInput(
            title=demo.title,
            strategic_stake=demo.strategic_stake,
            description=demo.description,
            starts_on=demo.window.starts_on,
            ends_on=demo.window.ends_on,
            everyone=True,
            paths=_paths(*demo.path_codes),
            channels=[MessageChannel.EMAIL, MessageChannel.TEAMS],
            teams_channel=channel,
            event=demo.event,
        ),
    )
    _set_status(campaign, CampaignStatus.RUNNING, scheduled_at=demo.scheduled_at)
    started = _activity(
        campaign, _paths(*demo.path_codes), demo.window, now=now, rng=rng, origin=demo.origin
    )
    _takeaways(campaign, demo.window, now=now, rng=rng)
    _record_sent(campaign, now=now)
    return campaign, started


def _lea_champion(monday: date, *, now: datetime) -> None:
    """Léa, champion of the QVT week (recognition.py): she finishes « Santé mentale positive »
    on Monday at lunchtime and commits to a plan right after."""
    lea = Membership.objects.get(user__email="lea@verdane.fr")
    path = Path.objects.filter(code="SANTE-MENTALE-QVT").first()
    if path is None:
        return
    finished = min(_aware(monday, 12, 40), now - timedelta(minutes=5))
    try:
        enrolment = enrol(
            lea, path, origin=EnrolmentOrigin.EVENT, when=finished - timedelta(minutes=35)
        )
    except EntitlementRefused:
        return
    play(enrolment, until=finished, rng=random.Random(SEED), sittings=1)  # noqa: S311
    if not ActionPlan.objects.filter(learner=lea, path=path).exists():
        ActionPlan.objects.create(
            organisation_id=lea.organisation_id,
            learner=lea,
            path=path,
            practice="Prendre dix minutes de pause sans écran après le déjeuner",
            planned_on=timezone.localdate(finished) + timedelta(days=1),
            planned_at=time(13, 30),
            place="la terrasse du 3e étage",
            task="la pause déjeuner",
            state=PlanState.COMMITTED,
            committed_at=finished + timedelta(minutes=4),
        )


@transaction.atomic
def load_engagement(today: date | None = None) -> list[str]:
    """Build the three demo campaigns and their activity; return lines for the console."""
    verdane = Organisation.objects.get(slug="verdane")
    sophie = Membership.objects.get(user__email="sophie@verdane.fr")
    now = timezone.now()
    today = today or timezone.localdate(now)
    rng = random.Random(SEED)  # noqa: S311 — deterministic demo data, not security
    run = partial(_run_campaign, verdane=verdane, sophie=sophie, channel=_channel(verdane), rng=rng)
    lines = []

    # Last quarter: the collective-intelligence week, closed, with its final report.
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=12)
    past = Window(monday, monday + timedelta(days=4))
    end_of_past = _aware(past.ends_on + timedelta(days=1), 0, 5)
    collective, started = run(
        DemoCampaign(
            title=COLLECTIVE,
            strategic_stake="Coopérer entre équipes pour innover plus vite",
            description="Une semaine pour essayer ensemble de nouvelles façons de travailler.",
            window=past,
            path_codes=("INTELLIGENCE-COLLECTIVE", "ECOUTE-ACTIVE"),
            scheduled_at=_aware(past.starts_on - timedelta(days=10), 11),
            origin=EnrolmentOrigin.EVENT,
            event=EventInput(
                theme="collective_intelligence", participation_target=40, daily_card_time=time(9)
            ),
        ),
        now=end_of_past,
    )
    Campaign.objects.filter(pk=collective.pk).update(
        status=CampaignStatus.CLOSED, closed_at=end_of_past
    )
    collective.refresh_from_db()
    report = generate_report(campaign=collective, now=end_of_past, final=True)
    lines.append(
        f"{COLLECTIVE} (clôturée) : {report.figures['participation']} % de participation, "
        f"{started} parcours commencés, bilan final"
    )

    # This week: the quality-of-work-life week, running, kick-off sent, daily cards.
    monday = today - timedelta(days=today.weekday())
    qvt, started = run(
        DemoCampaign(
            title=QVT,
            strategic_stake="Accord QVT 2027 : prendre soin de soi et des autres",
            description="Cinq jours, cinq cartes, des parcours de vingt minutes pour mieux vivre le travail ensemble.",
            window=Window(monday, max(monday + timedelta(days=4), today)),
            path_codes=("SANTE-MENTALE-QVT", "CNV"),
            scheduled_at=_aware(monday - timedelta(days=10), 11),
            origin=EnrolmentOrigin.EVENT,
            event=EventInput(
                theme="qvt",
                participation_target=40,
                daily_card_time=time(9),
                kickoff_starts_at=_aware(monday, 9, 30),
                kickoff_minutes=30,
                kickoff_location="Auditorium et Teams",
            ),
        ),
        now=now,
    )
    _record_invitation(qvt, now=now)
    _lea_champion(monday, now=now)
    lines.append(f"{QVT} (en cours) : coup d'envoi envoyé, {started} parcours commencés")

    # The climate campaign: running for ten days, reminder and last call to come.
    climate_window = Window(today - timedelta(days=10), today + timedelta(days=18))
    _, started = run(
        DemoCampaign(
            title=CLIMATE,
            strategic_stake="Plan climat Verdane 2030 : −40 % d'émissions",
            description="Agir tous ensemble pour la transition écologique de l'entreprise, geste après geste.",
            window=climate_window,
            path_codes=("TRANSITION-ECOLOGIQUE",),
            scheduled_at=_aware(climate_window.starts_on - timedelta(days=5), 11),
        ),
        now=now,
    )
    lines.append(
        f"{CLIMATE} (en cours) : {started} parcours commencés, relance et dernier appel à venir"
    )
    return lines
