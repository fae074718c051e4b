"""Reads for the privacy pages: the retention table, erasures of an organisation."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.text import capfirst

from ancrage.privacy.declarations import DECLARATIONS
from ancrage.privacy.models import DataDownload, Erasure
from ancrage.privacy.registry import KIND_LABELS, Erase
from ancrage.tenancy.models import Membership


@dataclass(frozen=True)
class RetentionRow:
    label: str
    kind: str
    erase: str
    days: int | None
    note: str


def retention_table() -> list[RetentionRow]:
    """One row per declared model about a person: how an erasure treats it, how long it is kept."""
    rows = []
    for d in DECLARATIONS:
        if d.subject is None and d.erase == Erase.KEEP and d.retention is None:
            continue
        rows.append(
            RetentionRow(
                # capfirst, not capitalize: "identités Microsoft Entra" keeps its capitals.
                label=capfirst(str(d.model_class._meta.verbose_name_plural)),
                kind=str(KIND_LABELS[d.kind]),
                erase=str(d.erase),
                days=d.retention.days if d.retention else None,
                note=d.note,
            )
        )
    return rows


def downloads_of(membership: Membership) -> "QuerySet[DataDownload]":
    return DataDownload.objects.filter(membership=membership).order_by("-created_at")


def erasures_of(actor: Membership) -> "QuerySet[Erasure]":
    return Erasure.objects.filter(organisation_id=actor.organisation_id).order_by("-created_at")


def access_erasure(actor: Membership, erasure_id: Any) -> Erasure:
    try:
        return erasures_of(actor).get(pk=erasure_id)
    except (Erasure.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def erasable_people(actor: Membership, query: str) -> "QuerySet[Membership]":
    qs = Membership.objects.filter(organisation_id=actor.organisation_id).exclude(pk=actor.pk)
    if query:
        qs = qs.filter(Q(user__name__icontains=query) | Q(user__email__icontains=query))
    return qs.select_related("user", "team").order_by("user__name", "user__email")
