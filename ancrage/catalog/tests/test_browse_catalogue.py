"""The catalogue as clients see it: only what their licence covers, themes, filters, search,
path pages and printable memo sheets."""

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.catalog.actions import create_draft, retire_version
from ancrage.catalog.models import Card, PathVersion
from ancrage.catalog.tests.published import draft_path, licence, published_path
from ancrage.catalog.tests.studio import client_for, tags, unlabelled_controls
from ancrage.licensing.actions import suspend_licence
from ancrage.tenancy.tests.factories import UserFactory
from conftest import Tenancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def inside(tenancy: Tenancy) -> PathVersion:
    """A path in organisation A's à la carte licence."""
    version = published_path(
        "INSIDE",
        title="Écouter au guichet",
        memo_title="Mémo du guichet",
        memo_body="Accueillir, écouter, reformuler.",
        skills=["écoute active"],
    )
    licence(tenancy.org_a, paths=[version.path])
    return version


@pytest.fixture
def outside() -> PathVersion:
    """A published path no licence covers."""
    return published_path(
        "OUTSIDE",
        title="Écouter en réunion",
        memo_title="Mémo de réunion",
        memo_body="Noter, écouter, reformuler.",
        theme_code="management",
        promise_minutes=25,
        level="expert",
    )


def memo_of(version: PathVersion) -> Card:
    return Card.objects.get(module__version=version, type="memo_sheet")


def test_a_member_sees_only_the_paths_their_licence_covers(
    tenancy: Tenancy, inside: PathVersion, outside: PathVersion
) -> None:
    response = client_for(tenancy.owner.user).get(reverse("catalogue"))
    assert response.status_code == 200
    assert [v.title for v in response.context["versions"]] == ["Écouter au guichet"]
    assert [t.code for t in response.context["themes"]] == ["relations"]
    html = response.content.decode()
    assert "Écouter en réunion" not in html
    assert unlabelled_controls(html) == []


def test_paths_and_memo_sheets_outside_the_licence_are_404(
    tenancy: Tenancy, inside: PathVersion, outside: PathVersion
) -> None:
    client = client_for(tenancy.owner.user)
    assert client.get(reverse("catalogue_path", args=["INSIDE"])).status_code == 200
    assert client.get(reverse("catalogue_path", args=["OUTSIDE"])).status_code == 404
    assert client.get(reverse("catalogue_path_memo_sheets", args=["OUTSIDE"])).status_code == 404
    assert (
        client.get(reverse("catalogue_memo_sheet", args=[memo_of(outside).pk])).status_code == 404
    )
    assert client.get(reverse("catalogue_memo_sheet", args=[memo_of(inside).pk])).status_code == 200
    assert client.get(reverse("catalogue_path", args=["NOPE"])).status_code == 404


def test_another_organisation_without_a_licence_sees_nothing(
    tenancy: Tenancy, inside: PathVersion
) -> None:
    client = client_for(tenancy.other.user)
    response = client.get(reverse("catalogue"))
    assert list(response.context["versions"]) == []
    assert "No path is open to you" in response.content.decode()
    assert client.get(reverse("catalogue_path", args=["INSIDE"])).status_code == 404
    assert client.get(reverse("catalogue_memo_sheet", args=[memo_of(inside).pk])).status_code == 404
    assert client.get(reverse("catalogue") + "?q=guichet").context["hits"] == []


def test_a_suspended_licence_opens_nothing(tenancy: Tenancy, inside: PathVersion) -> None:
    active = inside.path.licence_items.get().licence
    suspend_licence(by=None, licence=active, reason="Impayé")
    client = client_for(tenancy.owner.user)
    assert list(client.get(reverse("catalogue")).context["versions"]) == []
    assert client.get(reverse("catalogue_path", args=["INSIDE"])).status_code == 404


def test_an_integrale_licence_covers_paths_published_later(tenancy: Tenancy) -> None:
    licence(tenancy.org_b, whole_catalogue=True)
    published_path("LATER", title="Publié après la licence")
    response = client_for(tenancy.other.user).get(reverse("catalogue"))
    assert [v.title for v in response.context["versions"]] == ["Publié après la licence"]


def test_drafts_and_retired_versions_are_not_in_the_catalogue(author: User) -> None:
    draft_path("DRAFT", title="En brouillon")
    retired = published_path("RETIRED", title="Retiré")
    retire_version(version=retired, by=None)
    kept = published_path("KEPT", title="Publié")
    create_draft(path=kept.path, by=None)  # the open draft does not replace the published one
    response = client_for(author).get(reverse("catalogue"))
    assert [v.title for v in response.context["versions"]] == ["Publié"]
    assert client_for(author).get(reverse("catalogue_path", args=["DRAFT"])).status_code == 404


