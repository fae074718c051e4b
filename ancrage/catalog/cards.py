"""Card types: the one place that says which fields each type has and what they must hold.

Used by the pack validator (payloads read from YAML, media named by file) and by the
authoring UI (payloads from forms, media named by sha256): both call `CARD` /
`validate_card()` with their own MediaResolver, so a card is valid in one place iff it is
valid in the other.

A stored payload holds the type's fields only — `type` and `est_seconds` are Card columns —
with Markdown kept as source (rendered safely by catalog.markdown) and media fields holding
the sha256 of a MediaAsset. Also here: scoring of quiz and scenario answers.
"""

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ancrage.catalog.content import CardContent, VersionContent
from ancrage.catalog.errors import InvalidContent
from ancrage.catalog.models import SLUG_PATTERN, CardType, MediaKind
from ancrage.catalog.schema import (
    INVALID,
    Bool,
    Context,
    Int,
    Issue,
    ListOf,
    Loc,
    Media,
    MediaResolver,
    OneOf,
    Record,
    Spec,
    Text,
    Url,
    clean,
    describe,
)

MIN_CARD_SECONDS = 5
MAX_CARD_SECONDS = 1800


def _title(required: bool = False) -> Text:
    return Text(max_length=200, required=required)


def _markdown(max_length: int = 8000) -> Text:
    return Text(max_length=max_length, markdown=True)


def _one_video_source(data: dict[str, Any], loc: Loc, issues: list[Issue]) -> None:
    if ("src" in data) == ("url" in data):
        issues.append(
            Issue((*loc, "src"), _("a video needs either a file (src) or a URL (url), not both"))
        )


def _quiz_answers(data: dict[str, Any], loc: Loc, issues: list[Issue]) -> None:
    correct = sum(1 for choice in data["choices"] if choice["correct"])
    if correct == 0:
        issues.append(Issue((*loc, "choices"), _("a quiz needs at least one correct answer")))
    elif correct > 1 and not data["multiple"]:
        issues.append(
            Issue(
                (*loc, "choices"),
                _(
                    "a single-choice quiz has exactly one correct answer (%(n)d marked); set multiple: true or keep one"
                )
                % {"n": correct},
            )
        )


def _scenario_best(data: dict[str, Any], loc: Loc, issues: list[Issue]) -> None:
    if not any(choice["score"] == 2 for choice in data["choices"]):
        issues.append(
            Issue((*loc, "choices"), _("a scenario needs at least one best choice (score: 2)"))
        )


TYPE_SPECS: dict[str, Record] = {
    CardType.TEXT: Record({"title": _title(), "body": _markdown()}),
    CardType.IMAGE: Record(
        {
            "title": _title(),
            "src": Media((MediaKind.IMAGE,)),
            "alt": Text(max_length=1000),
            "caption": Text(max_length=500, required=False),
        }
    ),
    CardType.VIDEO: Record(
        {
            "title": _title(),
            "src": Media((MediaKind.VIDEO,), required=False),
            "url": Url(required=False),
            "captions": Media((MediaKind.CAPTIONS,)),
            "transcript": _markdown(20000),
        },
        rules=(_one_video_source,),
    ),
    CardType.MEMO_SHEET: Record({"title": _title(required=True), "body": _markdown()}),
    CardType.QUIZ: Record(
        {
            "question": Text(max_length=1000),
            "multiple": Bool(required=False, default=False),
            "choices": ListOf(
                Record(
                    {
                        "text": Text(max_length=500),
                        "correct": Bool(required=False, default=False),
                        "feedback": Text(max_length=1000),
                    }
                ),
                min_items=2,
                max_items=8,
            ),
            "explanation": Text(max_length=2000, required=False),
        },
        rules=(_quiz_answers,),
    ),
    CardType.SCENARIO: Record(
        {
            "situation": _markdown(4000),
            "question": Text(max_length=1000),
            "choices": ListOf(
                Record(
                    {
                        "text": Text(max_length=1000),
                        "score": OneOf((0, 1, 2)),
                        "consequence": Text(max_length=2000),
                    }
                ),
                min_items=2,
                max_items=6,
            ),
        },
        rules=(_scenario_best,),
    ),
    CardType.FLASHCARD: Record({"front": Text(max_length=500), "back": Text(max_length=1000)}),
    CardType.REFLECTION_PROMPT: Record(
        {"prompt": Text(max_length=1000), "hint": Text(max_length=1000, required=False)}
    ),
    CardType.ACTION_PLAN_PROMPT: Record(
        {
            "key_behaviour": Text(
                max_length=80,
                pattern=SLUG_PATTERN,
                pattern_hint=gettext_lazy("use the code of one of the path's key behaviours"),
            ),
            "prompt": Text(max_length=1000),
            "example": Text(max_length=1000, required=False),
        }
    ),
}

