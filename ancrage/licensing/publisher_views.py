"""Publisher-side pages: licences per client, what is used and what is not, and the licence
life cycle (create, activate, suspend, resume, renew, change the paths). Publisher staff only."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ancrage.accounts.models import User
from ancrage.licensing import actions
from ancrage.licensing.forms import LicenceForm, LicencePathsForm, RenewForm, SuspendForm
from ancrage.licensing.models import Licence, LicenceStatus, OfferKind
from ancrage.licensing.queries import access_licence, clients_overview, path_use

View = Callable[..., HttpResponse]


def _staff(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def publisher_required(view: View) -> View:
    """Signed-in publisher staff only; anyone else gets 404 (the pages do not exist for them)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not getattr(request.user, "is_publisher_staff", False):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@publisher_required
def licences(request: HttpRequest) -> HttpResponse:
    return render(
        request, "licensing/publisher/licences.html", {"clients": clients_overview(request.user)}
    )


def _apply_error(form: Any, error: actions.LicenceError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


@publisher_required
def licence_new(request: HttpRequest) -> HttpResponse:
    form = LicenceForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                licence = actions.create_licence(
                    by=_staff(request),
                    organisation=data["organisation"],
                    offer=data["offer"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    seats=data["seats"],
                    paths=data["paths"],
                    notes=data["notes"],
                    activate=data["activate"],
                )
            except actions.LicenceError as error:
                _apply_error(form, error)
            else:
                messages.success(request, _("Licence created."))
                return redirect("licensing_licence", licence_id=licence.pk)
    return render(request, "licensing/publisher/licence_new.html", {"form": form}, status=status)


def _licence_page(
    request: HttpRequest, licence: Licence, status: int = 200, **forms: Any
) -> HttpResponse:
    context = {
        "licence": licence,
        "state": licence.state_on(timezone.localdate()),
        "seats_used": licence.seat_rows.filter(released_at__isnull=True).count(),
        "usage": path_use(licence),
        "renewals": licence.renewals.select_related("renewed_by"),
        "is_a_la_carte": licence.offer.kind == OfferKind.A_LA_CARTE,
        "renew_form": forms.get("renew_form")
        or RenewForm(initial={"ends_on": licence.ends_on, "seats": licence.seats}),
        "suspend_form": forms.get("suspend_form") or SuspendForm(),
        "paths_form": forms.get("paths_form")
        or LicencePathsForm(
            initial={"paths": list(licence.items.values_list("path_id", flat=True))}
        ),
        "statuses": LicenceStatus,
    }
    return render(request, "licensing/publisher/licence.html", context, status=status)


@publisher_required
def licence_detail(request: HttpRequest, licence_id: str) -> HttpResponse:
    return _licence_page(request, access_licence(request.user, licence_id))


@require_POST
@publisher_required
def licence_action(request: HttpRequest, licence_id: str, action: str) -> HttpResponse:
    licence = access_licence(request.user, licence_id)
    by = _staff(request)
    form: Any = None
    try:
        if action == "activate":
            actions.activate_licence(by=by, licence=licence)
            messages.success(request, _("Licence activated."))
        elif action == "suspend":
            form = SuspendForm(request.POST)
            form.is_valid()
            actions.suspend_licence(
                by=by,
                licence=licence,
                reason=form.cleaned_data.get("reason", ""),
            )
            messages.success(request, _("Licence suspended. Learners see a polite explanation."))
        elif action == "resume":
            actions.resume_licence(by=by, licence=licence)
            messages.success(request, _("Licence resumed."))
        elif action == "renew":
            form = RenewForm(request.POST)
            if not form.is_valid():
                return _licence_page(request, licence, status=400, renew_form=form)
            actions.renew_licence(
                by=by,
                licence=licence,
                ends_on=form.cleaned_data["ends_on"],
                seats=form.cleaned_data["seats"],
            )
            messages.success(request, _("Licence renewed."))
        elif action == "paths":
            form = LicencePathsForm(request.POST)
            if not form.is_valid():
                return _licence_page(request, licence, status=400, paths_form=form)
            actions.set_licence_paths(
                by=by,
                licence=licence,
                paths=form.cleaned_data["paths"],
            )
            messages.success(request, _("Paths of the licence saved."))
        else:
            raise Http404
    except actions.LicenceError as error:
        # A field error goes back on its form; anything else is a message on the page.
        if error.field and action in ("renew", "paths") and form is not None:
            _apply_error(form, error)
            return _licence_page(request, licence, status=400, **{f"{action}_form": form})
        messages.error(request, error.message)
        return redirect("licensing_licence", licence_id=licence.pk)
    return redirect("licensing_licence", licence_id=licence.pk)
