# Fixture for `semgrep --test .semgrep`: each `ruleid:` line must match, each `ok:` must not.
from django.shortcuts import get_object_or_404

from ancrage.catalog.models import Path
from ancrage.transfer.models import ActionPlan
from ancrage.transfer.queries import access_plan


def plan(request, plan_id):
    # ruleid: ancrage-unscoped-get-in-view
    found = ActionPlan.objects.get(pk=plan_id)
    # ruleid: ancrage-unscoped-get-in-view
    found = get_object_or_404(ActionPlan, pk=plan_id)
    # ruleid: ancrage-unscoped-get-in-view
    found = ActionPlan.objects.select_related("membership").get(pk=plan_id)
    # ruleid: ancrage-unscoped-get-in-view
    found = get_object_or_404(Membership.objects.filter(status="active"), pk=plan_id)
    # ok: ancrage-unscoped-get-in-view
    found = access_plan(request.membership, plan_id)
    # ok: ancrage-unscoped-get-in-view
    path = Path.objects.get(code="ECOUTE")
    return found, path
