"""State, Activity Profile and Agent Profile documents: ETags, concurrency and JSON merge."""

import pytest

from ancrage.lrs.tests.conftest import new_id

pytestmark = pytest.mark.django_db

AGENT = {"mbox": "mailto:lea@alpha.test"}
ACTIVITY = "https://ancrage.test/paths/ecoute"


def _state(xapi, method, body=None, state_id="bookmark", **headers):
    params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": state_id}
    return xapi.request(method, "activities/state", body, params=params, **headers)


def test_state_put_then_get_returns_content_with_quoted_etag(xapi):
    assert _state(xapi, "PUT", {"card": 3}).status_code == 204
    response = _state(xapi, "GET")
    assert response.json() == {"card": 3}
    assert response["ETag"].startswith('"')
    assert response["ETag"].endswith('"')


def test_post_merges_json_objects(xapi):
    _state(xapi, "POST", {"card": 3, "score": 1})
    _state(xapi, "POST", {"score": 2, "done": True})
    assert _state(xapi, "GET").json() == {"card": 3, "score": 2, "done": True}


def test_post_of_non_object_json_is_400(xapi):
    assert _state(xapi, "POST", [1, 2]).status_code == 400


def test_if_match_with_a_stale_etag_is_412_and_changes_nothing(xapi):
    _state(xapi, "PUT", {"v": 1})
    response = _state(xapi, "PUT", {"v": 2}, **{"If-Match": '"0000"'})
    assert response.status_code == 412
    assert _state(xapi, "GET").json() == {"v": 1}


def test_if_match_with_the_current_etag_replaces(xapi):
    _state(xapi, "PUT", {"v": 1})
    etag = _state(xapi, "GET")["ETag"]
    assert _state(xapi, "PUT", {"v": 2}, **{"If-Match": etag}).status_code == 204
    assert _state(xapi, "GET").json() == {"v": 2}


def test_if_none_match_star_refuses_to_overwrite(xapi):
    _state(xapi, "PUT", {"v": 1})
    assert _state(xapi, "PUT", {"v": 2}, **{"If-None-Match": "*"}).status_code == 412


def test_v2_put_over_existing_document_without_precondition_is_409(xapi):
    _state(xapi, "PUT", {"v": 1})
    response = _state(xapi, "PUT", {"v": 2})
    assert response.status_code == 409
    assert response.json()["error"]["message"]


def test_v103_state_put_overwrites_without_precondition(xapi):
    xapi.version = "1.0.3"
    _state(xapi, "PUT", {"v": 1})
    assert _state(xapi, "PUT", {"v": 2}).status_code == 204


def test_v103_profile_put_without_any_precondition_is_400(xapi):
    xapi.version = "1.0.3"
    params = {"activityId": ACTIVITY, "profileId": "p"}
    assert xapi.request("PUT", "activities/profile", {"a": 1}, params=params).status_code == 400
    created = xapi.request(
        "PUT", "activities/profile", {"a": 1}, params=params, **{"If-None-Match": "*"}
    )
    assert created.status_code == 204


def test_get_without_state_id_lists_ids_and_delete_removes_all(xapi):
    _state(xapi, "PUT", {"v": 1}, state_id="a")
    _state(xapi, "PUT", {"v": 1}, state_id="b")
    params = {"activityId": ACTIVITY, "agent": AGENT}
    assert xapi.request("GET", "activities/state", params=params).json() == ["a", "b"]
    assert xapi.request("DELETE", "activities/state", params=params).status_code == 204
    assert xapi.request("GET", "activities/state", params=params).json() == []


def test_missing_document_is_404(xapi):
    assert _state(xapi, "GET", state_id="nope").status_code == 404


def test_registration_separates_state_documents(xapi):
    registration = new_id()
    params = {"activityId": ACTIVITY, "agent": AGENT, "stateId": "s", "registration": registration}
    xapi.request("PUT", "activities/state", {"r": 1}, params=params)
    assert _state(xapi, "GET", state_id="s").status_code == 404
    assert xapi.request("GET", "activities/state", params=params).json() == {"r": 1}


def test_state_requires_a_valid_agent(xapi):
    params = {"activityId": ACTIVITY, "agent": {"name": "no ifi"}, "stateId": "s"}
    response = xapi.request("GET", "activities/state", params=params)
    assert response.status_code == 400


def test_agent_profile_round_trip_with_non_json_content(xapi):
    params = {"agent": AGENT, "profileId": "avatar"}
    put = xapi.request(
        "PUT",
        "agents/profile",
        b"\x89PNG",
        params=params,
        content_type="image/png",
        **{"If-None-Match": "*"},
    )
    assert put.status_code == 204
    got = xapi.request("GET", "agents/profile", params=params)
    assert got.content == b"\x89PNG"
    assert got["Content-Type"] == "image/png"


def test_activities_resource_merges_languages_from_statements(xapi):
    activity = "https://ancrage.test/activities/" + new_id()
    base = {"actor": AGENT, "verb": {"id": "http://x.test/v"}}
    xapi.post({**base, "object": {"id": activity, "definition": {"name": {"en-US": "meeting"}}}})
    xapi.post({**base, "object": {"id": activity, "definition": {"name": {"fr-FR": "réunion"}}}})
    body = xapi.get("activities", activityId=activity).json()
    assert body["definition"]["name"] == {"en-US": "meeting", "fr-FR": "réunion"}


def test_unknown_activity_still_answers_an_activity_object(xapi):
    body = xapi.get("activities", activityId="https://ancrage.test/unknown").json()
    assert body == {"objectType": "Activity", "id": "https://ancrage.test/unknown"}


def test_agents_resource_returns_a_person(xapi):
    body = xapi.get("agents", agent={"mbox": "mailto:lea@alpha.test", "name": "Léa"}).json()
    assert body == {"objectType": "Person", "name": ["Léa"], "mbox": ["mailto:lea@alpha.test"]}


def test_about_needs_no_credentials_or_version(client):
    body = client.get("/xapi/about").json()
    assert "2.0.0" in body["version"]
    assert "1.0.3" in body["version"]
