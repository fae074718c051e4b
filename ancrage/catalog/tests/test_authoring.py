"""Editing a draft piece by piece, as the authoring UI will: same rules as packs, hash kept true."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from ancrage.accounts.models import User
from ancrage.catalog.actions import (
    add_card,
    add_module,
    create_path,
    delete_card,
    delete_module,
    move_card,
    move_module,
    save_key_behaviour,
    save_theme,
    store_media,
    store_upload,
    submit_for_review,
    update_card,
    update_module,
    update_version_details,
)
from ancrage.catalog.content import content_hash, content_of
from ancrage.catalog.errors import InvalidContent, MediaError
from ancrage.catalog.models import Card, PathVersion, VersionStatus
from ancrage.catalog.queries import access_version_for_author
from ancrage.catalog.tests.packs import SVG, VTT, WEBM, png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ANCHORS = ["Jamais.", "Rarement.", "Parfois.", "Souvent.", "Toujours."]


@pytest.fixture
def version(author: User) -> PathVersion:
    theme = save_theme(code="relations", title="Relations", by=author)
    return create_path(
        code="NEUF", theme=theme, language="fr", publisher="Éd.", title="Neuf", by=author
    )


def assert_hash_is_true(version: PathVersion) -> None:
    version.refresh_from_db()
    assert version.content_hash == content_hash(content_of(version))


def test_a_path_written_in_the_ui_can_be_submitted(version: PathVersion, author: User) -> None:
    cover = store_media(data=SVG, filename="cover.svg", by=author)
    update_version_details(
        version=version,
        by=author,
        summary="Un résumé.",
        promise_minutes=5,
        objectives=["Un.", "Deux."],
        cover=cover.sha256,
        cover_alt="Une image.",
    )
    save_key_behaviour(
        version=version, code="reformule", statement="Reformule.", anchors=ANCHORS, by=author
    )
    save_key_behaviour(
        version=version, code="questionne", statement="Questionne.", anchors=ANCHORS, by=author
    )
    module = add_module(version=version, title="Écouter vraiment", est_minutes=5, by=author)
    assert module.slug == "ecouter-vraiment"
    add_card(module=module, card_type="text", payload={"body": "Bonjour **tous**."}, by=author)
    add_card(
        module=module,
        card_type="action_plan_prompt",
        payload={"key_behaviour": "reformule", "prompt": "Quand ?"},
        by=author,
    )
    assert_hash_is_true(version)
    submitted = submit_for_review(version=version, by=author)
    assert submitted.status == VersionStatus.IN_REVIEW


def test_cards_are_validated_like_in_a_pack(version: PathVersion, author: User) -> None:
    module = add_module(version=version, title="M", est_minutes=5, by=author)
    with pytest.raises(InvalidContent) as caught:
        add_card(
            module=module,
            card_type="quiz",
            payload={
                "question": "?",
                "choices": [{"text": "a", "feedback": "f"}, {"text": "b", "feedback": "f"}],
                "explantion": "x",
            },
            by=author,
        )
    assert [str(i) for i in caught.value.issues] == [
        "explantion: unknown field “explantion”; did you mean “explanation”?"
    ]
    with pytest.raises(InvalidContent) as caught:
        add_card(module=module, card_type="image", payload={"src": "0" * 64, "alt": "x"}, by=author)
    assert [str(i) for i in caught.value.issues] == ["src: unknown media file; upload it first"]
    with pytest.raises(InvalidContent, match="unknown card type"):
        add_card(module=module, card_type="poll", payload={}, by=author)
    assert not Card.objects.exists()


def test_media_fields_take_uploaded_assets_of_the_right_kind(
    version: PathVersion, author: User
) -> None:
    module = add_module(version=version, title="M", est_minutes=5, by=author)
    image = store_media(data=png_bytes(), filename="photo.png", by=author)
    webm = store_media(data=WEBM, filename="intro.webm", by=author)
    vtt = store_media(data=VTT, filename="intro.vtt", by=author)
    add_card(
        module=module,
        card_type="image",
        payload={"src": image.sha256, "alt": "Une photo."},
        by=author,
    )
    card = add_card(
        module=module,
        card_type="video",
        payload={"src": webm.sha256, "captions": vtt.sha256, "transcript": "Texte."},
        by=author,
    )
    assert card.payload["captions"] == vtt.sha256
    with pytest.raises(InvalidContent, match="wrong kind"):
        update_card(
            card=card,
            payload={"src": webm.sha256, "captions": image.sha256, "transcript": "T"},
            by=author,
        )
    with pytest.raises(InvalidContent, match="either a file"):
        update_card(
            card=card,
            payload={
                "src": webm.sha256,
                "url": "https://video.example/x",
                "captions": vtt.sha256,
                "transcript": "T",
            },
            by=author,
        )


def test_store_media_keeps_one_copy_per_content_and_refuses_fake_types(author: User) -> None:
    first = store_media(data=png_bytes(), filename="a.png", by=author)
    second = store_media(data=png_bytes(), filename="b.png", by=author)
    assert first.pk == second.pk
    with pytest.raises(MediaError, match="not a supported media file"):
        store_media(data=b"<?php echo 1; ?>", filename="shell.png", by=author)
    with pytest.raises(MediaError, match="contains PNG data; its name must end in .png"):
        store_media(data=png_bytes(), filename="photo.gif", by=author)


def test_cards_and_modules_move_and_are_deleted_with_orders_kept_dense(
    version: PathVersion, author: User
) -> None:
    one = add_module(version=version, title="Un", est_minutes=3, by=author)
    two = add_module(version=version, title="Deux", est_minutes=3, by=author)
    a = add_card(module=one, card_type="flashcard", payload={"front": "A", "back": "a"}, by=author)
    b = add_card(module=one, card_type="flashcard", payload={"front": "B", "back": "b"}, by=author)
    c = add_card(
        module=one,
        card_type="flashcard",
        payload={"front": "C", "back": "c"},
        by=author,
        position=0,
    )

    def fronts(module: object) -> list[str]:
        return [
            card.payload["front"] for card in Card.objects.filter(module=module).order_by("order")
        ]

    assert fronts(one) == ["C", "A", "B"]
    move_card(card=c, position=2, by=author)
    assert fronts(one) == ["A", "B", "C"]
    move_card(card=a, position=0, module=two, by=author)
    assert (fronts(one), fronts(two)) == (["B", "C"], ["A"])
    delete_card(card=b, by=author)
    assert list(Card.objects.filter(module=one).values_list("order", flat=True)) == [0]
    move_module(module=two, position=0, by=author)
    assert list(version.modules.order_by("order").values_list("title", flat=True)) == ["Deux", "Un"]
    update_module(module=one, title="Un bis", est_minutes=4, by=author)
    delete_module(module=two, by=author)
    assert list(version.modules.values_list("title", "order")) == [("Un bis", 0)]
    assert_hash_is_true(version)


def test_version_details_are_validated(version: PathVersion, author: User) -> None:
    with pytest.raises(InvalidContent) as caught:
        update_version_details(version=version, level="débutant", promise_minutes=0, by=author)
    assert [i.loc for i in caught.value.issues] == [("level",), ("promise_minutes",)]
    cover = store_media(data=SVG, filename="c.svg", by=author)
    with pytest.raises(InvalidContent, match="text alternative"):
        update_version_details(version=version, cover=cover.sha256, by=author)
    version.refresh_from_db()
    assert version.cover is None


def test_key_behaviours_need_five_anchors(version: PathVersion, author: User) -> None:
    with pytest.raises(InvalidContent, match="missing: 5"):
        save_key_behaviour(
            version=version, code="x", statement="X.", anchors=ANCHORS[:4], by=author
        )
    kb = save_key_behaviour(version=version, code="x", statement="X.", anchors=ANCHORS, by=author)
    again = save_key_behaviour(
        version=version, code="x", statement="Y.", anchors=ANCHORS, by=author
    )
    assert kb.pk == again.pk
    assert again.statement == "Y."


def test_an_upload_is_stored_after_the_same_checks_as_a_pack_file(author: User) -> None:
    upload = SimpleUploadedFile("Schéma final.png", png_bytes(), content_type="image/png")
    asset = store_upload(upload=upload, by=author, kinds=frozenset({"image"}))
    assert (asset.kind, asset.original_name) == ("image", "Schéma final.png")
    fake = SimpleUploadedFile("cv.png", b"%PDF-1.4 not a picture", content_type="image/png")
    with pytest.raises(MediaError, match="not a supported media file"):
        store_upload(upload=fake, by=author)
    wrong_kind = SimpleUploadedFile("intro.vtt", VTT, content_type="text/vtt")
    with pytest.raises(MediaError, match="expected: image"):
        store_upload(upload=wrong_kind, by=author, kinds=frozenset({"image"}))


def test_only_publisher_staff_reach_a_version_for_authoring(
    version: PathVersion, author: User, tenancy
) -> None:  # type: ignore[no-untyped-def]
    assert access_version_for_author(author, version.pk) == version
    assert access_version_for_author(author, str(version.pk)) == version
    for outsider in (tenancy.ld_lead.user, tenancy.admin.user, tenancy.other_ld_lead.user):
        with pytest.raises(Http404):
            access_version_for_author(outsider, version.pk)
    with pytest.raises(Http404):
        access_version_for_author(author, "not-a-uuid")
    with pytest.raises(Http404):
        access_version_for_author(author, "00000000-0000-0000-0000-000000000000")


def test_path_and_theme_codes_follow_the_pack_rules(author: User) -> None:
    with pytest.raises(InvalidContent, match="lower-case letters"):
        save_theme(code="Relations Humaines", title="Relations", by=author)
    theme = save_theme(code="relations", title="Relations", by=author)
    with pytest.raises(InvalidContent) as caught:
        create_path(
            code="écoute active", theme=theme, language="de", publisher="Éd.", title="", by=author
        )
    assert [i.loc for i in caught.value.issues] == [("code",), ("language",), ("title",)]
