"""The statement validator, rule by rule, and a hypothesis fuzz: only ValidationError escapes."""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ancrage.lrs.validation import ValidationError, validate_statement, validate_statements

BASE = {
    "actor": {"mbox": "mailto:lea@alpha.test"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
    "object": {"id": "https://ancrage.test/paths/ecoute"},
}


def with_(path, value):
    data = copy.deepcopy(BASE)
    node = data
    keys = path.split(".")
    for key in keys[:-1]:
        node = node.setdefault(key, {})
    node[keys[-1]] = value
    return data


def test_minimal_statement_is_valid():
    validate_statement(BASE)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (with_("id", "not-a-uuid"), "statement.id"),
        (with_("actor.mbox", "lea@alpha.test"), "statement.actor.mbox"),
        (with_("actor.openid", "http://id.test/lea"), "statement.actor"),
        (with_("actor.mbox_sha1sum", "xyz"), "statement.actor.mbox_sha1sum"),
        (with_("verb.id", "completed"), "statement.verb.id"),
        (with_("verb.display", {"not a tag!": "x"}), "statement.verb.display.not a tag!"),
        (with_("Verb", {"id": "http://x.test/v"}), "statement.Verb"),
        (with_("colour", "blue"), "statement.colour"),
        (with_("timestamp", "01/011/2015"), "statement.timestamp"),
        (with_("timestamp", "2008-09-15T15:53:00.601-00:00"), "statement.timestamp"),
        (with_("result.score.scaled", 1.5), "statement.result.score.scaled"),
        (with_("result.score", {"raw": 5, "min": 6, "max": 10}), "statement.result.score.raw"),
        (with_("result.duration", "P4W1D"), "statement.result.duration"),
        (with_("result.success", "yes"), "statement.result.success"),
        (with_("context.registration", "x"), "statement.context.registration"),
        (with_("context.language", "not_a_tag"), "statement.context.language"),
        (
            with_("object.definition", {"interactionType": "essay"}),
            "statement.object.definition.interactionType",
        ),
        (with_("object.objectType", "Thing"), "statement.object.objectType"),
        (with_("version", "3.0.0"), "statement.version"),
        (with_("actor.name", None), "statement.actor.name"),
        (
            with_("object.definition", {"extensions": {"not-an-iri": 1}}),
            "statement.object.definition.extensions.not-an-iri",
        ),
    ],
)
def test_invalid_statements_name_the_offending_field(data, field):
    with pytest.raises(ValidationError) as exc:
        validate_statement(data)
    assert exc.value.field == field


def test_revision_is_refused_when_object_is_an_agent():
    data = with_("object", {"objectType": "Agent", "mbox": "mailto:a@a.test"})
    data["context"] = {"revision": "2"}
    with pytest.raises(ValidationError, match="revision"):
        validate_statement(data)


def test_anonymous_group_needs_members():
    with pytest.raises(ValidationError):
        validate_statement(with_("actor", {"objectType": "Group"}))
    validate_statement(
        with_("actor", {"objectType": "Group", "member": [{"mbox": "mailto:a@a.test"}]})
    )


def test_substatement_cannot_nest_a_substatement():
    inner = {"objectType": "SubStatement", **copy.deepcopy(BASE)}
    outer = {"objectType": "SubStatement", **copy.deepcopy(BASE), "object": inner}
    with pytest.raises(ValidationError, match="SubStatement"):
        validate_statement(with_("object", outer))


def test_context_agents_are_2_0_only():
    data = with_(
        "context",
        {"contextAgents": [{"objectType": "contextAgent", "agent": {"mbox": "mailto:a@a.test"}}]},
    )
    validate_statement(data, version="2.0.0")
    with pytest.raises(ValidationError):
        validate_statement(data, version="1.0.3")


def test_rfc3339_offsets_and_fractions_are_accepted():
    for stamp in (
        "2024-05-01T09:30:00Z",
        "2024-05-01T09:30:00.123456+02:00",
        "2008-09-15T15:53:00.601+00:00",
    ):
        validate_statement(with_("timestamp", stamp))


def test_repeated_ids_in_a_batch_are_refused():
    data = with_("id", "6f2c3a8e-8f5e-4a6e-9d6a-2f1d2b1c0a9e")
    with pytest.raises(ValidationError, match="repeats"):
        validate_statements([data, data])


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5)
    ),
    max_leaves=20,
)
keys = st.sampled_from(
    [
        "id",
        "actor",
        "verb",
        "object",
        "result",
        "context",
        "timestamp",
        "attachments",
        "version",
        "objectType",
        "mbox",
        "member",
        "definition",
        "score",
        "display",
        "contextActivities",
        "account",
    ]
)
statement_like = st.dictionaries(keys, json_values, max_size=8)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.one_of(statement_like, json_values))
def test_fuzzed_input_raises_only_validation_error(data):
    try:
        validate_statements(data)
    except ValidationError:
        pass


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_fuzzed_mutations_of_a_valid_statement_raise_only_validation_error(data):
    statement = copy.deepcopy(BASE)
    statement["context"] = {"contextActivities": {"parent": [{"id": "https://a.test/p"}]}}
    path = data.draw(st.sampled_from(["actor", "verb", "object", "context", "result", "timestamp"]))
    statement[path] = data.draw(json_values)
    try:
        validate_statement(statement)
    except ValidationError:
        pass
