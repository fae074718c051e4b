"""The whole LTI round trip over loopback HTTP against lti1p3platform: login initiation →
platform authentication → id_token launch → new-window sign-in → the learner completes the
path in the player → the AGS score arrives at the platform."""

import re
from typing import Any

import pytest
from django.utils import timezone

from ancrage.catalog.models import CardType
from ancrage.exports.lti13.jobs import publish_scores
from ancrage.exports.lti13.models import Context, Identity, ScoreLink
from ancrage.exports.lti13.tests.conftest import Browser
from ancrage.exports.lti13.tests.platform_server import Platform
from ancrage.player.bundle import Bundle, bundle_for
from ancrage.player.models import Enrolment, EnrolmentStatus
from ancrage.player.tests.conftest import CODE, event
from ancrage.tenancy.models import Role

pytestmark = pytest.mark.django_db(transaction=True)

NEW_WINDOW = re.compile(r'href="([^"]+)" target="_blank" rel="noopener" data-lti-window')


def _correct(bundle: Bundle, key: str) -> dict[str, Any]:
    card = bundle.cards[key]
    if card.type == CardType.QUIZ:
        return {"choices": [i for i, c in enumerate(card.payload["choices"]) if c["correct"]]}
    if card.type == CardType.SCENARIO:
        return {"choice": next(i for i, c in enumerate(card.payload["choices"]) if c["score"] == 2)}
    return {"text": "Je reformule avant de répondre."}


def _play_to_the_end(lms: Browser, base: str, enrolment: Enrolment) -> None:
    """What the player's island does: card views, then the quiz answers (real HTTP)."""
    bundle = bundle_for(enrolment.path_version_id, enrolment.path_version.content_hash)
    token = lms.session.cookies.get("csrftoken")
    headers = {"X-CSRFToken": token or "", "Referer": base}
    viewed = lms.session.post(
        f"{base}/play/{CODE}/events",
        json={"events": [event("card_viewed", key) for key in bundle.order]},
        headers=headers,
        timeout=10,
    )
    assert viewed.status_code == 200, viewed.text
    for key in bundle.order:
        if bundle.cards[key].type == CardType.QUIZ:
            answered = lms.session.post(
                f"{base}/play/{CODE}/answer",
                json=event("answered", key, response=_correct(bundle, key)),
                headers=headers,
                timeout=10,
            )
            assert answered.status_code == 200, answered.text


def test_a_launch_provisions_the_learner_and_the_completion_reaches_the_lms_gradebook(
    platform: Platform, registration: Any, licence: Any, lms: Browser, live_server: Any
) -> None:
    launched = lms.launch(platform)
    assert launched.status_code == 200, launched.text
    identity = Identity.objects.select_related("membership__user").get(sub="moodle-user-42")
    membership = identity.membership
    assert identity.issuer == platform.url
    assert membership.organisation_id == registration.organisation_id
    assert membership.role == Role.LEARNER
    assert membership.user.name == "Inès Moreau"
    enrolment = Enrolment.objects.get(membership=membership, path__code=CODE)
    assert Context.objects.get(registration=registration).memberships_url.endswith(
        "/courses/7/memberships"
    )
    link = ScoreLink.objects.get(membership=membership)
    assert link.lineitem_url == platform.lineitem_url

    # The iframe would not keep our cookie: the new window signs in with the one-time token.
    window = Browser()
    handover = NEW_WINDOW.search(launched.text)
    assert handover is not None
    opened = window.session.get(live_server.url + handover.group(1), timeout=10)
    assert opened.status_code == 200
    assert opened.url.endswith(f"/play/{CODE}/")
    again = Browser().session.get(live_server.url + handover.group(1), timeout=10)
    assert again.status_code == 400  # one-time

    _play_to_the_end(window, live_server.url, enrolment)
    enrolment.refresh_from_db()
    assert enrolment.status == EnrolmentStatus.COMPLETED

    assert publish_scores(timezone.now()) == "1 LTI score(s) queued"
    assert len(platform.scores) == 1
    score = platform.scores[0]
    assert score["userId"] == "moodle-user-42"
    assert score["scoreGiven"] == 100
    assert score["scoreMaximum"] == 100
    assert score["activityProgress"] == "Completed"
    assert score["gradingProgress"] == "FullyGraded"
    assert score["timestamp"]

    # Idempotent: nothing new to send, nothing sent twice.
    assert publish_scores(timezone.now()) == "0 LTI score(s) queued"
    assert len(platform.scores) == 1

    # The next launch of the same LMS user finds the same person (by issuer + sub).
    lms.launch(platform)
    assert Identity.objects.filter(sub="moodle-user-42").count() == 1
    assert Enrolment.objects.filter(path__code=CODE).count() == 1
