"""GraphQL over HTTP: methods, content types, sizes, negotiation, tokens, health."""

from __future__ import annotations

import json

from starlette.testclient import TestClient

from registry.accounts import create_account, revoke_account
from registry.db import Database
from registry.settings import Settings
from server import create_app

QUERY = "{ techLists { id } }"


def test_post_json_answers_application_json_by_default(client: TestClient):
    r = client.post("/graphql", json={"query": QUERY})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["data"]["techLists"]


def test_graphql_response_json_is_negotiated(client: TestClient):
    accept = "application/graphql-response+json, application/json;q=0.9"
    r = client.post("/graphql", json={"query": QUERY}, headers={"Accept": accept})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/graphql-response+json")


def test_invalid_document_is_400_without_data_for_graphql_response_json(client: TestClient):
    r = client.post("/graphql", json={"query": "{ noSuchField }"},
                    headers={"Accept": "application/graphql-response+json"})
    assert r.status_code == 400
    assert "data" not in r.json() and r.json()["errors"]
    legacy = client.post("/graphql", json={"query": "{ noSuchField }"})
    assert legacy.status_code == 200 and legacy.json()["errors"]


def test_unacceptable_accept_is_406(client: TestClient):
    r = client.post("/graphql", json={"query": QUERY}, headers={"Accept": "text/csv"})
    assert r.status_code == 406


def test_get_runs_queries(client: TestClient):
    r = client.get("/graphql", params={"query": QUERY})
    assert r.status_code == 200 and r.json()["data"]["techLists"]


def test_get_refuses_mutations_with_405(client: TestClient):
    r = client.get("/graphql", params={"query": "mutation { anything }"})
    assert r.status_code == 405
    assert r.headers["allow"] == "POST"
    assert "POST" in r.json()["errors"][0]["message"]


def test_other_methods_are_405(client: TestClient):
    assert client.put("/graphql", json={"query": QUERY}).status_code == 405


def test_bad_json_is_400(client: TestClient):
    r = client.post("/graphql", content=b"{not json",
                    headers={"Content-Type": "application/json"})
    assert r.status_code == 400
    assert r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


def test_json_that_is_not_an_object_is_400(client: TestClient):
    for body in (b"[1, 2]", b'"query"', b"42"):
        r = client.post("/graphql", content=body, headers={"Content-Type": "application/json"})
        assert r.status_code == 400, body


def test_missing_query_is_400(client: TestClient):
    assert client.post("/graphql", json={"variables": {}}).status_code == 400
    assert client.get("/graphql", params={"variables": "{}"}).status_code == 400


def test_wrong_content_type_is_415(client: TestClient):
    r = client.post("/graphql", content=json.dumps({"query": QUERY}),
                    headers={"Content-Type": "text/plain"})
    assert r.status_code == 415
    r = client.post("/graphql", data={"query": QUERY})
    assert r.status_code == 415


def test_oversized_body_is_413(client: TestClient, api_settings: Settings):
    padding = "x" * (api_settings.max_body_bytes + 10)
    r = client.post("/graphql", json={"query": QUERY, "variables": {"pad": padding}})
    assert r.status_code == 413


def test_oversized_body_without_content_length_is_413(client: TestClient,
                                                      api_settings: Settings):
    chunk = b"x" * 4096

    def stream():
        for _ in range(api_settings.max_body_bytes // len(chunk) + 2):
            yield chunk

    r = client.post("/graphql", content=stream(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_healthz_and_readyz(client: TestClient):
    assert client.get("/healthz").status_code == 200
    r = client.get("/readyz")
    assert r.status_code == 200 and r.json()["status"] == "ready"


def test_unknown_token_is_401_not_anonymous(client: TestClient):
    r = client.post("/graphql", json={"query": "{ me { account { id } } }"},
                    headers={"Authorization": "Bearer cg_not-a-real-token"})
    assert r.status_code == 401
    assert "revoked" in r.json()["errors"][0]["message"]
    assert r.headers["www-authenticate"].startswith("Bearer")


def test_malformed_authorization_is_401(client: TestClient):
    r = client.post("/graphql", json={"query": QUERY}, headers={"Authorization": "Basic abc"})
    assert r.status_code == 401


def test_revoked_token_is_401(client: TestClient, db: Database):
    account, token = create_account(db, name="Tạm", role="HR_AGENCY")
    ok = client.post("/graphql", json={"query": QUERY},
                     headers={"Authorization": f"Bearer {token}"})
    assert ok.status_code == 200
    revoke_account(db, account_id=account.id)
    r = client.post("/graphql", json={"query": QUERY},
                    headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401


def test_rate_limit_answers_429_with_retry_after(db: Database, api_settings: Settings):
    settings = api_settings.model_copy(update={"rate_limit_per_minute": 3})
    with TestClient(create_app(settings, database=db)) as c:
        statuses = [c.post("/graphql", json={"query": QUERY}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        r = c.post("/graphql", json={"query": QUERY})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        # Another caller (a token) has a bucket of its own.
        _, token = create_account(db, name="Khác", role="HR_AGENCY")
        other = c.post("/graphql", json={"query": QUERY},
                       headers={"Authorization": f"Bearer {token}"})
        assert other.status_code == 200


def test_graphiql_only_when_enabled(db: Database, api_settings: Settings):
    with TestClient(create_app(api_settings, database=db)) as c:
        assert c.get("/graphql", headers={"Accept": "text/html"}).status_code == 400
    on = api_settings.model_copy(update={"graphiql": True})
    with TestClient(create_app(on, database=db)) as c:
        r = c.get("/graphql", headers={"Accept": "text/html"})
        assert r.status_code == 200 and "graphiql" in r.text.lower()
