"""Fuzz ``/graphql`` with schemathesis's GraphQL mode against a served app on 127.0.0.1.

    python -m bench.fuzz_graphql --requests 1200 --seed 57

Schemathesis (through hypothesis-graphql) builds queries and mutations from the schema the
server itself reports by introspection: valid documents with generated arguments (positive
mode) and documents whose arguments break the schema's types (negative mode). Every root field
gets its share of the requests, sent in turn as an anonymous caller and with the token of each
role, so the permission checks and the resolvers behind them both see the input.

A response fails when it is a 5xx, is not JSON, or carries an error the server masked as
unexpected (``extensions.code == "INTERNAL_SERVER_ERROR"``, message ``Unexpected error.``, see
``api.safeguards``). Validation errors, typed failures (``ValidationFailed``, ``NotFound``,
...) and ``UNAUTHENTICATED``/``FORBIDDEN`` are the expected answers to bad input.

Generation is deterministic for a given ``--seed`` and schema; the number of requests and the
time are bounded. ``tests/reliability/test_fuzz.py`` runs a smaller share of the same fuzzer
in the test suite. The benchmark uses a Neo4j of its own under ``var/bench-fuzz``.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import json
import math
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from graphql import get_introspection_query
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as hypothesis_seed
from hypothesis import strategies as st

__all__ = ["MASKED_CODE", "FuzzCase", "FuzzReport", "generate_cases", "judge", "run_cases"]

MASKED_CODE = "INTERNAL_SERVER_ERROR"
MASKED_MESSAGE = "Unexpected error."
INTROSPECTION = get_introspection_query()


@dataclass(frozen=True)
class FuzzCase:
    label: str  # "Query.experts", "Mutation.updateProfile"
    mode: str  # "positive" or "negative"
    query: str


@dataclass
class FuzzReport:
    requests: int = 0
    seconds: float = 0.0
    by_status: collections.Counter[int] = field(default_factory=collections.Counter)
    by_code: collections.Counter[str] = field(default_factory=collections.Counter)
    operations: set[str] = field(default_factory=set)
    failures: list[tuple[FuzzCase, str | None, str]] = field(default_factory=list)

    def summary(self) -> str:
        codes = ", ".join(f"{c} {n}" for c, n in self.by_code.most_common())
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(self.by_status.items()))
        return (f"{self.requests} requests over {len(self.operations)} root fields in "
                f"{self.seconds:.1f} s; HTTP {statuses}; error codes: {codes or 'none'}; "
                f"failures (5xx or internal errors): {len(self.failures)}")


def _register_scalars() -> None:
    import schemathesis
    from schemathesis.graphql import nodes

    dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
    schemathesis.graphql.scalar("Date", dates.map(lambda d: nodes.String(d.isoformat())))
    schemathesis.graphql.scalar(
        "DateTime", st.datetimes().map(lambda d: nodes.String(d.isoformat())))


def generate_cases(introspection: dict[str, Any], *, requests: int, seed: int,
                   fields: Iterable[str] | None = None) -> list[FuzzCase]:
    """About ``requests`` cases, spread evenly over the root fields and both modes, in a
    deterministic order for the given ``seed``. ``fields`` ("Query.me", ...) limits them."""
    import schemathesis
    from schemathesis.generation import GenerationMode

    _register_scalars()
    schema = schemathesis.graphql.from_dict(introspection)
    operations = [r.ok() for r in schema.get_all_operations()]
    wanted = set(fields) if fields is not None else None
    operations = [op for op in operations if wanted is None or op.label in wanted]
    modes = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    per_strategy = max(1, math.ceil(requests / (2 * len(operations))))
    # Interleaved (operations, and the two modes of each), so that a run cut short by its
    # request or time bound still covers every root field in both modes.
    streams = [_draw(op, mode, per_strategy, seed) for op in operations for mode in modes]
    interleaved = [stream[i] for i in range(per_strategy) for stream in streams
                   if i < len(stream)]
    return interleaved[:requests]


def _draw(operation: Any, mode: Any, count: int, seed: int) -> list[FuzzCase]:
    drawn: list[FuzzCase] = []
    strategy = operation.as_strategy(generation_mode=mode)

    @hypothesis_seed(seed)
    @settings(max_examples=count, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), derandomize=False)
    @given(strategy)
    def collect(case: Any) -> None:
        if len(drawn) < count:
            drawn.append(FuzzCase(operation.label, mode.value, case.body))

    try:
        collect()
    except Exception as exc:  # an operation the generator cannot fill: say which
        if not drawn:
            raise RuntimeError(f"schemathesis could not generate {mode.value} cases for "
                               f"{operation.label}: {exc}") from exc
    return drawn


def judge(status: int, text: str) -> str | None:
    """Why a response fails the fuzz check, or None when it is an acceptable answer."""
    if status >= 500:
        return f"HTTP {status}"
    try:
        body = json.loads(text)
    except ValueError:
        return "the response is not JSON"
    if not isinstance(body, dict):
        return "the response is not a JSON object"
    for error in body.get("errors") or ():
        code = (error.get("extensions") or {}).get("code")
        if code == MASKED_CODE or error.get("message") == MASKED_MESSAGE:
            return f"internal error at {error.get('path')}"
    return None


def error_codes(text: str) -> list[str]:
    try:
        body = json.loads(text)
    except ValueError:
        return []
    if not isinstance(body, dict):
        return []
    return [str((e.get("extensions") or {}).get("code") or "GRAPHQL_VALIDATION")
            for e in body.get("errors") or ()]


Send = Callable[[str, str | None], tuple[int, str]]


def run_cases(cases: Sequence[FuzzCase], send: Send, tokens: Sequence[str | None], *,
              seconds: float) -> FuzzReport:
    """Send each case (in turn with each of ``tokens``), within ``seconds``; judge each answer."""
    report = FuzzReport()
    started = time.monotonic()
    for i, case in enumerate(cases):
        if time.monotonic() - started > seconds:
            break
        status, text = send(case.query, tokens[i % len(tokens)])
        report.requests += 1
        report.operations.add(case.label)
        report.by_status[status] += 1
        report.by_code.update(error_codes(text))
        problem = judge(status, text)
        if problem is not None:
            report.failures.append((case, tokens[i % len(tokens)], f"{problem}: {text[:300]}"))
    report.seconds = time.monotonic() - started
    return report


# ---------------------------------------------------------------------------------------------
# The benchmark: a served app (uvicorn, 2 workers) on a Neo4j of its own
# ---------------------------------------------------------------------------------------------


def _tokens(db: Any) -> list[str | None]:
    """Anonymous, then one account per role (made on each run: a token is shown only once)."""
    from registry.accounts import create_account
    from registry.experts import write_profiles
    from registry.profile import validate_profile

    doc = validate_profile({"fullName": "Người Thử Nghiệm", "email": "fuzz@example.org",
                            "residenceCountry": "VN", "visibility": "PUBLIC"})
    db.write(write_profiles, [doc])
    tokens: list[str | None] = [None]
    for role in ("ADMIN", "HR_AGENCY", "PROGRAMME_LEAD"):
        tokens.append(create_account(db, name=f"fuzz {role}", role=role)[1])
    db.execute("MATCH (a:Account)-[:IS]->(:Expert {id: $id}) DETACH DELETE a", id=doc["id"])
    tokens.append(create_account(db, name="fuzz expert", role="EXPERT", expert_id=doc["id"])[1])
    return tokens


def main() -> None:
    import httpx

    from bench.support import machine, served_api
    from registry.db import Database
    from registry.localdb import LocalNeo4j
    from registry.migrations import migrate
    from registry.settings import PROJECT_ROOT, Settings

    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--requests", type=int, default=1200)
    p.add_argument("--seed", type=int, default=57)
    p.add_argument("--seconds", type=float, default=600)
    args = p.parse_args()

    server = LocalNeo4j(PROJECT_ROOT / "var" / "bench-fuzz", 7719, heap="512m",
                        pagecache="256m")
    server.start(300)
    db = Database.connect(Settings(NEO4J_URI=server.uri, NEO4J_PASSWORD=server.password()))
    migrate(db)
    tokens = _tokens(db)
    print(f"machine: {machine()}")
    with served_api(server, workers=2) as base, httpx.Client(timeout=30) as http:
        introspection = http.post(f"{base}/graphql",
                                  json={"query": INTROSPECTION}).json()["data"]
        started = time.monotonic()
        cases = generate_cases(introspection, requests=args.requests, seed=args.seed)
        print(f"generated {len(cases)} cases in {time.monotonic() - started:.1f} s")

        def send(query: str, token: str | None) -> tuple[int, str]:
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            r = http.post(f"{base}/graphql", json={"query": query}, headers=headers)
            return r.status_code, r.text

        report = run_cases(cases, send, tokens, seconds=args.seconds)
    db.close()
    print(report.summary())
    for case, token, problem in report.failures[:20]:
        print(f"- {case.label} ({case.mode}, {'signed in' if token else 'anonymous'}): "
              f"{problem}\n  {case.query[:500]}")
    raise SystemExit(1 if report.failures else 0)


if __name__ == "__main__":
    main()
