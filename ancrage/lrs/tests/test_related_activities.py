"""`related_activities=true` answers from `StatementActivity` exactly what the statements'
own `related_activities` arrays say (the GIN query it replaced), on SQLite and PostgreSQL."""

import importlib
from types import SimpleNamespace
from typing import Any

import pytest
from django.db import connection

from ancrage.lrs.models import Statement, StatementActivity
from ancrage.lrs.shapes import activity_hash
from ancrage.lrs.tests.conftest import Xapi, make_xapi, new_id, statement

pytestmark = pytest.mark.django_db

BACKFILL = importlib.import_module("ancrage.lrs.migrations.0005_backfill_statement_activities")

A = "https://ancrage.test/activities/"
VOID = {"id": "http://adlnet.gov/expapi/verbs/voided"}
ATTEMPTED = {"id": "http://adlnet.gov/expapi/verbs/attempted"}


def _context(**activities: Any) -> dict[str, Any]:
    return {"contextActivities": activities}


def _walk(xapi: Xapi, **params: Any) -> list[str]:
    """Every id the more links lead to, two statements a page."""
    page = xapi.get(related_activities="true", limit=2, **params).json()
    seen: list[str] = []
    while True:
        seen += [s["id"] for s in page["statements"]]
        if not page["more"]:
            return seen
        page = xapi.request("GET", page["more"].removeprefix("/xapi/")).json()


def _reference(organisation: Any, activity: str, *, ascending: bool = False) -> list[str]:
    """The query this feature replaced: every unvoided statement whose array has the IRI."""
    order = ("stored", "seq") if ascending else ("-stored", "-seq")
    rows = (
        Statement.objects.filter(organisation=organisation, voided=False)
        .filter(related_activities__has_element=activity)
        .order_by(*order)
        .values_list("statement_id", flat=True)
    )
    return [str(sid) for sid in rows]


@pytest.fixture
def mixed(xapi: Xapi) -> dict[str, str]:
    """Statements relating activities in every way xAPI allows, plus voided and unrelated."""
    ids = {name: new_id() for name in ("object", "parent", "sub", "sub_context", "both", "plain")}
    ids |= {"ref": new_id(), "voided": new_id(), "voiding": new_id()}
    xapi.post(statement(id=ids["object"], object={"id": A + "one"}))
    xapi.post(statement(id=ids["parent"], context=_context(parent={"id": A + "one"})))
    xapi.post(
        statement(
            id=ids["sub"],
            object={
                "objectType": "SubStatement",
                "actor": {"mbox": "mailto:tom@alpha.test"},
                "verb": ATTEMPTED,
                "object": {"id": A + "two"},
                "context": _context(grouping=[{"id": A + "one"}]),
            },
        )
    )
    xapi.post(
        statement(
            id=ids["sub_context"],
            context=_context(category=[{"id": A + "two"}], other=[{"id": A + "three"}]),
        )
    )
    # The same activity as object and as context: one row, one answer.
    xapi.post(
        statement(
            id=ids["both"], object={"id": A + "one"}, context=_context(parent={"id": A + "one"})
        )
    )
    xapi.post(statement(id=ids["plain"]))
    # A StatementRef relates the activities of the statement it targets.
    xapi.post(statement(id=ids["ref"], object={"objectType": "StatementRef", "id": ids["object"]}))
    xapi.post(statement(id=ids["voided"], object={"id": A + "one"}))
    xapi.post(
        statement(
            id=ids["voiding"], verb=VOID, object={"objectType": "StatementRef", "id": ids["voided"]}
        )
    )
    return ids


@pytest.mark.parametrize("ascending", [False, True])
def test_every_related_activity_answers_what_the_statement_arrays_say(
    xapi: Xapi, mixed: dict[str, str], ascending: bool
) -> None:
    for name in ("one", "two", "three", "nowhere"):
        expected = _reference(xapi.credential.organisation, A + name, ascending=ascending)
        got = _walk(xapi, activity=A + name, ascending=str(ascending).lower())
        assert got == expected, name
    one = _walk(xapi, activity=A + "one")
    assert {mixed[n] for n in ("object", "parent", "sub", "both", "ref")} <= set(one)
    assert len(one) == len(set(one))
    assert mixed["voided"] not in one
    assert mixed["plain"] not in one
    assert set(_walk(xapi, activity=A + "three")) == {mixed["sub_context"]}


