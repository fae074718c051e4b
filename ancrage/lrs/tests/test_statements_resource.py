"""Statements resource: store, fetch, duplicates, voiding, filters, formats and the more link."""

from datetime import UTC, datetime, timedelta

import orjson
import pytest
import time_machine

from ancrage.lrs.tests.conftest import make_xapi, new_id, statement

pytestmark = pytest.mark.django_db


def test_post_single_statement_returns_its_id_and_get_returns_it_with_lrs_fields(xapi):
    sid = new_id()
    response = xapi.post(statement(id=sid))
    assert response.status_code == 200
    assert response.json() == [sid]
    got = xapi.get(statementId=sid)
    assert got.status_code == 200
    body = got.json()
    assert body["id"] == sid
    assert body["authority"] == xapi.credential.authority
    assert body["stored"].endswith("Z")
    assert body["timestamp"] == body["stored"]
    assert body["version"] == "2.0.0"
    assert got["X-Experience-API-Version"] == "2.0.0"
    assert "Last-Modified" in got


def test_post_without_id_assigns_a_uuid(xapi):
    ids = xapi.post(statement()).json()
    assert len(ids) == 1
    assert len(ids[0]) == 36


def test_put_stores_under_statement_id_and_answers_204(xapi):
    sid = new_id()
    response = xapi.request("PUT", f"statements?statementId={sid}", statement())
    assert response.status_code == 204
    assert xapi.get(statementId=sid).json()["id"] == sid


def test_put_without_statement_id_is_400_naming_the_parameter(xapi):
    response = xapi.request("PUT", "statements", statement())
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "statementId"


def test_put_with_body_id_different_from_parameter_is_400(xapi):
    response = xapi.request("PUT", f"statements?statementId={new_id()}", statement(id=new_id()))
    assert response.status_code == 400


def test_replaying_the_same_statement_changes_nothing(xapi):
    sid = new_id()
    assert xapi.post(statement(id=sid)).status_code == 200
    assert xapi.post(statement(id=sid)).status_code == 200
    assert xapi.request("PUT", f"statements?statementId={sid}", statement()).status_code == 204
    assert len(xapi.get().json()["statements"]) == 1


