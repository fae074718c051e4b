"""Statement validation written from xAPI 1.0.3 and IEEE 9274.1.1 (xAPI 2.0).

Pure Python, no Django: `validate_statement(data, version=...)` raises `ValidationError`
naming the offending field (a JSON path such as `statement.actor.mbox`) for anything the
specification says an LRS MUST reject, and nothing else ever escapes it (the hypothesis
fuzz test holds it to that). Keys are case-sensitive; unknown keys are errors.
"""

import re
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

VOIDED_VERB = "http://adlnet.gov/expapi/verbs/voided"
SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_MBOX = re.compile(r"^mailto:[^@\s]+@[^@\s]+$")
_SHA1 = re.compile(r"^[0-9a-fA-F]{40}$")
_SHA2 = re.compile(r"^[0-9a-fA-F]{56}$|^[0-9a-fA-F]{64}$|^[0-9a-fA-F]{96}$|^[0-9a-fA-F]{128}$")
_LANG = re.compile(
    r"^(?:[A-Za-z]{2,3}(?:-[A-Za-z]{3}){0,3}|[A-Za-z]{4,8})"
    r"(?:-[A-Za-z]{4})?(?:-(?:[A-Za-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*"
    r"(?:-[0-9A-WY-Za-wy-z](?:-[A-Za-z0-9]{2,8})+)*"
    r"(?:-[xX](?:-[A-Za-z0-9]{1,8})+)?$"
    r"|^[xX](?:-[A-Za-z0-9]{1,8})+$|^i-[A-Za-z]{2,8}$"
)
_MEDIA_TYPE = re.compile(r"^[\w.+\-!#$&^]+/[\w.+\-!#$&^]+(\s*;.*)?$")
_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?"
    r"([Zz]|[+\-]\d{2}:?\d{2}|[+\-]\d{2})?$"
)
_DURATION = re.compile(
    r"^P(?:\d+(?:[.,]\d+)?W"
    r"|(?!$)(?:\d+(?:[.,]\d+)?Y)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?D)?"
    r"(?:T(?=\d)(?:\d+(?:[.,]\d+)?H)?(?:\d+(?:[.,]\d+)?M)?(?:\d+(?:[.,]\d+)?S)?)?)$"
)
_VERSION = re.compile(r"^(?:1\.0(?:\.\d+)?|2\.0\.\d+)$")
_INTERACTION_TYPES = {
    "true-false",
    "choice",
    "fill-in",
    "long-fill-in",
    "matching",
    "performance",
    "sequencing",
    "likert",
    "numeric",
    "other",
}
_COMPONENT_LISTS = {
    "choice": {"choices"},
    "sequencing": {"choices"},
    "likert": {"scale"},
    "matching": {"source", "target"},
    "performance": {"steps"},
}
_ALL_COMPONENT_LISTS = {"choices", "scale", "source", "target", "steps"}


