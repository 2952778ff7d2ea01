"""``chuyengia bench``: quality benchmarks of the matcher.

``expert-finding`` loads the DBLP expert-finding benchmark into a Neo4j of its own and ranks
it with the matcher (``bench.expert_finding``); ``score`` scores any TREC run file against
qrels (``bench.trec``).
"""

from __future__ import annotations

import argparse
import sys
from typing import TextIO

from bench import trec
from registry.db import Database

__all__ = ["run_bench_command"]


def run_bench_command(args: argparse.Namespace, *, db: Database | None = None,
                      out: TextIO | None = None) -> int:
    """Dispatch ``chuyengia bench``. ``db`` replaces the benchmark's own server (tests pass
    their own database; it is wiped)."""
    out = out or sys.stdout
    if args.bench == "score":
        scores = trec.evaluate_files(args.qrels, args.run)
        from bench.expert_finding import format_scores

        print(format_scores(scores), file=out)
        return 0
    if args.bench == "expert-finding":
        return _expert_finding(args, db, out)
    raise SystemExit(f"unknown benchmark {args.bench!r}")


def _expert_finding(args: argparse.Namespace, db: Database | None, out: TextIO) -> int:
    from bench.expert_finding import BENCH_NAME, BENCH_PORT, run_expert_finding

    def progress(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    def go(database: Database) -> int:
        report = run_expert_finding(database, args.data, args.queries, args.run,
                                    qrels=args.qrels, protocol=args.protocol,
                                    progress=progress)
        print(report.format(), file=out)
        return 0

    if db is not None:
        return go(db)

    from bench.support import bench_server, machine
    from registry.localdb import LocalNeo4j
    from registry.settings import PROJECT_ROOT

    port = getattr(args, "port", None) or BENCH_PORT
    folder = PROJECT_ROOT / "var" / f"bench-{BENCH_NAME}"
    was_running = LocalNeo4j(folder, port).status().running
    progress(f"the benchmark's own Neo4j: {folder}, port {port}")
    server, database = bench_server(BENCH_NAME, port)
    try:
        code = go(database)
        print(f"machine: {machine()}", file=out)
        return code
    finally:
        database.close()
        if not was_running:
            server.stop()
