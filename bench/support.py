"""Shared pieces of the benchmarks: a dedicated Neo4j, demo data of a given size, a served API.

Benchmarks never touch demo, user or test data: each uses a local Neo4j with its own data
folder under ``var/`` and its own port.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx

from registry.cli import KEEP_ALIVE_SECONDS
from registry.db import Database
from registry.localdb import LocalNeo4j
from registry.migrations import migrate
from registry.settings import PROJECT_ROOT, Settings

__all__ = ["GraphQLClient", "at_once", "bench_server", "ensure_demo", "free_port", "machine",
           "percentile", "served_api", "stop_process", "summary"]


def machine() -> str:
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{platform.machine()}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}"


def bench_server(name: str, port: int) -> tuple[LocalNeo4j, Database]:
    """A benchmark's own Neo4j under ``var/bench-<name>``, started and migrated."""
    server = LocalNeo4j(PROJECT_ROOT / "var" / f"bench-{name}", port, heap="2g", pagecache="2g")
    server.start(300)
    settings = Settings(NEO4J_URI=server.uri, NEO4J_PASSWORD=server.password())
    db = Database.connect(settings)
    migrate(db)
    return server, db


def ensure_demo(db: Database, experts: int, *, seed: int = 57) -> float:
    """Make the database hold exactly the demo registry of ``experts`` experts; returns the
    seconds spent seeding (0 when it was there already)."""
    from seed.demo import seed_demo

    have = db.query("MATCH (e:Expert) RETURN count(e) AS n")[0]["n"]
    if have == experts:
        return 0.0
    while db.execute("MATCH (n) WHERE NOT (n:SchemaMigration OR n:Skill OR n:TechArea OR "
                     "n:TaxonomyVersion OR (n:Organization AND n.source = 'REFERENCE')) "
                     "WITH n LIMIT 20000 DETACH DELETE n RETURN count(*) AS n")[0]["n"]:
        pass
    started = time.perf_counter()
    seed_demo(db, experts=experts, seed=seed, progress=True)
    return time.perf_counter() - started


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with contextlib.closing(socket.socket()) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served_api(server: LocalNeo4j, *, workers: int = 2, env: dict[str, str] | None = None
               ) -> Iterator[str]:
    """Run ``server:create_app`` under uvicorn against ``server``; yields the base URL."""
    port = free_port()
    child_env = {**os.environ, "NEO4J_URI": server.uri, "NEO4J_PASSWORD": server.password(),
                 "CHUYENGIA_ENV": "production", "CHUYENGIA_RATE_LIMIT": "1000000",
                 **(env or {})}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "server:create_app", "--factory", "--host",
         "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level",
         "warning", "--no-access-log", "--timeout-keep-alive", str(KEEP_ALIVE_SECONDS)],
        cwd=PROJECT_ROOT, env=child_env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            if proc.poll() is not None:
                raise RuntimeError("the API server exited during start-up")
            time.sleep(0.3)
        else:
            raise RuntimeError("the API server did not become ready in 120 s")
        yield base
    finally:
        stop_process(proc)


def stop_process(proc: subprocess.Popen, timeout: float = 30) -> None:
    """Ask a child process to stop (SIGTERM); kill it if it has not after ``timeout``."""
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


class GraphQLClient:
    """One keep-alive HTTP/1.1 connection that posts GraphQL requests, for measuring a server.

    On a two-core machine a client's CPU is taken from the server it measures, and its time
    is added to every latency. The standard library's ``http.client`` costs the benchmark
    process about 0.5 ms of CPU per request and added 1.2 ms less to a search's p50 than
    ``httpx`` in a side-by-side run (``docs/benchmarks.md``). One client per thread; a
    dropped connection is reopened on the next request.
    """

    def __init__(self, base: str, *, token: str | None = None, timeout: float = 30):
        parts = urlsplit(base)
        self.path = parts.path.rstrip("/") + "/graphql"
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1",
                                                     parts.port or 80, timeout=timeout)

    def post(self, query: str, variables: dict[str, Any] | None = None, *,
             token: str | None = None) -> tuple[int, dict[str, Any]]:
        """The response's status and JSON body (``token``: this request's bearer token)."""
        body = json.dumps({"query": query, "variables": variables or {}}).encode()
        headers = self.headers
        if token:
            headers = {**headers, "Authorization": f"Bearer {token}"}
        try:
            self.connection.request("POST", self.path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (http.client.HTTPException, OSError):
            self.connection.close()  # reopened by the next request
            raise
        return response.status, json.loads(data) if data else {}

    def close(self) -> None:
        self.connection.close()

    def __enter__(self) -> GraphQLClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def at_once(calls: Sequence[Callable[[], object]]) -> float:
    """Run each call in a thread of its own, all at once; the seconds until the last ended."""
    threads = [threading.Thread(target=call) for call in calls]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


def summary(latencies_s: list[float]) -> dict[str, float]:
    ms = [x * 1000 for x in latencies_s]
    return {"n": len(ms), "p50": percentile(ms, 50), "p95": percentile(ms, 95),
            "p99": percentile(ms, 99), "mean": statistics.fmean(ms) if ms else float("nan")}


def write_figures(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
