"""Helpers for studio and catalogue page tests: signed-in clients and HTML checks."""

from html.parser import HTMLParser

from django.test import Client

from ancrage.accounts.models import User


def client_for(user: User) -> Client:
    """A signed-in client whose pages come in English, so tests read the msgids whatever
    the French translations say (the browser tests check the French pages)."""
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


class _Form(HTMLParser):
    """Form controls and labels of a page, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[dict[str, str | None]] = []
        self.label_for: set[str] = set()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag in ("input", "select", "textarea") and attributes.get("type") not in (
            "hidden",
            "submit",
        ):
            self.controls.append(attributes)
        if tag == "label" and attributes.get("for"):
            self.label_for.add(str(attributes["for"]))


def unlabelled_controls(html: str) -> list[str]:
    """Names of visible form controls with no <label for=…> (aria-label counts too)."""
    parser = _Form()
    parser.feed(html)
    return [
        str(control.get("name"))
        for control in parser.controls
        if control.get("id") not in parser.label_for and not control.get("aria-label")
    ]


def tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Form()
    parser.feed(html)
    return parser.tags
