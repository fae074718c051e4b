"""Publishing freezes a version: no code path can change a version that left the draft state."""

from pathlib import Path

import pytest

from ancrage.catalog.actions import (
    add_card,
    add_module,
    create_draft,
    delete_card,
    publish_version,
    replace_content,
    save_key_behaviour,
    submit_for_review,
    update_card,
    update_version_details,
)
from ancrage.catalog.content import content_of
from ancrage.catalog.errors import FrozenVersionError
from ancrage.catalog.models import Card, KeyBehaviour, Module, PathVersion, VersionStatus
from ancrage.catalog.packs.importer import import_pack

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(params=["in_review", "published", "retired"])
def frozen(request: pytest.FixtureRequest, pack: Path) -> PathVersion:
    import_pack(pack)
    version = submit_for_review(version=PathVersion.objects.get(), by=None)
    if request.param in ("published", "retired"):
        version = publish_version(version=version, by=None)
    if request.param == "retired":
        version = publish_version(
            version=submit_for_review(version=create_draft(path=version.path, by=None), by=None),
            by=None,
        )
        version = PathVersion.objects.get(number=1)
    assert version.status == request.param
    return version


def test_the_versions_own_fields_are_frozen(frozen: PathVersion) -> None:
    frozen.title = "Autre titre"
    with pytest.raises(FrozenVersionError):
        frozen.save()
    with pytest.raises(FrozenVersionError):
        PathVersion.objects.filter(pk=frozen.pk).update(title="Autre titre")
    frozen.refresh_from_db()
    assert frozen.title == "Écouter pour de vrai"


def test_modules_cards_and_key_behaviours_are_frozen(frozen: PathVersion) -> None:
    before = content_of(frozen)
    module = frozen.modules.first()
    card = Card.objects.filter(module__version=frozen).first()
    kb = frozen.key_behaviours.first()
    assert module
    assert card
    assert kb
    module.title = "Changé"
    card.payload = {"body": "changé"}
    kb.statement = "Changé"
    for obj in (module, card, kb):
        with pytest.raises(FrozenVersionError):
            obj.save()
        with pytest.raises(FrozenVersionError):
            obj.delete()
    with pytest.raises(FrozenVersionError):
        Card.objects.filter(module__version=frozen).update(payload={})
    with pytest.raises(FrozenVersionError):
        Card.objects.filter(module__version=frozen).delete()
    with pytest.raises(FrozenVersionError):
        Module.objects.filter(version=frozen).update(title="x")
    with pytest.raises(FrozenVersionError):
        KeyBehaviour.objects.filter(version=frozen).delete()
    with pytest.raises(FrozenVersionError):
        Module.objects.bulk_create(
            [Module(version=frozen, order=9, slug="extra", title="x", est_minutes=1)]
        )
    with pytest.raises(FrozenVersionError):
        Card.objects.bulk_create(
            [Card(module=module, order=9, type="text", payload={"body": "x"}, est_seconds=5)]
        )
    with pytest.raises(FrozenVersionError):
        Card.objects.create(
            module=module, order=9, type="text", payload={"body": "x"}, est_seconds=5
        )
    assert content_of(PathVersion.objects.get(pk=frozen.pk)) == before


def test_every_editing_action_refuses_a_frozen_version(frozen: PathVersion) -> None:
    module = frozen.modules.first()
    card = Card.objects.filter(module__version=frozen, type="text").first()
    assert module
    assert card
    attempts = [
        lambda: update_version_details(version=frozen, title="x", by=None),
        lambda: add_module(version=frozen, title="x", est_minutes=3, by=None),
        lambda: add_card(module=module, card_type="text", payload={"body": "x"}, by=None),
        lambda: update_card(card=card, payload={"body": "x"}, by=None),
        lambda: delete_card(card=card, by=None),
        lambda: save_key_behaviour(
            version=frozen, code="x", statement="x", anchors=["a"] * 5, by=None
        ),
        lambda: replace_content(version=frozen, content=content_of(frozen), by=None),
    ]
    for attempt in attempts:
        with pytest.raises(FrozenVersionError):
            attempt()


def test_a_version_pinned_by_id_keeps_rendering_the_same_cards(pack: Path) -> None:
    import_pack(pack, publish=True)
    pinned = PathVersion.objects.get()  # an enrolment keeps this id
    shown = [
        (c.type, c.payload)
        for c in Card.objects.filter(module__version_id=pinned.pk).order_by(
            "module__order", "order"
        )
    ]
    draft = create_draft(path=pinned.path, by=None)
    text_card = Card.objects.filter(module__version=draft, type="text").get()
    update_card(card=text_card, payload={"body": "Tout autre chose."}, by=None)
    publish_version(version=submit_for_review(version=draft, by=None), by=None)
    again = [
        (c.type, c.payload)
        for c in Card.objects.filter(module__version_id=pinned.pk).order_by(
            "module__order", "order"
        )
    ]
    assert again == shown
    assert PathVersion.objects.get(pk=pinned.pk).status == VersionStatus.RETIRED
    assert Card.objects.filter(module__version=draft, type="text").get().payload == {
        "body": "Tout autre chose."
    }
