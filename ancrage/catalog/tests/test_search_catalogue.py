"""Full-text search of the published catalogue, on SQLite (FTS5) and PostgreSQL (french)."""

from io import StringIO

import pytest
from django.core.management import call_command

from ancrage.catalog.actions import (
    create_draft,
    publish_version,
    retire_version,
    submit_for_review,
    update_card,
)
from ancrage.catalog.browsing.filters import CatalogueFilters
from ancrage.catalog.models import Card
from ancrage.catalog.search.models import SearchEntry
from ancrage.catalog.search.query import query_terms, search_catalogue
from ancrage.catalog.tests.published import draft_path, licence, published_path
from conftest import Tenancy

pytestmark = pytest.mark.django_db


def titles(query: str, membership: object = None, **kwargs: object) -> list[str]:
    hits = search_catalogue(
        query=query,
        membership=membership,  # type: ignore[arg-type]
        everything=membership is None,
        **kwargs,  # type: ignore[arg-type]
    )
    return [hit.title for hit in hits]


def path_titles(query: str, **kwargs: object) -> list[str]:
    """Titles of the path hits only (each path's memo sheet is found by its path title too)."""
    hits = search_catalogue(query=query, membership=None, everything=True, **kwargs)  # type: ignore[arg-type]
    return [hit.title for hit in hits if hit.kind == "path"]


def test_a_word_without_its_accents_finds_the_accented_text() -> None:
    published_path("ECOUTE", title="Bien communiquer", memo_title="Les clés de l'écoute")
    assert "Les clés de l'écoute" in titles("ecoute")
    assert "Les clés de l'écoute" in titles("ÉCOUTE")
    assert "Les clés de l'écoute" in titles("Écoutes")


def test_a_plural_or_another_form_of_a_word_finds_its_relatives() -> None:
    published_path(
        "REFO",
        title="Reformuler pour comprendre",
        memo_title="Aide-mémoire",
        memo_body="Avant de répondre, reformulez ce que vous avez entendu.",
    )
    published_path("AUTRE", title="La reformulation en réunion")
    found = titles("reformulations")
    assert "Reformuler pour comprendre" in found
    assert "La reformulation en réunion" in found
    assert "Aide-mémoire" in found


def test_a_word_being_typed_is_found_as_a_prefix() -> None:
    published_path("REFO", title="Reformuler pour comprendre", memo_title="Fiche")
    assert titles("reform") == ["Reformuler pour comprendre", "Fiche"]


def test_a_title_match_ranks_before_a_match_in_the_text() -> None:
    published_path(
        "BODY",
        title="Animer une réunion",
        summary="Savoir conclure avec un feedback.",
        text_body="Le feedback se prépare.",
        memo_title="Réunion",
    )
    published_path("TITLE", title="Le feedback qui aide", memo_title="Fiche SCI")
    found = titles("feedback")
    assert found[0] == "Le feedback qui aide"
    assert "Animer une réunion" in found


def test_memo_sheet_text_is_searchable_and_shown_in_a_snippet() -> None:
    published_path(
        "MEMO",
        title="Dire non",
        memo_title="Fiche mémo",
        memo_body="Observation, sentiment, **besoin**, demande : les quatre temps.",
    )
    hits = search_catalogue(query="besoins", membership=None, everything=True)
    memo = next(hit for hit in hits if hit.kind == "memo_sheet")
    assert memo.card_id is not None
    assert [s.text for s in memo.snippet if s.match] == ["besoin"]


def test_every_word_must_match_unless_none_matches_together() -> None:
    published_path("A", title="Écoute active")
    published_path("B", title="Feedback constructif")
    assert path_titles("écoute active") == ["Écoute active"]
    assert set(path_titles("écoute feedback")) == {"Écoute active", "Feedback constructif"}


@pytest.mark.parametrize("query", ["", "   ", "!!! ???", "a", "'", "—"])
def test_an_empty_query_finds_nothing(query: str) -> None:
    published_path("A", title="Écoute active")
    assert titles(query) == []


