"""Thin HTTP layer of exports: the L&D page (`/exports/`) and the two endpoints a package
that reports to us calls from the LMS's origin (CORS, token in the URL, no cookies)."""

import json
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ancrage.catalog.browsing.languages import by_language, reading_language
from ancrage.catalog.models import PathVersion
from ancrage.exports import actions, queries
from ancrage.exports.forms import ExportForm
from ancrage.exports.reporting import BadEvents, licence_answer, record_package_events
from ancrage.lrs.actions import StatementConflict
from ancrage.lrs.validation import ValidationError
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Membership, Role

CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type",
    "Access-Control-Max-Age": "86400",
}


def _actor(request: HttpRequest) -> Membership:
    membership: Membership | None = getattr(request, "membership", None)
    if membership is None or not queries.can_export(membership):
        raise PermissionDenied
    return membership


def _language_groups(form: ExportForm, versions: list[PathVersion]) -> None:
    """Paths and modules in the reading language first; those in other languages in groups
    of their own, named with the language (the values, hence what the form accepts, stay)."""
    language_of = {v.path.code: v.path.language for v in versions}
    reading = reading_language()

    def language(option: tuple[Any, Any]) -> str:
        kind, _sep, rest = str(option[0]).partition(":")
        if kind == "programme":
            return reading
        return language_of.get(rest.partition(":")[0], reading)

    target = form.fields["target"]
    assert isinstance(target, forms.ChoiceField)
    first: list[Any] = []
    later: list[Any] = []
    for label, options in cast("list[tuple[str, list[tuple[Any, Any]]]]", target.choices):
        split = by_language(list(options), language=reading, language_of=language)
        if split.first:
            first.append((label, split.first))
        for other in split.others:
            later.append((f"{label} — {other.label}", other.items))
    target.choices = first + later


@membership_required(Role.LD_LEAD, Role.ORG_ADMIN)
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest) -> HttpResponse:
    """`/exports/`: choose a path, module or programme and a format; download the zip."""
    actor = _actor(request)
    organisation = actor.organisation
    versions = queries.exportable_versions(organisation)
    form = ExportForm(
        request.POST or None,
        versions=versions,
        programmes=list(queries.programmes_of(organisation)),
    )
    _language_groups(form, versions)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                exported = actions.export_package(
                    by=request.user,  # type: ignore[arg-type]
                    organisation=organisation,
                    format=form.cleaned_data["format"],
                    report_xapi=form.cleaned_data["report_xapi"],
                    **form.target_parts(),
                )
            except actions.ExportError as exc:
                form.add_error("target", exc.message)
            else:
                response = HttpResponse(exported.data, content_type="application/zip")
                response["Content-Disposition"] = f'attachment; filename="{exported.filename}"'
                return response
        status = 400
    context = {"form": form, "exports": queries.exports_of(actor), "count": len(versions)}
    return render(request, "exports/index.html", context, status=status)


def _cors(response: HttpResponse) -> HttpResponse:
    for key, value in CORS.items():
        response[key] = value
    return response


def _token(signed: str) -> Any:
    token_id = actions.read_token(signed)
    return queries.token_row(token_id) if token_id else None


@csrf_exempt
@require_http_methods(["GET", "OPTIONS"])
def report_base(request: HttpRequest, token: str) -> HttpResponse:
    """The base URL a package knows; answers like `licence` (handy for a support check)."""
    return licence(request, token)


@csrf_exempt
@require_http_methods(["GET", "OPTIONS"])
def licence(request: HttpRequest, token: str) -> HttpResponse:
    """May this package play now? `{"allowed": bool, "reason": str}` (always 200)."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    answer = licence_answer(_token(token))
    return _cors(JsonResponse({"allowed": answer.allowed, "reason": answer.reason}))


@csrf_exempt
@require_http_methods(["POST", "OPTIONS"])
def events(request: HttpRequest, token: str) -> HttpResponse:
    """A package's events → statements in the organisation's LRS (403 when not licensed)."""
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204))
    row = _token(token)
    answer = licence_answer(row)
    if row is None or not answer.allowed:
        return _cors(JsonResponse({"error": "licence", "reason": answer.reason}, status=403))
    try:
        body = json.loads(request.body or b"null")
        if not isinstance(body, dict):
            raise BadEvents("the body must be a JSON object")
        ids = record_package_events(
            token=row, learner=body.get("learner"), events=body.get("events")
        )
    except (ValueError, BadEvents, ValidationError) as exc:
        return _cors(JsonResponse({"error": "invalid_events", "reason": str(exc)}, status=400))
    except StatementConflict as exc:
        return _cors(JsonResponse({"error": "conflict", "reason": str(exc)}, status=409))
    return _cors(JsonResponse({"recorded": len(ids)}))