def test_same_id_with_different_content_is_409_and_leaves_the_original(xapi):
    sid = new_id()
    xapi.post(statement(id=sid))
    other = statement(id=sid, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    assert xapi.post(other).status_code == 409
    assert xapi.get(statementId=sid).json()["verb"]["id"].endswith("completed")


def test_batch_with_repeated_id_is_400_and_stores_nothing(xapi):
    sid = new_id()
    response = xapi.post([statement(id=sid), statement(id=sid)])
    assert response.status_code == 400
    assert "statements[1].id" in response.json()["error"]["field"]
    assert xapi.get().json()["statements"] == []


def test_batch_is_all_or_nothing_when_one_statement_conflicts(xapi):
    sid = new_id()
    xapi.post(statement(id=sid))
    fresh = new_id()
    conflicting = statement(id=sid, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    assert xapi.post([statement(id=fresh), conflicting]).status_code == 409
    assert xapi.get(statementId=fresh).status_code == 404


def test_empty_batch_is_400(xapi):
    assert xapi.post([]).status_code == 400


def test_voiding_hides_the_target_from_statement_id_and_lists(xapi):
    target = new_id()
    xapi.post(statement(id=target))
    voiding = statement(
        verb={"id": "http://adlnet.gov/expapi/verbs/voided"},
        object={"objectType": "StatementRef", "id": target},
    )
    assert xapi.post(voiding).status_code == 200
    assert xapi.get(statementId=target).status_code == 404
    assert xapi.get(voidedStatementId=target).json()["id"] == target
    listed = [s["id"] for s in xapi.get().json()["statements"]]
    assert target not in listed


def test_voided_statement_id_of_a_live_statement_is_404(xapi):
    sid = new_id()
    xapi.post(statement(id=sid))
    assert xapi.get(voidedStatementId=sid).status_code == 404


def test_voiding_a_voiding_statement_is_400(xapi):
    target = new_id()
    xapi.post(statement(id=target))
    first = new_id()
    void = {"id": "http://adlnet.gov/expapi/verbs/voided"}
    xapi.post(statement(id=first, verb=void, object={"objectType": "StatementRef", "id": target}))
    again = statement(verb=void, object={"objectType": "StatementRef", "id": first})
    assert xapi.post(again).status_code == 400


def test_voiding_statement_must_reference_a_statement(xapi):
    bad = statement(verb={"id": "http://adlnet.gov/expapi/verbs/voided"})
    assert xapi.post(bad).status_code == 400


def test_statement_ref_matches_its_targets_verb_filter(xapi):
    target = new_id()
    verb = "https://ancrage.test/verbs/" + new_id()
    xapi.post(statement(id=target, verb={"id": verb}))
    ref = new_id()
    xapi.post(statement(id=ref, object={"objectType": "StatementRef", "id": target}))
    ids = [s["id"] for s in xapi.get(verb=verb).json()["statements"]]
    assert ids == [ref, target]


def test_filters_by_agent_verb_activity_and_registration(xapi):
    registration = new_id()
    xapi.post(statement())
    wanted = new_id()
    xapi.post(
        statement(
            id=wanted,
            actor={"mbox": "mailto:tom@alpha.test"},
            verb={"id": "http://adlnet.gov/expapi/verbs/attempted"},
            object={"id": "https://ancrage.test/paths/cnv"},
            context={"registration": registration},
        )
    )
    for params in (
        {"agent": {"mbox": "mailto:tom@alpha.test"}},
        {"verb": "http://adlnet.gov/expapi/verbs/attempted"},
        {"activity": "https://ancrage.test/paths/cnv"},
        {"registration": registration},
    ):
        ids = [s["id"] for s in xapi.get(**params).json()["statements"]]
        assert ids == [wanted], params


def test_related_activities_and_related_agents_widen_the_filter(xapi):
    sid = new_id()
    xapi.post(
        statement(
            id=sid,
            context={
                "instructor": {"mbox": "mailto:coach@alpha.test"},
                "contextActivities": {"parent": [{"id": "https://ancrage.test/programmes/p1"}]},
            },
        )
    )
    assert xapi.get(activity="https://ancrage.test/programmes/p1").json()["statements"] == []
    related = xapi.get(activity="https://ancrage.test/programmes/p1", related_activities="true")
    assert [s["id"] for s in related.json()["statements"]] == [sid]
    agent = {"mbox": "mailto:coach@alpha.test"}
    assert xapi.get(agent=agent).json()["statements"] == []
    assert [s["id"] for s in xapi.get(agent=agent, related_agents="true").json()["statements"]] == [
        sid
    ]


@pytest.mark.parametrize("ascending", ["true", "false"])
def test_related_activities_pages_walk_every_match_once_in_order(xapi, ascending):
    parent = {"contextActivities": {"parent": [{"id": "https://ancrage.test/programmes/p2"}]}}
    ids = [new_id() for _ in range(5)]
    for sid in ids:
        xapi.post(statement(id=sid, context=parent))
    xapi.post(statement(id=new_id()))  # unrelated
    params = {
        "activity": "https://ancrage.test/programmes/p2",
        "related_activities": "true",
        "limit": 2,
        "ascending": ascending,
    }
    page = xapi.get(**params).json()
    seen: list[str] = []
    while True:
        seen += [s["id"] for s in page["statements"]]
        assert all("actor" in s for s in page["statements"])  # whole statements, not keys
        if not page["more"]:
            break
        page = xapi.request("GET", page["more"].removeprefix("/xapi/")).json()
    assert seen == (ids if ascending == "true" else ids[::-1])


def test_since_until_ascending_and_limit_with_more_link_walk_every_statement(xapi):
    ids = [new_id() for _ in range(5)]
    start = datetime.now(tz=UTC)
    for index, sid in enumerate(ids):
        # One clearly distinct `stored` each: `since` is strictly after, and a fast machine
        # can store two statements within the same millisecond.
        with time_machine.travel(start + timedelta(milliseconds=10 * index), tick=False):
            xapi.post(statement(id=sid))
    seen: list[str] = []
    page = xapi.get(limit=2, ascending="true").json()
    while True:
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            break
        assert page["more"].startswith("/xapi/statements?")
        page = xapi.request("GET", page["more"].removeprefix("/xapi/")).json()
    assert seen == ids
    first = xapi.get(statementId=ids[1]).json()["stored"]
    after = [s["id"] for s in xapi.get(since=first, ascending="true").json()["statements"]]
    assert after == ids[2:]
    upto = [s["id"] for s in xapi.get(until=first, ascending="true").json()["statements"]]
    assert upto == ids[:2]


def test_format_ids_reduces_objects_to_identifiers(xapi):
    sid = new_id()
    xapi.post(statement(id=sid))
    body = xapi.get(statementId=sid, format="ids").json()
    assert body["actor"] == {"objectType": "Agent", "mbox": "mailto:lea@alpha.test"}
    assert body["verb"] == {"id": "http://adlnet.gov/expapi/verbs/completed"}
    assert "definition" not in body["object"]


def test_format_canonical_keeps_one_language(xapi):
    sid = new_id()
    xapi.post(
        statement(
            id=sid, verb={"id": "http://x.test/v", "display": {"en-US": "did", "fr-FR": "a fait"}}
        )
    )
    response = xapi.request(
        "GET", f"statements?statementId={sid}&format=canonical", **{"Accept-Language": "fr-FR"}
    )
    assert response.json()["verb"]["display"] == {"fr-FR": "a fait"}


def test_statement_id_with_other_filters_is_400(xapi):
    assert xapi.get(statementId=new_id(), verb="http://x.test/v").status_code == 400


def test_unknown_query_parameter_is_400(xapi):
    response = xapi.get(colour="blue")
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "colour"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "-1"}, "limit"),
        ({"since": "yesterday"}, "since"),
        ({"agent": "{not json"}, "agent"),
        ({"agent": {"mbox": "lea@alpha.test"}}, "agent.mbox"),
        ({"format": "full"}, "format"),
        ({"ascending": "yes"}, "ascending"),
        ({"registration": "nope"}, "registration"),
    ],
)
def test_bad_query_values_are_400_naming_the_field(xapi, params, field):
    response = xapi.get(**params)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == field