def test_a_very_long_query_is_cut_and_does_not_fail() -> None:
    published_path("A", title="Écoute active")
    long_query = "écoute " + " ".join(f"mot{i}" for i in range(5000))
    assert len(query_terms(long_query)) == 12
    assert path_titles(long_query) == ["Écoute active"]  # falls back to any word
    assert titles("x" * 100_000) == []


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"écoute',
        'écoute"',
        "*",
        "écoute*",
        "NEAR",
        "NEAR(écoute active)",
        "écoute NEAR active",
        ":",
        "index_title:écoute",
        "title : écoute",
        "écoute AND OR NOT",
        "(écoute",
        "écoute)",
        "^écoute",
        "-écoute",
        "écoute & | ! <->",
        "écoute:*",
        "'; DROP TABLE catalog_search_entry; --",
        "%_\\",
        "écoute\x00active",
        "{écoute}",
        "écoute + active",
    ],
)
def test_query_syntax_characters_are_only_words(query: str) -> None:
    published_path("A", title="Écoute active")
    found = titles(query)
    if "écoute" in query:
        assert found[0] == "Écoute active", query
    assert SearchEntry.objects.count() == 2  # still there, nothing dropped


def test_results_stay_within_an_a_la_carte_licence(tenancy: Tenancy) -> None:
    inside = published_path("INSIDE", title="Écoute au guichet", memo_title="Mémo écoute guichet")
    published_path("OUTSIDE", title="Écoute en réunion", memo_title="Mémo écoute réunion")
    licence(tenancy.org_a, paths=[inside.path])
    found = titles("écoute", tenancy.owner)
    assert sorted(found) == ["Mémo écoute guichet", "Écoute au guichet"]
    assert "Mémo écoute réunion" not in titles("mémo réunion", tenancy.owner)
    assert titles("réunion", tenancy.owner) == []


def test_an_integrale_licence_finds_everything_and_no_licence_finds_nothing(
    tenancy: Tenancy,
) -> None:
    published_path("ONE", title="Écoute au guichet")
    published_path("TWO", title="Écoute en réunion")
    licence(tenancy.org_a, whole_catalogue=True)
    assert len(titles("écoute", tenancy.owner)) == 4
    assert titles("écoute", tenancy.other) == []  # organisation B has no licence


def test_without_a_membership_or_everything_nothing_is_found() -> None:
    published_path("ONE", title="Écoute au guichet")
    assert search_catalogue(query="écoute", membership=None) == []


def test_filters_narrow_the_results() -> None:
    published_path("SHORT", title="Écoute express", promise_minutes=5, level="decouverte")
    published_path(
        "LONG",
        title="Écoute approfondie",
        promise_minutes=25,
        level="approfondissement",
        skills=["reformulation"],
        language="en",
        theme_code="management",
    )

    def found(**filters: str) -> list[str]:
        return path_titles("écoute", filters=CatalogueFilters(**filters))

    assert found(duration="short") == ["Écoute express"]
    assert found(duration="medium") == []
    assert found(duration="long") == ["Écoute approfondie"]
    assert found(level="approfondissement") == ["Écoute approfondie"]
    assert found(skill="Reformulation") == ["Écoute approfondie"]
    assert found(language="fr") == ["Écoute express"]
    assert found(theme="management") == ["Écoute approfondie"]
    assert found(theme="management", language="fr") == []


def test_drafts_are_not_found_and_a_retired_path_disappears() -> None:
    draft_path("DRAFT", title="Écoute en brouillon")
    version = published_path("PUB", title="Écoute publiée")
    assert path_titles("écoute") == ["Écoute publiée"]
    retire_version(version=version, by=None)
    assert titles("écoute") == []


def test_a_new_published_version_replaces_the_old_one_in_the_index() -> None:
    first = published_path("PATH", title="Écoute", memo_title="Mémo", memo_body="Ancien texte.")
    draft = create_draft(path=first.path, by=None)
    memo = Card.objects.get(module__version=draft, type="memo_sheet")
    update_card(card=memo, payload={"title": "Mémo", "body": "Nouveau texte."}, by=None)
    assert titles("nouveau") == []  # a draft is not searchable
    submit_for_review(version=draft, by=None)
    publish_version(version=draft, by=None)
    assert titles("nouveau") == ["Mémo", "Écoute"]  # the memo, then the path that holds it
    assert titles("ancien") == []
    assert SearchEntry.objects.filter(path=first.path).values("version").distinct().count() == 1


def test_the_reindex_command_rebuilds_the_index() -> None:
    published_path("ONE", title="Écoute au guichet")
    SearchEntry.objects.all().delete()
    assert titles("écoute") == []
    out = StringIO()
    call_command("catalog_reindex", stdout=out)
    assert "2 entries" in out.getvalue()
    assert "Écoute au guichet" in titles("écoute")


@pytest.mark.parametrize("query", ["le la les", "de du des", "à", "et ou"])
def test_a_query_of_only_small_words_does_not_fail(query: str) -> None:
    published_path("A", title="Écoute active")
    assert isinstance(titles(query), list)
