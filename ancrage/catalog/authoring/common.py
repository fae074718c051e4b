"""What every studio view shares: the publisher-staff guard, the acting user, and how the
catalogue's errors become messages a person can act on (never a 500)."""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ancrage.accounts.models import User
from ancrage.catalog.models import PathVersion, VersionStatus, frozen_message
from ancrage.catalog.queries import can_author, can_publish
from ancrage.catalog.schema import Issue, format_loc

View = Callable[..., HttpResponse]


def publisher_staff_required(view: View) -> View:
    """Signed-in publisher authors and editors only: others are sent to sign in, or get 404
    (the studio does not exist for them)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not isinstance(request.user, User) or not can_author(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def actor(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def version_url(version: PathVersion, anchor: str = "") -> str:
    url = reverse("studio_version", args=[version.pk])
    return f"{url}#{anchor}" if anchor else url


def frozen_redirect(request: HttpRequest, version: PathVersion) -> HttpResponse:
    """A change asked of a version that is not a draft: say why, show the version."""
    messages.error(request, frozen_message(version.status))
    return redirect(version_url(version))


def banner(version: PathVersion) -> str:
    """The sentence at the top of a version that is not a draft."""
    if version.status == VersionStatus.IN_REVIEW:
        return _(
            "In review: the content is read-only. An editor publishes it or returns it to draft for changes."
        )
    if version.status == VersionStatus.PUBLISHED:
        return _(
            "Published: learners see this version and it is read-only. Create a new draft to change it."
        )
    if version.status == VersionStatus.RETIRED:
        return _(
            "Retired: nobody new starts this version and it is read-only. Learners already on it keep it."
        )
    return ""


def lifecycle_permissions(user: User, version: PathVersion, is_latest: bool) -> dict[str, bool]:
    """Which life-cycle buttons the person sees (the actions check again)."""
    editor = can_publish(user)
    return {
        "can_submit": version.status == VersionStatus.DRAFT,
        "can_discard": version.status == VersionStatus.DRAFT,
        "can_return": editor and version.status == VersionStatus.IN_REVIEW,
        "can_publish": editor and version.status == VersionStatus.IN_REVIEW,
        "can_retire": editor and version.status == VersionStatus.PUBLISHED,
        "can_new_draft": is_latest
        and version.status in (VersionStatus.PUBLISHED, VersionStatus.RETIRED),
        "is_editor": editor,
    }


def issue_where(version: PathVersion, issue: Issue) -> tuple[str, str]:
    """Where a whole-content issue is, in words, and the studio page that fixes it."""
    loc = issue.loc
    modules = list(version.modules.order_by("order"))
    if len(loc) >= 2 and loc[0] == "modules" and isinstance(loc[1], int) and loc[1] < len(modules):
        module = modules[loc[1]]
        where = _("Module %(n)d “%(title)s”") % {"n": loc[1] + 1, "title": module.title}
        if len(loc) >= 4 and loc[2] == "cards" and isinstance(loc[3], int):
            cards = list(module.cards.order_by("order"))
            where = _("Module %(n)d “%(title)s” › card %(card)d") % {
                "n": loc[1] + 1,
                "title": module.title,
                "card": loc[3] + 1,
            }
            field = format_loc(loc[4:])
            if field:
                where += f" · {field}"
            if loc[3] < len(cards):
                return where, reverse("studio_card_edit", args=[cards[loc[3]].pk])
            return where, version_url(version, f"module-{module.pk}")
        field = format_loc(loc[2:])
        if field:
            where += f" · {field}"
        return where, reverse("studio_module_edit", args=[module.pk])
    if loc and loc[0] == "key_behaviours":
        return _("Key behaviours") + (
            f" · {format_loc(loc[1:])}" if len(loc) > 1 else ""
        ), version_url(version, "key-behaviours")
    if loc and loc[0] == "modules":
        return _("Modules"), version_url(version, "modules")
    return _("Path details") + (f" · {format_loc(loc)}" if loc else ""), reverse(
        "studio_version_details", args=[version.pk]
    )
