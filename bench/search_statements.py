"""Where a text search's time goes in Neo4j: the search's statement against cut-down forms of it.

    python -m bench.search_statements --experts 100000 --port 7711

Uses the search benchmark's Neo4j and data (``var/bench-search-<experts>``, see
``bench/search_http.py``) and its requests (16 texts x 4 filter pairs, first 20). The statement
``registry.search`` sends for each request is captured, then it and each variant below run
``--repeats`` times over Bolt with one client (fastest kept), one request after another, after
a warm-up pass over everything. A variant's rows are compared with the shipped statement's: a
variant that is faster but answers differently is a change of what a search means, not a
speed-up.

* ``shipped``: the statement as ``registry.search`` sends it;
* ``count only``: the same matches counted, no page sorted out of them;
* ``hits N``: the shipped statement considering N full-text hits per index instead of
  ``TEXT_HITS``;
* ``full-text calls, N hits``: only the two full-text procedure calls, their hits counted:
  the floor of any search through Neo4j's full-text indexes.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

from bench.search_http import _registry_filter, _variables
from bench.support import bench_server, ensure_demo, machine
from registry import search
from registry.db import Database
from registry.rows import as_dict
from registry.search import TEXT_HITS, ExpertSort, Viewer, search_experts

REQUESTS = 64  # every (text, filter pair) of bench.search_http once
_CALLS = ("CALL db.index.fulltext.queryNodes('expert_text', $q, {{limit: {n}}}) "
          "YIELD node, score RETURN count(*) AS n UNION ALL "
          "CALL db.index.fulltext.queryNodes('publication_text', $q, {{limit: {n}}}) "
          "YIELD node, score RETURN count(*) AS n")


def captured_statements(db: Database) -> list[tuple[str, dict[str, Any]]]:
    """The ranking statement ``registry.search`` runs for each benchmark request when it
    ranks in Cypher (``in_memory=False``)."""
    seen: list[tuple[str, dict[str, Any]]] = []
    original = search.run

    def spy(tx: Any, query: str, /, **params: Any) -> list[dict[str, Any]]:
        seen.append((query, dict(params)))
        return original(tx, query, **params)

    search.run = spy
    try:
        for i in range(REQUESTS):
            before = len(seen)
            search_experts(db, filter=_registry_filter(_variables(i)),
                           sort=ExpertSort.RELEVANCE, first=20, viewer=Viewer(),
                           in_memory=False)
            assert len(seen) == before + 1, "a text search is one statement"
    finally:
        search.run = original
    return seen


def _count_only(query: str) -> str:
    return query[:query.index("WITH collect(")] + "RETURN count(*) AS total"


def _hits(n: int) -> Callable[[str], str]:
    return lambda query: query.replace("{limit: $hits}", f"{{limit: {n}}}")


def variants() -> dict[str, Callable[[str], str]]:
    return {
        "shipped": lambda query: query,
        "count only": _count_only,
        **{f"hits {n}": _hits(n) for n in (2000, 1000, 500)},
        **{f"full-text calls, {n} hits": (lambda n: lambda _: _CALLS.format(n=n))(n)
           for n in (TEXT_HITS, 100)},
    }


def timed(db: Database, query: str, params: dict[str, Any], repeats: int
          ) -> tuple[float, list[dict[str, Any]]]:
    best, rows = float("inf"), []
    with db.driver.session(database=db.database) as session:
        for _ in range(repeats):
            started = time.perf_counter()
            rows = [as_dict(r) for r in session.run(query, params)]  # as registry.db.run
            best = min(best, time.perf_counter() - started)
    return best, rows


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--experts", type=int, default=10_000)
    p.add_argument("--port", type=int, default=7690, help="Bolt port of the benchmark's Neo4j")
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args()
    server, db = bench_server(f"search-{args.experts}", args.port)
    try:
        ensure_demo(db, args.experts)
        statements = captured_statements(db)
        print(f"machine: {machine()}; experts: {args.experts}; {len(statements)} requests, "
              f"fastest of {args.repeats}")
        for make in variants().values():  # warm-up: page cache, plans, the server's JIT
            for query, params in statements:
                timed(db, make(query), params, 1)
        shipped: list[list[dict[str, Any]]] = []
        for name, make in variants().items():
            total, same = 0.0, 0
            for i, (query, params) in enumerate(statements):
                seconds, rows = timed(db, make(query), params, args.repeats)
                total += seconds
                if name == "shipped":
                    shipped.append(rows)
                same += rows == shipped[i]
            print(f"{name:28} {total / len(statements) * 1000:6.1f} ms per search; "
                  f"answers as shipped: {same}/{len(statements)}")
    finally:
        db.close()
        server.stop()


if __name__ == "__main__":
    main()
