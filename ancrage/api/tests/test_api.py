"""The HR API: API keys per organisation (scoped, revocable), licences and seat use,
programmes, assignments and enrolments — with clear 4xx answers and no cross-organisation
access."""

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from ancrage.api.actions import create_api_key, revoke_api_key
from ancrage.api.models import ApiKey, Scope
from ancrage.licensing import actions
from ancrage.licensing.models import Assignment, Programme
from ancrage.player.actions import start_path
from ancrage.player.models import Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db

ALL = [scope.value for scope in Scope]


def key_for(organisation, scopes=ALL):
    return create_api_key(organisation=organisation, name="SIRH", scopes=list(scopes))[1]


class Api:
    def __init__(self, key: str | None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {key}"} if key else {}

    def get(self, url, **params):
        return self.client.get(f"/api{url}", params, headers=self.headers)

    def post(self, url, data):
        return self.client.post(
            f"/api{url}", json.dumps(data), content_type="application/json", headers=self.headers
        )

    def patch(self, url, data):
        return self.client.patch(
            f"/api{url}", json.dumps(data), content_type="application/json", headers=self.headers
        )

    def delete(self, url):
        return self.client.delete(f"/api{url}", headers=self.headers)


@pytest.fixture
def api_a(tenancy, licences):
    return Api(key_for(tenancy.org_a))


@pytest.fixture
def api_b(tenancy, licences):
    return Api(key_for(tenancy.org_b))


# --- Keys, auth and scopes ------------------------------------------------------------------


def test_without_a_key_the_api_says_how_to_send_one(tenancy, licences):
    response = Api(None).get("/licences")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["detail"]


@pytest.mark.parametrize("bad", ["nonsense", "anc_abc_wrong", "anc__x"])
def test_unknown_or_malformed_keys_are_401(tenancy, licences, bad):
    key_for(tenancy.org_a)
    assert Api(bad).get("/licences").status_code == 401


def test_a_right_prefix_with_a_wrong_secret_is_401(tenancy, licences):
    full = key_for(tenancy.org_a)
    prefix = full.split("_")[1]
    assert Api(f"anc_{prefix}_forged").get("/licences").status_code == 401


def test_a_revoked_key_is_401_with_the_reason(tenancy, licences):
    full = key_for(tenancy.org_a)
    revoke_api_key(key=ApiKey.objects.get())
    response = Api(full).get("/licences")
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_only_the_hash_of_the_secret_is_stored_and_use_is_recorded(tenancy, licences):
    full = key_for(tenancy.org_a)
    key = ApiKey.objects.get()
    assert full.split("_", 2)[2] not in key.secret_hash
    assert key.last_used_at is None
    Api(full).get("/licences")
    key.refresh_from_db()
    assert key.last_used_at is not None


@pytest.mark.parametrize(
    ("method", "url", "scope"),
    [
        ("get", "/licences", "licences:read"),
        ("get", "/programmes", "programmes:read"),
        ("post", "/programmes", "programmes:write"),
        ("get", "/assignments", "assignments:read"),
        ("post", "/assignments", "assignments:write"),
        ("get", "/enrolments", "enrolments:read"),
    ],
)
def test_each_endpoint_needs_its_scope_and_names_it_when_missing(
    tenancy, licences, method, url, scope
):
    others = [s for s in ALL if s != scope]
    api = Api(key_for(tenancy.org_a, others))
    if method == "get":
        response = api.get(url)
    else:
        body = (
            {"title": "X"}
            if url == "/programmes"
            else {"path_code": "CNV", "team_id": str(tenancy.team_a.pk)}
        )
        response = api.post(url, body)
    assert response.status_code == 403
    assert scope in response.json()["detail"]


def test_docs_and_openapi_schema_are_published(client):
    assert client.get("/api/docs").status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert {"/api/licences", "/api/programmes", "/api/assignments", "/api/enrolments"} <= set(
        schema["paths"]
    )
    assert "post" in schema["paths"]["/api/programmes"]
    assert "patch" in schema["paths"]["/api/programmes/{programme_id}"]


# --- Licences -------------------------------------------------------------------------------


def test_licences_list_seat_use_of_the_keys_organisation_only(tenancy, catalogue, api_a, api_b):
    start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    [alpha] = api_a.get("/licences").json()
    assert (alpha["offer_kind"], alpha["seats"], alpha["seats_used"]) == ("integrale", 10, 1)
    assert alpha["effective"] is True
    assert alpha["paths"] == []
    [beta] = api_b.get("/licences").json()
    assert beta["offer_kind"] == "a_la_carte"
    assert beta["paths"] == ["CNV", "ECOUTE-ACTIVE"]
    assert beta["seats_used"] == 0


# --- Programmes -----------------------------------------------------------------------------


def test_create_read_and_patch_a_programme(tenancy, catalogue, api_a):
    created = api_a.post(
        "/programmes",
        {
            "title": "Managers 2027",
            "description": "Socle managérial",
            "strategic_stake": "Plan managers",
            "steps": [
                {"path_code": "ECOUTE-ACTIVE"},
                {"path_code": "CNV", "module_slug": "premier-pas"},
            ],
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert [s["path_code"] for s in body["steps"]] == ["ECOUTE-ACTIVE", "CNV"]
    assert body["steps"][1]["module_slug"] == "premier-pas"
    assert body["steps"][0]["title"] == "Écouter pour de vrai"
    programme_id = body["id"]
    assert Programme.objects.get(pk=programme_id).organisation == tenancy.org_a

    patched = api_a.patch(
        f"/programmes/{programme_id}",
        {"title": "Managers 2028", "steps": [{"path_code": "FEEDBACK"}]},
    )
    assert patched.status_code == 200
    assert patched.json()["title"] == "Managers 2028"
    assert [s["path_code"] for s in patched.json()["steps"]] == ["FEEDBACK"]
    assert patched.json()["strategic_stake"] == "Plan managers"  # untouched
    assert api_a.get(f"/programmes/{programme_id}").json()["title"] == "Managers 2028"
    assert [p["id"] for p in api_a.get("/programmes").json()] == [programme_id]


def test_validation_errors_name_the_field(tenancy, catalogue, api_a):
    missing = api_a.post("/programmes", {"description": "sans titre"})
    assert missing.status_code == 422
    detail = missing.json()["detail"]
    assert any("title" in error["loc"] for error in detail)

    unknown = api_a.post("/programmes", {"title": "X", "steps": [{"path_code": "NOPE"}]})
    assert unknown.status_code == 400
    assert unknown.json()["field"] == "steps[0].path_code"
    assert "NOPE" in unknown.json()["detail"]

    api_a.post("/programmes", {"title": "Doublon"})
    duplicate = api_a.post("/programmes", {"title": "Doublon"})
    assert duplicate.status_code == 400
    assert duplicate.json()["field"] == "title"

    module = api_a.post(
        "/programmes", {"title": "Y", "steps": [{"path_code": "CNV", "module_slug": "nope"}]}
    )
    assert module.status_code == 400
    assert module.json()["code"] == "unknown_module"
    assert not Programme.objects.filter(title="Y").exists()  # all or nothing


def test_a_path_outside_the_a_la_carte_licence_is_refused(tenancy, catalogue, api_b):
    response = api_b.post("/programmes", {"title": "Z", "steps": [{"path_code": "FEEDBACK"}]})
    assert response.status_code == 400
    assert response.json()["code"] == "not_licensed"


def test_a_key_never_sees_nor_changes_another_organisations_programme(
    tenancy, catalogue, api_a, api_b
):
    programme = actions.create_programme(organisation=tenancy.org_a, by=None, title="Alpha")
    assert api_b.get("/programmes").json() == []
    assert api_b.get(f"/programmes/{programme.pk}").status_code == 404
    assert api_b.patch(f"/programmes/{programme.pk}", {"title": "Volé"}).status_code == 404
    programme.refresh_from_db()
    assert programme.title == "Alpha"


# --- Assignments ----------------------------------------------------------------------------


def test_assign_a_programme_to_a_team_and_a_path_to_a_person(tenancy, catalogue, api_a):
    programme = actions.create_programme(
        organisation=tenancy.org_a, by=None, title="P", items=[actions.ItemSpec(catalogue.cnv)]
    )
    due = (timezone.localdate() + timedelta(days=10)).isoformat()
    team = api_a.post(
        "/assignments",
        {"programme_id": str(programme.pk), "team_id": str(tenancy.team_a.pk), "due_on": due},
    )
    assert team.status_code == 201, team.content
    assert team.json()["due_on"] == due
    person = api_a.post(
        "/assignments", {"path_code": "FEEDBACK", "person_email": "OUTSIDER@alpha.test"}
    )
    assert person.status_code == 201
    assert person.json()["person_email"] == "outsider@alpha.test"
    assert len(api_a.get("/assignments").json()) == 2

    assert api_a.delete(f"/assignments/{team.json()['id']}").status_code == 204
    assert Assignment.objects.count() == 1


def test_assignment_input_errors_are_clear(tenancy, catalogue, api_a, api_b):
    both = api_a.post(
        "/assignments",
        {
            "path_code": "CNV",
            "programme_id": str(Programme.objects.create(organisation=tenancy.org_a, title="T").pk),
            "team_id": str(tenancy.team_a.pk),
        },
    )
    assert both.status_code == 422
    assert "exactly one" in json.dumps(both.json())
    foreign_team = api_a.post(
        "/assignments", {"path_code": "CNV", "team_id": str(tenancy.team_b.pk)}
    )
    assert foreign_team.status_code == 400
    assert foreign_team.json()["field"] == "team_id"
    foreign_person = api_a.post(
        "/assignments", {"path_code": "CNV", "person_email": "other@beta.test"}
    )
    assert foreign_person.status_code == 400
    assert foreign_person.json()["field"] == "person_email"
    past = api_a.post(
        "/assignments",
        {
            "path_code": "CNV",
            "team_id": str(tenancy.team_a.pk),
            "due_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
        },
    )
    assert past.status_code == 400
    assert past.json()["field"] == "due_on"
    bad_date = api_a.post(
        "/assignments", {"path_code": "CNV", "team_id": str(tenancy.team_a.pk), "due_on": "demain"}
    )
    assert bad_date.status_code == 422
    assert not Assignment.objects.exists()


def test_a_key_never_removes_another_organisations_assignment(tenancy, catalogue, api_b):
    assignment = actions.assign(
        organisation=tenancy.org_a, by=None, path=catalogue.cnv, team=tenancy.team_a
    )
    assert api_b.get("/assignments").json() == []
    assert api_b.delete(f"/assignments/{assignment.pk}").status_code == 404
    assert Assignment.objects.filter(pk=assignment.pk).exists()


# --- Enrolments -----------------------------------------------------------------------------


def test_enrolments_with_status_filter_and_isolation(tenancy, catalogue, api_a, api_b):
    start_path(membership=tenancy.owner, path=catalogue.cnv, origin="self")
    done = start_path(membership=tenancy.teammate, path=catalogue.cnv, origin="self")
    Enrolment.objects.filter(pk=done.pk).update(
        status=EnrolmentStatus.COMPLETED, completed_at=timezone.now()
    )
    start_path(membership=tenancy.other, path=catalogue.cnv, origin="self")

    page = api_a.get("/enrolments").json()
    assert page["count"] == 2
    assert {row["person_email"] for row in page["items"]} == {
        "owner@alpha.test",
        "teammate@alpha.test",
    }
    completed = api_a.get("/enrolments", status="completed").json()
    assert [row["person_name"] for row in completed["items"]] == ["Tom Teammate"]
    assert completed["items"][0]["version"] == 1
    assert completed["items"][0]["team"] == "Service client"
    assert api_a.get("/enrolments", path_code="FEEDBACK").json()["count"] == 0
    assert api_a.get("/enrolments", status="dropped").status_code == 422
    assert [r["person_email"] for r in api_b.get("/enrolments").json()["items"]] == [
        "other@beta.test"
    ]
    assert api_a.get("/enrolments", limit=1).json()["count"] == 2
    assert len(api_a.get("/enrolments", limit=1).json()["items"]) == 1


# --- The command ----------------------------------------------------------------------------


def test_api_key_command_creates_prints_once_lists_and_revokes(tenancy, licences):
    out, err = StringIO(), StringIO()
    call_command(
        "api_key",
        "create",
        "--organisation",
        "alpha",
        "--scopes",
        "licences:read",
        "--by",
        "admin@alpha.test",
        stdout=out,
        stderr=err,
    )
    full = out.getvalue().strip()
    assert full.startswith("anc_")
    assert "will not be shown again" in err.getvalue()
    assert Api(full).get("/licences").status_code == 200

    listing = StringIO()
    call_command("api_key", "list", stdout=listing)
    assert full not in listing.getvalue()
    prefix = full.split("_")[1]
    assert prefix in listing.getvalue()

    call_command("api_key", "revoke", prefix, "--by", "admin@alpha.test", stdout=StringIO())
    assert Api(full).get("/licences").status_code == 401


BY = ("--by", "admin@alpha.test")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["create", "--organisation", "nowhere", "--scopes", "licences:read", *BY],
            "--organisation",
        ),
        (["create", "--organisation", "alpha", "--scopes", "everything", *BY], "--scopes"),
        (["revoke", "deadbeef", *BY], "prefix"),
        (
            ["create", "--organisation", "alpha", "--scopes", "licences:read", "--by", "x@y.z"],
            "--by",
        ),
    ],
)
def test_api_key_command_errors_exit_2_naming_the_argument(tenancy, args, message):
    err = StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("api_key", *args, stdout=StringIO(), stderr=err)
    assert exit_.value.code == 2
    assert message in err.getvalue()
