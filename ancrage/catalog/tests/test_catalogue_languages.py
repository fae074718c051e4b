"""Paths in the UI's language first, other languages apart and labelled: the catalogue, its
search, and the path and module choices of programmes and assignments
(`ancrage.catalog.browsing.languages.by_language`)."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from ancrage.catalog.browsing.languages import by_language, reading_language
from ancrage.catalog.models import Language, PathVersion
from ancrage.catalog.tests.published import licence, published_path
from ancrage.licensing import actions
from conftest import Tenancy

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(tenancy: Tenancy) -> tuple[PathVersion, PathVersion]:
    """A French path and its English twin, both covered by organisation A's intégrale."""
    french = published_path("ECOUTE", title="Écouter vraiment", summary="Écouter et reformuler.")
    english = published_path(
        "LISTENING",
        title="Listening for real",
        summary="Listen and reformulate.",
        language="en",
        memo_body="Listen, pause, reformulate.",
    )
    english.path.translation_of = french.path
    english.path.save()
    licence(tenancy.org_a, whole_catalogue=True)
    return french, english


def english_label() -> str:
    with translation.override("fr"):
        return str(Language.EN.label)


def test_reading_language_follows_the_ui_and_defaults_to_french() -> None:
    with translation.override("en"):
        assert reading_language() == "en"
    with translation.override("fr"):
        assert reading_language() == "fr"
    with translation.override("de"):
        assert reading_language() == "fr"


def test_by_language_keeps_the_order_and_groups_the_other_languages() -> None:
    items = [("a", "en"), ("b", "fr"), ("c", "xx"), ("d", "en"), ("e", "fr")]
    split = by_language(items, language="fr", language_of=lambda item: item[1])
    assert [i for i, _ in split.first] == ["b", "e"]
    assert [(g.code, [i for i, _ in g.items]) for g in split.others] == [
        ("en", ["a", "d"]),
        ("xx", ["c"]),
    ]
    assert [i for i, _ in split.ordered] == ["b", "e", "a", "d", "c"]
    assert split.other_count == 3


def test_french_catalogue_lists_french_paths_and_keeps_english_apart(
    tenancy: Tenancy, twins: tuple[PathVersion, PathVersion]
) -> None:
    response = tenancy.client_for(tenancy.owner).get(reverse("catalogue"))
    assert response.status_code == 200
    assert [v.title for v, _entry in response.context["rows"]] == ["Écouter vraiment"]
    assert [v.title for v, _entry in response.context["other_rows"]] == ["Listening for real"]
    html = response.content.decode()
    main, _sep, others = html.partition('id="other-languages-title"')
    assert "Listening for real" not in main
    assert 'lang="en">Listening for real</a> <span class="badge">' + english_label() in others


def test_the_language_filter_shows_that_language_alone(
    tenancy: Tenancy, twins: tuple[PathVersion, PathVersion]
) -> None:
    response = tenancy.client_for(tenancy.owner).get(reverse("catalogue"), {"language": "en"})
    assert [v.title for v, _entry in response.context["rows"]] == ["Listening for real"]
    assert response.context["other_rows"] == []


def test_an_english_ui_puts_english_paths_first(
    tenancy: Tenancy, twins: tuple[PathVersion, PathVersion]
) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(tenancy.owner.user)
    response = client.get(reverse("catalogue"))
    assert [v.title for v, _entry in response.context["rows"]] == ["Listening for real"]
    assert [v.title for v, _entry in response.context["other_rows"]] == ["Écouter vraiment"]


def test_search_hits_in_other_languages_come_after_and_apart(
    tenancy: Tenancy, twins: tuple[PathVersion, PathVersion]
) -> None:
    response = tenancy.client_for(tenancy.owner).get(reverse("catalogue"), {"q": "Listening"})
    assert response.context["hit_rows"] == []
    titles = [hit.version.title for hit, _entry in response.context["other_hit_rows"]]
    assert set(titles) == {"Listening for real"}
    response = tenancy.client_for(tenancy.owner).get(reverse("catalogue"), {"q": "écouter"})
    assert {hit.version.title for hit, _e in response.context["hit_rows"]} == {"Écouter vraiment"}


def test_assignment_and_programme_choices_put_other_languages_in_their_own_group(
    tenancy: Tenancy, twins: tuple[PathVersion, PathVersion]
) -> None:
    client = tenancy.client_for(tenancy.ld_lead)
    with translation.override("fr"):
        group = gettext("Other language: %(language)s") % {"language": english_label()}
    page = client.get(reverse("licensing_assignments"))
    for form in ("team_form", "person_form"):
        choices = list(page.context[form].fields["path"].choices)
        assert choices[0] == ("ECOUTE", "Écouter vraiment (ECOUTE)")
        assert choices[1][0] == group
        assert list(choices[1][1]) == [("LISTENING", "Listening for real (LISTENING)")]
    programme = actions.create_programme(
        organisation=tenancy.org_a,
        by=tenancy.ld_lead,
        title="Écoute",
        description="",
        strategic_stake="",
    )
    page = client.get(reverse("licensing_programme", args=[programme.pk]))
    path_choices = list(page.context["path_form"].fields["path"].choices)
    assert path_choices[0] == ("ECOUTE", "Écouter vraiment (ECOUTE)")
    assert path_choices[1][0] == group
    module_groups = [
        label for label, _options in page.context["module_form"].fields["module"].choices
    ]
    assert module_groups == [
        "Écouter vraiment (ECOUTE)",
        f"Listening for real (LISTENING) — {english_label()}",
    ]
    # The English path stays assignable: its group is a choice like any other.
    response = client.post(
        reverse("licensing_programme_add", args=[programme.pk]), {"path": "LISTENING"}
    )
    assert response.status_code == 302
