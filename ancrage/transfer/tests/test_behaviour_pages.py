"""The key behaviours an L&D lead adapts: only those of licensed paths, the UI's language
first; and the learner's journal naming behaviours by their wording, never their code."""

from datetime import date

import pytest
from django.urls import reverse

from ancrage.catalog.models import KeyBehaviour, PathVersion
from ancrage.catalog.tests.published import licence, published_path
from ancrage.transfer import actions
from ancrage.transfer.models import OrgKeyBehaviour
from conftest import Tenancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def unlicensed(db: None) -> PathVersion:
    return published_path("HORS-LICENCE", title="Intelligence collective")


@pytest.fixture
def english(db: None) -> PathVersion:
    return published_path("ACTIVE-LISTENING", title="Active listening", language="en")


def first_behaviour(version: PathVersion) -> KeyBehaviour:
    return KeyBehaviour.objects.filter(version=version).order_by("order").first()  # type: ignore[return-value]


def test_the_page_lists_only_licensed_paths_french_first_without_codes(
    tenancy: Tenancy, version: PathVersion, unlicensed: PathVersion, english: PathVersion
) -> None:
    licence(tenancy.org_a, paths=[version.path, english.path])
    response = tenancy.client_for(tenancy.ld_lead).get(reverse("transfer_behaviours"))
    assert response.status_code == 200
    assert [v.title for v, _items in response.context["groups"]] == ["Écoute active"]
    assert [v.title for v, _items in response.context["other_groups"]] == ["Active listening"]
    html = response.content.decode()
    assert "Intelligence collective" not in html
    assert reverse("transfer_behaviour_adapt", args=[first_behaviour(unlicensed).pk]) not in html
    main, _sep, others = html.partition('id="other-languages-title"')
    assert "Active listening" not in main
    assert '<span lang="en">Active listening</span> <span class="badge">' in others
    for code in ("agit", "dit"):  # the behaviours' codes (slugs) are nowhere on the page
        assert f" {code}<" not in html
        assert f">{code}<" not in html


def test_a_page_without_licence_shows_no_behaviour(tenancy: Tenancy, version: PathVersion) -> None:
    response = tenancy.client_for(tenancy.ld_lead).get(reverse("transfer_behaviours"))
    assert response.context["groups"] == []
    assert response.context["other_groups"] == []
    assert "Agit." not in response.content.decode()


def test_adapting_a_behaviour_of_an_unlicensed_path_answers_404(
    tenancy: Tenancy, version: PathVersion, unlicensed: PathVersion
) -> None:
    licence(tenancy.org_a, paths=[version.path])
    client = tenancy.client_for(tenancy.ld_lead)
    url = reverse("transfer_behaviour_adapt", args=[first_behaviour(unlicensed).pk])
    assert client.get(url).status_code == 404
    posted = {"statement": "Notre version.", **{f"anchor_{n}": "" for n in range(1, 6)}}
    assert client.post(url, posted).status_code == 404
    assert client.post(url, {"reset": "1"}).status_code == 404
    assert not OrgKeyBehaviour.objects.exists()
    licensed_url = reverse("transfer_behaviour_adapt", args=[first_behaviour(version).pk])
    page = client.get(licensed_url)
    assert page.status_code == 200
    assert "Écoute active" in page.content.decode()
    assert client.post(licensed_url, posted).status_code == 302
    assert OrgKeyBehaviour.objects.get().statement == "Notre version."


def test_the_journal_names_rated_behaviours_by_their_wording(
    tenancy: Tenancy, version: PathVersion, behaviours: list[KeyBehaviour]
) -> None:
    actions.adapt_key_behaviour(
        actor=tenancy.ld_lead,
        key_behaviour=behaviours[1],
        statement="Dit, à la façon Alpha.",
        anchors=["", "", "", "", ""],
    )
    for behaviour in behaviours:
        actions.rate_own_behaviour(
            author=tenancy.owner, key_behaviour=behaviour, score=3, rated_on=date(2026, 3, 2)
        )
    html = tenancy.client_for(tenancy.owner).get(reverse("transfer_journal")).content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    assert "<td>Agit.</td><td>Écoute active</td>" in table
    assert "<td>Dit, à la façon Alpha.</td><td>Écoute active</td>" in table
    assert "<td>agit</td>" not in table
    assert "<td>dit</td>" not in table
