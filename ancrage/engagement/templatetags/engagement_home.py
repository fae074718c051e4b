"""`{% engagement_home %}`: the learner's validated recognitions and the organisation's
featured takeaways, for the home pages (a block that renders nothing when both are empty)."""

from typing import Any

from django import template

from ancrage.engagement.recognition.queries import validated_of
from ancrage.engagement.rendering import first_name
from ancrage.engagement.sharing.queries import featured_takeaways

register = template.Library()


@register.inclusion_tag("engagement/_home_community.html", takes_context=True)
def engagement_home(context: Any) -> dict[str, Any]:
    request = context.get("request")
    actor = getattr(request, "membership", None)
    if actor is None:
        return {}
    featured = list(featured_takeaways(actor.organisation)[:3])
    for takeaway in featured:
        takeaway.author_first_name = first_name(takeaway.author)  # type: ignore[attr-defined]
    return {"recognitions": list(validated_of(actor)[:3]), "featured": featured}
