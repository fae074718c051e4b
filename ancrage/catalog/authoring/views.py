"""Studio pages for paths and versions: the list, a new path, a version with its content,
its details, its life cycle (submit, return, publish, retire, new draft, discard), the diff
between two versions, and the media library. Modules, cards and key behaviours are in
`content_views`. Every write goes through catalog.actions."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.catalog.actions import (
    create_draft,
    create_path,
    discard_draft,
    publish_version,
    retire_version,
    return_to_draft,
    save_theme,
    store_upload,
    submit_for_review,
    update_version_details,
)
from ancrage.catalog.authoring.common import (
    actor,
    banner,
    frozen_redirect,
    issue_where,
    lifecycle_permissions,
    publisher_staff_required,
    version_url,
)
from ancrage.catalog.authoring.forms import (
    DiffForm,
    MediaUploadForm,
    PathCreateForm,
    ThemeForm,
    VersionDetailsForm,
    add_issues,
    changed_values,
)
from ancrage.catalog.authoring.queries import (
    access_path_for_author,
    studio_counts,
    studio_rows,
    versions_of,
)
from ancrage.catalog.cards import TYPE_SPECS
from ancrage.catalog.diff import diff_versions
from ancrage.catalog.errors import CatalogError, InvalidContent, MediaError
from ancrage.catalog.models import (
    CardType,
    MediaAsset,
    MediaKind,
    Path,
    PathVersion,
    Theme,
    VersionStatus,
)
from ancrage.catalog.queries import access_version_for_author, version_with_content
from ancrage.catalog.schema import Issue


@publisher_staff_required
def studio(request: HttpRequest) -> HttpResponse:
    context = {
        "rows": studio_rows(),
        "counts": studio_counts(),
        "theme_form": ThemeForm(),
    }
    return render(request, "catalog/authoring/studio.html", context)


@publisher_staff_required
def theme_new(request: HttpRequest) -> HttpResponse:
    form = ThemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if Theme.objects.filter(code=form.cleaned_data["code"]).exists():
            form.add_error(
                "code", _("A theme already has this code; choose it when creating the path.")
            )
            return render(request, "catalog/authoring/theme_new.html", {"form": form}, status=400)
        try:
            theme = save_theme(
                code=form.cleaned_data["code"], title=form.cleaned_data["title"], by=actor(request)
            )
        except PermissionDenied as denied:
            form.add_error(None, str(denied))
        else:
            messages.success(request, _("Theme “%(title)s” saved.") % {"title": theme.title})
            return redirect("studio_path_new")
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/authoring/theme_new.html", {"form": form}, status=status)


def _default_publisher() -> str:
    latest = Path.objects.order_by("-created_at").values_list("publisher", flat=True).first()
    return latest or ""


@publisher_staff_required
def path_new(request: HttpRequest) -> HttpResponse:
    form = PathCreateForm(request.POST or None, initial={"publisher": _default_publisher()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            version = create_path(
                code=data["code"],
                theme=data["theme"],
                language=data["language"],
                publisher=data["publisher"],
                title=data["title"],
                by=actor(request),
            )
        except (CatalogError, PermissionDenied) as error:
            form.add_error("code" if isinstance(error, CatalogError) else None, str(error))
        else:
            messages.success(request, _("Path created: version 1 is a draft."))
            return redirect(version_url(version))
    status = 400 if request.method == "POST" else 200
    return render(request, "catalog/authoring/path_new.html", {"form": form}, status=status)


def _version_context(request: HttpRequest, version: PathVersion) -> dict[str, Any]:
    full = version_with_content(version.pk)
    versions = list(versions_of(full.path))
    is_latest = bool(versions) and versions[0].pk == full.pk
    return {
        "version": full,
        "path": full.path,
        "modules": full.modules.all(),
        "key_behaviours": full.key_behaviours.all(),
        "versions": versions,
        "previous": next((v for v in versions if v.number < full.number), None),
        "banner": banner(full),
        "card_types": [(value, label) for value, label in CardType.choices if value in TYPE_SPECS],
        **lifecycle_permissions(actor(request), full, is_latest),
    }


@publisher_staff_required
def version_page(request: HttpRequest, version_id: str) -> HttpResponse:
    version = access_version_for_author(actor(request), version_id)
    return render(request, "catalog/authoring/version.html", _version_context(request, version))


def _problems(version: PathVersion, issues: list[Issue]) -> list[dict[str, str]]:
    problems = []
    for issue in issues:
        where, url = issue_where(version, issue)
        problems.append({"where": where, "message": issue.message, "url": url})
    return problems


@require_POST
@publisher_staff_required
def version_status(request: HttpRequest, version_id: str) -> HttpResponse:
    """Submit for review, return to draft, publish or retire (`action` in the POST)."""
    version = access_version_for_author(actor(request), version_id)
    moves = {
        "submit": (submit_for_review, _("Submitted for review. An editor will publish it.")),
        "return": (return_to_draft, _("Returned to draft: it can be edited again.")),
        "publish": (publish_version, _("Published: clients with a licence see this version now.")),
        "retire": (retire_version, _("Retired: nobody new will start this version.")),
    }
    move = moves.get(request.POST.get("action", ""))
    if move is None:
        messages.error(request, _("Unknown action."))
        return redirect(version_url(version))
    act, done = move
    try:
        act(version=version, by=actor(request))
    except InvalidContent as invalid:
        context = _version_context(request, version)
        context["problems"] = _problems(version, invalid.issues)
        return render(request, "catalog/authoring/version.html", context, status=400)
    except (CatalogError, PermissionDenied) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect(version_url(version))


@require_POST
@publisher_staff_required
def new_draft(request: HttpRequest, path_id: str) -> HttpResponse:
    path = access_path_for_author(actor(request), path_id)
    try:
        draft = create_draft(path=path, by=actor(request))
    except (CatalogError, PermissionDenied) as error:
        messages.error(request, str(error))
        latest = versions_of(path).first()
        return redirect(version_url(latest) if latest else "studio")
    messages.success(
        request,
        _("Version %(n)d is a new draft, copied from the latest version.") % {"n": draft.number},
    )
    return redirect(version_url(draft))


@publisher_staff_required
def version_discard(request: HttpRequest, version_id: str) -> HttpResponse:
    version = access_version_for_author(actor(request), version_id)
    if version.status != VersionStatus.DRAFT:
        return frozen_redirect(request, version)
    if request.method == "POST":
        try:
            discard_draft(version=version, by=actor(request))
        except (CatalogError, PermissionDenied) as error:
            messages.error(request, str(error))
            return redirect(version_url(version))
        messages.success(request, _("The draft is deleted."))
        return redirect("studio")
    return render(request, "catalog/authoring/discard.html", {"version": version})


@publisher_staff_required
def version_details(request: HttpRequest, version_id: str) -> HttpResponse:
    version = access_version_for_author(actor(request), version_id)
    if version.is_frozen:
        return frozen_redirect(request, version)
    initial = VersionDetailsForm.initial_for(version)
    form = VersionDetailsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_details(request, version, form)
        except MediaError as error:
            form.add_error("cover_upload", str(error))
        except InvalidContent as invalid:
            add_issues(form, invalid.issues, VersionDetailsForm.locate)
        except (CatalogError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Details saved."))
            return redirect(version_url(version))
    status = 400 if request.method == "POST" else 200
    context = {"version": version, "form": form}
    return render(request, "catalog/authoring/details.html", context, status=status)


def _save_details(request: HttpRequest, version: PathVersion, form: VersionDetailsForm) -> None:
    """The cover upload and the details in one transaction: a refused detail keeps no file."""
    with transaction.atomic():
        cover = form.cleaned_data["cover"] or None
        upload = form.cleaned_data.get("cover_upload")
        if upload:
            cover = store_upload(
                upload=upload, by=actor(request), kinds=frozenset({MediaKind.IMAGE})
            ).sha256
        changed = changed_values(version, form.values(cover))
        if changed:
            update_version_details(version=version, by=actor(request), **changed)


def _shown(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, indent=1)


@publisher_staff_required
def version_diff(request: HttpRequest, version_id: str) -> HttpResponse:
    version = access_version_for_author(actor(request), version_id)
    others = [v for v in versions_of(version.path) if v.pk != version.pk]
    default = next((v for v in others if v.number < version.number), others[0] if others else None)
    form = DiffForm(request.GET or None, versions=others)
    against = default
    if request.GET and form.is_valid():
        against = next(v for v in others if str(v.pk) == form.cleaned_data["against"])
    changes = []
    if against is not None:
        old, new = sorted([against, version], key=lambda v: v.number)
        for change in diff_versions(old, new):
            changes.append(
                {
                    "change": change,
                    "before": _shown(change.before),
                    "after": _shown(change.after),
                }
            )
    if against is not None and not request.GET:
        form = DiffForm(initial={"against": str(against.pk)}, versions=others)
    context = {
        "version": version,
        "against": against,
        "older": min((version, against), key=lambda v: v.number) if against else None,
        "newer": max((version, against), key=lambda v: v.number) if against else None,
        "form": form,
        "changes": changes,
    }
    status = 400 if request.GET and not form.is_valid() else 200
    return render(request, "catalog/authoring/diff.html", context, status=status)


@publisher_staff_required
def media_library(request: HttpRequest) -> HttpResponse:
    form = MediaUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            asset = store_upload(upload=form.upload(), by=actor(request))
        except (MediaError, PermissionDenied) as error:
            form.add_error("file", str(error))
        else:
            messages.success(
                request,
                _("“%(name)s” is stored; choose it in a card or as a cover.")
                % {"name": asset.original_name},
            )
            return redirect("studio_media")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "assets": MediaAsset.objects.order_by("-created_at")[:100]}
    return render(request, "catalog/authoring/media.html", context, status=status)
