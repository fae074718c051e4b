"""State, Activity Profile and Agent Profile resources: documents with ETag concurrency."""

import uuid
from typing import Any

from django.http import HttpResponse
from django.utils.http import http_date

from ancrage.lrs import queries
from ancrage.lrs.actions import DocumentAddress, delete_documents, is_json_type, save_document
from ancrage.lrs.http import HttpError, XapiRequest, json_response, parse_json, xapi_endpoint
from ancrage.lrs.models import DocumentKind, Scope
from ancrage.lrs.shapes import agent_key
from ancrage.lrs.validation import (
    ValidationError,
    is_iri,
    is_uuid,
    parse_timestamp,
    validate_agent_param,
)

_STATE_SCOPES = (Scope.STATE,)
_PROFILE_SCOPES = (Scope.DEFINE,)


def _required(xreq: XapiRequest, name: str) -> str:
    value = xreq.params.get(name)
    if value is None or value == "":
        raise ValidationError(name, "is required")
    return value


def _activity_id(xreq: XapiRequest) -> str:
    value = _required(xreq, "activityId")
    if not is_iri(value):
        raise ValidationError("activityId", "must be an IRI")
    return value


def _agent_key(xreq: XapiRequest) -> str:
    agent: Any = parse_json(_required(xreq, "agent").encode(), "agent")
    validate_agent_param(agent)
    return agent_key(agent) or ""


def _only(xreq: XapiRequest, allowed: set[str]) -> None:
    unknown = set(xreq.params) - allowed
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a parameter of this resource")


def _serve(xreq: XapiRequest, address: DocumentAddress, id_param: str) -> HttpResponse:
    """GET one document, or (no id) the list of ids changed since `since`."""
    organisation = xreq.organisation
    if address.document_id:
        document = queries.get_document(
            organisation,
            kind=address.kind,
            activity_id=address.activity_id,
            agent_key=address.agent_key,
            registration=address.registration,
            document_id=address.document_id,
        )
        if document is None:
            raise HttpError(404, f"no document with this {id_param}")
        response = HttpResponse(bytes(document.content), content_type=document.content_type)
        response["ETag"] = f'"{document.etag}"'
        response["Last-Modified"] = http_date(document.updated.timestamp())
        return response
    since = parse_timestamp(xreq.params["since"], "since") if "since" in xreq.params else None
    ids, updated = queries.document_ids(
        organisation,
        kind=address.kind,
        activity_id=address.activity_id,
        agent_key=address.agent_key,
        registration=address.registration,
        since=since,
    )
    response = json_response(ids)
    if updated is not None:
        response["Last-Modified"] = http_date(updated.timestamp())
    return response


def _write(
    xreq: XapiRequest, address: DocumentAddress, id_param: str, *, concurrency: bool | str
) -> HttpResponse:
    if not address.document_id:
        raise ValidationError(id_param, "is required")
    if xreq.method == "DELETE":
        delete_documents(
            organisation=xreq.organisation, address=address, if_match=xreq.header("if-match")
        )
        return HttpResponse(status=204)
    content_type = xreq.content_type or "application/octet-stream"
    merge = xreq.method == "POST"
    if merge:
        if not is_json_type(content_type):
            raise ValidationError(
                "Content-Type", "POST to a document resource needs application/json"
            )
        if not isinstance(parse_json(xreq.body, "document"), dict):
            raise ValidationError("document", "POST merges only JSON objects")
    elif is_json_type(content_type):
        parse_json(xreq.body, "document")
    document = save_document(
        organisation=xreq.organisation,
        address=address,
        content=xreq.body,
        content_type=content_type,
        merge=merge,
        if_match=xreq.header("if-match"),
        if_none_match=xreq.header("if-none-match"),
        require_header=False if merge else concurrency,
    )
    response = HttpResponse(status=204)
    response["ETag"] = f'"{document.etag}"'
    return response


_DOC_SCOPES = dict.fromkeys(("GET", "PUT", "POST", "DELETE"), _STATE_SCOPES)


@xapi_endpoint(("GET", "PUT", "POST", "DELETE"), scopes=_DOC_SCOPES)
def state(xreq: XapiRequest) -> HttpResponse:
    _only(xreq, {"activityId", "agent", "registration", "stateId", "since"})
    registration = xreq.params.get("registration", "")
    if registration:
        if not is_uuid(registration):
            raise ValidationError("registration", "must be a UUID")
        registration = str(uuid.UUID(registration))
    address = DocumentAddress(
        kind=DocumentKind.STATE,
        activity_id=_activity_id(xreq),
        agent_key=_agent_key(xreq),
        registration=registration,
        document_id=xreq.params.get("stateId", ""),
    )
    if xreq.method == "GET":
        return _serve(xreq, address, "stateId")
    if xreq.method == "DELETE" and not address.document_id:
        delete_documents(organisation=xreq.organisation, address=address)
        return HttpResponse(status=204)
    return _write(xreq, address, "stateId", concurrency=xreq.is_v2)


_PROFILE_DOC_SCOPES = {
    "GET": (Scope.DEFINE, Scope.ALL_READ),
    "PUT": _PROFILE_SCOPES,
    "POST": _PROFILE_SCOPES,
    "DELETE": _PROFILE_SCOPES,
}


@xapi_endpoint(("GET", "PUT", "POST", "DELETE"), scopes=_PROFILE_DOC_SCOPES)
def activity_profile(xreq: XapiRequest) -> HttpResponse:
    _only(xreq, {"activityId", "profileId", "since"})
    address = DocumentAddress(
        kind=DocumentKind.ACTIVITY_PROFILE,
        activity_id=_activity_id(xreq),
        document_id=xreq.params.get("profileId", ""),
    )
    if xreq.method == "GET":
        return _serve(xreq, address, "profileId")
    return _write(xreq, address, "profileId", concurrency=True if xreq.is_v2 else "always")


@xapi_endpoint(("GET", "PUT", "POST", "DELETE"), scopes=_PROFILE_DOC_SCOPES)
def agent_profile(xreq: XapiRequest) -> HttpResponse:
    _only(xreq, {"agent", "profileId", "since"})
    address = DocumentAddress(
        kind=DocumentKind.AGENT_PROFILE,
        agent_key=_agent_key(xreq),
        document_id=xreq.params.get("profileId", ""),
    )
    if xreq.method == "GET":
        return _serve(xreq, address, "profileId")
    return _write(xreq, address, "profileId", concurrency=True if xreq.is_v2 else "always")
