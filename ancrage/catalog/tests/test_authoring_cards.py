"""Modules, cards and key behaviours in the studio: generated forms, spec errors on the
right field, uploads checked, nothing half-written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from ancrage.accounts.models import User
from ancrage.catalog.actions import add_module, save_key_behaviour
from ancrage.catalog.cards import TYPE_SPECS
from ancrage.catalog.models import Card, KeyBehaviour, MediaAsset, Module, PathVersion
from ancrage.catalog.tests.packs import VTT, WEBM, png_bytes
from ancrage.catalog.tests.published import ANCHORS, draft_path
from ancrage.catalog.tests.studio import client_for, tags, unlabelled_controls

pytestmark = pytest.mark.django_db


@pytest.fixture
def version() -> PathVersion:
    return draft_path("ECOUTE", title="Écouter")


@pytest.fixture
def module(version: PathVersion) -> Module:
    return add_module(version=version, title="Écouter vraiment", est_minutes=5, by=None)


@pytest.fixture
def client(author: User) -> Client:
    return client_for(author)


def new_card_url(module: Module, card_type: str) -> str:
    return reverse("studio_card_new", args=[module.pk]) + f"?type={card_type}"


def quiz_data(**overrides: str) -> dict[str, str]:
    data = {
        "type": "quiz",
        "question": "Quel geste montre que vous écoutez ?",
        "choices-rows": "4",
        "choices-0-text": "Je prépare ma réponse.",
        "choices-0-feedback": "Non : vous n'écoutez plus.",
        "choices-1-text": "Je reformule.",
        "choices-1-correct": "on",
        "choices-1-feedback": "Oui.",
        "choices-2-text": "",
        "choices-2-feedback": "",
        "choices-3-text": "",
        "choices-3-feedback": "",
        "explanation": "",
        "est_seconds": "",
    }
    data.update(overrides)
    return data


def test_adding_and_editing_a_module(client: Client, version: PathVersion) -> None:
    response = client.post(
        reverse("studio_module_new", args=[version.pk]), {"title": "Écouter", "est_minutes": "5"}
    )
    module = Module.objects.get(version=version)
    assert response.status_code == 302
    assert module.slug == "ecouter"
    response = client.post(
        reverse("studio_module_edit", args=[module.pk]), {"title": "", "est_minutes": "0"}
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"title", "est_minutes"}
    client.post(
        reverse("studio_module_edit", args=[module.pk]),
        {"title": "Bien écouter", "est_minutes": "6"},
    )
    module.refresh_from_db()
    assert (module.title, module.est_minutes) == ("Bien écouter", 6)


@pytest.mark.parametrize("card_type", list(TYPE_SPECS))
def test_every_card_type_has_a_form_with_labelled_fields(
    client: Client, module: Module, card_type: str
) -> None:
    response = client.get(new_card_url(module, card_type))
    assert response.status_code == 200
    html = response.content.decode()
    assert unlabelled_controls(html) == []
    for name in TYPE_SPECS[card_type].fields:
        assert f'name="{name}' in html, name


def test_a_text_card_keeps_its_markdown_source(client: Client, module: Module) -> None:
    response = client.post(
        new_card_url(module, "text"),
        {
            "type": "text",
            "title": "Pourquoi ?",
            "body": "Écouter, c'est **comprendre**.",
            "est_seconds": "",
        },
    )
    assert response.status_code == 302
    card = Card.objects.get(module=module)
    assert card.payload == {"title": "Pourquoi ?", "body": "Écouter, c'est **comprendre**."}
    assert card.est_seconds == 45


def test_a_quiz_keeps_the_filled_rows_and_drops_the_empty_ones(
    client: Client, module: Module
) -> None:
    response = client.post(new_card_url(module, "quiz"), quiz_data())
    assert response.status_code == 302
    card = Card.objects.get(module=module)
    assert card.payload["choices"] == [
        {
            "text": "Je prépare ma réponse.",
            "correct": False,
            "feedback": "Non : vous n'écoutez plus.",
        },
        {"text": "Je reformule.", "correct": True, "feedback": "Oui."},
    ]
    assert card.payload["multiple"] is False


def test_add_a_choice_shows_one_more_row_and_saves_nothing(client: Client, module: Module) -> None:
    response = client.post(new_card_url(module, "quiz"), {**quiz_data(), "add_row": "choices"})
    assert response.status_code == 200
    assert Card.objects.count() == 0
    html = response.content.decode()
    assert 'name="choices-4-text"' in html
    assert "Je reformule." in html  # what was typed is kept
    assert response.context["form"].errors == {}


def test_a_quiz_without_a_right_answer_is_refused_on_the_choices(
    client: Client, module: Module
) -> None:
    response = client.post(new_card_url(module, "quiz"), quiz_data(**{"choices-1-correct": ""}))
    assert response.status_code == 400
    assert Card.objects.count() == 0
    html = response.content.decode()
    assert "a quiz needs at least one correct answer" in html


def test_a_missing_feedback_is_shown_on_its_own_row(client: Client, module: Module) -> None:
    data = quiz_data(
        **{
            "choices-0-text": "",
            "choices-0-feedback": "",
            "choices-3-text": "Je coupe.",
            "choices-3-feedback": "",
        }
    )
    response = client.post(new_card_url(module, "quiz"), data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "this field is required" in " ".join(form.errors["choices-3-feedback"])
    assert 'aria-invalid="true"' in response.content.decode()


def test_an_action_plan_prompt_chooses_among_the_key_behaviours(
    client: Client, version: PathVersion, module: Module
) -> None:
    save_key_behaviour(
        version=version, code="reformule", statement="Reformule.", anchors=ANCHORS, by=None
    )
    page = client.get(new_card_url(module, "action_plan_prompt")).content.decode()
    assert '<option value="reformule">' in page
    response = client.post(
        new_card_url(module, "action_plan_prompt"),
        {
            "type": "action_plan_prompt",
            "key_behaviour": "inconnu",
            "prompt": "Quand ?",
            "example": "",
        },
    )
    assert response.status_code == 400
    response = client.post(
        new_card_url(module, "action_plan_prompt"),
        {
            "type": "action_plan_prompt",
            "key_behaviour": "reformule",
            "prompt": "Quand ?",
            "example": "",
        },
    )
    assert response.status_code == 302
    assert Card.objects.get().payload == {"key_behaviour": "reformule", "prompt": "Quand ?"}


def test_an_image_card_with_an_upload(client: Client, module: Module) -> None:
    data = {"type": "image", "title": "", "src": "", "alt": "Trois colonnes.", "caption": ""}
    png = SimpleUploadedFile("schema.png", png_bytes(4, 3), "image/png")
    response = client.post(new_card_url(module, "image"), {**data, "src-upload": png})
    assert response.status_code == 302
    asset = MediaAsset.objects.get()
    assert Card.objects.get().payload == {"src": asset.sha256, "alt": "Trois colonnes."}


def test_a_fake_typed_upload_leaves_no_card_and_no_file(client: Client, module: Module) -> None:
    data = {"type": "image", "title": "", "src": "", "alt": "Trois colonnes.", "caption": ""}
    fake = SimpleUploadedFile("schema.png", b"GIF89a" + b"\x00" * 32, "image/png")
    response = client.post(new_card_url(module, "image"), {**data, "src-upload": fake})
    assert response.status_code == 400
    assert "GIF data" in " ".join(response.context["form"].errors["src-upload"])
    assert (Card.objects.count(), MediaAsset.objects.count()) == (0, 0)


def test_a_refused_card_does_not_keep_its_upload(client: Client, module: Module) -> None:
    # The video file is fine but the card lacks its transcript: all or nothing.
    data = {"type": "video", "title": "", "src": "", "url": "", "captions": "", "transcript": ""}
    files = {
        "src-upload": SimpleUploadedFile("intro.webm", WEBM, "video/webm"),
        "captions-upload": SimpleUploadedFile("intro.vtt", VTT, "text/vtt"),
    }
    response = client.post(new_card_url(module, "video"), {**data, **files})
    assert response.status_code == 400
    assert "transcript" in response.context["form"].errors
    assert (Card.objects.count(), MediaAsset.objects.count()) == (0, 0)


def test_an_oversized_video_is_refused_before_being_read(client: Client, module: Module) -> None:
    data = {
        "type": "video",
        "title": "",
        "src": "",
        "url": "",
        "captions": "",
        "transcript": "Texte.",
    }
    big = SimpleUploadedFile("intro.webm", WEBM + b"\x00" * (50 * 1024 * 1024), "video/webm")
    response = client.post(new_card_url(module, "video"), {**data, "src-upload": big})
    assert response.status_code == 400
    assert "may be at most 50.0 MB" in " ".join(response.context["form"].errors["src-upload"])
    assert MediaAsset.objects.count() == 0


def test_editing_moving_and_deleting_cards(client: Client, module: Module) -> None:
    for body in ("Un.", "Deux.", "Trois."):
        client.post(
            new_card_url(module, "text"),
            {"type": "text", "title": "", "body": body, "est_seconds": ""},
        )
    first, second, third = Card.objects.filter(module=module).order_by("order")
    response = client.post(
        reverse("studio_card_edit", args=[second.pk]),
        {"type": "text", "title": "", "body": "Deux, revu.", "est_seconds": "30"},
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert (second.payload["body"], second.est_seconds) == ("Deux, revu.", 30)
    client.post(reverse("studio_card_move", args=[third.pk]), {"direction": "up"})
    order = [c.payload["body"] for c in Card.objects.filter(module=module).order_by("order")]
    assert order == ["Un.", "Trois.", "Deux, revu."]
    assert client.get(reverse("studio_card_delete", args=[first.pk])).status_code == 200
    client.post(reverse("studio_card_delete", args=[first.pk]))
    assert [c.order for c in Card.objects.filter(module=module).order_by("order")] == [0, 1]


def test_a_card_moves_to_another_module(
    client: Client, version: PathVersion, module: Module
) -> None:
    other = add_module(version=version, title="Agir", est_minutes=5, by=None)
    client.post(
        new_card_url(module, "text"),
        {"type": "text", "title": "", "body": "Un.", "est_seconds": ""},
    )
    card = Card.objects.get()
    response = client.post(reverse("studio_card_move", args=[card.pk]), {"module": str(other.pk)})
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.module == other


def test_estimated_seconds_out_of_range_is_a_field_error(client: Client, module: Module) -> None:
    response = client.post(
        new_card_url(module, "text"),
        {"type": "text", "title": "", "body": "Un.", "est_seconds": "2"},
    )
    assert response.status_code == 400
    assert "est_seconds" in response.context["form"].errors


def test_key_behaviours_need_all_five_anchors(client: Client, version: PathVersion) -> None:
    url = reverse("studio_key_behaviour_new", args=[version.pk])
    assert unlabelled_controls(client.get(url).content.decode()) == []
    data = {"code": "reformule", "statement": "Reformule avant de répondre."}
    data.update({f"anchor_{i}": a for i, a in enumerate(ANCHORS, start=1)})
    response = client.post(url, {**data, "anchor_3": ""})
    assert response.status_code == 400
    assert "anchor_3" in response.context["form"].errors
    assert client.post(url, data).status_code == 302
    kb = KeyBehaviour.objects.get()
    assert kb.anchors == ANCHORS
    assert client.post(url, data).status_code == 400  # same code twice
    edit = client.post(
        reverse("studio_key_behaviour_edit", args=[kb.pk]),
        {**data, "code": "autre", "statement": "Reformule."},
    )
    assert edit.status_code == 302
    kb.refresh_from_db()
    assert (kb.code, kb.statement) == ("reformule", "Reformule.")  # the code is locked
    client.post(reverse("studio_key_behaviour_delete", args=[kb.pk]))
    assert KeyBehaviour.objects.count() == 0


def test_markdown_with_script_is_stored_as_source_and_previewed_inert(
    client: Client, module: Module
) -> None:
    payload = '<script>alert(1)</script> <img src=x onerror="alert(2)"> [lien](javascript:alert(3)) **ok**'
    client.post(
        new_card_url(module, "text"),
        {"type": "text", "title": "", "body": payload, "est_seconds": ""},
    )
    card = Card.objects.get()
    assert card.payload["body"] == payload
    html = client.get(reverse("studio_card_preview", args=[card.pk])).content.decode()
    preview = html[html.index('data-testid="preview-frame"') :]
    preview = preview[: preview.index("</article>")]
    assert "<strong>ok</strong>" in preview
    for tag, attributes in tags(preview):
        assert tag not in ("script", "img", "iframe"), preview
        assert not any(name.startswith("on") for name in attributes), preview
        assert "javascript:" not in str(attributes.get("href", "")), preview


def test_the_delete_confirmation_is_one_sentence_with_the_right_plural(
    client: Client, module: Module
) -> None:
    client.post(
        new_card_url(module, "text"),
        {"type": "text", "title": "", "body": "Un.", "est_seconds": ""},
    )
    card = Card.objects.get()
    page = client.get(reverse("studio_module_delete", args=[module.pk]))
    assert page.context["warning"] == (
        f"You are about to delete the module “{module.title}” and its 1 card. "
        "This cannot be undone in this draft."
    )
    card_page = client.get(reverse("studio_card_delete", args=[card.pk]))
    assert card_page.context["warning"].startswith("You are about to delete card 1 (")
