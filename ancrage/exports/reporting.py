"""What a package that reports to us may say, and how it becomes xAPI in our LRS.

A package made with `report_xapi` carries a signed token (`actions.sign_token`). It asks
`licence` before playing and posts compact events to `events`; both answer only for a token
that verifies, is not revoked, and whose organisation's licences still grant every path of
the export today. The events become ADL statements in the organisation's LRS, with the
actor `{homePage: SITE_URL/exports/<export id>, name: <the LMS learner id>}` — the learner
id the LMS gives the package, nothing else about the person — and the same activity IRIs
as the web player.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ancrage.catalog.models import Path
from ancrage.exports.models import ExportScope, PackageToken
from ancrage.licensing.entitlements import coverage_for
from ancrage.licensing.models import ProgrammeItem
from ancrage.lrs.actions import record_statements
from ancrage.player.xapi import ACTIVITY_TYPES, site_url, verb

EVENT_VERBS = {
    "initialized",
    "experienced",
    "answered",
    "completed",
    "passed",
    "failed",
    "suspended",
}
MAX_EVENTS = 100
NAMESPACE = uuid.UUID("0c3f4d2e-61b9-4d0c-a0d2-7d0ac1f1e0a7")


@dataclass(frozen=True)
class LicenceAnswer:
    allowed: bool
    reason: str = ""


class BadEvents(ValueError):
    pass


def licence_answer(token: PackageToken | None) -> LicenceAnswer:
    """May the package play now? Unknown or revoked token, or a licence that no longer
    grants one of the export's paths: no, with the reason."""
    if token is None:
        return LicenceAnswer(False, "unknown_token")
    if token.is_revoked:
        return LicenceAnswer(False, "token_revoked")
    export = token.export
    if export.scope == ExportScope.PROGRAMME and export.programme_id is not None:
        path_ids = list(
            ProgrammeItem.objects.filter(programme_id=export.programme_id).values_list(
                "path_id", flat=True
            )
        )
    else:
        path_ids = list(Path.objects.filter(code=export.path_code).values_list("pk", flat=True))
    if not path_ids:
        return LicenceAnswer(False, "not_in_offer")
    coverage = coverage_for(token.organisation_id)
    for path_id in path_ids:
        reason, _licence = coverage.licence_refusal(path_id)
        if reason is not None:
            return LicenceAnswer(False, str(reason))
    return LicenceAnswer(True)


def _statement(token: PackageToken, learner: str, event: dict[str, Any]) -> dict[str, Any]:
    name = event.get("verb")
    if name not in EVENT_VERBS:
        raise BadEvents(f"unknown verb {name!r}")
    export = token.export
    code = str(event.get("path") or export.path_code)
    card = str(event.get("card") or "")
    base = f"{site_url()}/xapi/activities"
    if card:
        obj_id, kind = f"{base}/path/{code}/card/{card}", "card"
    else:
        obj_id, kind = f"{base}/path/{code}", "path"
    statement: dict[str, Any] = {
        "id": str(uuid.uuid5(NAMESPACE, f"{token.pk}:{learner}:{event.get('id')}")),
        "actor": {
            "objectType": "Agent",
            "account": {"homePage": f"{site_url()}/exports/{export.pk}", "name": learner},
        },
        "verb": verb(name),
        "object": {
            "objectType": "Activity",
            "id": obj_id,
            "definition": {"type": ACTIVITY_TYPES[kind]},
        },
        "context": {
            "platform": "Ancrage (export)",
            "contextActivities": {"grouping": [{"id": f"{base}/path/{code}"}]},
        },
    }
    at = event.get("at")
    if isinstance(at, str):
        try:
            datetime.fromisoformat(at)
            statement["timestamp"] = at
        except ValueError as exc:
            raise BadEvents(f"bad timestamp {at!r}") from exc
    result: dict[str, Any] = {}
    if isinstance(event.get("score"), int | float):
        result["score"] = {"scaled": max(0.0, min(1.0, float(event["score"])))}
    if isinstance(event.get("success"), bool):
        result["success"] = event["success"]
    if result:
        statement["result"] = result
    return statement


def record_package_events(*, token: PackageToken, learner: Any, events: Any) -> list[str]:
    """Turn a package's events into statements in the organisation's LRS (idempotent: the
    statement ids derive from token, learner and event id, so a retry records nothing new)."""
    if not isinstance(learner, str) or not 0 < len(learner) <= 255:
        raise BadEvents("learner must be the LMS learner id (1 to 255 characters)")
    if not isinstance(events, list) or not 0 < len(events) <= MAX_EVENTS:
        raise BadEvents(f"events must be a list of 1 to {MAX_EVENTS} events")
    statements = [_statement(token, learner, e) for e in events if isinstance(e, dict)]
    if len(statements) != len(events):
        raise BadEvents("every event must be an object")
    authority = {
        "objectType": "Agent",
        "name": "Ancrage export",
        "account": {"homePage": site_url(), "name": f"export:{token.export_id}"},
    }
    return record_statements(
        organisation=token.organisation, statements=statements, authority=authority
    )
