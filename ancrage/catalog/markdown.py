"""Markdown (CommonMark + tables and strikethrough) rendered to HTML that is safe to show.

Two layers, so that one bug is not enough for script injection:

1. markdown-it-py with `html: False`: raw HTML in the source is escaped and shown as text;
   its link validator already refuses `javascript:`, `vbscript:`, `file:` and most `data:`.
   Markdown images are turned off: pictures belong in image cards, with alt text.
2. nh3 (the ammonia sanitiser) with an allow-list of tags and attributes and only
   absolute `http`, `https` and `mailto` links (relative ones are dropped: a card is also
   played inside an LMS, where a relative link would point anywhere); every link gets
   `rel="noopener noreferrer"`.

Headings are shifted down (`#` becomes `<h3>` by default) because a card's Markdown sits
under the page's `<h1>` and the card's own `<h2>` title: heading levels stay in order.
"""

from functools import lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
        "ul", "ol", "li", "a", "h2", "h3", "h4", "h5", "h6",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
# No `style`: the CSP forbids inline styles (table alignment is dropped).
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.enable(["table", "strikethrough"])
    md.disable("image")
    return md


def render_markdown(source: str, *, heading_offset: int = 2) -> SafeString:
    """Render author Markdown to sanitised HTML, ready for a template."""
    md = _parser()
    tokens = md.parse(source or "")
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(6, int(token.tag[1]) + heading_offset)
            token.tag = f"h{level}"
    html = md.renderer.render(tokens, md.options, {})
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        url_relative="deny",
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308  # nosemgrep: ancrage-mark-safe-user-data — nh3 above  # nosec B308, B703
