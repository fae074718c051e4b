"""Pure functions over validated statements: identity keys, index values, comparison hashes,
and the `ids` / `canonical` response formats. No database, no Django.
"""

import hashlib
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

import orjson

from ancrage.lrs.validation import VOIDED_VERB

Json = dict[str, Any]
_IGNORED_FOR_COMPARISON = ("id", "stored", "authority", "version")
_IFI_KEYS = ("mbox", "mbox_sha1sum", "openid", "account")


def agent_key(agent: Json) -> str | None:
    """'Agent|mbox|mailto:x' — equal for two agents with the same IFI and objectType."""
    kind = agent.get("objectType", "Agent")
    if "mbox" in agent:
        return f"{kind}|mbox|{agent['mbox']}"
    if "mbox_sha1sum" in agent:
        return f"{kind}|sha1|{str(agent['mbox_sha1sum']).lower()}"
    if "openid" in agent:
        return f"{kind}|openid|{agent['openid']}"
    if "account" in agent:
        account = agent["account"]
        return f"{kind}|account|{account['homePage']}|{account['name']}"
    return None


_SECONDS = re.compile(r"(\d+)(?:[.,](\d+))?S$")


def _truncate_duration(duration: str) -> str:
    """Durations compare at 0.01 s precision (xAPI 2.0 §4.2.7)."""
    match = _SECONDS.search(duration)
    if not match or not match.group(2):
        return duration
    return duration[: match.start()] + f"{match.group(1)}.{match.group(2)[:2].ljust(2, '0')}S"


def _comparable(body: Json) -> Json:
    body = dict(body)
    result = body.get("result")
    if isinstance(result, dict) and isinstance(result.get("duration"), str):
        body["result"] = {**result, "duration": _truncate_duration(result["duration"])}
    obj = body.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        body["object"] = _comparable(obj)
    return body


def content_hash(statement: Json) -> str:
    """What two statements must share to be 'the same statement' (xAPI statement comparison)."""
    body = _comparable({k: v for k, v in statement.items() if k not in _IGNORED_FOR_COMPARISON})
    return hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest()


def normalise(statement: Json) -> Json:
    """The stored form: context activities always arrays (xAPI: an LRS returns arrays)."""
    out = dict(statement)
    context = out.get("context")
    if isinstance(context, dict) and isinstance(context.get("contextActivities"), dict):
        out["context"] = {
            **context,
            "contextActivities": {
                key: value if isinstance(value, list) else [value]
                for key, value in context["contextActivities"].items()
            },
        }
    obj = out.get("object")
    if isinstance(obj, dict) and obj.get("objectType") == "SubStatement":
        out["object"] = normalise(obj)
    return out


@dataclass
class IndexValues:
    verb_id: str
    activity_id: str | None
    actor_key: str
    object_agent_key: str | None
    registration: str | None
    ref_target: str | None
    related_agents: list[str] = field(default_factory=list)
    related_activities: list[str] = field(default_factory=list)

    @property
    def is_voiding(self) -> bool:
        return self.verb_id == VOIDED_VERB


def _agents_in(agent: Any, into: set[str]) -> None:
    if not isinstance(agent, dict):
        return
    key = agent_key(agent)
    if key:
        into.add(key)
    for member in agent.get("member", ()) or ():
        if isinstance(member, dict):
            member_key = agent_key(member)
            if member_key:
                into.add(member_key)


def _activities(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item["id"] for item in items if isinstance(item, dict) and "id" in item]


def _collect(body: Json, agents: set[str], activities: set[str]) -> None:
    _agents_in(body.get("actor"), agents)
    obj = body.get("object", {})
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        activities.add(obj["id"])
    elif object_type in ("Agent", "Group"):
        _agents_in(obj, agents)
    elif object_type == "SubStatement":
        _collect(obj, agents, activities)
    context = body.get("context") or {}
    _agents_in(context.get("instructor"), agents)
    _agents_in(context.get("team"), agents)
    for entry in context.get("contextAgents", ()) or ():
        _agents_in(entry.get("agent"), agents)
    for entry in context.get("contextGroups", ()) or ():
        _agents_in(entry.get("group"), agents)
    for value in (context.get("contextActivities") or {}).values():
        activities.update(_activities(value))
    _agents_in(body.get("authority"), agents)


