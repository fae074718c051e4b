"""The Statements resource: PUT, POST (single or batch, JSON or multipart), GET and HEAD."""

import base64
import uuid
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

import orjson
from django.http import HttpResponse
from django.utils.http import http_date

from ancrage.lrs import queries
from ancrage.lrs.actions import record_statements
from ancrage.lrs.attachments import build_multipart, check_attachments, parse_multipart
from ancrage.lrs.http import HttpError, XapiRequest, json_response, parse_json, xapi_endpoint
from ancrage.lrs.models import Scope
from ancrage.lrs.shapes import agent_key, parse_accept_language, to_canonical, to_ids
from ancrage.lrs.validation import (
    ValidationError,
    is_iri,
    is_uuid,
    parse_timestamp,
    validate_agent_param,
)

MAX_LIMIT = 500
_READ = (Scope.STATEMENTS_READ, Scope.STATEMENTS_READ_MINE, Scope.ALL_READ)
_QUERY_PARAMS = {
    "statementId",
    "voidedStatementId",
    "agent",
    "verb",
    "activity",
    "registration",
    "related_activities",
    "related_agents",
    "since",
    "until",
    "limit",
    "format",
    "attachments",
    "ascending",
    "cursor",
}


def _statements_from_body(xreq: XapiRequest) -> tuple[Any, dict[str, tuple[str, bytes]]]:
    media = xreq.content_type.split(";")[0].strip().lower()
    if media == "multipart/mixed":
        raw, parts = parse_multipart(xreq.body, xreq.content_type)
        data = parse_json(raw, "statements")
        statements = data if isinstance(data, list) else [data]
        return data, check_attachments(statements, parts)
    if media != "application/json":
        raise HttpError(400, "statements must be sent as application/json or multipart/mixed")
    data = parse_json(xreq.body, "statements")
    statements = data if isinstance(data, list) else [data]
    check_attachments(statements, {})
    return data, {}


def _put(xreq: XapiRequest) -> HttpResponse:
    statement_id = xreq.params.get("statementId")
    if statement_id is None:
        raise ValidationError("statementId", "is required for PUT")
    if not is_uuid(statement_id):
        raise ValidationError("statementId", "must be a UUID")
    extra = set(xreq.params) - {"statementId"}
    if extra:
        raise ValidationError(sorted(extra)[0], "is not a PUT parameter")
    data, parts = _statements_from_body(xreq)
    if not isinstance(data, dict):
        raise ValidationError("statement", "PUT takes a single statement object")
    if "id" in data and str(data["id"]).lower() != statement_id.lower():
        raise ValidationError("statement.id", "differs from the statementId parameter")
    data = {**data, "id": statement_id}
    _record(xreq, data, parts)
    return HttpResponse(status=204)


def _post(xreq: XapiRequest) -> HttpResponse:
    if xreq.params:
        raise ValidationError(sorted(xreq.params)[0], "is not a POST parameter")
    data, parts = _statements_from_body(xreq)
    if isinstance(data, list) and not data:
        raise ValidationError("statements", "an empty batch stores nothing")
    return json_response(_record(xreq, data, parts))


def _record(xreq: XapiRequest, data: Any, parts: dict[str, tuple[str, bytes]]) -> list[str]:
    return record_statements(
        organisation=xreq.organisation,
        statements=data,
        authority=xreq.credential.authority,
        version=xreq.version,
        credential_id=xreq.credential.pk,
        attachments=parts,
    )


def _bool_param(xreq: XapiRequest, name: str) -> bool:
    value = xreq.params.get(name, "false").lower()
    if value not in ("true", "false"):
        raise ValidationError(name, "must be true or false")
    return value == "true"


def _encode_cursor(cursor: tuple[datetime, int]) -> str:
    raw = f"{cursor[0].isoformat()}|{cursor[1]}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(token: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        stamp, seq = raw.rsplit("|", 1)
        return datetime.fromisoformat(stamp), int(seq)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValidationError("cursor", "is not a cursor this LRS issued") from exc


def _filter(xreq: XapiRequest) -> queries.StatementFilter:
    p = xreq.params
    f = queries.StatementFilter(
        related_activities=_bool_param(xreq, "related_activities"),
        related_agents=_bool_param(xreq, "related_agents"),
        ascending=_bool_param(xreq, "ascending"),
    )
    if "agent" in p:
        agent = parse_json(p["agent"].encode(), "agent")
        validate_agent_param(agent)
        f.agent_key = agent_key(agent)
    if "verb" in p:
        if not is_iri(p["verb"]):
            raise ValidationError("verb", "must be an IRI")
        f.verb = p["verb"]
    if "activity" in p:
        if not is_iri(p["activity"]):
            raise ValidationError("activity", "must be an IRI")
        f.activity = p["activity"]
    if "registration" in p:
        if not is_uuid(p["registration"]):
            raise ValidationError("registration", "must be a UUID")
        f.registration = str(uuid.UUID(p["registration"]))
    if "since" in p:
        f.since = parse_timestamp(p["since"], "since")
    if "until" in p:
        f.until = parse_timestamp(p["until"], "until")
    if not xreq.credential.allows(Scope.STATEMENTS_READ, Scope.ALL_READ):
        f.credential_ids = queries.credentials_sharing_authority(xreq.credential)
    return f


