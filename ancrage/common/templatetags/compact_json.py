"""`compact_json_script`: Django's `json_script`, without spaces or \\u escapes of accents.

For pages on a byte budget (the player's first card, issue 5): French text as UTF-8 takes two
bytes a letter where `\\u00e9` takes six. `<`, `>` and `&` are escaped as `json_script` does, so
the JSON can never close its <script> element.
"""

import json
from typing import Any

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def compact_json_script(value: Any, element_id: str) -> SafeString:
    data = json.dumps(
        value, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":")
    ).translate(_ESCAPES)
    safe = mark_safe(data)  # noqa: S308  # nosemgrep: ancrage-mark-safe-user-data — <>& escaped above  # nosec B308, B703
    return format_html('<script id="{}" type="application/json">{}</script>', element_id, safe)