def test_publisher_staff_browse_the_whole_catalogue(
    author: User, inside: PathVersion, outside: PathVersion
) -> None:
    response = client_for(author).get(reverse("catalogue"))
    assert {v.title for v in response.context["versions"]} == {
        "Écouter au guichet",
        "Écouter en réunion",
    }


def test_people_outside_any_organisation_are_refused(outside: PathVersion) -> None:
    assert Client().get(reverse("catalogue"))["Location"].startswith(reverse("account_login"))
    loner = UserFactory(email="seul@example.test")
    assert client_for(loner).get(reverse("catalogue")).status_code == 403


def test_filters_and_themes(author: User, inside: PathVersion, outside: PathVersion) -> None:
    client = client_for(author)

    def titles(query: str) -> list[str]:
        response = client.get(reverse("catalogue") + query)
        assert response.status_code == 200, query
        return [v.title for v in response.context["versions"]]

    assert titles("?theme=management") == ["Écouter en réunion"]
    assert titles("?duration=short") == ["Écouter au guichet"]
    assert titles("?duration=long") == ["Écouter en réunion"]
    assert titles("?level=expert") == ["Écouter en réunion"]
    assert titles("?skill=écoute active") == ["Écouter au guichet"]
    assert titles("?language=en") == []
    bad = client.get(reverse("catalogue") + "?level=wizard&duration=forever")
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"level", "duration"}
    assert len(bad.context["versions"]) == 2  # invalid filters are reported, not applied


def test_search_from_the_catalogue_page_stays_within_the_licence(
    tenancy: Tenancy, inside: PathVersion, outside: PathVersion
) -> None:
    client = client_for(tenancy.owner.user)
    response = client.get(reverse("catalogue") + "?q=reformulation")
    hits = response.context["hits"]
    assert {h.title for h in hits} == {"Mémo du guichet", "Écouter au guichet"}
    html = response.content.decode()
    assert "<mark>reformuler</mark>" in html
    assert reverse("catalogue_memo_sheet", args=[memo_of(inside).pk]) in html
    assert "Mémo de réunion" not in html
    long = client.get(reverse("catalogue") + "?q=" + "écoute " * 100)
    assert long.status_code == 400
    assert "q" in long.context["form"].errors
    weird = client.get(reverse("catalogue") + '?q=" NEAR * : écoute')
    assert weird.status_code == 200
    assert weird.context["hits"]


def test_the_path_page_shows_the_promise_modules_objectives_and_behaviours(
    tenancy: Tenancy, inside: PathVersion
) -> None:
    response = client_for(tenancy.owner.user).get(reverse("catalogue_path", args=["INSIDE"]))
    html = response.content.decode()
    for text in (
        "Écouter au guichet",
        "5 minutes",
        "Le module",
        "Premier objectif.",
        "Agit.",
        "Jamais.",
        "Mémo du guichet",
        reverse("catalogue_path_memo_sheets", args=["INSIDE"]),
        reverse("licensing_path", args=["INSIDE"]),  # where the member opens it
    ):
        assert text in html, text


def test_memo_sheets_print_on_their_own(tenancy: Tenancy, inside: PathVersion) -> None:
    client = client_for(tenancy.owner.user)
    response = client.get(reverse("catalogue_path_memo_sheets", args=["INSIDE"]))
    html = response.content.decode()
    assert "Accueillir, écouter, reformuler." in html
    assert "catalog/catalog.css" in html  # holds the print rules
    single = client.get(reverse("catalogue_memo_sheet", args=[memo_of(inside).pk]))
    assert "Mémo du guichet" in single.content.decode()


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    "[clic](javascript:alert(1))",
    "[clic](JaVaScRiPt:alert(1))",
    "[clic](&#106;avascript:alert(1))",
    "[clic](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![image](https://tracker.example/pixel.png)",
    '<svg onload="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<style>body{display:none}</style>",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_html_and_script_in_a_memo_sheet_come_out_inert(author: User, payload: str) -> None:
    version = published_path(
        "XSS", title="Sûreté", memo_title="Mémo piégé", memo_body=f"Avant {payload} après"
    )
    client = client_for(author)
    pages = [
        client.get(reverse("catalogue_memo_sheet", args=[memo_of(version).pk])),
        client.get(reverse("catalogue_path_memo_sheets", args=["XSS"])),
        client.get(reverse("catalogue") + "?q=avant après"),
    ]
    for response in pages:
        assert response.status_code == 200
        html = response.content.decode()
        main = html[html.index('<main id="main"') : html.index("</main>")]
        for tag, attributes in tags(main):
            assert tag not in ("script", "img", "iframe", "svg", "style", "object", "embed"), main
            assert "style" not in attributes, main
            assert not any(name.startswith("on") for name in attributes), main
            href = str(attributes.get("href") or "").lower()
            assert not href.startswith(("javascript:", "data:", "vbscript:")), main