def _limit(xreq: XapiRequest) -> int:
    raw = xreq.params.get("limit", "0")
    if not raw.isdigit():
        raise ValidationError("limit", "must be a non-negative whole number")
    value = int(raw)
    return MAX_LIMIT if value == 0 else min(value, MAX_LIMIT)


def _format(xreq: XapiRequest, payload: dict[str, Any]) -> dict[str, Any]:
    fmt = xreq.params.get("format", "exact")
    if fmt == "ids":
        return to_ids(payload)
    if fmt == "canonical":
        return to_canonical(payload, parse_accept_language(xreq.header("accept-language") or ""))
    return payload


def _serialise(
    xreq: XapiRequest, raws: list[str], attachments: bool
) -> tuple[list[bytes], set[str]]:
    fmt = xreq.params.get("format", "exact")
    if fmt not in ("exact", "ids", "canonical"):
        raise ValidationError("format", "must be ids, exact or canonical")
    if fmt == "exact" and not attachments:
        return [raw.encode() for raw in raws], set()
    digests: set[str] = set()
    out = []
    for raw in raws:
        payload = orjson.loads(raw)
        for attachment in payload.get("attachments") or []:
            digests.add(str(attachment.get("sha2", "")).lower())
        out.append(orjson.dumps(_format(xreq, payload)))
    return out, digests


def _respond(
    xreq: XapiRequest, document: bytes, digests: set[str], attachments: bool
) -> HttpResponse:
    if not attachments:
        return HttpResponse(document, content_type="application/json")
    parts = queries.attachments_for(xreq.organisation, digests) if digests else {}
    body, content_type = build_multipart(document, parts)
    return HttpResponse(body, content_type=content_type)


def _get(xreq: XapiRequest) -> HttpResponse:
    unknown = set(xreq.params) - _QUERY_PARAMS
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a Statements query parameter")
    attachments = _bool_param(xreq, "attachments")
    single = [name for name in ("statementId", "voidedStatementId") if name in xreq.params]
    if single:
        if len(single) == 2 or set(xreq.params) - {*single, "format", "attachments"}:
            raise ValidationError(single[0], "allows only format and attachments beside it")
        statement_id = xreq.params[single[0]]
        if not is_uuid(statement_id):
            raise ValidationError(single[0], "must be a UUID")
        raw = queries.statement_by_id(
            xreq.organisation, str(uuid.UUID(statement_id)), voided=single[0] == "voidedStatementId"
        )
        if raw is None:
            raise HttpError(404, "no such statement")
        if not xreq.credential.allows(Scope.STATEMENTS_READ, Scope.ALL_READ):
            mine = queries.credentials_sharing_authority(xreq.credential)
            if not queries.statement_written_by(xreq.organisation, statement_id, mine):
                raise HttpError(404, "no such statement")
        encoded, digests = _serialise(xreq, [raw], attachments)
        stored = orjson.loads(raw).get("stored")
        if stored:
            xreq.response_headers["Last-Modified"] = http_date(
                parse_timestamp(stored, "stored").timestamp()
            )
        return _respond(xreq, encoded[0], digests, attachments)
    f = _filter(xreq)
    limit = _limit(xreq)
    cursor = _decode_cursor(xreq.params["cursor"]) if "cursor" in xreq.params else None
    page = queries.find_statements(xreq.organisation, f, limit=limit, cursor=cursor)
    encoded, digests = _serialise(xreq, page.payloads, attachments)
    more = ""
    if page.next_cursor is not None:
        params = {k: v for k, v in xreq.params.items() if k != "cursor"}
        params["cursor"] = _encode_cursor(page.next_cursor)
        more = xreq.django.path + "?" + urlencode(params)
    document = b'{"statements":[' + b",".join(encoded) + b'],"more":' + orjson.dumps(more) + b"}"
    if page.last_stored is not None:
        xreq.response_headers["Last-Modified"] = http_date(page.last_stored.timestamp())
    return _respond(xreq, document, digests, attachments)


@xapi_endpoint(
    ("GET", "PUT", "POST"),
    scopes={"GET": _READ, "PUT": (Scope.STATEMENTS_WRITE,), "POST": (Scope.STATEMENTS_WRITE,)},
)
def statements(xreq: XapiRequest) -> HttpResponse:
    if xreq.method == "PUT":
        return _put(xreq)
    if xreq.method == "POST":
        return _post(xreq)
    return _get(xreq)