def activity_hash(activity_id: str) -> int:
    """64 bits of the IRI's SHA-256 as a signed integer: the key of `StatementActivity`.

    PostgreSQL computes the same value for the backfill (migration 0005):
    ('x' || left(encode(sha256(convert_to(iri, 'UTF8')), 'hex'), 16))::bit(64)::bigint.
    """
    return int.from_bytes(hashlib.sha256(activity_id.encode()).digest()[:8], "big", signed=True)


def agent_hash(key: str) -> int:
    """The same 64-bit hash of an `agent_key`: the key of `StatementAgent` (migration 0008)."""
    return activity_hash(key)


def index_values(statement: Json) -> IndexValues:
    obj = statement["object"]
    object_type = obj.get("objectType", "Activity")
    agents: set[str] = set()
    activities: set[str] = set()
    _collect(statement, agents, activities)
    registration = (statement.get("context") or {}).get("registration")
    return IndexValues(
        verb_id=statement["verb"]["id"],
        activity_id=obj["id"] if object_type == "Activity" else None,
        actor_key=agent_key(statement["actor"]) or "",
        object_agent_key=agent_key(obj) if object_type in ("Agent", "Group") else None,
        registration=str(uuid.UUID(registration)) if registration else None,
        ref_target=str(uuid.UUID(obj["id"])) if object_type == "StatementRef" else None,
        related_agents=sorted(agents),
        related_activities=sorted(activities),
    )


# --- response formats -------------------------------------------------------------------


def _ids_agent(agent: Json) -> Json:
    out: Json = {}
    if "objectType" in agent:
        out["objectType"] = agent["objectType"]
    for key in _IFI_KEYS:
        if key in agent:
            out[key] = agent[key]
    if agent.get("objectType") == "Group" and "member" in agent and agent_key(agent) is None:
        out["member"] = [_ids_agent(m) for m in agent["member"]]
    return out


def _ids_activity(activity: Json) -> Json:
    return {"id": activity["id"]}


def _ids_body(body: Json) -> Json:
    out = dict(body)
    out["actor"] = _ids_agent(body["actor"])
    out["verb"] = {"id": body["verb"]["id"]}
    obj = body["object"]
    object_type = obj.get("objectType", "Activity")
    if object_type == "Activity":
        out["object"] = _ids_activity(obj)
    elif object_type in ("Agent", "Group"):
        out["object"] = _ids_agent(obj)
    elif object_type == "SubStatement":
        out["object"] = _ids_body(obj)
    if "authority" in body:
        out["authority"] = _ids_agent(body["authority"])
    context = body.get("context")
    if context:
        context = dict(context)
        for key in ("instructor", "team"):
            if key in context:
                context[key] = _ids_agent(context[key])
        if "contextActivities" in context:
            context["contextActivities"] = {
                key: [_ids_activity(a) for a in (value if isinstance(value, list) else [value])]
                for key, value in context["contextActivities"].items()
            }
        out["context"] = context
    return out


def to_ids(statement: Json) -> Json:
    """Format `ids`: agents, activities and verbs reduced to their identifiers."""
    return _ids_body(statement)


def pick_language(language_map: Json, accepted: list[str]) -> Json:
    """The one entry of a language map that best matches the Accept-Language list."""
    if not language_map:
        return language_map
    lowered = {tag.lower(): tag for tag in language_map}
    for wanted in accepted:
        wanted = wanted.lower()
        if wanted == "*":
            break
        if wanted in lowered:
            return {lowered[wanted]: language_map[lowered[wanted]]}
        for tag_lower, tag in lowered.items():
            if tag_lower.split("-")[0] == wanted.split("-")[0]:
                return {tag: language_map[tag]}
    tag = next(iter(language_map))
    return {tag: language_map[tag]}


def _canonical(value: Any, accepted: list[str], key: str = "") -> Any:
    if isinstance(value, dict):
        if key in ("display", "name", "description") and all(
            isinstance(v, str) for v in value.values()
        ):
            return pick_language(value, accepted)
        if key == "extensions":
            return value
        return {k: _canonical(v, accepted, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v, accepted, key) for v in value]
    return value


def to_canonical(statement: Json, accepted: list[str]) -> Json:
    """Format `canonical`: every language map narrowed to the best accepted language."""
    return dict(_canonical(statement, accepted))


def parse_accept_language(header: str) -> list[str]:
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _, params = piece.partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        weighted.append((-weight, index, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]
