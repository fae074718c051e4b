"""The organisation admin's Microsoft 365 page: Teams package, framing hosts, Viva Learning."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ancrage.microsoft365 import actions
from ancrage.microsoft365.embedding.hosts import MICROSOFT_365_FRAME_ANCESTORS
from ancrage.microsoft365.queries import require_admin
from ancrage.microsoft365.teams_app.checks import settings_problems
from ancrage.microsoft365.teams_app.manifest import MANIFEST_VERSION
from ancrage.microsoft365.teams_app.package import PackageError, build_package
from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Role


@require_http_methods(["GET", "POST"])
@membership_required(Role.ORG_ADMIN)
def settings_page(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    require_admin(actor)
    config = actions.ensure_microsoft365_settings(organisation=actor.organisation)
    hosts_text = "\n".join(config.embed_hosts)
    errors: list[str] = []
    if request.method == "POST":
        hosts_text = request.POST.get("embed_hosts", "")
        try:
            actions.save_embed_hosts(config=config, hosts=hosts_text.splitlines())
        except ValidationError as exc:
            errors = list(exc.messages)
        else:
            messages.success(request, _("The hosts allowed to embed Ancrage are saved."))
            return redirect("microsoft365_settings")
    context = {
        "config": config,
        "problems": settings_problems(),
        "manifest_version": MANIFEST_VERSION,
        "hosts_text": hosts_text,
        "errors": errors,
        "microsoft_hosts": MICROSOFT_365_FRAME_ANCESTORS,
    }
    return render(request, "microsoft365/settings.html", context, status=400 if errors else 200)


@require_GET
@membership_required(Role.ORG_ADMIN)
def package(request: HttpRequest) -> HttpResponse:
    actor = request.membership  # type: ignore[attr-defined]
    require_admin(actor)
    config = actions.ensure_microsoft365_settings(organisation=actor.organisation)
    try:
        data = build_package(config)
    except PackageError as exc:
        return HttpResponse(
            "\n".join(exc.problems), status=409, content_type="text/plain; charset=utf-8"
        )
    response = HttpResponse(data, content_type="application/zip")
    name = f"ancrage-teams-{actor.organisation.slug}-{config.package_version}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
def about(request: HttpRequest) -> HttpResponse:
    """Website, privacy and terms page named by the Teams manifest (public)."""
    return render(request, "microsoft365/about.html")
