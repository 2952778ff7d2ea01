"""Import throughput: how many full profiles per second ``chuyengia import experts`` writes.

    python -m bench.import_throughput --experts 10000
    python -m bench.import_throughput --experts 100000
    python -m bench.import_throughput --experts 100000 --initial

Demo profiles (skills, employment, education, publications with abstracts, projects, patents,
awards; see ``seed.demo_profiles``) are first written to a JSON Lines file, which is not timed.
Then a dedicated benchmark Neo4j (``var/bench-neo4j``, port 7689; never the demo or test data)
is started on an empty store, migrated, and the file is imported through ``registry.importer`` exactly as the
command does it. Reported: profiles per second, wall time, CPU seconds of the importer and of
the Neo4j server (load from other programs on the machine shows as wall time not spent in
either), and node and relationship counts.

With ``--initial`` the file goes in as a registry's initial load (``registry.initial_load``:
the same validation, the graph written as CSV, ``neo4j-admin database import full``, the store
swapped in, indexes populated); the time of each phase is printed, and the profiles per second
count the whole load, from reading the file to the indexes being online.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import sys
import time
from pathlib import Path

from neo4j import GraphDatabase

from registry.db import Database
from registry.localdb import LocalNeo4j
from registry.migrations import migrate
from registry.settings import PROJECT_ROOT

__all__ = ["main"]


_FULLTEXT_INDEXES = ("expert_text", "publication_text", "project_text")
# Constant statements (an index name cannot be a parameter).
_DROP_INDEX = {name: f"DROP INDEX {name} IF EXISTS" for name in _FULLTEXT_INDEXES}


def _server_cpu(pid: int | None) -> float:
    """User + system CPU seconds the process has used so far (Linux ``/proc``)."""
    if pid is None:
        return float("nan")
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children_cpu() -> float:
    """CPU seconds of finished child processes (the validation workers, once shut down)."""
    t = os.times()
    return t.children_user + t.children_system


def _generate(path: Path, experts: int, seed: int) -> None:
    from seed.demo_profiles import generate_profiles

    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8") as out:
        out.writelines(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n" for doc in generate_profiles(experts, seed=seed))
    os.replace(partial, path)


def _counts(db: Database) -> tuple[dict[str, int], dict[str, int]]:
    labels = {r["label"]: r["n"] for r in db.query(
        "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n ORDER BY label")}
    types = {r["type"]: r["n"] for r in db.query(
        "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS n ORDER BY type")}
    return labels, types


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.import_throughput", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--experts", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=57)
    p.add_argument("--batch-size", type=int, default=500)
    p.add_argument("--workers", type=int, default=None,
                   help="validation processes (default: one per spare core)")
    p.add_argument("--data", type=Path, default=PROJECT_ROOT / "var" / "bench-neo4j")
    p.add_argument("--port", type=int, default=7689)
    p.add_argument("--heap", default="2g")
    p.add_argument("--pagecache", default="2g")
    p.add_argument("--file", type=Path, default=None,
                   help="the JSON Lines file (default var/bench-import/experts-N-seed.jsonl)")
    p.add_argument("--initial", action="store_true",
                   help="load the file as an initial load (neo4j-admin) instead of importing it")
    p.add_argument("--keep", action="store_true", help="leave the benchmark server running")
    p.add_argument("--without-fulltext", action="store_true",
                   help="drop the full-text indexes before importing, to measure what their "
                        "upkeep costs (an experiment: search needs them)")
    args = p.parse_args(argv)

    path = args.file or PROJECT_ROOT / "var" / "bench-import" / \
        f"experts-{args.experts}-{args.seed}.jsonl"
    if not path.exists():
        t = time.perf_counter()
        _generate(path, args.experts, args.seed)
        print(f"generated {args.experts:,} profiles into {path} "
              f"({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t:.1f} s")

    # The folder is the benchmark's own: wipe it by starting from an empty store, so that
    # neither deletions nor a warm cache from an earlier run colour the figures.
    server = LocalNeo4j(args.data, args.port, args.heap, args.pagecache)
    server.stop()
    shutil.rmtree(server.home / "data", ignore_errors=True)
    server.start()
    driver = GraphDatabase.driver(server.uri, auth=("neo4j", server.password()),
                                  notifications_min_severity="OFF")
    db = Database(driver, "neo4j", server.uri)
    try:
        migrate(db)
        if args.without_fulltext:
            for name in _FULLTEXT_INDEXES:
                db.execute(_DROP_INDEX[name])
        from registry.importer import import_experts_file
        from registry.initial_load import InitialLoad

        pid = server.status().pid
        load_before = os.getloadavg()
        cpu0, server0, workers0 = time.process_time(), _server_cpu(pid), _children_cpu()
        if args.initial:
            load = InitialLoad(db, server)
            load.prepare(path, progress=True, workers=args.workers)
            server_cpu = _server_cpu(pid) - server0
            load.install()
            pid = server.status().pid  # the server was restarted on the new store
            server_cpu += _server_cpu(pid)
            result = load.result
            assert result is not None
        else:
            result = import_experts_file(db, path, progress=True, batch_size=args.batch_size,
                                         workers=args.workers)
            server_cpu = _server_cpu(pid) - server0
        client_cpu = time.process_time() - cpu0
        workers_cpu = _children_cpu() - workers0
        load_after = os.getloadavg()
        labels, types = _counts(db)
    finally:
        driver.close()
        if not args.keep:
            server.stop()

    n = result.accepted
    print()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GB, "
          f"Python {platform.python_version()}; load average before/after "
          f"{load_before[0]:.1f}/{load_after[0]:.1f}")
    print(f"command: python -m bench.import_throughput {' '.join(argv or sys.argv[1:])}")
    print(f"import: {result.summary()}")
    print(f"throughput: {n / result.seconds:,.0f} profiles/s; wall {result.seconds:.1f} s; "
          f"CPU: importer {client_cpu:.1f} s + validation workers {workers_cpu:.1f} s, "
          f"Neo4j {server_cpu:.1f} s")
    print(f"importer peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")
    if args.initial:
        print(f"phases: {load.phases()}"
              + " (neo4j-admin's CPU counts as the validation workers')")
    print(f"nodes: {sum(labels.values()):,} " + json.dumps(labels))
    print(f"relationships: {sum(types.values()):,} " + json.dumps(types))
    return 0 if not result.rejected else 1


if __name__ == "__main__":
    sys.exit(main())
