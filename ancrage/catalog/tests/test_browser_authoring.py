"""An editor writes a new path in the studio, from nothing to a published version, in a real
Chromium: details, key behaviours, a module with a text card, a quiz and the final
action-plan prompt; a phone-width preview; submission and publication. Every studio page,
then the catalogue and the path page, pass axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from ancrage.accounts.models import PublisherRole
from ancrage.catalog.models import Card, PathVersion, VersionStatus
from ancrage.catalog.search.query import search_catalogue
from ancrage.catalog.tests.published import ANCHORS, theme
from ancrage.common.testing.browser import fr, go_via_navigation
from ancrage.tenancy.tests.factories import UserFactory

pytestmark = pytest.mark.browser


def save(page: Page, button: str) -> None:
    page.get_by_role("button", name=fr(button), exact=True).click()
    expect(page.locator(".form-errors")).to_have_count(0)


def add_card(page: Page, card_type: str) -> None:
    page.get_by_label(
        fr("Card type to add to “%(title)s”") % {"title": "Écouter vraiment"}
    ).select_option(card_type)
    page.get_by_role("button", name=fr("Add a card"), exact=True).click()


def add_key_behaviour(page: Page, code: str, statement: str) -> None:
    page.get_by_role("link", name=fr("Add a key behaviour")).click()
    page.get_by_label(fr("Code")).fill(code)
    page.get_by_label(fr("Observable behaviour")).fill(statement)
    for level, anchor in enumerate(ANCHORS, start=1):
        page.locator(f'[name="anchor_{level}"]').fill(anchor)
    save(page, "Save the key behaviour")


def test_an_editor_writes_previews_and_publishes_a_new_path(
    desktop_page, phone_page, axe_check, log_in
):
    editor = UserFactory(
        email="claire@editions.test", name="Claire", publisher_role=PublisherRole.EDITOR
    )
    theme("relations", "Relations et communication")
    page = desktop_page
    log_in(page, editor)

    page.goto(reverse("home"))
    go_via_navigation(page, "Studio", section="Publish")
    expect(page.get_by_role("heading", level=1, name=fr("Studio"))).to_be_visible()
    axe_check(page)

    # A new path: an empty draft, version 1.
    page.get_by_role("link", name=fr("New path")).click()
    axe_check(page)
    page.get_by_label(fr("Code")).fill("ECOUTE-EXPRESS")
    page.get_by_label(fr("Title")).fill("Écouter en cinq minutes")
    page.get_by_label(fr("Theme")).select_option(label="Relations et communication")
    page.get_by_label(fr("Language")).select_option("fr")
    page.get_by_label(fr("Publisher")).fill("Éditions Ancrage")
    save(page, "Create the path")
    expect(page.get_by_role("heading", level=1, name="Écouter en cinq minutes")).to_be_visible()
    axe_check(page)

    # Details: promise, skills, objectives.
    page.get_by_role("link", name=fr("Edit the details")).click()
    axe_check(page)
    page.get_by_label(fr("Summary")).fill("Cinq minutes pour écouter avant de répondre.")
    page.get_by_label(fr("Promised duration (minutes)")).fill("5")
    page.get_by_label(fr("Skills")).fill("écoute active, reformulation")
    page.get_by_label(fr("Objectives")).fill(
        "Reformuler avant de répondre.\nPoser une question ouverte."
    )
    save(page, "Save the details")

    # Two key behaviours, each with its five BARS anchors.
    add_key_behaviour(page, "reformule", "Reformule avant de donner son avis.")
    axe_check(page)
    add_key_behaviour(page, "questionne", "Pose une question ouverte.")

    # A module with a text card, a quiz and the final action-plan prompt.
    page.get_by_role("link", name=fr("Add a module")).click()
    axe_check(page)
    page.get_by_label(fr("Title")).fill("Écouter vraiment")
    page.get_by_label(fr("Estimated minutes")).fill("5")
    save(page, "Add the module")

    add_card(page, "text")
    axe_check(page)
    page.locator('[name="body"]').fill("Écouter, c'est **comprendre** avant de répondre.")
    save(page, "Add the card")

    add_card(page, "quiz")
    axe_check(page)
    page.locator('[name="question"]').fill("Quel geste montre que vous écoutez ?")
    page.locator('[name="choices-0-text"]').fill("Je prépare ma réponse.")
    page.locator('[name="choices-0-feedback"]').fill("Non : vous n'écoutez plus.")
    page.locator('[name="choices-1-text"]').fill("Je reformule.")
    page.locator('[name="choices-1-correct"]').check()
    page.locator('[name="choices-1-feedback"]').fill("Oui : vous vérifiez que vous avez compris.")
    save(page, "Add the card")

    add_card(page, "action_plan_prompt")
    page.locator('[name="key_behaviour"]').select_option("reformule")
    page.locator('[name="prompt"]').fill("Choisissez une réunion de la semaine prochaine.")
    page.locator('[name="example"]').fill("Mardi à 9 h 30, en réunion d'équipe, je reformule.")
    save(page, "Add the card")
    axe_check(page)

    version = PathVersion.objects.get(path__code="ECOUTE-EXPRESS")
    assert list(
        Card.objects.filter(module__version=version)
        .order_by("order")
        .values_list("type", flat=True)
    ) == [
        "text",
        "quiz",
        "action_plan_prompt",
    ]

    # The quiz previewed as a learner sees it, on a phone: 390 px wide, answer checked.
    quiz = Card.objects.get(module__version=version, type="quiz")
    phone = phone_page
    log_in(phone, editor)
    phone.goto(reverse("studio_card_preview", args=[quiz.pk]))
    frame = phone.get_by_test_id("preview-frame")
    box = frame.bounding_box()
    assert box is not None
    assert box["width"] <= 390
    phone.get_by_label("Je reformule.").check()
    phone.get_by_role("button", name=fr("Check my answer")).click()
    expect(
        phone.get_by_role("status").filter(has_text="vous vérifiez que vous avez compris")
    ).to_be_visible()
    axe_check(phone)

    # Review, then publication.
    page.get_by_role("button", name=fr("Submit for review"), exact=True).click()
    expect(page.locator(".status-in_review").first).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name=fr("Publish"), exact=True).click()
    expect(page.locator(".status-published").first).to_be_visible()
    expect(page.get_by_role("button", name=fr("New draft from this version"))).to_be_visible()
    axe_check(page)
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED
    assert version.published_by == editor
    assert [
        h.title for h in search_catalogue(query="reformuler", membership=None, everything=True)
    ][0] == ("Écouter en cinq minutes")

    # The catalogue now shows it, with its path page.
    go_via_navigation(page, "Catalogue", section="Publish")
    axe_check(page)
    page.get_by_role("searchbox", name=fr("Search the catalogue")).fill("écoute")
    page.get_by_role("button", name=fr("Search"), exact=True).click()
    page.get_by_role("link", name="Écouter en cinq minutes").click()
    expect(page.get_by_role("heading", level=1, name="Écouter en cinq minutes")).to_be_visible()
    expect(page.get_by_text("Reformule avant de donner son avis.")).to_be_visible()
    axe_check(page)
