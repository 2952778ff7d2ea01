"""Expert search over HTTP versus the same search straight through the driver, in one run.

    python -m bench.search_http --experts 10000 --port 7690
    python -m bench.search_http --experts 100000 --port 7690

The Neo4j runs on ``--port`` with its data under ``var/bench-search-<experts>`` (seeded with
the demo registry when it does not hold exactly that many experts; a copy of another
benchmark's folder of the same seed can be dropped there to skip seeding).

The query is the one a search page sends: free text plus two filters, first 20, with the fields
a result list shows. Each request is sent (1) straight through the driver (``registry.search``
with the page's fields read in its transaction, as the API does) and (2) over HTTP against
``server:create_app`` under uvicorn with 2 workers, one after the other, so that both sides of
the ratio (2)/(1), the GraphQL overhead, see the same load; (1) is also sent ranked in Cypher
(``in_memory=False``, what ``registry.search_index`` replaced), for comparison. Both sides wait
for their search indexes to be read first. Then (3) concurrent clients (threads, each with a
keep-alive connection: ``bench.support.GraphQLClient``, light enough that the two cores go to
the server, not to the client) measure throughput, and the CPU time the API processes and Neo4j
spent per request (from /proc): on a machine shared with other work, requests per second follow
the load, while CPU per request says what two idle cores would serve. Counts and time are
bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import threading
import time
from pathlib import Path

from neo4j import ManagedTransaction

from bench.support import (GraphQLClient, at_once, bench_server, ensure_demo, machine,
                           served_api, summary)
from registry import search_index
from registry.db import Database, run
from registry.localdb import LocalNeo4j
from registry.search import ExpertFilter, ExpertSort, Viewer, search_experts

QUERY = """
query Search($filter: ExpertFilter, $first: Int!) {
  experts(filter: $filter, first: $first, sort: RELEVANCE) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id fullName honorific headline residenceCountry diaspora availability
                   yearsExperience hIndex } }
  }
}
"""
TERMS = ["machine learning", "chip", "robot", "5G", "blockchain", "quantum", "bao mat",
         "hoc may", "vi mach", "drone", "pin", "vaccine", "vat lieu nano", "deep learning",
         "computer vision", "an ninh mang"]
FILTERS = [
    {"diaspora": ["OVERSEAS"], "minYearsExperience": 5},
    {"residenceCountries": ["VN"], "availability": ["PART_TIME", "FULL_TIME"]},
    {"diaspora": ["DOMESTIC", "RETURNEE"], "minHIndex": 3},
    {"residenceCountries": ["US", "JP"], "minYearsExperience": 10},
]
_PAGE_FIELDS = """
UNWIND $ids AS id MATCH (e:Expert {id: id})
RETURN e {.id, .fullName, .honorific, .headline, .residenceCountry, .diaspora, .availability,
          .yearsExperience, .hIndex} AS e
"""


def _read_page(tx: ManagedTransaction, ids: list[str]) -> list[dict]:
    return run(tx, _PAGE_FIELDS, ids=ids)


def _variables(i: int) -> dict:
    return {"filter": {"text": TERMS[i % len(TERMS)], **FILTERS[i % len(FILTERS)]}, "first": 20}


def _registry_filter(v: dict) -> ExpertFilter:
    f = v["filter"]
    return ExpertFilter(
        text=f["text"], diaspora=tuple(f.get("diaspora", ())),
        countries=tuple(f.get("residenceCountries", ())),
        availability=tuple(f.get("availability", ())), min_years=f.get("minYearsExperience"),
        min_h_index=f.get("minHIndex"))


def raw_run(db: Database, n: int, start: int = 0, *, in_memory: bool = True) -> list[float]:
    out = []
    for i in range(start, start + n):
        v = _variables(i)
        t = time.perf_counter()
        search_experts(db, filter=_registry_filter(v), sort=ExpertSort.RELEVANCE, first=20,
                       viewer=Viewer(), read_page=_read_page, in_memory=in_memory)
        out.append(time.perf_counter() - t)
    return out


def _wait_for_index(db: Database, timeout: float = 600) -> float:
    """Seconds until this process's search index is read (``registry.search_index``)."""
    started = time.monotonic()
    while search_index.index_for(db) is None:
        if time.monotonic() - started > timeout:
            raise RuntimeError("the search index was not read in time")
        time.sleep(0.2)
    return time.monotonic() - started