# What a card counts for when its author gives no estimate.
DEFAULT_SECONDS: dict[str, int] = {
    CardType.TEXT: 45,
    CardType.IMAGE: 20,
    CardType.VIDEO: 90,
    CardType.MEMO_SHEET: 60,
    CardType.QUIZ: 40,
    CardType.SCENARIO: 75,
    CardType.FLASHCARD: 20,
    CardType.REFLECTION_PROMPT: 60,
    CardType.ACTION_PLAN_PROMPT: 90,
}


def media_fields(card_type: str) -> tuple[str, ...]:
    spec = TYPE_SPECS.get(card_type)
    return tuple(n for n, s in spec.fields.items() if isinstance(s, Media)) if spec else ()


def markdown_fields(card_type: str) -> tuple[str, ...]:
    spec = TYPE_SPECS.get(card_type)
    return (
        tuple(n for n, s in spec.fields.items() if isinstance(s, Text) and s.markdown)
        if spec
        else ()
    )


def field_order(card_type: str) -> tuple[str, ...]:
    spec = TYPE_SPECS.get(card_type)
    return tuple(spec.fields) if spec else ()


def media_of(content: VersionContent) -> set[str]:
    """Every sha256 a version's content refers to (cover and card media fields)."""
    found = {content.cover} if content.cover else set()
    for module in content.modules:
        for card in module.cards:
            found.update(card.payload[n] for n in media_fields(card.type) if n in card.payload)
    return found


class CardSpec(Spec):
    """A card as written in a pack or a form: `type`, optional `est_seconds`, the type's fields.

    Cleans to a `CardContent` whose `est_seconds` falls back to the type's default.
    """

    _seconds = Int(min_value=MIN_CARD_SECONDS, max_value=MAX_CARD_SECONDS)

    def clean(self, value: Any, loc: Loc, ctx: Context, issues: list[Issue]) -> Any:
        if not isinstance(value, dict):
            issues.append(
                Issue(
                    loc,
                    _("expected a card (a mapping with a type), got %(got)s")
                    % {"got": describe(value)},
                )
            )
            return INVALID
        card_type = value.get("type")
        if card_type is None:
            issues.append(Issue((*loc, "type"), _("this field is required")))
            return INVALID
        if card_type not in TYPE_SPECS:
            issues.append(
                Issue(
                    (*loc, "type"),
                    _("unknown card type “%(type)s”; use one of: %(types)s")
                    % {"type": card_type, "types": ", ".join(TYPE_SPECS)},
                )
            )
            return INVALID
        before = len(issues)
        seconds = DEFAULT_SECONDS[card_type]
        if value.get("est_seconds") is not None:
            seconds = self._seconds.clean(value["est_seconds"], (*loc, "est_seconds"), ctx, issues)
        fields = {k: v for k, v in value.items() if k not in ("type", "est_seconds")}
        payload = TYPE_SPECS[card_type].clean(fields, loc, ctx, issues)
        if len(issues) > before:
            return INVALID
        return CardContent(type=str(card_type), est_seconds=seconds, payload=payload)


CARD = CardSpec()


def validate_card(
    card_type: str,
    payload: dict[str, Any],
    *,
    media: MediaResolver,
    est_seconds: int | None = None,
) -> CardContent:
    """Clean a card from the authoring UI; raises InvalidContent listing every problem."""
    raw: dict[str, Any] = {**payload, "type": card_type}
    if est_seconds is not None:
        raw["est_seconds"] = est_seconds
    cleaned, issues = clean(CARD, raw, Context(media))
    if issues:
        raise InvalidContent(issues)
    assert isinstance(cleaned, CardContent)
    return cleaned


@dataclass(frozen=True)
class QuizOutcome:
    correct: bool  # the selection is exactly the set of correct answers
    score: float  # 0..1; partial credit on multiple choice, wrong picks cancel right ones
    feedback: list[str]  # the feedback of each selected choice, in choice order


def score_quiz(payload: dict[str, Any], selected: Collection[int]) -> QuizOutcome:
    choices = payload["choices"]
    picked = set(selected)
    if not picked or any(not 0 <= i < len(choices) for i in picked):
        raise ValueError("selected answers must be indexes of the quiz's choices")
    if not payload.get("multiple") and len(picked) != 1:
        raise ValueError("a single-choice quiz takes exactly one answer")
    right = {i for i, c in enumerate(choices) if c["correct"]}
    hits, misses = len(picked & right), len(picked - right)
    score = max(0.0, (hits - misses) / len(right)) if right else 0.0
    return QuizOutcome(
        correct=picked == right,
        score=round(score, 4),
        feedback=[choices[i]["feedback"] for i in sorted(picked)],
    )


@dataclass(frozen=True)
class ScenarioOutcome:
    score: int  # 0 poor, 1 acceptable, 2 best
    best: bool
    consequence: str


def score_scenario(payload: dict[str, Any], choice: int) -> ScenarioOutcome:
    choices = payload["choices"]
    if not 0 <= choice < len(choices):
        raise ValueError("the choice must be an index of the scenario's choices")
    score = int(choices[choice]["score"])
    return ScenarioOutcome(score=score, best=score == 2, consequence=choices[choice]["consequence"])
