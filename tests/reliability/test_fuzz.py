"""Schemathesis's GraphQL mode against the app: generated queries and mutations, valid and
invalid, as every kind of caller. No answer may be a 5xx or an error masked as unexpected.

The same fuzzer, with more requests against a served app, is ``bench/fuzz_graphql.py``.
"""

from __future__ import annotations

import logging

import pytest
from graphql import graphql_sync
from starlette.testclient import TestClient

from api.schema import schema
from bench.fuzz_graphql import INTROSPECTION, generate_cases, run_cases
from registry.db import Database
from tests.reliability.conftest import Callers
from tests.reliability.support import make_world

REQUESTS = 200  # at least; more when the schema has over 100 root fields
SEED = 20250057


@pytest.mark.timeout(120)
def test_generated_requests_get_no_5xx_and_no_internal_error(
        client: TestClient, db: Database, callers: Callers, caplog: pytest.LogCaptureFixture):
    make_world(db, lead_account_id=callers.lead_account_id,
               hr_account_id=callers.hr_account_id, expert_id=callers.expert_id)
    introspection = graphql_sync(schema._schema, INTROSPECTION).data
    fields = len(schema._schema.query_type.fields) + len(schema._schema.mutation_type.fields)
    requests = max(REQUESTS, 2 * fields)  # every root field, in both modes
    cases = generate_cases(introspection, requests=requests, seed=SEED)
    assert len(cases) == requests
    tokens = [None, callers.admin, callers.hr, callers.lead, callers.owner]

    def send(query: str, token: str | None) -> tuple[int, str]:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        r = client.post("/graphql", json={"query": query}, headers=headers)
        return r.status_code, r.text

    with caplog.at_level(logging.ERROR, logger="api"):
        report = run_cases(cases, send, tokens, seconds=90)
    print(report.summary())
    assert report.requests == requests, report.summary()
    assert len(report.operations) == fields
    assert not report.failures, "\n".join(
        f"{c.label} ({c.mode}): {why}\n{c.query}" for c, _, why in report.failures[:5])
    logged = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert not logged, logged
