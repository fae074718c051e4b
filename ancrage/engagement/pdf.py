"""PDF rendering with WeasyPrint, from the same HTML templates as the web pages.

Stylesheets are read from our static files and charts and QR codes are inline SVG, so the
renderer needs nothing from outside: its URL fetcher accepts `data:` URLs only, and a
template can never make the server fetch a remote or private resource.
"""

from pathlib import Path

import weasyprint
from django.contrib.staticfiles import finders
from weasyprint.urls import URLFetcher

FETCHER = URLFetcher(allowed_protocols=("data",), timeout=2)


def stylesheet(static_name: str) -> weasyprint.CSS:
    found = finders.find(static_name)
    if not isinstance(found, str):
        raise FileNotFoundError(static_name)
    return weasyprint.CSS(string=Path(found).read_text(encoding="utf-8"), url_fetcher=FETCHER)


def html_to_pdf(html: str, *, stylesheets: list[str]) -> bytes:
    """The PDF of `html` with the named static stylesheets (e.g. "engagement/report.css")."""
    document = weasyprint.HTML(string=html, base_url="data:,", url_fetcher=FETCHER)
    pdf = document.write_pdf(stylesheets=[stylesheet(name) for name in stylesheets])
    assert isinstance(pdf, bytes)
    return pdf
