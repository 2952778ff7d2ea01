"""A mixed load against the served API: searches, profile reads, profile edits, task matches.

    python -m bench.load_mix --experts 10000 --seconds 60
    python -m bench.load_mix --experts 100000 --seconds 60

The API runs as ``server:create_app`` under uvicorn with 2 workers (``bench.support``) on a
Neo4j of its own (``var/bench-load``, port 7691) holding the demo registry of ``--experts``
experts (seeded once; the seeding time is reported). ``--concurrency`` clients (threads, each
with a keep-alive connection: ``bench.support.GraphQLClient``) send, in a fixed pseudo-random
order (``--seed``):

* 80 % searches: the search page's query (free text plus filters, 20 per page), as an agency;
* 15 % profile reads: ``expert(id)`` with skills, career and publications, as an agency;
* 4 % profile updates: ``updateProfile`` of one of ``--edited`` profiles with the version
  last read, each with the profile's own EXPERT token (accounts made through
  ``registry.accounts``); a ``VersionConflict`` (two clients editing the same profile) is
  counted as a conflict, re-read and not retried;
* 1 % task matches: ``task(id) { candidates(first: 20) { ... } }`` of an OPEN demo task.

The run stops after ``--seconds`` or ``--max-requests``, whichever comes first. It reports the
throughput, p50/p95/p99 per operation, conflicts, and errors (any non-200 answer, any GraphQL
error, or an unexpected result type), against the API's targets: search p95 <= 30 ms and
match p95 <= 100 ms under the mix, and zero errors.
"""

from __future__ import annotations

import argparse
import collections
import functools
import http.client as http_client
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from bench.search_http import QUERY as SEARCH
from bench.search_http import _variables as search_variables
from bench.support import (GraphQLClient, at_once, bench_server, ensure_demo, machine,
                           served_api, summary)
from registry.accounts import create_account, rotate_token
from registry.db import Database
from registry.localdb import LocalNeo4j
from registry.settings import PROJECT_ROOT

__all__ = ["MIX", "main"]

MIX = (("search", 80), ("profile", 15), ("update", 4), ("match", 1))
TARGET_P95_MS = {"search": 30.0, "match": 100.0}

PROFILE = """query($id: ID!) { expert(id: $id) {
  id fullName honorific headline bio residenceCountry diaspora availability version
  skills { level years skill { id nameVi nameEn } }
  employment { title from to organization { id name } }
  education { degree year organization { name } }
  publications { title year venue citations }
  projects { title relation scale outcome } techAreas { id nameVi } } }"""
VERSION = "query($id: ID!) { expert(id: $id) { version } }"
UPDATE = """mutation($input: UpdateProfileInput!) { updateProfile(input: $input) {
  __typename ... on ProfileUpdated { expert { version } }
  ... on VersionConflict { currentVersion } ... on ValidationFailed { message } } }"""
MATCH = """query($id: ID!) { task(id: $id) { id candidates(first: 20) {
  totalCount excludedCount
  nodes { rank score expert { id fullName } reasons { __typename } } } } }"""


@dataclass
class Fixture:
    """What the load needs from the registry: ids and tokens."""

    agency: str
    tasks: list[str]
    readable: list[str]
    editors: dict[str, str]  # expert id -> that expert's token


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(
        default_factory=lambda: collections.defaultdict(list))
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    conflicts: int = 0
    samples: list[str] = field(default_factory=list)

    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, op: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.latencies[op].append(seconds)
        if error is not None:
            self.error(op, error)

    def error(self, op: str, text: str) -> None:
        with self.lock:
            self.errors[op] += 1
            if len(self.samples) < 5:
                self.samples.append(f"{op}: {text[:300]}")

    def conflict(self) -> None:
        with self.lock:
            self.conflicts += 1


