"""The first page after sign-in, one per role: learner, manager, L&D lead, admin, publisher."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ancrage.catalog.authoring.queries import studio_counts
from ancrage.home.ld_overview import ld_overview
from ancrage.licensing.queries import learner_dashboard, open_seat_requests
from ancrage.player.queries import resume_entries
from ancrage.tenancy.models import MembershipStatus, Role
from ancrage.tenancy.queries import teams_of, visible_memberships


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "home/welcome.html")
    membership = getattr(request, "membership", None)
    if membership is None:
        if getattr(request.user, "is_publisher_staff", False):
            return render(request, "home/publisher.html", {"counts": studio_counts()})
        return render(request, "home/no_organisation.html")
    if membership.can_manage_people:
        people = visible_memberships(membership)
        context = {
            "people_count": people.exclude(status=MembershipStatus.DEACTIVATED).count(),
            "invited_count": people.filter(status=MembershipStatus.INVITED).count(),
            "team_count": teams_of(membership.organisation).count(),
            "seat_request_count": open_seat_requests(membership).count(),
            "overview": ld_overview(membership),
        }
        return render(request, "home/ld_lead.html", context)
    if membership.role == Role.MANAGER:
        reports = visible_memberships(membership).filter(manager=membership).order_by("user__name")
        manager_context = {
            "reports": reports,
            "dashboard": learner_dashboard(membership),
            "resume": resume_entries(membership),
        }
        return render(request, "home/manager.html", manager_context)
    learner_context = {
        "dashboard": learner_dashboard(membership),
        "resume": resume_entries(membership),
    }
    return render(request, "home/learner.html", learner_context)
