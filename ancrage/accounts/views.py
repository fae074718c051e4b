from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ancrage.tenancy.decorators import membership_required
from ancrage.tenancy.models import Role


@membership_required(Role.LD_LEAD, Role.ORG_ADMIN)
def invitations(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")
