"""Expert search over HTTP versus the same search straight through the driver, in one run.

    python -m bench.search_http --experts 10000 --port 7690
    python -m bench.search_http --experts 100000 --port 7690

The Neo4j runs on ``--port`` with its data under ``var/bench-search-<experts>`` (seeded with the
demo registry when it does not hold exactly that many experts; a copy of another benchmark's
folder of the same seed can be dropped there to skip seeding).

The query is the one a search page sends: free text plus two filters, first 20, with the
fields a result list shows. It runs (1) sequentially through the driver (``registry.search``
with the page's fields read in its transaction, as the API does), (2) sequentially over HTTP
against ``server:create_app``
under uvicorn with 2 workers — the ratio of (2) to (1) is the GraphQL overhead — and (3) with
concurrent clients for throughput. Request counts and time are bounded.
"""

from __future__ import annotations

import argparse
import asyncio
import time

import httpx
from neo4j import ManagedTransaction

from bench.support import bench_server, ensure_demo, machine, served_api, summary
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


def raw_run(db, n: int) -> list[float]:
    out = []
    for i in range(n):
        v = _variables(i)
        t = time.perf_counter()
        search_experts(db, filter=_registry_filter(v), sort=ExpertSort.RELEVANCE, first=20,
                       viewer=Viewer(), read_page=_read_page)
        out.append(time.perf_counter() - t)
    return out


async def http_run(base: str, n: int, concurrency: int, seconds: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    counter = iter(range(n))
    deadline = time.monotonic() + seconds

    async def client(c: httpx.AsyncClient) -> None:
        nonlocal errors
        for i in counter:
            if time.monotonic() > deadline:
                return
            t = time.perf_counter()
            r = await c.post(f"{base}/graphql", json={"query": QUERY, "variables": _variables(i)})
            latencies.append(time.perf_counter() - t)
            if r.status_code != 200 or "errors" in r.json():
                errors += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as c:
        started = time.perf_counter()
        await asyncio.gather(*(client(c) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
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
    print(f"machine: {machine()}; experts: {args.experts} (seeded in {seeded:.0f} s)")
    raw_run(db, 100)  # warm the page cache and query plans
    raw = summary(raw_run(db, args.requests // 2))
    with served_api(server, workers=2) as base:
        asyncio.run(http_run(base, 200, 4, 60))  # warm-up of both workers
        seq_lat, seq_err, _ = asyncio.run(http_run(base, args.requests // 2, 1, args.seconds))
        lat, errors, elapsed = asyncio.run(
            http_run(base, args.requests, args.concurrency, args.seconds))
    seq = summary(seq_lat)
    load = summary(lat)
    print(f"driver, sequential:    p50 {raw['p50']:.1f} ms  p95 {raw['p95']:.1f} ms  (n={raw['n']})")
    print(f"GraphQL, sequential:   p50 {seq['p50']:.1f} ms  p95 {seq['p95']:.1f} ms  "
          f"(n={seq['n']}, errors {seq_err})")
    print(f"GraphQL-to-driver ratio: p50 {seq['p50'] / raw['p50']:.2f}  "
          f"p95 {seq['p95'] / raw['p95']:.2f}")
    print(f"GraphQL, {args.concurrency} clients: {load['n'] / elapsed:.0f} requests/s  "
          f"p50 {load['p50']:.1f} ms  p95 {load['p95']:.1f} ms  p99 {load['p99']:.1f} ms  "
          f"errors {errors}")


if __name__ == "__main__":
    main()
