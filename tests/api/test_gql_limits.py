"""Safeguards: depth, alias and token limits, introspection, and errors that reveal nothing."""

from __future__ import annotations

import pytest
from graphql import get_introspection_query
from neo4j.exceptions import CypherSyntaxError
from starlette.testclient import TestClient

from registry import taxonomy
from registry.db import Database
from registry.settings import Settings
from server import create_app
from tests.api.support import codes, gql


def _client(db: Database, settings: Settings, **limits) -> TestClient:
    return TestClient(create_app(settings.model_copy(update=limits), database=db))


def test_depth_limit(db: Database, api_settings: Settings):
    with _client(db, api_settings, max_query_depth=3) as c:
        assert "errors" not in gql(c, "{ skills(first: 1) { broader { id } } }")
        deep = "{ skills(first: 1) { broader { broader { broader { id } } } } }"
        body = gql(c, deep, expect_errors=True)
        assert body["data"] is None and "exceeds maximum operation depth" in \
            body["errors"][0]["message"]


def test_alias_limit(db: Database, api_settings: Settings):
    with _client(db, api_settings, max_aliases=3) as c:
        assert "errors" not in gql(c, "{ a: techLists { id } b: techLists { id } }")
        many = "{ " + " ".join(f"a{i}: techLists {{ id }}" for i in range(4)) + " }"
        body = gql(c, many, expect_errors=True)
        assert body["data"] is None and "aliases" in body["errors"][0]["message"]


def test_token_limit(db: Database, api_settings: Settings):
    with _client(db, api_settings, max_tokens=100) as c:
        fields = " ".join(["id code nameVi nameEn listId confirmed"] * 20)
        body = gql(c, "{ techAreas { " + fields + " } }", expect_errors=True)
        assert body["data"] is None and "token" in body["errors"][0]["message"].lower()


def test_limits_hold_when_the_same_text_comes_again(db: Database, api_settings: Settings):
    # Parsed and validated documents are cached by query text: a refusal must not be
    # forgotten, and one app's verdict must not carry over to an app with tighter limits.
    deep = "{ skills(first: 1) { broader { broader { broader { id } } } } }"
    many = "{ " + " ".join(f"a{i}: techLists {{ id }}" for i in range(4)) + " }"
    long = "{ techAreas { " + " ".join(["id code nameVi nameEn listId confirmed"] * 20) + " } }"
    with _client(db, api_settings) as c:
        for query in (deep, many, long):
            assert "errors" not in gql(c, query)
    with _client(db, api_settings, max_query_depth=3, max_aliases=3, max_tokens=100) as c:
        for _ in range(3):
            for query, says in ((deep, "depth"), (many, "aliases"), (long, "token")):
                body = gql(c, query, expect_errors=True)
                assert body["data"] is None and says in body["errors"][0]["message"].lower()
    with _client(db, api_settings) as c:
        assert "errors" not in gql(c, deep)


def test_default_limits_let_graphiql_introspect(client: TestClient):
    body = gql(client, get_introspection_query(descriptions=True))
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


def test_introspection_can_be_switched_off(db: Database, api_settings: Settings):
    query = "{ __schema { queryType { name } } }"
    with _client(db, api_settings) as c:
        assert gql(c, query)["data"]["__schema"]["queryType"]["name"] == "Query"
    with _client(db, api_settings, introspection=False) as c:
        body = gql(c, query, expect_errors=True)
        assert body["data"] is None and "introspection" in body["errors"][0]["message"].lower()


@pytest.mark.parametrize("error", [
    RuntimeError("password=hunter2 at bolt://10.0.0.7"),
    CypherSyntaxError._hydrate_neo4j(code="Neo.ClientError.Statement.SyntaxError",
                                     message="Invalid input 'MATCH (secret'"),
], ids=["bug", "driver-error"])
def test_unexpected_errors_are_masked(client: TestClient, monkeypatch, error: Exception,
                                      caplog):
    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(taxonomy, "list_tech_lists", broken)
    r = client.post("/graphql", json={"query": "{ techLists { id } }"})
    assert r.status_code == 200
    (err,) = r.json()["errors"]
    assert err["message"] == "Unexpected error."
    assert err["extensions"] == {"code": "INTERNAL_SERVER_ERROR"}
    for secret in ("hunter2", "bolt://", "secret", "Traceback", "neo4j"):
        assert secret not in r.text
    assert any("unexpected error" in rec.getMessage() for rec in caplog.records)


def test_bad_input_says_which_field(client: TestClient):
    body = gql(client, "{ experts(filter: {minHIndex: -1}) { totalCount } }",
               expect_errors=True)
    assert codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["fields"] == [
        {"path": "filter.minHIndex", "code": "NEGATIVE", "reason": "must not be negative",
         "params": {}}]
