"""The player's pages and JSON endpoints: what they show, and to whom."""

import json
from typing import Any

from django.test import Client

from ancrage.catalog.models import CardType, Path
from ancrage.licensing.actions import suspend_licence
from ancrage.licensing.models import Licence
from ancrage.lrs.models import Statement
from ancrage.player.bundle import Bundle, build_bundle
from ancrage.player.models import CardProgress, Enrolment
from ancrage.player.tests.conftest import CODE, PostEvents, enrol, event


def test_the_player_renders_the_first_card_on_the_server(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    response = owner_client.get(f"/play/{CODE}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-key="{bundle.order[0]}"' in html
    assert bundle.title in html
    props = json.loads(html.split('id="player-props" type="application/json">')[1].split("<")[0])
    assert props["card"] == bundle.order[0]
    # player.js derives the order from the modules ("<slug>.<n>"), as bundle.py makes keys
    derived = [f"{m['slug']}.{i + 1}" for m in props["modules"] for i in range(len(m["seconds"]))]
    assert derived == list(bundle.order)
    assert [s for m in props["modules"] for s in m["seconds"]] == [
        bundle.cards[k].est_seconds for k in bundle.order
    ]


def test_the_player_resumes_at_the_latest_card(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, post_events: PostEvents
) -> None:
    post_events(owner_client, [event("card_viewed", bundle.order[6])])
    html = owner_client.get(f"/play/{CODE}/").content.decode()
    assert f'data-key="{bundle.order[6]}"' in html


def test_every_card_type_renders_without_its_answers(bundle: Bundle) -> None:
    types = {card.type for card in bundle.cards.values()}
    assert types == set(CardType.values)
    for card in bundle.cards.values():
        assert "answers" not in card.client
        if card.type == CardType.QUIZ:
            for choice in card.payload["choices"]:
                assert choice["feedback"] not in card.client["html"]


def test_an_export_bundle_carries_the_answers(enrolment: Enrolment) -> None:
    exported = build_bundle(enrolment.path_version, include_answers=True)
    quiz = next(c for c in exported.cards.values() if c.type == CardType.QUIZ)
    assert quiz.client["answers"]["correct"]
    assert exported.data["answers_included"] is True


def test_the_card_endpoint_returns_the_card_and_my_progress(
    owner_client: Client, enrolment: Enrolment, bundle: Bundle, post_events: PostEvents
) -> None:
    key = bundle.order[1]
    post_events(owner_client, [event("card_viewed", key)])
    body = owner_client.get(f"/play/{CODE}/cards/{key}").json()
    assert body["card"]["key"] == key
    assert body["progress"]["seen"] is True
    assert body["next"] == bundle.order[2]
    assert body["previous"] == bundle.order[0]


def test_the_card_endpoint_needs_a_session(enrolment: Enrolment, bundle: Bundle) -> None:
    response = Client().get(f"/play/{CODE}/cards/{bundle.order[0]}")
    assert response.status_code == 401


def test_another_organisations_learner_cannot_reach_my_enrolment(
    tenancy: Any, enrolment: Enrolment, bundle: Bundle, post_events: PostEvents
) -> None:
    other = tenancy.client_for(tenancy.other)
    teammate = tenancy.client_for(tenancy.teammate)
    for client in (other, teammate):
        assert client.get(f"/play/{CODE}/cards/{bundle.order[0]}").status_code == 404
        assert client.get(f"/play/{CODE}/bundle.json").status_code == 404
        assert post_events(client, [event("card_viewed", bundle.order[0])]).status_code == 404
    assert not CardProgress.objects.exists()


def test_a_suspended_licence_refuses_the_player_and_records_nothing(
    owner_client: Client,
    enrolment: Enrolment,
    bundle: Bundle,
    licensed: Licence,
    post_events: PostEvents,
) -> None:
    suspend_licence(by=None, licence=licensed, reason="unpaid")
    page = owner_client.get(f"/play/{CODE}/")
    assert page.status_code == 403
    refused = post_events(owner_client, [event("card_viewed", bundle.order[0])])
    assert refused.status_code == 403
    assert refused.json()["reason"] == "licence_suspended"
    card = owner_client.get(f"/play/{CODE}/cards/{bundle.order[0]}")
    assert card.status_code == 403
    assert not CardProgress.objects.exists()
    assert not Statement.objects.exists()


def test_two_learners_of_two_organisations_keep_separate_progress(
    tenancy: Any, enrolment: Enrolment, bundle: Bundle, demo_path: Path, post_events: PostEvents
) -> None:
    enrol(tenancy.other, demo_path)
    post_events(tenancy.client_for(tenancy.other), [event("card_viewed", bundle.order[0])])
    assert CardProgress.objects.filter(enrolment=enrolment).count() == 0
    assert CardProgress.objects.get().organisation_id == tenancy.org_b.pk


def test_media_are_served_to_the_enrolled_learner_only(
    tenancy: Any, owner_client: Client, enrolment: Enrolment, bundle: Bundle
) -> None:
    url = next(url for c in bundle.cards.values() for url in c.client["media"])
    response = owner_client.get(url)
    assert response.status_code == 200
    assert "immutable" in response["Cache-Control"]
    assert tenancy.client_for(tenancy.other).get(url).status_code == 404


def test_the_service_worker_and_manifest_are_served(client: Client) -> None:
    worker = client.get("/play/sw.js")
    assert worker.status_code == 200
    assert worker["Service-Worker-Allowed"] == "/play/"
    assert b"player/player.js" in worker.content
    manifest = client.get("/play/manifest.webmanifest").json()
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