class ValidationError(ValueError):
    """Input the specification says an LRS must reject; `field` names where."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


Json = Any


def _keys(
    data: Json, path: str, allowed: set[str], required: tuple[str, ...] = ()
) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ValidationError(path, "must be a JSON object")
    for key in data:
        if key not in allowed:
            raise ValidationError(f"{path}.{key}", "is not an allowed property here")
    for key in required:
        if key not in data:
            raise ValidationError(f"{path}.{key}", "is required")
    for key, value in data.items():
        if value is None:
            raise ValidationError(f"{path}.{key}", "must not be null")
    return data


def _string(value: Json, path: str) -> str:
    if not isinstance(value, str):
        raise ValidationError(path, "must be a string")
    return value


def _bool(value: Json, path: str) -> None:
    if not isinstance(value, bool):
        raise ValidationError(path, "must be true or false")


def _number(value: Json, path: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(path, "must be a number")
    return float(value)


def is_uuid(value: Json) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def _uuid(value: Json, path: str) -> None:
    if not is_uuid(value):
        raise ValidationError(path, "must be a UUID (8-4-4-4-12 hexadecimal digits)")


def is_iri(value: Json) -> bool:
    return isinstance(value, str) and bool(_IRI.match(value))


def _iri(value: Json, path: str) -> None:
    if not is_iri(value):
        raise ValidationError(path, "must be an absolute IRI (scheme:…)")


def _language_map(value: Json, path: str) -> None:
    if not isinstance(value, dict):
        raise ValidationError(path, "must be a language map (object of language tag → string)")
    for tag, text in value.items():
        if not _LANG.match(tag):
            raise ValidationError(f"{path}.{tag}", "is not an RFC 5646 language tag")
        _string(text, f"{path}.{tag}")


def _extensions(value: Json, path: str) -> None:
    if not isinstance(value, dict):
        raise ValidationError(path, "must be an object whose keys are IRIs")
    for key in value:
        _iri(key, f"{path}.{key}")


def parse_timestamp(value: Json, path: str) -> datetime:
    """An ISO 8601 / RFC 3339 date-time; the unknown-offset forms -00, -0000, -00:00 are refused."""
    if not isinstance(value, str):
        raise ValidationError(path, "must be an ISO 8601 date-time string")
    match = _TIMESTAMP.match(value)
    if not match:
        raise ValidationError(path, "must be an ISO 8601 date-time such as 2024-05-01T09:30:00Z")
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    tz: timezone = UTC
    if offset and offset not in ("Z", "z"):
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if offset[0] == "-" and hours == 0 and minutes == 0:
            raise ValidationError(path, "must not use the unknown-offset form -00:00")
        if hours > 23 or minutes > 59:
            raise ValidationError(path, "has an impossible UTC offset")
        delta = timedelta(hours=hours, minutes=minutes)
        tz = timezone(-delta if offset[0] == "-" else delta)
    micro = int((fraction or ".0")[1:7].ljust(6, "0"))
    try:
        return datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tzinfo=tz
        )
    except ValueError as exc:
        raise ValidationError(path, "is not a real date and time") from exc


def _agent_ifis(data: dict[str, Any], path: str) -> int:
    count = 0
    if "mbox" in data:
        count += 1
        mbox = _string(data["mbox"], f"{path}.mbox")
        if not _MBOX.match(mbox):
            raise ValidationError(
                f"{path}.mbox", "must be a mailto: IRI such as mailto:lea@example.org"
            )
    if "mbox_sha1sum" in data:
        count += 1
        if not isinstance(data["mbox_sha1sum"], str) or not _SHA1.match(data["mbox_sha1sum"]):
            raise ValidationError(f"{path}.mbox_sha1sum", "must be 40 hexadecimal digits (SHA-1)")
    if "openid" in data:
        count += 1
        _iri(data["openid"], f"{path}.openid")
    if "account" in data:
        count += 1
        account = _keys(
            data["account"], f"{path}.account", {"homePage", "name"}, ("homePage", "name")
        )
        _iri(account["homePage"], f"{path}.account.homePage")
        _string(account["name"], f"{path}.account.name")
    return count


_AGENT_KEYS = {"objectType", "name", "mbox", "mbox_sha1sum", "openid", "account"}
_GROUP_KEYS = _AGENT_KEYS | {"member"}


def validate_agent(data: Json, path: str, *, allow_group: bool = True) -> None:
    """An Agent, or (when allowed) a Group: exactly one IFI; anonymous Groups list members."""
    if not isinstance(data, dict):
        raise ValidationError(path, "must be an Agent or Group object")
    object_type = data.get("objectType", "Agent")
    if object_type == "Group":
        if not allow_group:
            raise ValidationError(f"{path}.objectType", "must be Agent here")
        _keys(data, path, _GROUP_KEYS)
        if "name" in data:
            _string(data["name"], f"{path}.name")
        ifis = _agent_ifis(data, path)
        if ifis > 1:
            raise ValidationError(
                path, "must carry at most one identifier (mbox, mbox_sha1sum, openid or account)"
            )
        if "member" in data:
            members = data["member"]
            if not isinstance(members, list):
                raise ValidationError(f"{path}.member", "must be an array of Agents")
            for index, member in enumerate(members):
                validate_agent(member, f"{path}.member[{index}]", allow_group=False)
        if ifis == 0 and not data.get("member"):
            raise ValidationError(f"{path}.member", "an anonymous Group must list its members")
        return
    if object_type != "Agent":
        raise ValidationError(f"{path}.objectType", "must be Agent or Group")
    _keys(data, path, _AGENT_KEYS)
    if "name" in data:
        _string(data["name"], f"{path}.name")
    if _agent_ifis(data, path) != 1:
        raise ValidationError(
            path, "must carry exactly one identifier (mbox, mbox_sha1sum, openid or account)"
        )


def validate_verb(data: Json, path: str) -> None:
    _keys(data, path, {"id", "display"}, ("id",))
    _iri(data["id"], f"{path}.id")
    if "display" in data:
        _language_map(data["display"], f"{path}.display")


def _components(value: Json, path: str) -> None:
    if not isinstance(value, list):
        raise ValidationError(path, "must be an array of interaction components")
    seen: set[str] = set()
    for index, component in enumerate(value):
        item = f"{path}[{index}]"
        _keys(component, item, {"id", "description"}, ("id",))
        ident = _string(component["id"], f"{item}.id")
        if ident in seen:
            raise ValidationError(f"{item}.id", "repeats another component's id")
        seen.add(ident)
        if "description" in component:
            _language_map(component["description"], f"{item}.description")


_DEFINITION_KEYS = {
    "name",
    "description",
    "type",
    "moreInfo",
    "extensions",
    "interactionType",
    "correctResponsesPattern",
} | _ALL_COMPONENT_LISTS


def _definition(data: Json, path: str) -> None:
    _keys(data, path, _DEFINITION_KEYS)
    for key in ("name", "description"):
        if key in data:
            _language_map(data[key], f"{path}.{key}")
    for key in ("type", "moreInfo"):
        if key in data:
            _iri(data[key], f"{path}.{key}")
    if "extensions" in data:
        _extensions(data["extensions"], f"{path}.extensions")
    interaction = data.get("interactionType")
    if interaction is not None and (
        not isinstance(interaction, str) or interaction not in _INTERACTION_TYPES
    ):
        raise ValidationError(f"{path}.interactionType", "is not an xAPI interaction type")
    if "correctResponsesPattern" in data:
        if interaction is None:
            raise ValidationError(f"{path}.correctResponsesPattern", "needs an interactionType")
        pattern = data["correctResponsesPattern"]
        if not isinstance(pattern, list) or not all(isinstance(p, str) for p in pattern):
            raise ValidationError(f"{path}.correctResponsesPattern", "must be an array of strings")
    for key in _ALL_COMPONENT_LISTS & data.keys():
        if interaction is None or key not in _COMPONENT_LISTS.get(interaction, set()):
            raise ValidationError(f"{path}.{key}", "is not allowed for this interactionType")
        _components(data[key], f"{path}.{key}")


def validate_activity(data: Json, path: str) -> None:
    _keys(data, path, {"objectType", "id", "definition"}, ("id",))
    if data.get("objectType", "Activity") != "Activity":
        raise ValidationError(f"{path}.objectType", "must be Activity")
    _iri(data["id"], f"{path}.id")
    if "definition" in data:
        _definition(data["definition"], f"{path}.definition")


def _statement_ref(data: Json, path: str) -> None:
    _keys(data, path, {"objectType", "id"}, ("objectType", "id"))
    _uuid(data["id"], f"{path}.id")


def _object(data: Json, path: str, *, nested: bool) -> None:
    if not isinstance(data, dict):
        raise ValidationError(path, "must be an object")
    object_type = data.get("objectType", "Activity")
    if object_type == "Activity":
        validate_activity(data, path)
    elif object_type in ("Agent", "Group"):
        validate_agent(data, path)
    elif object_type == "StatementRef":
        _statement_ref(data, path)
    elif object_type == "SubStatement":
        if nested:
            raise ValidationError(
                f"{path}.objectType", "a SubStatement cannot contain a SubStatement"
            )
        _statement_body(data, path, version="", substatement=True)
    else:
        raise ValidationError(
            f"{path}.objectType", "must be Activity, Agent, Group, StatementRef or SubStatement"
        )


def _score(data: Json, path: str) -> None:
    _keys(data, path, {"scaled", "raw", "min", "max"})
    values = {key: _number(data[key], f"{path}.{key}") for key in data}
    if "scaled" in values and not -1 <= values["scaled"] <= 1:
        raise ValidationError(f"{path}.scaled", "must be between -1 and 1")
    low, high, raw = values.get("min"), values.get("max"), values.get("raw")
    if low is not None and high is not None and low >= high:
        raise ValidationError(f"{path}.min", "must be less than max")
    if raw is not None and low is not None and raw < low:
        raise ValidationError(f"{path}.raw", "must not be below min")
    if raw is not None and high is not None and raw > high:
        raise ValidationError(f"{path}.raw", "must not be above max")


def _result(data: Json, path: str) -> None:
    _keys(data, path, {"score", "success", "completion", "response", "duration", "extensions"})
    if "score" in data:
        _score(data["score"], f"{path}.score")
    for key in ("success", "completion"):
        if key in data:
            _bool(data[key], f"{path}.{key}")
    if "response" in data:
        _string(data["response"], f"{path}.response")
    if "duration" in data:
        duration = data["duration"]
        if not isinstance(duration, str) or not _DURATION.match(duration):
            raise ValidationError(
                f"{path}.duration", "must be an ISO 8601 duration such as PT4M30S"
            )
    if "extensions" in data:
        _extensions(data["extensions"], f"{path}.extensions")


def _activity_list(value: Json, path: str) -> None:
    items = value if isinstance(value, list) else [value]
    if not isinstance(value, list | dict):
        raise ValidationError(path, "must be an Activity or an array of Activities")
    for index, item in enumerate(items):
        validate_activity(item, f"{path}[{index}]" if isinstance(value, list) else path)


def _relevant_types(value: Json, path: str) -> None:
    if not isinstance(value, list) or not value:
        raise ValidationError(path, "must be a non-empty array of IRIs")
    for index, item in enumerate(value):
        _iri(item, f"{path}[{index}]")


def _context_agents(value: Json, path: str, kind: str) -> None:
    if not isinstance(value, list):
        raise ValidationError(path, "must be an array")
    key = "agent" if kind == "contextAgent" else "group"
    for index, item in enumerate(value):
        entry = f"{path}[{index}]"
        _keys(item, entry, {"objectType", key, "relevantTypes"}, ("objectType", key))
        if item["objectType"] != kind:
            raise ValidationError(f"{entry}.objectType", f"must be {kind}")
        if key == "agent":
            validate_agent(item[key], f"{entry}.agent", allow_group=False)
        else:
            if not isinstance(item[key], dict) or item[key].get("objectType") != "Group":
                raise ValidationError(f"{entry}.group", "must be a Group")
            validate_agent(item[key], f"{entry}.group")
        if "relevantTypes" in item:
            _relevant_types(item["relevantTypes"], f"{entry}.relevantTypes")


_CONTEXT_KEYS = {
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
}


def _context(data: Json, path: str, version: str, object_type: str) -> None:
    allowed = _CONTEXT_KEYS | (
        {"contextAgents", "contextGroups"} if version.startswith("2") else set()
    )
    _keys(data, path, allowed)
    if "registration" in data:
        _uuid(data["registration"], f"{path}.registration")
    if "instructor" in data:
        validate_agent(data["instructor"], f"{path}.instructor")
    if "team" in data:
        team = data["team"]
        if not isinstance(team, dict) or team.get("objectType") != "Group":
            raise ValidationError(f"{path}.team", "must be a Group")
        validate_agent(team, f"{path}.team")
    if "contextActivities" in data:
        activities = _keys(
            data["contextActivities"],
            f"{path}.contextActivities",
            {"parent", "grouping", "category", "other"},
        )
        for key, value in activities.items():
            _activity_list(value, f"{path}.contextActivities.{key}")
    for key in ("revision", "platform"):
        if key in data:
            _string(data[key], f"{path}.{key}")
            if object_type != "Activity":
                raise ValidationError(
                    f"{path}.{key}", "may be used only when the object is an Activity"
                )
    if "language" in data:
        language = _string(data["language"], f"{path}.language")
        if not _LANG.match(language):
            raise ValidationError(f"{path}.language", "is not an RFC 5646 language tag")
    if "statement" in data:
        _statement_ref(data["statement"], f"{path}.statement")
        if data["statement"].get("objectType") != "StatementRef":
            raise ValidationError(f"{path}.statement.objectType", "must be StatementRef")
    if "extensions" in data:
        _extensions(data["extensions"], f"{path}.extensions")
    if "contextAgents" in data:
        _context_agents(data["contextAgents"], f"{path}.contextAgents", "contextAgent")
    if "contextGroups" in data:
        _context_agents(data["contextGroups"], f"{path}.contextGroups", "contextGroup")


_ATTACHMENT_KEYS = {
    "usageType",
    "display",
    "description",
    "contentType",
    "length",
    "sha2",
    "fileUrl",
}


def validate_attachments(value: Json, path: str) -> None:
    if not isinstance(value, list):
        raise ValidationError(path, "must be an array of attachments")
    for index, item in enumerate(value):
        entry = f"{path}[{index}]"
        _keys(
            item, entry, _ATTACHMENT_KEYS, ("usageType", "display", "contentType", "length", "sha2")
        )
        _iri(item["usageType"], f"{entry}.usageType")
        _language_map(item["display"], f"{entry}.display")
        if "description" in item:
            _language_map(item["description"], f"{entry}.description")
        content_type = _string(item["contentType"], f"{entry}.contentType")
        if not _MEDIA_TYPE.match(content_type):
            raise ValidationError(f"{entry}.contentType", "must be an Internet media type")
        length = item["length"]
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise ValidationError(f"{entry}.length", "must be a non-negative whole number")
        if not isinstance(item["sha2"], str) or not _SHA2.match(item["sha2"]):
            raise ValidationError(f"{entry}.sha2", "must be a hexadecimal SHA-2 digest")
        if "fileUrl" in item:
            _iri(item["fileUrl"], f"{entry}.fileUrl")


_STATEMENT_KEYS = {
    "id",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "stored",
    "authority",
    "version",
    "attachments",
}
_SUBSTATEMENT_KEYS = {
    "objectType",
    "actor",
    "verb",
    "object",
    "result",
    "context",
    "timestamp",
    "attachments",
}


def _statement_body(data: Json, path: str, *, version: str, substatement: bool) -> None:
    allowed = _SUBSTATEMENT_KEYS if substatement else _STATEMENT_KEYS
    _keys(data, path, allowed, ("actor", "verb", "object"))
    validate_agent(data["actor"], f"{path}.actor")
    validate_verb(data["verb"], f"{path}.verb")
    _object(data["object"], f"{path}.object", nested=substatement)
    if "result" in data:
        _result(data["result"], f"{path}.result")
    obj = data["object"]
    object_type = obj.get("objectType", "Activity")
    if "context" in data:
        _context(data["context"], f"{path}.context", version or "2.0.0", object_type)
    if "timestamp" in data:
        parse_timestamp(data["timestamp"], f"{path}.timestamp")
    if "attachments" in data:
        validate_attachments(data["attachments"], f"{path}.attachments")
    if data["verb"]["id"] == VOIDED_VERB and object_type != "StatementRef":
        raise ValidationError(
            f"{path}.object", "a voiding statement's object must be a StatementRef"
        )


def validate_statement(data: Json, *, version: str = "2.0.0") -> None:
    """Raise ValidationError unless `data` is a statement an LRS may accept under `version`."""
    path = "statement"
    if not isinstance(data, dict):
        raise ValidationError(path, "must be a JSON object")
    if "objectType" in data:
        raise ValidationError(f"{path}.objectType", "is not a statement property")
    _statement_body(data, path, version=version, substatement=False)
    if "id" in data:
        _uuid(data["id"], f"{path}.id")
    if "stored" in data:
        parse_timestamp(data["stored"], f"{path}.stored")
    if "authority" in data:
        _authority(data["authority"], f"{path}.authority")
    if "version" in data:
        declared = data["version"]
        if not isinstance(declared, str) or not _VERSION.match(declared):
            raise ValidationError(
                f"{path}.version", "must be an xAPI version such as 1.0.3 or 2.0.0"
            )


def _authority(data: Json, path: str) -> None:
    validate_agent(data, path)
    if data.get("objectType") == "Group":
        members = data.get("member", [])
        if (
            "member" not in data
            or len(members) != 2
            or any(key in data for key in ("mbox", "mbox_sha1sum", "openid", "account"))
        ):
            raise ValidationError(
                path, "a Group authority must be an anonymous Group of two Agents"
            )


def validate_statements(data: Json, *, version: str = "2.0.0") -> list[dict[str, Any]]:
    """A statement or an array of statements; returns the list. Repeated ids are an error."""
    statements = data if isinstance(data, list) else [data]
    seen: set[str] = set()
    for index, statement in enumerate(statements):
        try:
            validate_statement(statement, version=version)
        except ValidationError as exc:
            if isinstance(data, list):
                field = exc.field.replace("statement", f"statements[{index}]", 1)
                raise ValidationError(field, exc.message) from None
            raise
        ident = statement.get("id")
        if isinstance(ident, str):
            if ident.lower() in seen:
                raise ValidationError(
                    f"statements[{index}].id", "repeats an id earlier in this batch"
                )
            seen.add(ident.lower())
    return statements


def validate_agent_param(data: Json, path: str = "agent") -> None:
    """The `agent` query parameter: an Agent or identified Group (anonymous Groups have no IFI)."""
    validate_agent(data, path)
    if isinstance(data, dict) and data.get("objectType") == "Group" and not _agent_ifis(data, path):
        raise ValidationError(path, "must be an Agent or an identified Group")
