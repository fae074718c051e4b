"""Review, publication, retirement and new drafts from the studio; frozen versions read-only."""

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.catalog.actions import add_module, create_draft, submit_for_review, update_card
from ancrage.catalog.models import Card, Module, PathVersion, VersionStatus
from ancrage.catalog.search.query import search_catalogue
from ancrage.catalog.tests.published import draft_path, published_path
from ancrage.catalog.tests.studio import client_for

pytestmark = pytest.mark.django_db


def move(client: Client, version: PathVersion, action: str) -> object:
    return client.post(reverse("studio_version_status", args=[version.pk]), {"action": action})


def test_submitting_an_incomplete_draft_lists_each_problem_with_a_link(author: User) -> None:
    version = draft_path("ECOUTE", title="Écouter")
    module = add_module(version=version, title="Vide", est_minutes=5, by=None)
    response = client_for(author).post(
        reverse("studio_version_status", args=[version.pk]), {"action": "submit"}
    )
    assert response.status_code == 400
    problems = response.context["problems"]
    messages = " ".join(p["message"] for p in problems)
    assert "needs at least 2 items" in messages  # objectives, key behaviours
    assert "needs at least 1 item (it has 0)" in messages  # the module has no card
    urls = {p["url"] for p in problems}
    assert reverse("studio_module_edit", args=[module.pk]) in urls
    assert reverse("studio_version_details", args=[version.pk]) in urls
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_an_author_submits_but_only_an_editor_publishes(author: User, editor: User) -> None:
    version = published_path("ECOUTE", title="Écouter")
    draft = create_draft(path=version.path, by=None)
    client = client_for(author)
    assert move(client, draft, "submit").status_code == 302  # type: ignore[attr-defined]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_REVIEW
    page = client.get(reverse("studio_version", args=[draft.pk])).content.decode()
    assert 'value="publish"' not in page
    response = client.post(
        reverse("studio_version_status", args=[draft.pk]), {"action": "publish"}, follow=True
    )
    assert response.status_code == 200
    assert "Only publisher editors" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.IN_REVIEW

    editor_client = client_for(editor)
    assert (
        'value="publish"'
        in editor_client.get(reverse("studio_version", args=[draft.pk])).content.decode()
    )
    move(editor_client, draft, "publish")
    draft.refresh_from_db()
    version.refresh_from_db()
    assert (draft.status, version.status) == (VersionStatus.PUBLISHED, VersionStatus.RETIRED)
    assert draft.published_by == editor


def test_publishing_makes_the_new_content_searchable(editor: User) -> None:
    version = published_path("ECOUTE", title="Écouter", memo_title="Mémo", memo_body="Ancien.")
    draft = create_draft(path=version.path, by=None)
    memo = Card.objects.get(module__version=draft, type="memo_sheet")
    update_card(card=memo, payload={"title": "Mémo", "body": "Tout nouveau."}, by=None)
    submit_for_review(version=draft, by=None)
    move(client_for(editor), draft, "publish")
    hits = search_catalogue(query="nouveau", membership=None, everything=True)
    assert [h.title for h in hits if h.kind == "memo_sheet"] == ["Mémo"]


def test_an_editor_returns_a_version_to_draft_and_retires_one(editor: User) -> None:
    version = published_path("ECOUTE", title="Écouter")
    draft = create_draft(path=version.path, by=None)
    submit_for_review(version=draft, by=None)
    client = client_for(editor)
    move(client, draft, "return")
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    move(client, version, "retire")
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED


def test_a_move_the_status_does_not_allow_is_a_message_not_an_error(editor: User) -> None:
    version = draft_path("ECOUTE", title="Écouter")
    response = client_for(editor).post(
        reverse("studio_version_status", args=[version.pk]), {"action": "publish"}, follow=True
    )
    assert response.status_code == 200
    assert "Only a version in review can be published." in response.content.decode()
    response = client_for(editor).post(
        reverse("studio_version_status", args=[version.pk]), {"action": "explode"}, follow=True
    )
    assert "Unknown action." in response.content.decode()


def test_a_frozen_version_is_read_only_with_a_banner(author: User) -> None:
    version = published_path("ECOUTE", title="Écouter")
    module = Module.objects.get(version=version)
    card = Card.objects.filter(module=module).first()
    assert card is not None
    client = client_for(author)
    page = client.get(reverse("studio_version", args=[version.pk])).content.decode()
    assert "Read-only." in page
    assert reverse("studio_version_details", args=[version.pk]) not in page
    assert f'href="{reverse("studio_card_edit", args=[card.pk])}"' not in page
    assert reverse("studio_card_preview", args=[card.pk]) in page
    for url in (
        reverse("studio_version_details", args=[version.pk]),
        reverse("studio_card_edit", args=[card.pk]),
        reverse("studio_module_new", args=[version.pk]),
    ):
        response = client.post(url, {"title": "Changé", "est_minutes": "5"}, follow=True)
        assert response.status_code == 200
        assert "content is frozen" in response.content.decode(), url
    response = client.post(
        reverse("studio_card_move", args=[card.pk]), {"direction": "down"}, follow=True
    )
    assert "content is frozen" in response.content.decode()
    assert Module.objects.filter(version=version).count() == 1
    version.refresh_from_db()
    assert version.title == "Écouter"


def test_a_new_draft_copies_the_latest_version_and_shows_the_diff(author: User) -> None:
    version = published_path("ECOUTE", title="Écouter", memo_body="Trois gestes.")
    client = client_for(author)
    response = client.post(reverse("studio_new_draft", args=[version.path_id]))
    draft = PathVersion.objects.get(path=version.path, number=2)
    assert response["Location"] == reverse("studio_version", args=[draft.pk])
    memo = Card.objects.get(module__version=draft, type="memo_sheet")
    update_card(card=memo, payload={"title": "Fiche mémo", "body": "Quatre gestes."}, by=None)
    diff = client.get(reverse("studio_version_diff", args=[draft.pk]))
    assert diff.status_code == 200
    rows = diff.context["changes"]
    assert [(r["change"].field, r["before"], r["after"]) for r in rows] == [
        ("body", "Trois gestes.", "Quatre gestes.")
    ]
    again = client.post(reverse("studio_new_draft", args=[version.path_id]), follow=True)
    assert "already has a draft" in again.content.decode()
    assert PathVersion.objects.filter(path=version.path).count() == 2
    bad = client.get(reverse("studio_version_diff", args=[draft.pk]) + "?against=nope")
    assert bad.status_code == 400


def test_discarding_a_draft(author: User) -> None:
    version = draft_path("ECOUTE", title="Écouter")
    client = client_for(author)
    assert client.get(reverse("studio_version_discard", args=[version.pk])).status_code == 200
    response = client.post(reverse("studio_version_discard", args=[version.pk]))
    assert response["Location"] == reverse("studio")
    assert PathVersion.objects.count() == 0


def test_the_studio_lists_paths_with_their_latest_status(author: User) -> None:
    published = published_path("ECOUTE", title="Écouter")
    create_draft(path=published.path, by=None)
    draft_path("NEUF", title="Tout neuf")
    response = client_for(author).get(reverse("studio"))
    rows = {row.path.code: row for row in response.context["rows"]}
    assert (rows["ECOUTE"].latest.number, rows["ECOUTE"].latest.status) == (2, "draft")
    assert rows["ECOUTE"].published == published
    assert rows["NEUF"].published is None
    assert response.context["counts"] == {"draft": 2, "in_review": 0, "published": 1}
