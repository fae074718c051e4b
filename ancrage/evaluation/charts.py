"""Dashboard charts: server-side SVG built with the engagement app's chart helpers, so the
web page and the PDF show the same picture and charts look alike across reports."""

from django.utils.safestring import SafeString

from ancrage.engagement.charts import Bar, bars
from ancrage.evaluation.metrics import SECTIONS
from ancrage.evaluation.queries import Dashboard


def section_charts(board: Dashboard) -> dict[str, SafeString]:
    """One horizontal bar chart per section, for its % and /5 figures (hidden say "< 5")."""
    titles = dict(SECTIONS)
    charts: dict[str, SafeString] = {}
    for key, items in board.sections:
        rows = []
        for shown in items:
            if shown.unit not in ("%", "/5"):
                continue
            if shown.hidden:
                rows.append(Bar(shown.label, None))
                continue
            if shown.value is None:
                continue
            scaled = shown.value if shown.unit == "%" else shown.value * 20
            rows.append(Bar(shown.label, round(scaled), shown.text))
        if rows:
            charts[key] = bars(rows, title=str(titles[key]), hidden_text="< 5", label_width=230)
    return charts