def test_get_answers_consistent_through_header(xapi):
    response = xapi.get()
    assert response["X-Experience-API-Consistent-Through"].endswith("Z")


def test_head_answers_headers_without_body(xapi):
    response = xapi.request("HEAD", "statements")
    assert response.status_code == 200
    assert response.content == b""


def test_missing_version_header_is_400(xapi):
    response = xapi.client.get(
        "/xapi/statements", headers={"Authorization": xapi.headers()["Authorization"]}
    )
    assert response.status_code == 400


def test_version_1_0_3_is_negotiated_and_echoed(xapi):
    xapi.version = "1.0.3"
    sid = new_id()
    xapi.post(statement(id=sid))
    response = xapi.get(statementId=sid)
    assert response["X-Experience-API-Version"] == "1.0.3"
    assert response.json()["version"] == "1.0.0"


def test_unsupported_version_is_400(xapi):
    xapi.version = "0.95"
    assert xapi.get().status_code == 400


def test_wrong_content_type_is_400(xapi):
    response = xapi.post(orjson.dumps(statement()), content_type="text/plain")
    assert response.status_code == 400


def test_malformed_json_is_400(xapi):
    response = xapi.post(b'{"actor": ')
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "statements"


def test_huge_body_is_413(xapi, settings):
    settings.LRS_MAX_BODY_BYTES = 2048
    response = xapi.post([statement() for _ in range(40)])
    assert response.status_code == 413


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_replays_and_conflicts_behave_the_same(tenancy):
    xapi = make_xapi(tenancy.org_a)
    sid = new_id()
    xapi.post(statement(id=sid))  # first time: definition not yet known (transactional path)
    other = new_id()
    assert xapi.post(statement(id=other)).status_code == 200  # known definition: fast path
    assert xapi.post(statement(id=other)).status_code == 200  # replay: no change
    conflicting = statement(id=other, verb={"id": "http://adlnet.gov/expapi/verbs/failed"})
    assert xapi.post(conflicting).status_code == 409
    assert [s["id"] for s in xapi.get().json()["statements"]] == [other, sid]
