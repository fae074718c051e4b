"""`{% habits_home_card %}`: the signed-in person's own streak and recall on their home page."""

from typing import Any

from django import template
from django.utils import timezone

from ancrage.habits.queries import active_ritual_of, due_recall_items
from ancrage.habits.streaks import streak_of

register = template.Library()


@register.inclusion_tag("habits/_home_card.html", takes_context=True)
def habits_home_card(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    me = getattr(request, "membership", None)
    if me is None:
        return {"streak": None}
    now = timezone.now()
    return {
        "streak": streak_of(me, now),
        "due_count": due_recall_items(me, now).count(),
        "ritual": active_ritual_of(me),
    }