def test_related_activities_combine_with_the_other_filters(xapi: Xapi) -> None:
    registration = new_id()
    tom = {"mbox": "mailto:tom@alpha.test"}
    wanted = new_id()
    xapi.post(
        statement(
            id=wanted,
            actor=tom,
            verb=ATTEMPTED,
            context={"registration": registration, **_context(parent=[{"id": A + "p"}])},
        )
    )
    xapi.post(statement(context=_context(parent=[{"id": A + "p"}])))  # other actor and verb
    for params in (
        {"agent": tom},
        {"verb": ATTEMPTED["id"]},
        {"registration": registration},
        {"agent": tom, "verb": ATTEMPTED["id"], "registration": registration},
    ):
        assert _walk(xapi, activity=A + "p", **params) == [wanted], params
    first = xapi.get(statementId=wanted).json()["stored"]
    assert len(_walk(xapi, activity=A + "p", since=first)) == 1
    assert _walk(xapi, activity=A + "p", until=first) == [wanted]


def test_related_activities_never_show_another_organisations_statements(
    xapi: Xapi, xapi_b: Xapi
) -> None:
    mine, theirs = new_id(), new_id()
    xapi.post(statement(id=mine, object={"id": A + "shared"}))
    xapi_b.post(statement(id=theirs, object={"id": A + "shared"}))
    assert _walk(xapi, activity=A + "shared") == [mine]
    assert _walk(xapi_b, activity=A + "shared") == [theirs]


def test_read_mine_credentials_see_only_their_related_statements(xapi: Xapi) -> None:
    writer = make_xapi(xapi.credential.organisation, ["statements/write", "statements/read/mine"])
    mine = new_id()
    writer.post(statement(id=mine, context=_context(parent=[{"id": A + "m"}])))
    xapi.post(statement(context=_context(parent=[{"id": A + "m"}])))
    assert _walk(writer, activity=A + "m") == [mine]
    assert len(_walk(xapi, activity=A + "m")) == 2


def test_a_batch_writes_one_row_per_distinct_activity_of_each_statement(xapi: Xapi) -> None:
    batch = [
        statement(id=new_id(), object={"id": A + "x"}, context=_context(parent={"id": A + "x"})),
        statement(id=new_id(), object={"id": A + "y"}, context=_context(other=[{"id": A + "x"}])),
    ]
    assert xapi.post(batch).status_code == 200
    rows = StatementActivity.objects.filter(organisation=xapi.credential.organisation)
    assert sorted(rows.values_list("activity_hash", flat=True)) == sorted(
        [activity_hash(A + "x"), activity_hash(A + "x"), activity_hash(A + "y")]
    )


def test_the_backfill_rebuilds_the_rows_ingest_wrote(xapi: Xapi, mixed: dict[str, str]) -> None:
    def rows() -> set[tuple[Any, ...]]:
        return set(
            StatementActivity.objects.values_list(
                "organisation_id", "activity_hash", "stored", "seq"
            )
        )

    written = rows()
    assert len(written) >= 8
    StatementActivity.objects.all().delete()
    editor = SimpleNamespace(connection=connection)  # all the migration reads of its editor
    BACKFILL.backfill(None, editor)
    assert rows() == written
    BACKFILL.backfill(None, editor)  # rerunnable
    assert rows() == written


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's hash in SQL")
@pytest.mark.parametrize(
    "iri", ["https://ancrage.test/a", "urn:x:é→中", "http://example.com/" + "z" * 3000]
)
def test_postgresql_hashes_activities_like_python(iri: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + BACKFILL.PG_ACTIVITY_HASH.format("%s"), [iri])
        assert cursor.fetchone()[0] == activity_hash(iri)