def prepare(db: Database, *, edited: int, readable: int, seed: int) -> Fixture:
    """An agency token, OPEN tasks, profiles to read, and an EXPERT token per edited profile
    (a new account, or a rotated token for a profile that has one from an earlier run)."""
    _, agency = create_account(db, name="Tải thử: công ty nhân sự", role="HR_AGENCY")
    tasks = [r["id"] for r in db.query(
        "MATCH (t:Task {status: 'OPEN'}) RETURN t.id AS id ORDER BY t.id")]
    ids = [r["id"] for r in db.query(
        "MATCH (e:Expert) WHERE e.visibility IN ['PUBLIC', 'REGISTERED'] "
        "RETURN e.id AS id ORDER BY e.id")]
    rng = random.Random(seed)
    chosen = rng.sample(ids, min(len(ids), readable + edited))
    editors: dict[str, str] = {}
    for expert_id in chosen[:edited]:
        found = db.query("MATCH (a:Account)-[:IS]->(:Expert {id: $id}) RETURN a.id AS id",
                         id=expert_id)
        if found:
            editors[expert_id] = rotate_token(db, account_id=found[0]["id"])[1]
        else:
            editors[expert_id] = create_account(db, name="Tải thử: chuyên gia", role="EXPERT",
                                                expert_id=expert_id)[1]
    return Fixture(agency, tasks, chosen[edited:], editors)


def plan(n: int, seed: int) -> list[str]:
    """The operations in order: the mix's shares, shuffled deterministically."""
    rng = random.Random(seed)
    names = [name for name, _ in MIX]
    weights = [w for _, w in MIX]
    return rng.choices(names, weights=weights, k=n)


def run(base: str, fixture: Fixture, ops: list[str], *, concurrency: int,
        seconds: float, tally: Tally, timeout: float = 60) -> float:
    versions: dict[str, int] = {}
    editors = list(fixture.editors)
    position = iter(range(len(ops)))
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def call(http: GraphQLClient, op: str, query: str, variables: dict,
             token: str) -> dict[str, Any] | None:
        started = time.perf_counter()
        try:
            status, body = http.post(query, variables, token=token)
        except (OSError, http_client.HTTPException, ValueError) as exc:
            # a time-out, a dropped connection or a body that is not JSON is an error too
            tally.record(op, time.perf_counter() - started, repr(exc))
            return None
        failed = status != 200 or body.get("errors") or body.get("data") is None
        tally.record(op, time.perf_counter() - started, f"{status} {body}" if failed else None)
        return None if failed else body["data"]

    def update(http: GraphQLClient, i: int) -> None:
        expert_id = editors[i % len(editors)]
        own = fixture.editors[expert_id]
        if expert_id not in versions:  # read the version once; then the last one answered
            data = call(http, "version read", VERSION, {"id": expert_id}, own)
            if data is None:
                return
            versions[expert_id] = data["expert"]["version"]
        data = call(http, "update", UPDATE, {"input": {
            "id": expert_id, "version": versions[expert_id],
            "headline": f"Chuyên gia (tải thử lần {i})"}}, own)
        if data is None:
            return
        result = data["updateProfile"]
        if result["__typename"] == "ProfileUpdated":
            versions[expert_id] = result["expert"]["version"]
        elif result["__typename"] == "VersionConflict":
            tally.conflict()
            versions[expert_id] = result["currentVersion"]
        else:
            tally.error("update", str(result))

    def client() -> None:
        with GraphQLClient(base, timeout=timeout) as http:
            while time.monotonic() <= deadline:
                with lock:
                    i = next(position, None)
                if i is None:
                    return
                op = ops[i]
                if op == "search":
                    call(http, op, SEARCH, search_variables(i), fixture.agency)
                elif op == "profile":
                    call(http, op, PROFILE, {"id": fixture.readable[i % len(fixture.readable)]},
                         fixture.agency)
                elif op == "update":
                    update(http, i)
                else:
                    data = call(http, op, MATCH, {"id": fixture.tasks[i % len(fixture.tasks)]},
                                fixture.agency)
                    if data is not None and data["task"]["candidates"] is None:
                        tally.error(op, "no candidates")

    return at_once([client] * concurrency)


