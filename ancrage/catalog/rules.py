"""Rules about a version's content as a whole, beyond each field's own spec.

Locations are rooted at the version: `("modules", 2, "cards", 5, "key_behaviour")`. The
pack validator maps `("modules", i, …)` to the i-th module file; the authoring UI shows the
message next to the module or card. `publish_version` refuses content with any issue.
"""

from collections import Counter

from django.utils.translation import gettext as _

from ancrage.catalog.content import KeyBehaviourContent, ModuleContent, VersionContent
from ancrage.catalog.documents import module_document, version_document
from ancrage.catalog.models import CardType
from ancrage.catalog.schema import Context, Issue, MediaResolver, Record
from ancrage.catalog.specs import MAX_MODULE_MINUTES, MODULE, VERSION_FIELDS, cover_needs_alt

# The modules' estimates must add up to the promise give or take this share (20 min: 15–25).
PROMISE_TOLERANCE = 0.25


def check_module(module: ModuleContent, index: int) -> list[Issue]:
    issues = []
    if module.est_minutes > MAX_MODULE_MINUTES:
        issues.append(
            Issue(
                ("modules", index, "est_minutes"),
                _("a module lasts at most %(max)d minutes (%(n)d estimated); split it in two")
                % {"max": MAX_MODULE_MINUTES, "n": module.est_minutes},
            )
        )
    seconds = sum(card.est_seconds for card in module.cards)
    if seconds > MAX_MODULE_MINUTES * 60:
        issues.append(
            Issue(
                ("modules", index, "cards"),
                _(
                    "the cards add up to %(n)s minutes of estimated time; a module lasts at most %(max)d"
                )
                % {"n": round(seconds / 60, 1), "max": MAX_MODULE_MINUTES},
            )
        )
    return issues


def check_key_behaviour_refs(
    modules: list[tuple[int, ModuleContent]], codes: set[str]
) -> list[Issue]:
    issues = []
    for index, module in modules:
        for position, card in enumerate(module.cards):
            code = card.payload.get("key_behaviour")
            if card.type == CardType.ACTION_PLAN_PROMPT and code not in codes:
                issues.append(
                    Issue(
                        ("modules", index, "cards", position, "key_behaviour"),
                        _("unknown key behaviour “%(code)s”; the path defines: %(codes)s")
                        % {"code": code, "codes": ", ".join(sorted(codes)) or _("none")},
                    )
                )
    return issues


def check_final_card(modules: list[ModuleContent]) -> list[Issue]:
    if not modules:
        return [Issue(("modules",), _("a path needs at least one module"))]
    last = modules[-1]
    index = len(modules) - 1
    if not last.cards:
        return []
    if last.cards[-1].type != CardType.ACTION_PLAN_PROMPT:
        return [
            Issue(
                ("modules", index, "cards", len(last.cards) - 1, "type"),
                _("every path ends with an action_plan_prompt card; this last card is a %(type)s")
                % {"type": last.cards[-1].type},
            )
        ]
    return []


def check_promise(promise_minutes: int, modules: list[ModuleContent]) -> list[Issue]:
    total = sum(m.est_minutes for m in modules)
    if abs(total - promise_minutes) > PROMISE_TOLERANCE * promise_minutes:
        return [
            Issue(
                ("promise_minutes",),
                _("the path promises %(promise)d minutes but its modules add up to %(total)d")
                % {"promise": promise_minutes, "total": total},
            )
        ]
    return []


def check_unique(
    key_behaviours: list[KeyBehaviourContent], modules: list[ModuleContent]
) -> list[Issue]:
    issues = []
    codes = Counter(kb.code for kb in key_behaviours)
    for index, kb in enumerate(key_behaviours):
        if codes[kb.code] > 1:
            issues.append(
                Issue(("key_behaviours", index, "code"), _("key behaviour codes must be unique"))
            )
    slugs = Counter(m.slug for m in modules)
    for index, module in enumerate(modules):
        if slugs[module.slug] > 1:
            issues.append(Issue(("modules", index, "slug"), _("module names must be unique")))
    return issues


def check_content(content: VersionContent, media: MediaResolver) -> list[Issue]:
    """Every spec and rule at once, for a complete version (publishing, the authoring UI).

    `media` resolves the sha256 references of stored content (queries.StoredMedia).
    """
    issues: list[Issue] = []
    ctx = Context(media)
    Record(VERSION_FIELDS, rules=(cover_needs_alt,)).clean(
        version_document(content, str), (), ctx, issues
    )
    for index, module in enumerate(content.modules):
        MODULE.clean(
            module_document(module, str, all_seconds=True), ("modules", index), ctx, issues
        )
    issues += check_unique(content.key_behaviours, content.modules)
    for index, module in enumerate(content.modules):
        issues += check_module(module, index)
    issues += check_key_behaviour_refs(
        list(enumerate(content.modules)), {kb.code for kb in content.key_behaviours}
    )
    issues += check_final_card(content.modules)
    issues += check_promise(content.promise_minutes, content.modules)
    return issues
