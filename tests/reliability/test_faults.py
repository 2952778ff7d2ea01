"""Neo4j dies (``kill -9``) under a bulk import and under the served API.

These tests stop and kill a Neo4j of their own (``LocalNeo4j`` on port 7706, or
``CHUYENGIA_TEST_FAULT_NEO4J_PORT``; data in the test data folder's sibling ``<name>-faults``),
never the shared test server.

* An import killed part-way reports failure; after a restart the committed batches are whole
  (every expert has all its skills and publications per the file), and a re-run completes
  without duplicating anyone.
* While Neo4j is down the API answers ``SERVICE_UNAVAILABLE`` within 2 s and ``/readyz`` says
  503; once Neo4j is back the same server processes serve again by themselves.
* The other way round, a database that is up is not reported down because the API process
  is busy (fixed: a probe that times out no longer counts as an outage).
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from api.availability import Reachability, guarded_call
from bench.support import served_api
from registry.accounts import create_account
from registry.db import Database
from registry.errors import DatabaseUnavailable
from registry.localdb import LocalNeo4j
from registry.profile import content_hash, validate_profile
from registry.settings import Settings
from registry.transfer import import_experts_file
from seed.reference import load_skills
from tests.api.support import person, seed
from tests.conftest import own_database, own_server, wipe


@pytest.fixture(scope="module")
def fault_server(settings: Settings) -> Iterator[LocalNeo4j]:
    with own_server(settings, "faults", "CHUYENGIA_TEST_FAULT_NEO4J_PORT", 7706) as server:
        yield server


@pytest.fixture(scope="module")
def fault_db(fault_server: LocalNeo4j) -> Iterator[Database]:
    with own_database(fault_server) as db:
        yield db


def _wait(check, seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {seconds} s")


def _restart(server: LocalNeo4j, db: Database) -> None:
    server.start(300)
    _wait(db.ping, 60, "Neo4j answering after the restart")


# --- a bulk import killed part-way ----------------------------------------------------------

ROWS = 2000


def _file(path: Path) -> dict[str, dict[str, Any]]:
    skills = [s.id for s in load_skills().skills][:40]
    docs = {}
    with open(path, "w", encoding="utf-8") as out:
        for i in range(ROWS):
            raw = person(50_000 + i, fullName=f"Lê Thị Gián Đoạn {i}", skills=[
                {"skill": skills[(i + k) % len(skills)], "level": 3, "years": k}
                for k in range(5)], publications=[
                {"title": f"Công trình {i}-{k}", "year": 2021, "doi": f"10.5555/kill.{i}.{k}"}
                for k in range(3)])
            out.write(json.dumps(raw, ensure_ascii=False) + "\n")
            doc = validate_profile(raw)
            docs[doc["id"]] = doc
    return docs


def _whole(db: Database, expected: dict[str, dict[str, Any]]) -> int:
    """Checks that every stored expert is exactly as the file says; returns how many."""
    rows = db.query("""
        MATCH (e:Expert) RETURN e.id AS id, e.contentHash AS hash,
          COUNT { (e)-[:HAS_SKILL]->() } AS skills, COUNT { (e)-[:AUTHORED]->() } AS papers,
          COUNT { (e)-[:WORKS_AT]->() } AS jobs, COUNT { (e)-[:INVENTED]->() } AS patents""")
    for row in rows:
        doc = expected[row["id"]]
        assert row["hash"] == content_hash(doc), row["id"]
        assert (row["skills"], row["papers"], row["jobs"], row["patents"]) == (
            len(doc["skills"]), len(doc["publications"]), len(doc["employment"]),
            len(doc["patents"])), row
    papers = db.query("MATCH (p:Publication) RETURN count(p) AS n, count(DISTINCT p.doi) AS d")
    assert papers[0]["n"] == papers[0]["d"]
    return len(rows)


@pytest.mark.timeout(240)
def test_import_killed_midway_fails_loudly_and_a_rerun_completes(
        fault_server: LocalNeo4j, fault_db: Database, tmp_path: Path):
    wipe(fault_db)
    path = tmp_path / "experts.jsonl"
    expected = _file(path)
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = import_experts_file(fault_db, path, batch_size=100)
        except Exception as exc:  # noqa: BLE001  (the test looks at it)
            outcome["error"] = exc

    importer = threading.Thread(target=run)
    importer.start()
    _wait(lambda: fault_db.query("MATCH (e:Expert) RETURN count(e) AS n")[0]["n"] >= 200
          or not importer.is_alive(), 120, "the first batches")
    assert importer.is_alive(), "the import ended before Neo4j could be killed"
    fault_server.kill()
    started = time.monotonic()
    importer.join(60)
    assert not importer.is_alive()
    assert isinstance(outcome.get("error"), DatabaseUnavailable), outcome
    assert time.monotonic() - started < 30

    _restart(fault_server, fault_db)
    survived = _whole(fault_db, expected)
    assert 0 < survived < ROWS
    assert survived % 100 == 0  # whole batches: one transaction each

    result = import_experts_file(fault_db, path, batch_size=100)
    assert not result.rejected
    assert (result.created, result.unchanged, result.updated) == (ROWS - survived, survived, 0)
    assert _whole(fault_db, expected) == ROWS


# --- the API while Neo4j is down ------------------------------------------------------------

QUERY = "{ experts(first: 5) { totalCount edges { node { id fullName } } } }"
ME = "{ me { account { id role } } }"


def _unavailable(r: httpx.Response) -> bool:
    codes = [e.get("extensions", {}).get("code") for e in r.json().get("errors", [])]
    return codes == ["SERVICE_UNAVAILABLE"] and r.status_code in (200, 503)


@pytest.mark.timeout(240)
def test_api_says_unavailable_within_2s_and_recovers_by_itself(
        fault_server: LocalNeo4j, fault_db: Database):
    wipe(fault_db)
    seed(fault_db, [person(1, visibility="PUBLIC")])
    _, token = create_account(fault_db, name="Nhân sự", role="HR_AGENCY")
    signed_in = {"Authorization": f"Bearer {token}"}
    with served_api(fault_server, workers=2) as base, httpx.Client(timeout=30) as http:
        for headers, query in (({}, QUERY), (signed_in, ME)) * 3:  # both workers, warm
            r = http.post(f"{base}/graphql", json={"query": query}, headers=headers)
            assert r.status_code == 200 and "errors" not in r.json(), r.text

        fault_server.kill()
        for headers, query in (({}, QUERY), (signed_in, ME)) * 3:
            started = time.monotonic()
            r = http.post(f"{base}/graphql", json={"query": query}, headers=headers)
            elapsed = time.monotonic() - started
            assert _unavailable(r), r.text
            assert elapsed < 2.0, elapsed
            assert "bolt" not in r.text and str(fault_server.port) not in r.text
        for _ in range(4):
            started = time.monotonic()
            r = http.get(f"{base}/readyz")
            assert r.status_code == 503 and r.headers["retry-after"]
            assert time.monotonic() - started < 2.0

        fault_server.start(300)
        # No restart of the API: its processes find Neo4j again by themselves.
        _wait(lambda: http.get(f"{base}/readyz").status_code == 200, 60, "/readyz 200")
        for headers, query in (({}, QUERY), (signed_in, ME)) * 3:
            r = http.post(f"{base}/graphql", json={"query": query}, headers=headers)
            assert r.status_code == 200 and "errors" not in r.json(), r.text
        assert http.get(f"{base}/readyz").status_code == 200


# --- a busy process is not a dead database ----------------------------------------------------


def _busy(seconds: float) -> str:
    """A healthy call that works in Python for a while (the matcher ranking candidates)."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        sum(i * i for i in range(1000))
    return "ranked"


CALLS = 16  # concurrent busy calls: enough GIL contention to starve the event loop


@pytest.mark.timeout(60)
def test_a_busy_api_process_does_not_report_a_healthy_database_down():
    listener = socket.socket()  # "Neo4j": up, accepting connections
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    reachability = Reachability(f"bolt://127.0.0.1:{listener.getsockname()[1]}")
    outcomes: list[str] = []

    async def call() -> None:
        try:
            outcomes.append(await guarded_call(reachability, _busy, 3.0))
        except DatabaseUnavailable:
            outcomes.append("reported unavailable")

    async def main() -> None:
        async with anyio.create_task_group() as tg:
            for _ in range(CALLS):
                tg.start_soon(call)

    try:
        anyio.run(main)
    finally:
        listener.close()
    assert outcomes == ["ranked"] * CALLS
