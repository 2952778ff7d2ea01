"""The ``chuyengia`` command: database, seed, import/export, serve, matcher and benchmarks."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from registry.errors import DatabaseUnavailable, RegistryError
from registry.localdb import LocalNeo4jError
from registry.settings import PROJECT_ROOT, get_settings

__all__ = ["main"]

log = logging.getLogger("chuyengia")


def _db():
    from registry.db import Database
    from registry.migrations import migrate

    db = Database.connect(get_settings())
    migrate(db)
    return db


def cmd_db(args: argparse.Namespace) -> int:
    from registry.db import Database, local_server_for
    from registry.migrations import migrate

    settings = get_settings()
    if args.action == "migrate":
        with Database.connect(settings) as db:
            now = migrate(db)
        print(f"migrations applied: {', '.join(now) if now else 'none (up to date)'}")
        return 0
    if not settings.uses_local_server:
        print(f"NEO4J_URI is set ({settings.neo4j_uri}): that server is managed elsewhere")
        if args.action == "status":
            with Database.connect(settings) as db:
                print("reachable" if db.ping() else "not reachable")
        return 0
    server = local_server_for(settings)
    if args.action == "start":
        print(server.start(settings.start_timeout))
    elif args.action == "stop":
        print("stopped" if server.stop() else "was not running")
    else:
        print(server.status())
    return 0


def cmd_seed(args: argparse.Namespace) -> int:
    from seed.demo import seed_demo

    with _db() as db:
        report = seed_demo(db, experts=args.experts, seed=args.seed, if_empty=args.if_empty,
                           progress=not args.quiet)
    print(report)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from registry.transfer import import_experts_file, import_graph

    if args.what == "graph":
        with _db() as db:
            counts = import_graph(db, Path(args.file))
        print("restored " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        return 0
    if args.initial:
        result = _initial_load(args)
    else:
        with _db() as db:
            result = import_experts_file(db, Path(args.file), fmt=args.format, progress=True)
    for row in result.rejected:
        print(f"line {row.line}: {row.reason}", file=sys.stderr)
    print(result.summary())
    return 0 if not result.rejected else 3


def _initial_load(args: argparse.Namespace):
    from registry.db import local_server_for
    from registry.initial_load import InitialLoad

    settings = get_settings()
    if not settings.uses_local_server:
        raise RegistryError("--initial builds the store of the project's own Neo4j; with "
                            f"NEO4J_URI set ({settings.neo4j_uri}) import without it")
    with _db() as db:
        load = InitialLoad(db, local_server_for(settings), settings.neo4j_database)
        load.prepare(Path(args.file), fmt=args.format, progress=True)
        print("restarting Neo4j on the new store", file=sys.stderr)
        result = load.install()
    print(f"phases: {load.phases()}",
          file=sys.stderr)
    return result


def cmd_export(args: argparse.Namespace) -> int:
    from registry.transfer import export_graph

    with _db() as db:
        counts = export_graph(db, Path(args.file))
    print("exported " + ", ".join(f"{v} {k}" for k, v in counts.items()))
    return 0


# An idle keep-alive connection is closed after this long. uvicorn's default (5 s) is shorter
# than a client's pause between two requests under load (say, behind a queue of profile
# updates to one expert), and a client that sends on a connection the server is closing at
# that moment gets a reset.
KEEP_ALIVE_SECONDS = 30


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    with _db():
        pass  # start Neo4j and migrate before the workers come up
    uvicorn.run(
        # ``server.py`` sits at the project root, which is not on ``sys.path`` when the
        # console script runs (its own folder is); uvicorn imports it from there.
        "server:create_app", factory=True, app_dir=str(PROJECT_ROOT),
        timeout_keep_alive=KEEP_ALIVE_SECONDS, host=args.host or settings.host,
        port=args.port or settings.port, workers=args.workers, log_level="info",
    )
    return 0


def cmd_matcher(args: argparse.Namespace) -> int:
    from matching.cli import run_matcher_command

    with _db() as db:
        return run_matcher_command(db, args)


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.cli import run_bench_command

    return run_bench_command(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="chuyengia", description=__doc__)
    p.add_argument("-v", "--verbose", action="store_true")
    sub = p.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="the Neo4j server and its schema")
    db.add_argument("action", choices=["start", "stop", "status", "migrate"])
    db.set_defaults(func=cmd_db)

    seed = sub.add_parser("seed", help="load reference data and deterministic demo data")
    seed.add_argument("--experts", type=int, default=2000)
    seed.add_argument("--seed", type=int, default=57)
    seed.add_argument("--if-empty", action="store_true", help="only when no expert exists yet")
    seed.add_argument("--quiet", action="store_true")
    seed.set_defaults(func=cmd_seed)

    imp = sub.add_parser("import", help="import records from a file")
    imp.add_argument("what", choices=["experts", "graph"],
                     help="experts: profiles (JSON Lines, JSON, CSV); graph: restore an export "
                          "into an empty registry")
    imp.add_argument("file")
    imp.add_argument("--format", choices=["jsonl", "json", "csv"], default=None)
    imp.add_argument("--initial", action="store_true",
                     help="experts into a registry that has none yet, written offline by "
                          "neo4j-admin (much faster for a large file; restarts the local Neo4j)")
    imp.set_defaults(func=cmd_import)

    exp = sub.add_parser("export", help="export the whole registry as JSON Lines")
    exp.add_argument("file")
    exp.set_defaults(func=cmd_export)

    srv = sub.add_parser("serve", help="serve the GraphQL API")
    srv.add_argument("--host")
    srv.add_argument("--port", type=int)
    srv.add_argument("--workers", type=int, default=1)
    srv.set_defaults(func=cmd_serve)

    m = sub.add_parser("matcher", help="train or evaluate the learned ranker")
    m.add_argument("action", choices=["train", "evaluate"])
    m.add_argument("--folds", type=int, default=5)
    m.add_argument("--force", action="store_true",
                   help="train: make the new model current even if it does not beat the "
                        "transparent weights on held-out tasks")
    m.set_defaults(func=cmd_matcher)

    b = sub.add_parser("bench", help="quality benchmarks")
    bsub = b.add_subparsers(dest="bench", required=True)
    ef = bsub.add_parser("expert-finding", help="rank the DBLP benchmark with the matcher")
    ef.add_argument("--data", required=True)
    ef.add_argument("--queries", required=True)
    ef.add_argument("--run", required=True)
    ef.add_argument("--qrels")
    ef.add_argument("--protocol", choices=["strict", "original"], default="strict")
    ef.add_argument("--port", type=int, help="the benchmark Neo4j's port (default 7692)")
    sc = bsub.add_parser("score", help="score a TREC run file")
    sc.add_argument("--qrels", required=True)
    sc.add_argument("--run", required=True)
    b.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("neo4j").setLevel(logging.WARNING)
    try:
        return args.func(args)
    except DatabaseUnavailable as exc:  # say where we looked: a wrong NEO4J_URI is likely
        settings = get_settings()
        where = ("the project's own server" if settings.uses_local_server
                 else f"NEO4J_URI={settings.neo4j_uri}")
        print(f"chuyengia: {exc} ({where}, user {settings.neo4j_user!r}, database "
              f"{settings.neo4j_database!r})", file=sys.stderr)
        return 2
    except (RegistryError, LocalNeo4jError) as exc:
        print(f"chuyengia: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
