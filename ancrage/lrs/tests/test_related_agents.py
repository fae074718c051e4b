"""`agent` with `related_agents=true` answers from `StatementAgent` exactly what the
statements' own `related_agents` arrays say (the GIN query it replaced), on SQLite and
PostgreSQL, and still does after a GDPR erasure rewrote the person's agents."""

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from ancrage.lrs.models import Statement, StatementAgent
from ancrage.lrs.shapes import agent_hash, agent_key
from ancrage.lrs.tests.conftest import Xapi, make_xapi, new_id, statement
from ancrage.privacy.actions import erase_person
from ancrage.privacy.models import Erasure

pytestmark = pytest.mark.django_db

BACKFILL = importlib.import_module("ancrage.lrs.migrations.0008_backfill_statement_agents")

VOID = {"id": "http://adlnet.gov/expapi/verbs/voided"}
ATTEMPTED = {"id": "http://adlnet.gov/expapi/verbs/attempted"}
TOM = {"mbox": "mailto:tom@alpha.test"}
ANA = {"mbox": "mailto:ana@alpha.test"}
BOB = {"account": {"homePage": "https://ancrage.test", "name": "bob"}}
NOBODY = {"mbox": "mailto:nobody@alpha.test"}
A = "https://ancrage.test/activities/"


def _walk(xapi: Xapi, agent: dict[str, Any], **params: Any) -> list[str]:
    """Every id the more links lead to, two statements a page."""
    page = xapi.get(agent=agent, related_agents="true", limit=2, **params).json()
    seen: list[str] = []
    while True:
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            return seen
        page = xapi.request("GET", page["more"].removeprefix("/xapi/")).json()


def _reference(organisation: Any, agent: dict[str, Any], *, ascending: bool = False) -> list[str]:
    """The query this feature replaced: every unvoided statement whose array has the key."""
    order = ("stored", "seq") if ascending else ("-stored", "-seq")
    rows = (
        Statement.objects.filter(organisation=organisation, voided=False)
        .filter(related_agents__has_element=agent_key(agent))
        .order_by(*order)
        .values_list("statement_id", flat=True)
    )
    return [str(sid) for sid in rows]


@pytest.fixture
def mixed(xapi: Xapi) -> dict[str, str]:
    """Statements relating agents in every way xAPI allows, plus voided and unrelated."""
    names = ("actor", "object", "team", "instructor", "member", "sub", "both", "plain")
    ids = {name: new_id() for name in (*names, "ref", "voided", "voiding")}
    xapi.post(statement(id=ids["actor"], actor=TOM))
    xapi.post(statement(id=ids["object"], object={"objectType": "Agent", **TOM}))
    xapi.post(statement(id=ids["team"], context={"team": {"objectType": "Group", **BOB}}))
    xapi.post(statement(id=ids["instructor"], context={"instructor": TOM}))
    xapi.post(
        statement(
            id=ids["member"],
            actor={"objectType": "Group", "member": [{"objectType": "Agent", **TOM}, ANA]},
        )
    )
    xapi.post(
        statement(
            id=ids["sub"],
            object={
                "objectType": "SubStatement",
                "actor": ANA,
                "verb": ATTEMPTED,
                "object": {"objectType": "Agent", **TOM},
            },
        )
    )
    # The same agent as actor and instructor: one row, one answer.
    xapi.post(statement(id=ids["both"], actor=TOM, context={"instructor": TOM}))
    xapi.post(statement(id=ids["plain"]))
    # A StatementRef relates the agents of the statement it targets.
    xapi.post(statement(id=ids["ref"], object={"objectType": "StatementRef", "id": ids["actor"]}))
    xapi.post(statement(id=ids["voided"], actor=TOM))
    xapi.post(
        statement(
            id=ids["voiding"], verb=VOID, object={"objectType": "StatementRef", "id": ids["voided"]}
        )
    )
    return ids


@pytest.mark.parametrize("ascending", [False, True])
def test_every_related_agent_answers_what_the_statement_arrays_say(
    xapi: Xapi, mixed: dict[str, str], ascending: bool
) -> None:
    for agent in (TOM, ANA, {"objectType": "Group", **BOB}, NOBODY):
        expected = _reference(xapi.credential.organisation, agent, ascending=ascending)
        got = _walk(xapi, agent, ascending=str(ascending).lower())
        assert got == expected, agent
    tom = _walk(xapi, TOM)
    wanted = ("actor", "object", "instructor", "member", "sub", "both", "ref")
    assert {mixed[n] for n in wanted} <= set(tom)
    assert len(tom) == len(set(tom))
    assert mixed["voided"] not in tom
    assert mixed["plain"] not in tom
    assert _walk(xapi, NOBODY) == []


