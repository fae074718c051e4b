"""Warning markers of the CNV self-assessment grid (DOMAIN.md §4): a small, explicit detector.

Each component has words that usually mean a score of 0 ("jackal" language): judgements and
generalisations in an observation, pseudo-feelings that hide an interpretation, needs that
name a person, demands instead of requests. The detector only flags: the learner scores.
Matching ignores case and accents and respects word boundaries ("jamais" matches, a word
that merely contains it does not).
"""

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Marker:
    component: str  # observation | feeling | need | request
    code: str
    found: str  # the words as the learner wrote them

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


def fold(text: str) -> str:
    """Lower case without accents, apostrophes unified: 'Ignorée' → 'ignoree'."""
    bare = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return bare.casefold().replace("’", "'")


_ADJ = r"(?:e|s|es)?"
# (code, pattern on folded text). Patterns are written without accents.
PATTERNS: dict[str, tuple[tuple[str, str], ...]] = {
    "observation": (
        ("generalisation", r"\btoujours\b"),
        ("generalisation", r"\bjamais\b"),
        ("generalisation", r"\bsans arret\b"),
        ("label", r"\btu es\b"),
        ("label", r"\bvous etes\b"),
        ("label", r"\bt'es\b"),
        (
            "judging_adjective",
            r"\b(?:incompetent|paresseu(?:x|se|ses)|nul(?:le|s|les)?|egoiste(?:s)?"
            r"|irrespectueu(?:x|se|ses)|desagreable(?:s)?|agressi(?:f|ve|fs|ves)"
            r"|impoli|negligent|malhonnete(?:s)?|stupide(?:s)?|bete(?:s)?)" + _ADJ + r"\b",
        ),
    ),
    "feeling": (
        (
            "pseudo_feeling",
            r"\b(?:ignore|manipule|trahi|rejete|abandonne|incompris|meprise|humilie|attaque"
            r"|juge|critique|harcele|utilise|exclu|agresse|rabaisse)" + _ADJ + r"\b",
        ),
        ("interpretation", r"\bje sens que (?:tu|vous|il|elle|on)\b"),
        ("interpretation", r"\bj'ai l'impression que (?:tu|vous|il|elle)\b"),
    ),
    "need": (
        (
            "need_names_person",
            r"\bbesoin (?:que (?:tu|vous|il|elle|ils|elles|on)|qu'(?:il|elle|ils|elles|on))\b",
        ),
        ("need_names_person", r"\bbesoin de (?:toi|vous|lui|elle)\b"),
    ),
    "request": (
        ("demand", r"\bil faut\b"),
        ("demand", r"\bil faudrait\b"),
        ("demand", r"\btu dois\b"),
        ("demand", r"\bvous devez\b"),
        ("demand", r"\btu devrais\b"),
        ("demand", r"\bvous devriez\b"),
    ),
}
COMPILED = {
    component: tuple((code, re.compile(pattern)) for code, pattern in patterns)
    for component, patterns in PATTERNS.items()
}

MARKER_LABELS = {
    "generalisation": _("a generalisation (always, never…): a camera records one moment"),
    "label": _("a label on the person (“you are…”) rather than what they did"),
    "judging_adjective": _("an adjective judging the person"),
    "pseudo_feeling": _("a pseudo-feeling that hides an interpretation of the other"),
    "interpretation": _("an interpretation of the other presented as a feeling"),
    "need_names_person": _("a need that names a person or their action"),
    "demand": _("a demand (“you must”, “we have to”) rather than a request open to no"),
}


def detect(text: str, components: Iterable[str] = tuple(PATTERNS)) -> list[Marker]:
    """The markers found in `text` for the given components, in the order they appear."""
    folded = fold(text)
    found: list[tuple[int, Marker]] = []
    for component in components:
        for code, pattern in COMPILED[component]:
            for match in pattern.finditer(folded):
                # NFKD folding keeps one character per original letter for French text,
                # so positions map back onto the learner's own words.
                words = text[match.start() : match.end()]
                found.append((match.start(), Marker(component, code, words)))
    found.sort(key=lambda item: item[0])
    return [marker for _pos, marker in found]


def detect_grid(texts: dict[str, str]) -> list[Marker]:
    """Markers of each CNV component, looking only at that component's text."""
    markers: list[Marker] = []
    for component, text in texts.items():
        markers.extend(detect(text, (component,)))
    return markers


# Gibbs stages mapped to CNV components (DOMAIN.md §4): description→O, feelings→S,
# analysis→B, action plan→D.
GIBBS_TO_CNV = {
    "description": "observation",
    "feelings": "feeling",
    "analysis": "need",
    "action_plan": "request",
}
