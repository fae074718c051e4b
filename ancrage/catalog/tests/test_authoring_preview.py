"""The studio preview shows a card as a learner sees it, at phone width, answers included."""

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.catalog.models import Card
from ancrage.catalog.packs.importer import import_pack
from ancrage.catalog.tests.studio import client_for, unlabelled_controls

pytestmark = pytest.mark.django_db


@pytest.fixture
def cards(pack: Path) -> dict[str, Card]:
    import_pack(pack, publish=True)
    return {card.type: card for card in Card.objects.order_by("module__order", "order")}


@pytest.fixture
def client(author: User) -> Client:
    return client_for(author)


def preview(client: Client, card: Card, query: str = "") -> str:
    response = client.get(reverse("studio_card_preview", args=[card.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_every_card_type_previews_at_phone_width(client: Client, cards: dict[str, Card]) -> None:
    assert len(cards) == 9
    for card_type, card in cards.items():
        html = preview(client, card)
        assert 'class="preview-frame"' in html, card_type
        assert f'data-card-type="{card_type}"' in html
        assert unlabelled_controls(html) == [], card_type
    assert 'class="preview-frame wide"' in preview(client, cards["text"], "?width=wide")


def test_media_and_key_behaviours_are_resolved(client: Client, cards: dict[str, Card]) -> None:
    image = preview(client, cards["image"])
    assert 'alt="Schéma en trois colonnes."' in image
    assert "/catalogue/media/" in image
    video = preview(client, cards["video"])
    assert '<track kind="captions"' in video
    plan = preview(client, cards["action_plan_prompt"])
    assert "Reformule avant de répondre." in plan  # the key behaviour's statement


def test_checking_a_quiz_answer_shows_its_feedback(client: Client, cards: dict[str, Card]) -> None:
    quiz = cards["quiz"]
    wrong = preview(client, quiz, "?answer=0")
    assert "Not quite." in wrong
    assert "Non, vous n&#x27;écoutez plus." in wrong
    right = preview(client, quiz, "?answer=1")
    assert "Right answer." in right
    assert "La reformulation vérifie la compréhension." in right
    assert "Choose an answer first." in preview(client, quiz, "?answer=")
    assert "Choose an answer first." in preview(client, quiz, "?check=1")
    for bad in ("?answer=9", "?answer=x", "?answer=0&answer=1"):
        assert "not one of the choices" in preview(client, quiz, bad), bad


def test_checking_a_scenario_choice_shows_its_consequence(
    client: Client, cards: dict[str, Card]
) -> None:
    html = preview(client, cards["scenario"], "?answer=0")
    assert "The best choice." in html
    assert "Thomas explique." in html
    assert "A poor choice." in preview(client, cards["scenario"], "?answer=1")


def test_previous_and_next_walk_through_the_version(client: Client, cards: dict[str, Card]) -> None:
    response = client.get(reverse("studio_card_preview", args=[cards["image"].pk]))
    assert response.context["previous"] == cards["text"]
    assert response.context["next"] == cards["video"]
    assert response.context["position"] == 2
