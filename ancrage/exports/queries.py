"""Reads for exports: what an organisation may export, its programmes, its audit trail.

Only L&D leads and organisation admins export; everything is scoped to their organisation,
and `access_*` helpers answer 404 for anything else.
"""

import uuid
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from ancrage.catalog.models import PathVersion
from ancrage.exports.models import Export, PackageToken
from ancrage.licensing.entitlements import coverage_for
from ancrage.licensing.models import Programme
from ancrage.licensing.queries import licensed_versions
from ancrage.tenancy.models import Membership, Organisation


def can_export(actor: Membership) -> bool:
    return actor.can_manage_people


def exportable_versions(organisation: Organisation) -> list[PathVersion]:
    """Published versions of the paths the organisation's licences grant today."""
    return list(licensed_versions(coverage_for(organisation.pk)))


def programmes_of(organisation: Organisation) -> "QuerySet[Programme]":
    return Programme.objects.filter(organisation=organisation).order_by("title")


def programme_of(organisation: Organisation, programme_id: Any) -> Programme | None:
    try:
        pk = programme_id if isinstance(programme_id, uuid.UUID) else uuid.UUID(str(programme_id))
    except ValueError:
        return None
    return Programme.objects.filter(organisation=organisation, pk=pk).first()


def exports_of(actor: Membership, limit: int = 50) -> "QuerySet[Export]":
    if not can_export(actor):
        return Export.objects.none()
    return (
        Export.objects.filter(organisation_id=actor.organisation_id)
        .select_related("created_by")
        .order_by("-created_at")[:limit]
    )


def access_export(actor: Membership, export_id: Any) -> Export:
    if not can_export(actor):
        raise Http404
    try:
        pk = export_id if isinstance(export_id, uuid.UUID) else uuid.UUID(str(export_id))
        return Export.objects.get(organisation_id=actor.organisation_id, pk=pk)
    except (ValueError, Export.DoesNotExist) as exc:
        raise Http404 from exc


def token_row(token_id: Any) -> PackageToken | None:
    """The token row named by a verified signature (no organisation scope: the signature is
    the credential, and the answer says only yes or no)."""
    try:
        pk = uuid.UUID(str(token_id))
    except ValueError:
        return None
    return PackageToken.objects.select_related("export", "organisation").filter(pk=pk).first()