def http_run(base: str, n: int, concurrency: int, seconds: float
             ) -> tuple[list[float], int, float]:
    """Up to ``n`` requests from ``concurrency`` client threads, each with its own keep-alive
    connection, for at most ``seconds``: latencies, errors and the elapsed time."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = itertools.count()
    deadline = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        with GraphQLClient(base) as c:
            while time.monotonic() < deadline:
                with lock:
                    i = next(counter)
                if i >= n:
                    return
                t = time.perf_counter()
                try:
                    status, body = c.post(QUERY, _variables(i))
                    failed = status != 200 or "errors" in body
                except (OSError, ValueError):
                    failed = True
                took = time.perf_counter() - t
                with lock:
                    latencies.append(took)
                    errors += failed

    elapsed = at_once([client] * concurrency)
    return latencies, errors, elapsed


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--experts", type=int, default=10_000)
    p.add_argument("--requests", type=int, default=2000)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--seconds", type=float, default=120)
    p.add_argument("--port", type=int, default=7690, help="Bolt port of the benchmark's Neo4j")
    args = p.parse_args()

    server, db = bench_server(f"search-{args.experts}", args.port)
    try:
        _measure(server, db, args)
    finally:
        db.close()
        server.stop()


def _measure(server: LocalNeo4j, db: Database, args: argparse.Namespace) -> None:
    seeded = ensure_demo(db, args.experts)
    print(f"machine: {machine()}; experts: {args.experts} (seeded in {seeded:.0f} s); "
          f"load average at start {_load()}")
    waited = _wait_for_index(db)
    raw_run(db, 100)  # warm the page cache and query plans
    raw_run(db, 100, in_memory=False)
    with served_api(server, workers=2) as base:
        # warm-up of both workers, which read their search indexes meanwhile (as long again)
        started = time.monotonic()
        http_run(base, 200, 4, 60)
        http_run(base, 10**6, 2, max(waited, 5) * 2 - (time.monotonic() - started))
        raw_lat, seq_lat, seq_err, cypher_lat = paired_run(db, base, args.requests // 2,
                                                           args.seconds)
        pids = {"API": _api_pids(base), "Neo4j": [int(server.pid_file.read_text())]}
        before = {k: _cpu_seconds(v) for k, v in pids.items()}
        client_before = time.process_time()
        lat, errors, elapsed = http_run(base, args.requests, args.concurrency, args.seconds)
        cpu = {k: (_cpu_seconds(v) - before[k]) * 1000 / max(len(lat), 1)
               for k, v in pids.items()}
        client_cpu = (time.process_time() - client_before) * 1000 / max(len(lat), 1)
    raw, seq, load = summary(raw_lat), summary(seq_lat), summary(lat)
    cypher = summary(cypher_lat)
    print(f"search index read in this process in {waited:.1f} s")
    print(f"driver, sequential:    p50 {raw['p50']:.1f} ms  p95 {raw['p95']:.1f} ms  (n={raw['n']})")
    print(f"driver, ranked in Cypher (in_memory=False): p50 {cypher['p50']:.1f} ms  "
          f"p95 {cypher['p95']:.1f} ms")
    print(f"GraphQL, sequential:   p50 {seq['p50']:.1f} ms  p95 {seq['p95']:.1f} ms  "
          f"(n={seq['n']}, errors {seq_err})")
    print(f"GraphQL-to-driver ratio: p50 {seq['p50'] / raw['p50']:.2f}  "
          f"p95 {seq['p95'] / raw['p95']:.2f}")
    print(f"GraphQL, {args.concurrency} clients: {load['n'] / elapsed:.0f} requests/s  "
          f"p50 {load['p50']:.1f} ms  p95 {load['p95']:.1f} ms  p99 {load['p99']:.1f} ms  "
          f"errors {errors}")
    total = sum(cpu.values())
    print(f"CPU per request under load: API {cpu['API']:.1f} ms, Neo4j {cpu['Neo4j']:.1f} ms "
          f"(2 idle cores would serve about {2000 / total:.0f} requests/s); this client "
          f"{client_cpu:.2f} ms")
    print(f"load average at end {_load()}")


def paired_run(db: Database, base: str, n: int, seconds: float
               ) -> tuple[list[float], list[float], int, list[float]]:
    """The same requests straight through the driver and over HTTP, one after the other, so
    both sides of the ratio see the same load (a shared machine's load drifts); and through
    the driver ranked in Cypher, for comparison."""
    raw: list[float] = []
    http: list[float] = []
    cypher: list[float] = []
    errors = 0
    deadline = time.monotonic() + seconds
    with GraphQLClient(base) as c:
        for i in range(n):
            if time.monotonic() > deadline:
                break
            raw += raw_run(db, 1, start=i)
            cypher += raw_run(db, 1, start=i, in_memory=False)
            t = time.perf_counter()
            status, body = c.post(QUERY, _variables(i))
            http.append(time.perf_counter() - t)
            errors += status != 200 or "errors" in body
    return raw, http, errors, cypher


def _api_pids(base: str) -> list[int]:
    """The uvicorn process serving ``base`` and its workers."""
    port = base.rsplit(":", 1)[1].encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"uvicorn" in argv and port in argv:
            children = (proc / "task" / proc.name / "children").read_text().split()
            return [int(proc.name), *map(int, children)]
    raise RuntimeError(f"no uvicorn process serves {base}")


def _cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time of these processes (all their threads), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _load() -> str:
    return " / ".join(f"{x:.1f}" for x in os.getloadavg()) + " (1 / 5 / 15 min)"


if __name__ == "__main__":
    main()
