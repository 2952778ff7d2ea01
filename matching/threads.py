"""How many threads numpy's BLAS and OpenMP pools use in a process that runs the matcher.

OpenBLAS and OpenMP start a pool of one thread per core, and their idle threads spin for a
while after each call before they sleep. A ranking's products are small (a task vector
against 100,000 profile vectors: a few milliseconds on one core), so a pool gains little;
on a 2-core machine shared with Neo4j its spinning threads take the cores Neo4j needs for
the same ranking's full-text statements (at 100,000 experts, 41 → 65 ms p50 when the
ranking thread made its query expansion meanwhile; 52 → 53 ms with one thread: see
``docs/benchmarks.md``, "Matching speed"). Concurrent requests, not one call, should use the
cores.
"""

from __future__ import annotations

from threadpoolctl import threadpool_info, threadpool_limits

__all__ = ["current", "limit"]


def limit(threads: int) -> None:
    """Cap every BLAS and OpenMP pool loaded in this process at ``threads`` (process-wide
    and lasting)."""
    if threads < 1:
        raise ValueError(f"math threads must be at least 1, not {threads}")
    threadpool_limits(limits=threads)


def current() -> dict[str, int]:
    """Threads each loaded pool may use, by its API (``openblas``, ``openmp``, ...): the
    largest figure when one API is loaded twice."""
    out: dict[str, int] = {}
    for pool in threadpool_info():
        api = pool["internal_api"]
        out[api] = max(out.get(api, 0), pool["num_threads"])
    return out
