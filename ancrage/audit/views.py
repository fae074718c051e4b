"""The organisation admin's audit log: a filterable list, one entry, and a CSV download."""

import csv
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from ancrage.audit.actions import record
from ancrage.audit.details import readable_details
from ancrage.audit.forms import AuditFilterForm
from ancrage.audit.models import Action, AuditEntry
from ancrage.audit.queries import (
    PERSON_TARGETS,
    AuditFilter,
    access_entry,
    entries_for,
    people_by_id,
)
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, Role

CSV_LIMIT = 50_000


def _cell(value: str) -> str:
    """No spreadsheet formula from a user agent or a name (CSV injection)."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _filters(request: HttpRequest) -> tuple[AuditFilterForm, AuditFilter]:
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        return form, AuditFilter(
            action=data["action"], person=data["person"], since=data["since"], until=data["until"]
        )
    return form, AuditFilter()


def _rows(entries: list[AuditEntry], actor: Membership) -> list[dict[str, Any]]:
    people = people_by_id(entries, actor.organisation_id)
    rows = []
    for entry in entries:
        who = people.get(str(entry.actor_membership_id)) or people.get(str(entry.actor_user_id))
        target = people.get(entry.target_id) if entry.target_type in PERSON_TARGETS else None
        if who is not None:
            actor_label = str(who.user)
        elif entry.actor_user_id:
            # An account outside the organisation: platform staff (Django admin, commands).
            actor_label = _("Ancrage platform staff")
        else:
            actor_label = ""
        rows.append(
            {
                "entry": entry,
                "actor": actor_label,
                "target": str(target.user) if target else f"{entry.target_type} {entry.target_id}",
            }
        )
    return rows


@membership_required(Role.ORG_ADMIN)
def log(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    form, filters = _filters(request)
    page = Paginator(entries_for(actor, filters), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": _rows(list(page), actor),
        "query": query.urlencode(),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "audit/log.html", context, status=status)


@membership_required(Role.ORG_ADMIN)
def entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    the_entry = access_entry(actor, entry_id)
    return render(
        request,
        "audit/entry.html",
        {"row": _rows([the_entry], actor)[0], "details": readable_details(the_entry.details)},
    )


@membership_required(Role.ORG_ADMIN)
def download(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    _form, filters = _filters(request)
    entries = list(entries_for(actor, filters)[:CSV_LIMIT])
    # The log names people, addresses and devices: taking a copy is itself an export.
    record(
        action=Action.EXPORT,
        actor=actor,
        target_type="audit.auditentry",
        details={"format": "csv", "rows": len(entries), "what": "audit_log"},
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="ancrage-audit-{stamp}.csv"'
    response.write("\ufeff")  # so that spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(
        [
            _("When"),
            _("Action"),
            _("Person"),
            _("Target"),
            _("IP address"),
            _("User agent"),
            _("Details"),
        ]
    )
    for row in _rows(entries, actor):
        item = row["entry"]
        writer.writerow(
            [
                timezone.localtime(item.at).isoformat(timespec="seconds"),
                Action(item.action).label,
                _cell(row["actor"]),
                _cell(row["target"]),
                item.ip or "",
                _cell(item.user_agent),
                "; ".join(f"{k}={v}" for k, v in sorted(item.details.items())),
            ]
        )
    return response
