"""xAPI statements of the web player: pure builders, no database.

* actor: `{"account": {"homePage": SITE_URL, "name": <membership uuid>}}` — no email or name
  leaves for the LRS, and the id is stable for the person's life in the organisation;
* verbs: ADL (`http://adlnet.gov/expapi/verbs/*`);
* activities: `SITE_URL/xapi/activities/path/<code>` for a path, `…/module/<slug>` for a
  module, `…/v<n>/card/<key>` for a card (a card belongs to a version), `…/survey` and
  `…/placement` for the reaction survey and the short check;
* `context.registration` is the enrolment id; the path is the `grouping` activity and the
  module the `parent` of a card statement;
* the statement id is the client's event id, or for statements the server derives
  (completions) a UUID5 of the enrolment and what was completed: retried, they stay one.

What the learner writes in reflection and action-plan prompts is theirs: statements say
that they answered, never what.
"""

import uuid
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

ADL = "http://adlnet.gov/expapi/verbs/"
VERB_NAMES = (
    "initialized",
    "resumed",
    "experienced",
    "answered",
    "completed",
    "passed",
    "failed",
    "suspended",
    "responded",
)
ACTIVITY_TYPES = {
    "path": "http://adlnet.gov/expapi/activities/course",
    "module": "http://adlnet.gov/expapi/activities/module",
    "question": "http://adlnet.gov/expapi/activities/question",
    "media": "http://adlnet.gov/expapi/activities/media",
    "card": "http://id.tincanapi.com/activitytype/slide",
    "survey": "http://id.tincanapi.com/activitytype/survey",
    "assessment": "http://adlnet.gov/expapi/activities/assessment",
}
DERIVED = uuid.UUID("6f0f3f8e-8f4b-4c1e-9a52-6a1f2d0c7a11")  # namespace of derived ids
PLATFORM = "Ancrage"


def verb(name: str) -> dict[str, Any]:
    assert name in VERB_NAMES, name
    return {"id": ADL + name, "display": {"en-US": name}}


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def actor(membership_id: Any) -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "account": {"homePage": site_url(), "name": str(membership_id)},
    }


def authority() -> dict[str, Any]:
    return {
        "objectType": "Agent",
        "account": {"homePage": site_url(), "name": "ancrage-player"},
    }


def _activity(activity_id: str, kind: str, name: str, language: str) -> dict[str, Any]:
    definition: dict[str, Any] = {"type": ACTIVITY_TYPES[kind]}
    if name:
        definition["name"] = {language: name}
    return {"objectType": "Activity", "id": activity_id, "definition": definition}


def path_id(code: str) -> str:
    return f"{site_url()}/xapi/activities/path/{code}"


def path_activity(code: str, title: str, language: str) -> dict[str, Any]:
    return _activity(path_id(code), "path", title, language)


def module_activity(code: str, slug: str, title: str, language: str) -> dict[str, Any]:
    return _activity(f"{path_id(code)}/module/{slug}", "module", title, language)


def card_activity(
    code: str, number: int, key: str, card_type: str, title: str, language: str
) -> dict[str, Any]:
    kind = (
        "question"
        if card_type in ("quiz", "scenario")
        else "media"
        if card_type in ("video", "image")
        else "card"
    )
    return _activity(f"{path_id(code)}/v{number}/card/{key}", kind, title, language)


def survey_activity(code: str, language: str, title: str = "") -> dict[str, Any]:
    return _activity(f"{path_id(code)}/survey", "survey", title, language)


def placement_activity(code: str, language: str, title: str = "") -> dict[str, Any]:
    return _activity(f"{path_id(code)}/placement", "assessment", title, language)


def derived_id(enrolment_id: Any, what: str) -> str:
    return str(uuid.uuid5(DERIVED, f"{enrolment_id}:{what}"))


def timestamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def statement(
    *,
    statement_id: str,
    membership_id: Any,
    verb_name: str,
    obj: dict[str, Any],
    registration: Any,
    when: datetime,
    language: str,
    grouping: list[dict[str, Any]] | None = None,
    parent: list[dict[str, Any]] | None = None,
    result: dict[str, Any] | None = None,
) -> dict[str, Any]:
    context: dict[str, Any] = {
        "registration": str(registration),
        "platform": PLATFORM,
        "language": language,
    }
    activities: dict[str, Any] = {}
    if parent:
        activities["parent"] = parent
    if grouping:
        activities["grouping"] = grouping
    if activities:
        context["contextActivities"] = activities
    built: dict[str, Any] = {
        "id": statement_id,
        "actor": actor(membership_id),
        "verb": verb(verb_name),
        "object": obj,
        "context": context,
        "timestamp": timestamp(when),
    }
    if result is not None:
        built["result"] = result
    return built


def score_result(
    scaled: float | None, *, success: bool | None = None, completion: bool | None = None
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    if scaled is not None:
        result["score"] = {"scaled": round(max(0.0, min(1.0, scaled)), 4)}
    if success is not None:
        result["success"] = success
    if completion is not None:
        result["completion"] = completion
    return result