def test_related_agents_combine_with_the_other_filters(xapi: Xapi) -> None:
    registration = new_id()
    wanted = new_id()
    xapi.post(
        statement(
            id=wanted,
            verb=ATTEMPTED,
            object={"id": A + "p"},
            context={"registration": registration, "instructor": TOM},
        )
    )
    xapi.post(statement(context={"instructor": TOM}))  # other verb, activity, registration
    for params in (
        {"verb": ATTEMPTED["id"]},
        {"activity": A + "p"},
        {"activity": A + "p", "related_activities": "true"},
        {"registration": registration},
        {"verb": ATTEMPTED["id"], "activity": A + "p", "registration": registration},
    ):
        assert _walk(xapi, TOM, **params) == [wanted], params
    first = xapi.get(statementId=wanted).json()["stored"]
    assert len(_walk(xapi, TOM, since=first)) == 1
    assert _walk(xapi, TOM, until=first) == [wanted]


def test_related_agents_never_show_another_organisations_statements(
    xapi: Xapi, xapi_b: Xapi
) -> None:
    mine, theirs = new_id(), new_id()
    xapi.post(statement(id=mine, context={"instructor": TOM}))
    xapi_b.post(statement(id=theirs, context={"instructor": TOM}))
    assert _walk(xapi, TOM) == [mine]
    assert _walk(xapi_b, TOM) == [theirs]


def test_read_mine_credentials_see_only_their_related_statements(xapi: Xapi) -> None:
    writer = make_xapi(xapi.credential.organisation, ["statements/write", "statements/read/mine"])
    mine = new_id()
    writer.post(statement(id=mine, context={"instructor": TOM}))
    xapi.post(statement(context={"instructor": TOM}))
    assert _walk(writer, TOM) == [mine]
    assert len(_walk(xapi, TOM)) == 2


def test_a_batch_writes_one_row_per_distinct_agent_of_each_statement(xapi: Xapi) -> None:
    batch = [
        statement(id=new_id(), actor=TOM, context={"instructor": TOM}),
        statement(id=new_id(), actor=ANA, context={"instructor": TOM}),
    ]
    assert xapi.post(batch).status_code == 200
    organisation = xapi.credential.organisation
    rows = StatementAgent.objects.filter(organisation=organisation)
    # Every statement also names its authority (the credential's agent).
    authority = {
        agent_hash(key)
        for keys in Statement.objects.filter(organisation=organisation).values_list(
            "related_agents", flat=True
        )
        for key in keys
    } - {agent_hash(agent_key(TOM) or ""), agent_hash(agent_key(ANA) or "")}
    assert len(authority) == 1
    assert sorted(rows.values_list("agent_hash", flat=True)) == sorted(
        [agent_hash(agent_key(a) or "") for a in (TOM, TOM, ANA)] + 2 * list(authority)
    )


def test_the_backfill_rebuilds_the_rows_ingest_wrote(xapi: Xapi, mixed: dict[str, str]) -> None:
    def rows() -> set[tuple[Any, ...]]:
        return set(
            StatementAgent.objects.values_list("organisation_id", "agent_hash", "stored", "seq")
        )

    written = rows()
    assert len(written) >= 10
    StatementAgent.objects.all().delete()
    editor = SimpleNamespace(connection=connection)  # all the migration reads of its editor
    BACKFILL.backfill(None, editor)
    assert rows() == written
    BACKFILL.backfill(None, editor)  # rerunnable
    assert rows() == written


def test_after_erasure_the_old_key_finds_nothing_and_the_pseudonym_finds_it_all(
    tenancy: Any,
) -> None:
    xapi = make_xapi(tenancy.org_a)
    person = {"mbox": f"mailto:{tenancy.owner.user.email}"}
    ids = [new_id(), new_id(), new_id()]
    xapi.post(statement(id=ids[0], actor=person))
    xapi.post(statement(id=ids[1], actor=TOM, context={"instructor": person}))
    xapi.post(statement(id=ids[2], actor={"objectType": "Group", "member": [person, ANA]}))
    others = _walk(xapi, ANA)
    assert set(_walk(xapi, person)) == set(ids)

    erase_person(actor=tenancy.admin, person=tenancy.owner)

    assert _walk(xapi, person) == []
    assert not StatementAgent.objects.filter(agent_hash=agent_hash(agent_key(person) or ""))
    erasure = Erasure.objects.get(membership=tenancy.owner)
    pseudonym = Statement.objects.get(statement_id=ids[0]).payload["actor"]
    assert pseudonym["account"]["name"] == f"anonyme-{erasure.pseudonym}"
    assert _walk(xapi, pseudonym) == _reference(tenancy.org_a, pseudonym) == ids[::-1]
    assert _walk(xapi, ANA) == others
    assert _walk(xapi, TOM) == [ids[1]]
    # A second run finds nothing more to rewrite and leaves the rows as they are.
    before = set(StatementAgent.objects.values_list("agent_hash", "seq"))
    erase_person(actor=tenancy.admin, person=tenancy.owner)
    assert set(StatementAgent.objects.values_list("agent_hash", "seq")) == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's hash in SQL")
def test_postgresql_hashes_agents_like_python() -> None:
    key = agent_key({"account": {"homePage": "https://ancrage.test/é", "name": "中"}}) or ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + BACKFILL.PG_AGENT_HASH.format("%s"), [key])
        assert cursor.fetchone()[0] == agent_hash(key)
