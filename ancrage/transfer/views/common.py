"""Small helpers shared by the transfer views."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse

from ancrage.player.models import Enrolment
from ancrage.tenancy.models import Membership
from ancrage.transfer.actions import TransferError
from ancrage.transfer.behaviours import ShownBehaviour, shown_behaviours

View = Callable[..., HttpResponse]


def actor(request: HttpRequest) -> Membership:
    return request.membership  # type: ignore[attr-defined,no-any-return]


def member_or_404(view: View) -> View:
    """Signed in, and a member of a client organisation; anyone else gets a 404 (not a 403),
    so the journal's URLs tell publisher staff and outsiders nothing."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if getattr(request, "membership", None) is None:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def apply_errors(form: forms.Form, error: TransferError) -> None:
    for name, message in error.errors.items():
        form.add_error(name if name in form.fields else None, message)


def behaviours_by_path(member: Membership) -> list[tuple[str, list[ShownBehaviour]]]:
    """The key behaviours of every path the person started, as their organisation words them."""
    groups = []
    for enrolment in (
        Enrolment.objects.filter(organisation_id=member.organisation_id, membership=member)
        .select_related("path_version")
        .order_by("-last_activity_at")
    ):
        items = shown_behaviours(member.organisation_id, version=enrolment.path_version)
        if items:
            groups.append((enrolment.path_version.title, items))
    return groups
