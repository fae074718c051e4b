"""About, Activities and Agents: the small read-only xAPI resources."""

from typing import Any

from django.http import HttpResponse

from ancrage.lrs import queries
from ancrage.lrs.http import XapiRequest, json_response, parse_json, xapi_endpoint
from ancrage.lrs.models import Scope
from ancrage.lrs.validation import ValidationError, is_iri, validate_agent_param

_ABOUT_VERSIONS = ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "2.0.0"]
_ANY_READ = (
    Scope.STATEMENTS_READ,
    Scope.STATEMENTS_READ_MINE,
    Scope.STATEMENTS_WRITE,
    Scope.STATE,
    Scope.DEFINE,
    Scope.ALL_READ,
)


@xapi_endpoint(("GET",), scopes={}, version_required=False, authenticate=False)
def about(xreq: XapiRequest) -> HttpResponse:
    return json_response({"version": _ABOUT_VERSIONS, "extensions": {}})


@xapi_endpoint(("GET",), scopes={"GET": _ANY_READ})
def activities(xreq: XapiRequest) -> HttpResponse:
    unknown = set(xreq.params) - {"activityId"}
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a parameter of this resource")
    activity_id = xreq.params.get("activityId", "")
    if not activity_id:
        raise ValidationError("activityId", "is required")
    if not is_iri(activity_id):
        raise ValidationError("activityId", "must be an IRI")
    activity: dict[str, Any] = {"objectType": "Activity", "id": activity_id}
    definition = queries.activity_definition(xreq.organisation, activity_id)
    if definition:
        activity["definition"] = definition
    return json_response(activity)


@xapi_endpoint(("GET",), scopes={"GET": _ANY_READ})
def agents(xreq: XapiRequest) -> HttpResponse:
    """The Person object the LRS knows for an agent: here, the identifiers it was asked about."""
    unknown = set(xreq.params) - {"agent"}
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a parameter of this resource")
    if not xreq.params.get("agent"):
        raise ValidationError("agent", "is required")
    agent: Any = parse_json(xreq.params["agent"].encode(), "agent")
    validate_agent_param(agent)
    person: dict[str, Any] = {"objectType": "Person"}
    if "name" in agent:
        person["name"] = [agent["name"]]
    for key in ("mbox", "mbox_sha1sum", "openid", "account"):
        if key in agent:
            person[key] = [agent[key]]
    return json_response(person)
