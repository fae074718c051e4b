"""The JSON content bundle of a path version: what every host's player renders.

One bundle per (version, content hash, language): modules in order, cards with their HTML
already rendered (Markdown sanitised by catalog.markdown, media as player URLs) and, for
interactive cards, the data the client needs to ask the question. Published versions are
frozen, so a bundle never goes stale; the process keeps the most recent ones in memory
(`bundle_for`), keyed by version id *and* content hash, so an equal key means equal content.

Answers: the web host checks answers on the server (`catalog.cards.score_quiz` /
`score_scenario`), so by default the bundle carries no correct flag, score or feedback.
Exported packages (SCORM, cmi5…) run offline and need them: `include_answers=True`.

Card keys are `<module slug>.<n>` (n from 1): see player.models.
"""

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator

from ancrage.catalog.cards import markdown_fields, media_fields
from ancrage.catalog.markdown import render_markdown
from ancrage.catalog.models import CardType, PathVersion
from ancrage.catalog.queries import media_assets, version_with_content

BUNDLE_FORMAT = "ancrage.bundle/1"
# A module's quizzes are mastered when the mean of their best scores reaches this.
MASTERY = 0.8
PLACEMENT_MIN, PLACEMENT_MAX = 3, 5
INTERACTIVE = {
    CardType.QUIZ: "choice",
    CardType.SCENARIO: "choice",
    CardType.REFLECTION_PROMPT: "text",
    CardType.ACTION_PLAN_PROMPT: "text",
}


@dataclass(frozen=True)
class BundleCard:
    key: str
    module: str
    index: int  # position in the whole path, from 0
    type: str
    title: str
    est_seconds: int
    payload: dict[str, Any]  # the stored payload (with answers): server-side scoring only
    client: dict[str, Any]  # what a host's player receives
    client_json: bytes  # `client`, serialised once


@dataclass(frozen=True)
class BundleModule:
    slug: str
    title: str
    est_minutes: int
    keys: tuple[str, ...]
    has_action_plan: bool


@dataclass(frozen=True)
class Bundle:
    version_id: str
    content_hash: str
    code: str
    title: str
    number: int
    language: str
    modules: tuple[BundleModule, ...]
    cards: dict[str, BundleCard]
    order: tuple[str, ...]
    placement: tuple[str, ...]  # the quiz cards of the short check (empty: no check)
    data: dict[str, Any] = field(repr=False)  # the whole bundle as JSON-ready data
    json: bytes = field(repr=False)

    def card(self, key: str) -> BundleCard | None:
        return self.cards.get(key)

    def module(self, slug: str) -> BundleModule | None:
        return next((m for m in self.modules if m.slug == slug), None)

    def next_key(self, key: str) -> str | None:
        card = self.cards.get(key)
        if card is None or card.index + 1 >= len(self.order):
            return None
        return self.order[card.index + 1]

    def previous_key(self, key: str) -> str | None:
        card = self.cards.get(key)
        if card is None or card.index == 0:
            return None
        return self.order[card.index - 1]


def card_title(card_type: str, payload: dict[str, Any]) -> str:
    """A short title for any card: its own, or the first words of what it asks."""
    for name in ("title", "question", "front", "prompt"):
        if payload.get(name):
            return Truncator(str(payload[name])).chars(90)
    return str(CardType(card_type).label)


def _media_url(code: str, sha: str, assets: dict[str, Any]) -> str:
    asset = assets.get(sha)
    extension = asset.extension if asset is not None else "bin"
    return reverse("player_media", kwargs={"code": code, "name": f"{sha}.{extension}"})


def _render_card(
    code: str,
    language: str,
    card: Any,
    key: str,
    index: int,
    assets: dict[str, Any],
    include_answers: bool,
) -> tuple[dict[str, Any], str]:
    payload: dict[str, Any] = dict(card.payload)
    view: dict[str, Any] = dict(payload)
    for name in markdown_fields(card.type):
        view[name] = render_markdown(str(payload.get(name, "")))
    media: list[str] = []
    for name in media_fields(card.type):
        if payload.get(name):
            view[name] = _media_url(code, str(payload[name]), assets)
            media.append(view[name])
    title = card_title(card.type, payload)
    dom_id = f"c{index}"
    html = render_to_string(
        f"player/cards/{card.type}.html",
        {
            "card": view,
            "key": key,
            "dom_id": dom_id,
            "title": title,
            "type": card.type,
            "language": language,
        },
    ).strip()
    client: dict[str, Any] = {
        "key": key,
        "type": card.type,
        "title": title,
        "est_seconds": card.est_seconds,
        "html": html,
        "media": media,
        "interaction": INTERACTIVE.get(card.type, ""),
    }
    if card.type == CardType.QUIZ:
        client["multiple"] = bool(payload.get("multiple"))
        client["choices"] = [c["text"] for c in payload["choices"]]
    elif card.type == CardType.SCENARIO:
        client["choices"] = [c["text"] for c in payload["choices"]]
    if include_answers and card.type == CardType.QUIZ:
        client["answers"] = {
            "correct": [i for i, c in enumerate(payload["choices"]) if c["correct"]],
            "feedback": [c["feedback"] for c in payload["choices"]],
            "explanation": payload.get("explanation", ""),
        }
    elif include_answers and card.type == CardType.SCENARIO:
        client["answers"] = {
            "scores": [int(c["score"]) for c in payload["choices"]],
            "consequences": [c["consequence"] for c in payload["choices"]],
        }
    return client, title