def warm_matches(base: str, fixture: Fixture, *, rounds: int = 12,
                 seconds: float = 900) -> list[float]:
    """Task matches in rounds of four at once, each on a new connection (so both workers get
    some), until a whole round is quick; returns the slowest match of each round."""
    deadline = time.monotonic() + seconds
    slowest: list[float] = []

    def one(task: str, times: list[float]) -> None:
        started = time.perf_counter()
        try:  # a failed warm-up match counts as a slow one: the next round tries again
            with GraphQLClient(base, token=fixture.agency, timeout=seconds) as http:
                http.post(MATCH, {"id": task})
        except (OSError, http_client.HTTPException, ValueError):
            times.append(float("inf"))
        else:
            times.append(time.perf_counter() - started)

    for i in range(rounds):
        if time.monotonic() > deadline:
            break
        times: list[float] = []
        at_once([functools.partial(one, fixture.tasks[(4 * i + k) % len(fixture.tasks)], times)
                 for k in range(4)])
        slowest.append(max(times))
        if max(times) < 2.0:
            break
    return slowest


def report(tally: Tally, elapsed: float) -> tuple[str, bool]:
    total = sum(len(v) for v in tally.latencies.values())
    lines = [(f"{total} requests in {elapsed:.1f} s: {total / elapsed:.0f} requests/s; "
              f"errors {sum(tally.errors.values())}, conflicts {tally.conflicts}")]
    ok = not tally.errors
    for op in [name for name, _ in MIX] + ["version read"]:
        if op not in tally.latencies:
            continue
        s = summary(tally.latencies[op])
        target = TARGET_P95_MS.get(op)
        verdict = ""
        if target is not None:
            met = "met" if s["p95"] <= target else "MISSED"
            verdict = f"  (target p95 <= {target:.0f} ms: {met})"
            ok = ok and s["p95"] <= target
        lines.append(f"  {op:<13} n={s['n']:<6} {s['n'] / elapsed:6.1f}/s  p50 {s['p50']:6.1f} ms"
                     f"  p95 {s['p95']:6.1f} ms  p99 {s['p99']:6.1f} ms  "
                     f"errors {tally.errors[op]}{verdict}")
    lines += [f"  sample error: {s}" for s in tally.samples]
    return "\n".join(lines), ok


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--experts", type=int, default=10_000)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--max-requests", type=int, default=500_000)
    p.add_argument("--concurrency", type=int, default=16)
    p.add_argument("--edited", type=int, default=200, help="profiles the updates go to")
    p.add_argument("--seed", type=int, default=57)
    p.add_argument("--neo4j-memory", help="heap and page cache of the benchmark's Neo4j, "
                                          "e.g. 1g (default: bench.support's 2g each)")
    args = p.parse_args()

    if args.neo4j_memory:  # started here first, bench_server finds it running and uses it
        LocalNeo4j(PROJECT_ROOT / "var" / "bench-load", 7691, heap=args.neo4j_memory,
                   pagecache=args.neo4j_memory).start(300)
    server, db = bench_server("load", 7691)
    try:
        seeded = ensure_demo(db, args.experts)
        fixture = prepare(db, edited=args.edited, readable=5000, seed=args.seed)
        print(f"machine: {machine()}")
        print(f"experts: {args.experts} (seeding: {seeded:.0f} s{'' if seeded else ', was there'});"
              f" {len(fixture.tasks)} OPEN tasks; {len(fixture.editors)} edited profiles; "
              f"{args.concurrency} clients")
        with served_api(server, workers=2) as base:
            # Warm both workers: query plans, page cache, and each worker's first load of the
            # matcher's index (tens of seconds), which must not land in the measured minute.
            started = time.monotonic()
            first_matches = warm_matches(base, fixture)
            warm = Tally()
            run(base, fixture, ["search", "profile"] * 100, concurrency=4, seconds=300, tally=warm)
            print(f"warm-up: {time.monotonic() - started:.0f} s; task matches until warm (s): "
                  f"{', '.join(f'{x:.1f}' for x in first_matches)}; errors {dict(warm.errors)}")
            tally = Tally()
            ops = plan(args.max_requests, args.seed)
            elapsed = run(base, fixture, ops, concurrency=args.concurrency,
                          seconds=args.seconds, tally=tally)
    finally:  # the benchmark's own Neo4j does not outlive it
        db.close()
        server.stop()
    text, ok = report(tally, elapsed)
    print(text)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
