"""Neo4j down: a clear GraphQL error within 2 s, 503 from /readyz, and recovery without a
restart once it is back."""

from __future__ import annotations

import time
from urllib.parse import urlparse

import pytest
from starlette.testclient import TestClient

from registry.db import Database, local_server_for
from registry.settings import Settings
from server import create_app
from tests.api.support import codes, gql
from tests.api.tcpproxy import TcpProxy

QUERY = "{ experts(first: 1) { totalCount } }"


@pytest.fixture
def proxy(database: Database):
    target = urlparse(database.uri)
    p = TcpProxy((target.hostname or "127.0.0.1", target.port or 7687))
    p.up()
    yield p
    p.down()


@pytest.fixture
def proxied(proxy: TcpProxy, database: Database, api_settings: Settings):
    """The app on a Database that reaches the test Neo4j only through ``proxy``."""
    password = (local_server_for(api_settings).password() if api_settings.uses_local_server
                else api_settings.neo4j_password)
    settings = api_settings.model_copy(update={
        "neo4j_uri": f"bolt://127.0.0.1:{proxy.port}", "neo4j_password": password,
        "neo4j_database": database.database})
    db = Database.connect(settings, start_local=False)
    yield settings, db
    db.close()


def test_database_down_is_service_unavailable_within_2s_then_recovers(
        db: Database, proxy: TcpProxy, proxied):
    settings, proxied_db = proxied
    with TestClient(create_app(settings, database=proxied_db)) as client:
        assert "errors" not in gql(client, QUERY)
        proxy.down()
        started = time.monotonic()
        body = gql(client, QUERY, expect_errors=True)
        elapsed = time.monotonic() - started
        assert codes(body) == ["SERVICE_UNAVAILABLE"], body
        assert "database" in body["errors"][0]["message"]
        assert "bolt" not in str(body) and "127.0.0.1" not in str(body)
        assert elapsed < 2.0, elapsed
        assert client.get("/readyz").status_code == 503

        proxy.up()  # Neo4j is back: no restart, the same app and driver
        deadline = time.monotonic() + 10
        while True:
            body = gql(client, QUERY, expect_errors=True)
            if "errors" not in body or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert "errors" not in body, body
        assert client.get("/readyz").status_code == 200


def test_signed_in_request_with_database_down_is_503(proxy: TcpProxy, proxied):
    settings, proxied_db = proxied
    with TestClient(create_app(settings, database=proxied_db)) as client:
        proxy.down()
        started = time.monotonic()
        r = client.post("/graphql", json={"query": QUERY},
                        headers={"Authorization": "Bearer cg_some-token"})
        assert time.monotonic() - started < 2.0
        assert r.status_code == 503 and r.headers["retry-after"]
        assert r.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"


def test_a_slow_query_on_a_healthy_database_is_not_cut_short(client: TestClient, monkeypatch):
    from registry import taxonomy

    real = taxonomy.list_tech_lists

    def slow(db):
        time.sleep(1.2)  # several reachability checks happen meanwhile; all find Neo4j up
        return real(db)

    monkeypatch.setattr(taxonomy, "list_tech_lists", slow)
    assert gql(client, "{ techLists { id } }")["data"]["techLists"]
