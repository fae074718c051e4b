"""Privacy pages: who sees what, « Mes données » and its download, erasures for admins."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.privacy import actions
from ancrage.privacy.export import build_archive, counts
from ancrage.privacy.forms import ConfirmErasureForm
from ancrage.privacy.queries import (
    access_erasure,
    downloads_of,
    erasable_people,
    erasures_of,
    retention_table,
)
from ancrage.privacy.registry import KIND_LABELS, Kind
from ancrage.privacy.rules import MIN_GROUP, VISIBILITY
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, Role
from ancrage.tenancy.queries import access_membership


def _actor(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


@membership_required()
def overview(request: HttpRequest) -> HttpResponse:
    context = {"visibility": VISIBILITY, "min_group": MIN_GROUP, "retention": retention_table()}
    return render(request, "privacy/overview.html", context)


@membership_required()
def my_data(request: HttpRequest) -> HttpResponse:
    me = _actor(request)
    context = {"counts": counts(me), "downloads": downloads_of(me)[:10]}
    return render(request, "privacy/my_data.html", context)


@require_POST
@membership_required()
def download(request: HttpRequest) -> HttpResponse:
    me = _actor(request)
    archive = build_archive(me, language=get_language() or "fr")
    actions.record_data_download(membership=me, size=len(archive.content), sha256=archive.sha256)
    response = HttpResponse(archive.content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{archive.filename}"'
    return response


@membership_required(Role.ORG_ADMIN)
def erasures(request: HttpRequest) -> HttpResponse:
    me = _actor(request)
    query = request.GET.get("q", "").strip()[:100]
    people = list(erasable_people(me, query)[:20]) if query else []
    context = {
        "erasures": erasures_of(me).select_related("membership__user")[:50],
        "people": people,
        "query": query,
    }
    return render(request, "privacy/erasures.html", context)


@membership_required(Role.ORG_ADMIN)
def erase(request: HttpRequest, membership_id: str) -> HttpResponse:
    me = _actor(request)
    person = access_membership(me, membership_id)
    existing = erasures_of(me).filter(membership=person).first()
    if existing is not None:
        return redirect("privacy_erasure", existing.pk)
    form = (
        None  # nobody erases themselves
        if person.pk == me.pk
        else ConfirmErasureForm(request.POST or None, expected=person.user.email)
    )
    status = 200
    if request.method == "POST" and form is not None:
        if form.is_valid():
            result = actions.erase_person(actor=me, person=person)
            messages.success(request, _("The person was erased."))
            return redirect("privacy_erasure", result.erasure.pk)
        status = 400
    return render(request, "privacy/erase.html", {"person": person, "form": form}, status=status)


@membership_required(Role.ORG_ADMIN)
def erasure(request: HttpRequest, erasure_id: str) -> HttpResponse:
    me = _actor(request)
    the_erasure = access_erasure(me, erasure_id)
    if request.method == "POST":
        result = actions.erase_person(actor=me, person=the_erasure.membership)
        messages.success(
            request,
            _("Erasure run again: %(n)s row(s) changed.") % {"n": result.total},
        )
        return redirect("privacy_erasure", the_erasure.pk)
    steps = [(KIND_LABELS[Kind(k)], n) for k, n in the_erasure.steps.items()]
    return render(request, "privacy/erasure.html", {"erasure": the_erasure, "steps": steps})
