"""`{% foundation_recommendations path_code %}`: the « parcours socles » after a finished path,
for the signed-in learner (the player's end page and the learner's home include it)."""

from typing import Any

from django import template

from ancrage.bridges.queries import recommended_to, requested_programme_ids
from ancrage.catalog.models import Path

register = template.Library()


@register.inclusion_tag("bridges/_recommendations.html", takes_context=True)
def foundation_recommendations(context: Any, path_code: str = "") -> dict[str, Any]:
    request = context.get("request")
    actor = getattr(request, "membership", None)
    if actor is None:
        return {"programmes": []}
    path_id = None
    if path_code:
        path_id = Path.objects.filter(code=path_code).values_list("pk", flat=True).first()
        if path_id is None:
            return {"programmes": []}
    return {
        "programmes": list(recommended_to(actor, path_id).order_by("title")[:5]),
        "asked": requested_programme_ids(actor),
    }
