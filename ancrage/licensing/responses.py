"""The polite page a person sees when a path cannot be opened, for every host that refuses.

Any entry point (web pages, the player, LTI launches, Teams tabs) that gets a refusal from
`check_entitlement` or `start_path` answers with `refusal_response`: a friendly explanation
of what happened, that progress is kept, and whom to contact — never an error page.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ancrage.licensing.entitlements import Refusal
from ancrage.licensing.models import Licence
from ancrage.tenancy.models import Membership, MembershipStatus, Role


@dataclass(frozen=True)
class Explanation:
    title: Promise | str
    text: Promise | str
    progress_kept: bool = False


def explain(reason: Refusal, licence: Licence | None = None) -> Explanation:
    """What to tell a learner for this refusal, in their language."""
    if reason == Refusal.NO_SEAT_LEFT:
        return Explanation(
            _("Every seat is taken for now"),
            _(
                "All the seats of your organisation's licence are in use. We have told your "
                "L&D lead, who can free a seat or add some; you will be able to start as soon "
                "as it is done."
            ),
        )
    if reason == Refusal.LICENCE_SUSPENDED:
        return Explanation(
            _("Access is paused for the moment"),
            _(
                "Your organisation's access to the paths is paused. Nothing is lost: your "
                "progress is kept and will be waiting for you when access returns."
            ),
            progress_kept=True,
        )
    if reason == Refusal.LICENCE_EXPIRED:
        text: Promise | str = _(
            "Your organisation's licence has ended. Nothing is lost: your progress is kept and "
            "will be waiting for you if the licence is renewed."
        )
        if licence is not None:
            text = _(
                "Your organisation's licence ended on %(day)s. Nothing is lost: your progress "
                "is kept and will be waiting for you if the licence is renewed."
            ) % {"day": date_format(licence.ends_on, "DATE_FORMAT")}
        return Explanation(_("The licence has ended"), text, progress_kept=True)
    if reason == Refusal.LICENCE_NOT_STARTED:
        soon: Promise | str = _("Your organisation's licence has not started yet.")
        if licence is not None:
            soon = _("Your organisation's licence starts on %(day)s.") % {
                "day": date_format(licence.starts_on, "DATE_FORMAT")
            }
        return Explanation(_("Not open yet"), soon)
    if reason == Refusal.NOT_IN_OFFER:
        return Explanation(
            _("This path is not in your organisation's licence"),
            _(
                "Your organisation has chosen other paths for now. If this one would help you, "
                "tell your L&D lead: they decide what the licence covers."
            ),
        )
    if reason == Refusal.NO_LICENCE:
        return Explanation(
            _("No licence yet"),
            _("Your organisation has no licence to the catalogue at the moment."),
        )
    if reason == Refusal.VERSION_RETIRED_FOR_NEW_STARTS:
        return Explanation(
            _("This path has been withdrawn"),
            _(
                "The publisher has withdrawn this path from the catalogue: it can no longer be "
                "started. People who had started it can finish it."
            ),
        )
    if reason == Refusal.SELF_ENROLMENT_CLOSED:
        return Explanation(
            _("Paths are started from an assignment here"),
            _(
                "In your organisation, paths are started when they are assigned to you. If this "
                "one would help you, ask your manager or your L&D lead."
            ),
        )
    if reason == Refusal.MEMBERSHIP_INACTIVE:
        return Explanation(
            _("Your account is deactivated"),
            _("Your account in this organisation is deactivated."),
        )
    return Explanation(
        _("This path cannot be opened"), _("This version of the path is not available.")
    )


def contacts(membership: Membership | None) -> list[Membership]:
    """Whom to contact: the organisation's L&D leads, or its admins when it has none."""
    if membership is None:
        return []
    people = list(
        Membership.objects.filter(
            organisation_id=membership.organisation_id,
            status=MembershipStatus.ACTIVE,
            role__in=(Role.LD_LEAD, Role.ORG_ADMIN),
        )
        .select_related("user")
        .order_by("user__name")
    )
    leads = [m for m in people if m.role == Role.LD_LEAD]
    return leads or people


def refusal_response(
    request: HttpRequest,
    reason: Refusal,
    *,
    licence: Licence | None = None,
    path_title: str = "",
) -> HttpResponse:
    """The friendly 403 page for a refused opening or start."""
    context = {
        "reason": reason.value,
        "explanation": explain(reason, licence),
        "path_title": path_title,
        "contacts": contacts(getattr(request, "membership", None)),
        "told_ld": reason == Refusal.NO_SEAT_LEFT,
    }
    return render(request, "licensing/unavailable.html", context, status=403)