def build_bundle(version: PathVersion, *, include_answers: bool = False) -> Bundle:
    """Build the bundle of `version` (4 queries) in the active language's UI strings."""
    version = version_with_content(version.pk)
    code = version.path.code
    modules = list(version.modules.all())
    shas = {
        str(card.payload[name])
        for module in modules
        for card in module.cards.all()
        for name in media_fields(card.type)
        if card.payload.get(name)
    }
    assets = media_assets(shas)
    cards: dict[str, BundleCard] = {}
    order: list[str] = []
    bundle_modules: list[BundleModule] = []
    for module in modules:
        keys: list[str] = []
        for card in module.cards.all():
            key = f"{module.slug}.{card.order + 1}"
            client, title = _render_card(
                code, version.path.language, card, key, len(order), assets, include_answers
            )
            client["module"] = module.slug
            cards[key] = BundleCard(
                key=key,
                module=module.slug,
                index=len(order),
                type=card.type,
                title=title,
                est_seconds=card.est_seconds,
                payload=dict(card.payload),
                client=client,
                client_json=json.dumps(client, ensure_ascii=False).encode(),
            )
            order.append(key)
            keys.append(key)
        bundle_modules.append(
            BundleModule(
                slug=module.slug,
                title=module.title,
                est_minutes=module.est_minutes,
                keys=tuple(keys),
                has_action_plan=any(cards[k].type == CardType.ACTION_PLAN_PROMPT for k in keys),
            )
        )
    placement = _placement_keys(bundle_modules, cards)
    data: dict[str, Any] = {
        "format": BUNDLE_FORMAT,
        "path": {
            "code": code,
            "title": version.title,
            "language": version.path.language,
            "version": version.number,
            "version_id": str(version.pk),
            "content_hash": version.content_hash,
            "promise_minutes": version.promise_minutes,
        },
        "mastery": MASTERY,
        "answers_included": include_answers,
        "modules": [
            {"slug": m.slug, "title": m.title, "est_minutes": m.est_minutes, "cards": list(m.keys)}
            for m in bundle_modules
        ],
        "cards": [cards[key].client for key in order],
        "placement": list(placement),
    }
    return Bundle(
        version_id=str(version.pk),
        content_hash=version.content_hash,
        code=code,
        title=version.title,
        number=version.number,
        language=version.path.language,
        modules=tuple(bundle_modules),
        cards=cards,
        order=tuple(order),
        placement=placement,
        data=data,
        json=json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
    )


def _placement_keys(modules: list[BundleModule], cards: dict[str, BundleCard]) -> tuple[str, ...]:
    """The first quiz of each module, except the module that holds the action plan (never
    skipped: every path ends on it). Fewer than three such quizzes: no check."""
    keys = []
    for module in modules:
        if module.has_action_plan:
            continue
        first = next((k for k in module.keys if cards[k].type == CardType.QUIZ), None)
        if first is not None:
            keys.append(first)
    if len(keys) < PLACEMENT_MIN:
        return ()
    return tuple(keys[:PLACEMENT_MAX])


_CACHE: "OrderedDict[tuple[str, str, str, bool], Bundle]" = OrderedDict()
_CACHE_SIZE = 64
_LOCK = threading.Lock()


def bundle_for(
    version_id: Any, content_hash: str, *, include_answers: bool = False, language: str = ""
) -> Bundle:
    """The cached bundle of a version (built on first use in this process, no query after),
    in `language` (default: the active language)."""
    language = language or translation.get_language() or "fr"
    key = (str(version_id), content_hash, language, include_answers)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    version = PathVersion.objects.get(pk=version_id)
    with translation.override(language):
        built = build_bundle(version, include_answers=include_answers)
    with _LOCK:
        _CACHE[key] = built
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return built


def plain_text(html: str) -> str:
    return " ".join(strip_tags(html).split())
