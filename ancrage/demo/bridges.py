"""The demo's « parcours socle » (DEMO.md): « Manager coach — 3 jours », a facilitated
programme Sophie points to after the active-listening path, with two requests from people
who finished it. Idempotent: the programme by (path, title), requests by person. Nothing is
mailed while loading (the requests are recorded as already received)."""

from django.utils import timezone

from ancrage.bridges.models import FoundationProgramme, FoundationRequest, RequestKind
from ancrage.catalog.models import Path
from ancrage.player.models import Enrolment, EnrolmentStatus
from ancrage.tenancy.models import Membership, Organisation

PATH = "ECOUTE-ACTIVE"
MESSAGES = [
    "Je viens de prendre l'animation de l'équipe du soir : ce programme tombe à pic.",
    "Disponible à partir de janvier, de préférence en présentiel à Lyon.",
]


def load_bridges() -> list[str]:
    verdane = Organisation.objects.get(slug="verdane")
    sophie = Membership.objects.get(user__email="sophie@verdane.fr")
    path = Path.objects.get(code=PATH)
    programme, _ = FoundationProgramme.objects.update_or_create(
        organisation=verdane,
        path=path,
        title="Manager coach — 3 jours",
        defaults={
            "format": "hybrid",
            "duration": "3 jours (2 en présentiel, 1 à distance)",
            "facilitator": "Hélène Garnier, coach certifiée",
            "description": "Pratiquer l'écoute, le questionnement et le feedback en situation "
            "réelle, entre managers, avec une coach. Prochaine session : février.",
            "accepts_requests": True,
            "created_by": sophie,
        },
    )
    finishers = list(
        Enrolment.objects.filter(organisation=verdane, path=path, status=EnrolmentStatus.COMPLETED)
        .exclude(membership__user__email="lea@verdane.fr")
        .select_related("membership__user")
        .order_by("membership__user__email")[:2]
    )
    for enrolment, message in zip(finishers, MESSAGES, strict=False):
        FoundationRequest.objects.get_or_create(
            programme=programme,
            learner=enrolment.membership,
            defaults={
                "organisation": verdane,
                "kind": RequestKind.REQUEST,
                "message": message,
            },
        )
    total = Enrolment.objects.filter(
        organisation=verdane, path=path, status=EnrolmentStatus.COMPLETED
    ).count()
    requests = programme.requests.count()
    return [
        f"« {programme.title} » après « Écoute active » : {requests} demande(s) "
        f"sur {total} personne(s) ayant terminé le parcours ({timezone.localdate():%d/%m})"
    ]
