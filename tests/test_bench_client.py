"""The benchmarks' HTTP client (``bench.support.GraphQLClient``), the search benchmark's
concurrent run and the load mix's, against the real server: what they count is what the
server answered."""

from __future__ import annotations

from bench import load_mix
from bench.search_http import QUERY, _variables, http_run
from bench.support import GraphQLClient
from registry import experts
from registry.db import Database
from seed.demo import seed_demo
from tests.api.support import person, seed


def test_the_client_posts_graphql_and_reopens_a_dropped_connection(db: Database,
                                                                   live_server: str):
    seed(db, [person(i, headline="machine learning for chips", residenceCountry="DE",
                     diaspora="OVERSEAS", yearsExperience=12) for i in range(3)])
    with GraphQLClient(live_server) as client:
        status, body = client.post(QUERY, _variables(0))  # machine learning, overseas, 5+ y
        assert status == 200 and "errors" not in body
        assert body["data"]["experts"]["totalCount"] == 3
        client.connection.close()  # the server's keep-alive ended, say
        status, body = client.post("{ experts(first: 1) { totalCount } }")
        assert status == 200 and body["data"]["experts"]["totalCount"] == 3
        status, body = client.post("{ experts(first: 1000) { totalCount } }")
        assert status == 200 and body["errors"]  # refused: at most 100 a page


def test_concurrent_clients_send_each_request_once_and_count_errors(db: Database,
                                                                    live_server: str):
    seed(db, [person(i, headline="robot arms") for i in range(2)])
    latencies, errors, elapsed = http_run(live_server, 23, 4, seconds=60)
    assert len(latencies) == 23 and errors == 0 and elapsed > 0
    # A server that refuses is counted, not hidden: every request fails on a closed port.
    closed = live_server.rsplit(":", 1)[0] + ":9"
    latencies, errors, _ = http_run(closed, 5, 2, seconds=60)
    assert len(latencies) == 5 and errors == 5


def test_the_load_mix_counts_every_operation_and_keeps_edits_in_order(db: Database,
                                                                      live_server: str):
    seed_demo(db, experts=40, seed=7, progress=False)
    fixture = load_mix.prepare(db, edited=3, readable=10, seed=5)
    ops = ["search", "profile", "update", "update", "match"] * 4
    before = {e: experts.read_profile(db, e)["version"] for e in fixture.editors}
    tally = load_mix.Tally()
    elapsed = load_mix.run(live_server, fixture, ops, concurrency=3, seconds=120, tally=tally)
    assert elapsed > 0 and not tally.errors, tally.samples
    counts = {op: len(v) for op, v in tally.latencies.items()}
    assert counts["search"] == counts["profile"] == counts["match"] == 4
    # Each edited profile's version is read once, then every update carries the last one:
    # accepted or refused as a conflict (two clients on one profile), never lost.
    assert counts["version read"] == 3 and counts["update"] == 8
    moved = sum(experts.read_profile(db, e)["version"] - before[e] for e in fixture.editors)
    assert moved == 8 - tally.conflicts  # each accepted update is one version
