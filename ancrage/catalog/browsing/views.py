"""The catalogue for clients and publisher staff: themes, filters and search in one page (for
a member also what the licence covers and a start/continue button per path), a path's page (promise, modules, objectives, key behaviours, follow-up, memo sheets), and
printable memo sheets for just-in-time use. Everything is limited to what the person's
licence covers (catalog.browsing.scope); publisher staff see the whole published catalogue."""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET

from ancrage.catalog.browsing.cards import card_views
from ancrage.catalog.browsing.filters import skills_of
from ancrage.catalog.browsing.forms import CatalogueForm
from ancrage.catalog.browsing.languages import by_language
from ancrage.catalog.browsing.queries import (
    Reader,
    access_media,
    access_memo_sheet,
    access_published_path,
    catalogue_versions,
    memo_sheets_of,
    reader_of,
    themes_in,
    visible_versions,
)
from ancrage.catalog.models import KeyBehaviour, Module
from ancrage.catalog.search.query import search_catalogue
from ancrage.licensing.forms import SelfEnrolmentForm
from ancrage.licensing.queries import CatalogueEntry, member_offer

View = Callable[..., HttpResponse]


def reader_required(view: View) -> View:
    """Signed-in members of a client organisation, and publisher staff."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        reader = reader_of(request)
        if reader is None:
            raise PermissionDenied
        return view(request, reader, *args, **kwargs)

    return wrapped


@reader_required
def catalogue(request: HttpRequest, reader: Reader) -> HttpResponse:
    themes = list(themes_in(reader.scope))
    skills = skills_of(visible_versions(reader.scope))
    form = CatalogueForm(request.GET or None, themes=themes, skills=skills)
    if form.is_bound:
        form.is_valid()  # invalid fields are reported and not applied
    filters = form.filters()
    query = form.query
    context: dict[str, Any] = {
        "form": form,
        "themes": themes,
        "filters": filters,
        "query": query,
        "reader": reader,
    }
    entries: dict[uuid.UUID, CatalogueEntry] = {}
    if reader.membership is not None:
        offer = member_offer(reader.membership)
        entries = offer.entries
        context["offer"] = offer
        if offer.is_ld:
            context["settings_form"] = SelfEnrolmentForm(
                initial={"allow_self_enrolment": offer.self_enrolment}
            )
    # Each path goes with the member's standing on it (None for publisher staff): its button.
    if query:
        hits = search_catalogue(
            query=query,
            membership=reader.membership,
            filters=filters,
            everything=reader.is_publisher,
        )
        # Hits in the reading language first; the others apart, each with its language.
        split = by_language(hits, language=filters.language or None)
        context["hits"] = hits
        context["hit_rows"] = [
            (hit, entries.get(hit.version.path_id) if hit.kind == "path" else None)
            for hit in split.first
        ]
        context["other_hit_rows"] = [
            (hit, entries.get(hit.version.path_id) if hit.kind == "path" else None)
            for hit in split.rest
        ]
    else:
        # Paths in the reading language make the list; other languages stay one click away.
        versions = by_language(
            catalogue_versions(reader.scope, filters), language=filters.language or None
        )
        context["versions"] = versions.ordered
        context["rows"] = [(v, entries.get(v.path_id)) for v in versions.first]
        context["other_rows"] = [(v, entries.get(v.path_id)) for v in versions.rest]
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "catalog/browse/catalogue.html", context, status=status)


def _player_url(reader: Reader, code: str) -> str:
    """Where a member opens the path (the licensing app's path page), if it is wired."""
    if reader.membership is None:
        return ""
    try:
        return reverse("licensing_path", args=[code])
    except NoReverseMatch:
        return ""


@reader_required
def path_page(request: HttpRequest, reader: Reader, code: str) -> HttpResponse:
    version = access_published_path(reader.scope, code)
    context = {
        "version": version,
        "path": version.path,
        "modules": Module.objects.filter(version=version).order_by("order"),
        "key_behaviours": KeyBehaviour.objects.filter(version=version).order_by("order"),
        "memo_sheets": memo_sheets_of(version),
        "open_url": _player_url(reader, code),
        "reader": reader,
    }
    if reader.membership is not None:
        offer = member_offer(reader.membership)
        context["offer"] = offer
        context["entry"] = offer.entries.get(version.path_id)
    return render(request, "catalog/browse/path.html", context)


@reader_required
def path_memo_sheets(request: HttpRequest, reader: Reader, code: str) -> HttpResponse:
    """Every memo sheet of a path on one printable page."""
    version = access_published_path(reader.scope, code)
    views = card_views(list(memo_sheets_of(version)))
    context = {"version": version, "path": version.path, "views": views}
    return render(request, "catalog/browse/memo_sheets.html", context)


@reader_required
def memo_sheet(request: HttpRequest, reader: Reader, card_id: str) -> HttpResponse:
    card = access_memo_sheet(reader.scope, card_id)
    view = card_views([card])[0]
    version = card.module.version
    context = {"version": version, "path": version.path, "views": [view], "single": card}
    return render(request, "catalog/browse/memo_sheets.html", context)


@require_GET
@reader_required
def media(request: HttpRequest, reader: Reader, name: str) -> HttpResponse:
    """A cover or card media file of the catalogue (content-addressed: cached for a year)."""
    asset = access_media(reader, name)
    if not asset.file.name or not default_storage.exists(asset.file.name):
        raise Http404
    response = FileResponse(default_storage.open(asset.file.name), content_type=asset.content_type)
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # FileResponse streams; decorators want HttpResponse
