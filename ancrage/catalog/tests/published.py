"""Build published paths and client licences through the real actions, for UI and search tests."""

from collections.abc import Iterable
from datetime import timedelta

from django.utils import timezone

from ancrage.accounts.models import User
from ancrage.catalog.actions import (
    add_card,
    add_module,
    create_path,
    publish_version,
    save_key_behaviour,
    save_theme,
    submit_for_review,
    update_version_details,
)
from ancrage.catalog.models import Path, PathVersion, Theme
from ancrage.licensing.actions import create_licence
from ancrage.licensing.models import Licence, Offer, OfferKind
from ancrage.tenancy.models import Organisation

ANCHORS = ["Jamais.", "Rarement.", "Parfois.", "Souvent.", "Toujours."]


def theme(code: str = "relations", title: str = "Relations et communication") -> Theme:
    return save_theme(code=code, title=title, by=None)


def draft_path(
    code: str,
    *,
    title: str,
    by: User | None = None,
    theme_code: str = "relations",
    language: str = "fr",
) -> PathVersion:
    return create_path(
        code=code,
        theme=theme(theme_code, theme_code.capitalize()),
        language=language,
        publisher="Éditions Test",
        title=title,
        by=by,
    )


def published_path(
    code: str,
    *,
    title: str,
    summary: str = "Un parcours court.",
    skills: Iterable[str] = ("communication",),
    memo_title: str = "Fiche mémo",
    memo_body: str = "Trois gestes simples.",
    text_body: str = "Un écran de texte.",
    level: str = "decouverte",
    promise_minutes: int = 5,
    theme_code: str = "relations",
    language: str = "fr",
    cover: str = "",
    image: str = "",
) -> PathVersion:
    """A complete path (one module: text, memo sheet, action plan), published by the system;
    `cover` and `image` are media sha256s for a cover and an image card."""
    version = draft_path(code, title=title, theme_code=theme_code, language=language)
    update_version_details(
        version=version,
        by=None,
        summary=summary,
        level=level,
        promise_minutes=promise_minutes,
        skills=list(skills),
        objectives=["Premier objectif.", "Second objectif."],
    )
    if cover:
        update_version_details(version=version, by=None, cover=cover, cover_alt="Couverture.")
    save_key_behaviour(version=version, code="agit", statement="Agit.", anchors=ANCHORS, by=None)
    save_key_behaviour(version=version, code="dit", statement="Dit.", anchors=ANCHORS, by=None)
    remaining, number = promise_minutes, 1
    while remaining > 10:  # a module lasts at most 10 minutes
        filler = add_module(version=version, title=f"Module {number}", est_minutes=10, by=None)
        add_card(module=filler, card_type="text", payload={"body": "Suite."}, by=None)
        remaining, number = remaining - 10, number + 1
    module = add_module(version=version, title="Le module", est_minutes=remaining, by=None)
    add_card(module=module, card_type="text", payload={"body": text_body}, by=None)
    if image:
        add_card(
            module=module, card_type="image", payload={"src": image, "alt": "Un schéma."}, by=None
        )
    add_card(
        module=module,
        card_type="memo_sheet",
        payload={"title": memo_title, "body": memo_body},
        by=None,
    )
    add_card(
        module=module,
        card_type="action_plan_prompt",
        payload={"key_behaviour": "agit", "prompt": "Quand ?"},
        by=None,
    )
    submit_for_review(version=version, by=None)
    return publish_version(version=version, by=None)


def licence(
    organisation: Organisation, *, paths: Iterable[Path] = (), whole_catalogue: bool = False
) -> Licence:
    """An active licence of a year: the whole catalogue, or these paths à la carte."""
    kind = OfferKind.INTEGRALE if whole_catalogue else OfferKind.A_LA_CARTE
    offer, _created = Offer.objects.get_or_create(
        code=kind.replace("_", "-"), defaults={"name": str(kind.label), "kind": kind}
    )
    today = timezone.localdate()
    return create_licence(
        by=None,
        organisation=organisation,
        offer=offer,
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=365),
        seats=10,
        paths=list(paths),
        activate=True,
    )
