"""The demo's recognitions (DEMO.md): what Verdane values, written as two rules, and two
recognitions validated — Léa, « Champion·ne de l'événement » of this week's QVT week
(validated by Karim, her manager), and one of Karim's reports, « Apprenant·e proactif·ve »
last quarter (validated by Sophie) — plus Karim's nomination waiting for Sophie. The
scheduler's hourly job (`engagement.propose_recognitions`) proposes the rest from the demo's
activity once `ancrage schedule` runs; loading does not, so its output stays stable.

Idempotent: rules by name, recognitions by (rule, person, period); nominations by text.
A themed week is rebuilt on each run of the demo, so recognitions of an event that no
longer exists are removed first.
"""

from datetime import timedelta

from django.utils import timezone

from ancrage.engagement.models import (
    CampaignKind,
    Recognition,
    RecognitionRule,
    RecognitionStatus,
    ThemedEvent,
)
from ancrage.engagement.queries import campaign_path_ids
from ancrage.engagement.recognition.rules import event_period, quarter_of
from ancrage.tenancy.models import Membership, Organisation

QVT = "Semaine de la qualité de vie au travail"


def load_recognition() -> list[str]:
    verdane = Organisation.objects.get(slug="verdane")
    sophie = Membership.objects.get(user__email="sophie@verdane.fr")
    karim = Membership.objects.get(user__email="karim@verdane.fr")
    lea = Membership.objects.select_related("user").get(user__email="lea@verdane.fr")
    now = timezone.now()
    proactive, _ = RecognitionRule.objects.update_or_create(
        organisation=verdane,
        name="Apprenant·e proactif·ve",
        defaults={
            "description": "Apprend régulièrement et partage ce qu'il ou elle en retire.",
            "period": "quarter",
            "min_paths": 3,
            "min_takeaways": 2,
            "min_action_plans": 0,
            "created_by": sophie,
        },
    )
    champion, _ = RecognitionRule.objects.update_or_create(
        organisation=verdane,
        name="Champion·ne de l'événement",
        defaults={
            "description": "Termine un parcours à l'affiche et s'engage dans un plan d'action "
            "pendant un événement thématique.",
            "period": "event",
            "min_paths": 1,
            "min_takeaways": 0,
            "min_action_plans": 1,
            "created_by": sophie,
        },
    )
    live_events = {f"event:{pk}" for pk in ThemedEvent.objects.values_list("pk", flat=True)}
    Recognition.objects.filter(rule=champion).exclude(period_key__in=live_events).delete()

    lines = []
    event = (
        ThemedEvent.objects.filter(
            organisation=verdane, campaign__title=QVT, campaign__kind=CampaignKind.EVENT
        )
        .select_related("campaign")
        .first()
    )
    if event is not None:
        period = event_period(event, frozenset(campaign_path_ids(event.campaign)))
        Recognition.objects.update_or_create(
            rule=champion,
            learner=lea,
            period_key=period.key,
            defaults={
                "organisation": verdane,
                "period_label": period.label,
                "title": champion.name,
                "reason": "A terminé « Santé mentale positive » et s'est engagée dans un plan "
                "d'action pendant la semaine QVT.",
                "status": RecognitionStatus.VALIDATED,
                "decided_by": karim,
                "decided_at": now - timedelta(hours=3),
            },
        )
        lines.append("Léa, championne de la semaine QVT (validée par Karim)")
    colleague = (
        Membership.objects.filter(organisation=verdane, manager=karim)
        .exclude(pk=lea.pk)
        .select_related("user")
        .order_by("user__email")
        .first()
    )
    last_quarter = quarter_of(quarter_of(now).starts_at - timedelta(days=1))
    if colleague is not None:
        Recognition.objects.update_or_create(
            rule=proactive,
            learner=colleague,
            period_key=last_quarter.key,
            defaults={
                "organisation": verdane,
                "period_label": last_quarter.label,
                "title": proactive.name,
                "reason": f"4 parcours terminés · 3 enseignements partagés — {last_quarter.label}.",
                "status": RecognitionStatus.VALIDATED,
                "decided_by": sophie,
                "decided_at": last_quarter.ends_at + timedelta(days=2, hours=10),
            },
        )
        lines.append(f"{colleague.user.name}, apprenant·e proactif·ve (validé par Sophie)")
    nominee = (
        Membership.objects.filter(organisation=verdane, manager=karim)
        .exclude(pk=lea.pk)
        .order_by("-user__email")
        .first()
    )
    if nominee is not None:
        Recognition.objects.get_or_create(
            organisation=verdane,
            learner=nominee,
            proposed_by=karim,
            title="Esprit d'entraide",
            defaults={
                "period_key": "nomination:demo-entraide",
                "period_label": "proposé par Karim Haddad",
                "reason": "A formé deux nouveaux collègues à l'outil de tickets cette semaine, "
                "sans qu'on le lui demande.",
            },
        )
    lines.append(
        "la nomination de Karim attend Sophie ; le planificateur (`ancrage schedule`, toutes "
        "les heures) propose les autres"
    )
    return lines
