"""A card ready for a template, as a learner sees it: Markdown rendered safely, media resolved.

Templates `catalog/cards/<type>.html` render one `CardView` (`{% include
"catalog/cards/card.html" with view=… %}` picks the type); the studio preview, the memo-sheet
pages and, later, the player share them. Answers are not collected here: quiz and scenario
templates show their choices as inputs named `answer`, for the page around them to submit.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString

from ancrage.catalog.cards import (
    QuizOutcome,
    ScenarioOutcome,
    markdown_fields,
    media_fields,
    score_quiz,
    score_scenario,
)
from ancrage.catalog.markdown import render_markdown
from ancrage.catalog.models import Card, CardType, KeyBehaviour, MediaAsset
from ancrage.catalog.queries import media_assets


@dataclass
class CardView:
    card: Card
    fields: dict[str, Any]
    html: dict[str, SafeString] = field(default_factory=dict)
    assets: dict[str, MediaAsset] = field(default_factory=dict)
    key_behaviour: KeyBehaviour | None = None
    quiz: QuizOutcome | None = None
    scenario: ScenarioOutcome | None = None
    selected: frozenset[int] = frozenset()

    @property
    def type(self) -> str:
        return self.card.type

    @property
    def template(self) -> str:
        return f"catalog/cards/{self.card.type}.html"

    @property
    def choices(self) -> list[dict[str, Any]]:
        """Quiz/scenario choices with their index and whether the person picked them."""
        return [
            {**choice, "index": i, "selected": i in self.selected}
            for i, choice in enumerate(self.fields.get("choices") or [])
        ]


def card_views(
    cards: Sequence[Card],
    *,
    key_behaviours: Iterable[KeyBehaviour] = (),
    heading_offset: int = 2,
) -> list[CardView]:
    """Views of these cards (one query for all their media)."""
    shas = {
        card.payload[name]
        for card in cards
        for name in media_fields(card.type)
        if card.payload.get(name)
    }
    assets = media_assets(shas)
    behaviours = {kb.code: kb for kb in key_behaviours}
    views = []
    for card in cards:
        payload = dict(card.payload)
        views.append(
            CardView(
                card=card,
                fields=payload,
                html={
                    name: render_markdown(payload.get(name, ""), heading_offset=heading_offset)
                    for name in markdown_fields(card.type)
                },
                assets={
                    name: assets[payload[name]]
                    for name in media_fields(card.type)
                    if payload.get(name) in assets
                },
                key_behaviour=behaviours.get(str(payload.get("key_behaviour", ""))),
            )
        )
    return views


def answer(view: CardView, selected: Iterable[str]) -> str:
    """Score the answer given for a quiz or scenario (the preview's "Check my answer").

    Returns "" when the answer was scored (see `view.quiz` / `view.scenario`), or a reason
    to show when it cannot be: nothing chosen, or an answer that is not one of the choices.
    """
    try:
        picked = frozenset(int(value) for value in selected if value.strip())
    except ValueError:
        return "invalid"
    if not picked:
        return "empty"
    try:
        if view.type == CardType.QUIZ:
            view.quiz = score_quiz(view.fields, picked)
        elif view.type == CardType.SCENARIO:
            if len(picked) != 1:
                return "invalid"
            view.scenario = score_scenario(view.fields, next(iter(picked)))
    except ValueError:
        return "invalid"
    view.selected = picked
    return ""
