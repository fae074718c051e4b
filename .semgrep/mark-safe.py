# Fixture for `semgrep --test`.
import nh3
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe


def render(request, comment):
    # ruleid: ancrage-mark-safe-user-data
    html = mark_safe(comment.text)
    # ruleid: ancrage-mark-safe-user-data
    html = mark_safe(f"<p>{request.GET['q']}</p>")
    # ruleid: ancrage-mark-safe-user-data
    html = SafeString(comment.text)
    # ok: ancrage-mark-safe-user-data
    html = mark_safe("<br>")
    # ok: ancrage-mark-safe-user-data
    html = mark_safe(nh3.clean(comment.text))
    # ok: ancrage-mark-safe-user-data
    html = mark_safe(escape(comment.text))
    # ok: ancrage-mark-safe-user-data
    html = mark_safe(format_html("<b>{}</b>", comment.text))
    # ruleid: ancrage-safe-filter-in-template-on-user-data
    html = format_html(f"<b>{comment.text}</b>")
    # ok: ancrage-safe-filter-in-template-on-user-data
    html = format_html("<b>{}</b>", comment.text)
    return html
