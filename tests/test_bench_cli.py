"""``chuyengia bench expert-finding`` and ``chuyengia bench score`` on a tiny synthetic benchmark.

The benchmark code is given the test database (``run_bench_command(args, db=...)``) instead of
starting its own server; it wipes what it is given, which the ``db`` fixture does anyway.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bench.cli import run_bench_command
from bench.expert_finding import clean_text, split_title
from registry.cli import build_parser
from registry.db import Database

TOPICS = {
    "agents": "autonomous software agents negotiation protocols multi-agent coordination "
              "belief desire intention planning",
    "vision": "convolutional networks image recognition object detection pixels "
              "segmentation cameras",
    "databases": "relational database query optimization indexes transactions join "
                 "storage engines",
}
# Who writes what: the first expert of each topic writes the most about it.
WRITES = {"a1": ("agents", 3), "a2": ("agents", 1), "b1": ("vision", 3), "b2": ("vision", 1),
          "c1": ("databases", 3), "c2": ("databases", 1)}
QUERIES = {"q0": ("agents", "a1"), "q1": ("vision", "b1"), "q2": ("databases", "c1")}


def _phrase(topic: str, k: int) -> str:
    words = TOPICS[topic].split()
    return " ".join(words[k % len(words):] + words[:k % len(words)])


def write_benchmark(folder: Path) -> dict[str, Path]:
    docs, n = [], 0
    for expert, (topic, count) in WRITES.items():
        for k in range(count):
            docs.append({"id": f"d{n}", "text": f"On {topic} {_phrase(topic, k)} study {n}",
                         "authors": [expert], "cites": []})
            n += 1
    # a paper of a non-pool author that cites the first one
    docs.append({"id": f"d{n}", "text": "A survey of many things: agents, images, databases",
                 "authors": ["z9"], "cites": ["d0"]})
    # the documents the queries are taken from (left out in the strict protocol)
    queries = []
    for qid, (topic, author) in QUERIES.items():
        doc = f"dq{qid[1:]}"
        text = f"New {topic} results {_phrase(topic, 2)} with a \u0095 stray control code"
        docs.append({"id": doc, "text": text, "authors": [author], "cites": ["d0"]})
        queries.append({"id": qid, "doc": doc, "text": text, "topics": [topic]})
    candidates = [{"id": e, "pool": True} for e in WRITES] + [{"id": "z9", "pool": False},
                                                              {"id": "y8", "pool": True}]
    qrels = [f"{qid} 0 {c['id']} {int(c['id'] in (author, author[0] + '2'))}"
             for qid, (_, author) in QUERIES.items() for c in candidates if c["pool"]]
    paths = {"data": folder, "queries": folder / "queries-dev.jsonl",
             "qrels": folder / "qrels-dev.txt"}
    for name, rows in (("documents.jsonl", docs), ("candidates.jsonl", candidates),
                       ("queries-dev.jsonl", queries)):
        (folder / name).write_text("".join(json.dumps(r) + "\n" for r in rows))
    paths["qrels"].write_text("\n".join(qrels) + "\n")
    return paths


def _bench(db: Database, argv: list[str]) -> tuple[int, str]:
    args = build_parser().parse_args(["bench", *argv])
    out = io.StringIO()
    code = run_bench_command(args, db=db, out=out)
    return code, out.getvalue()


def _read_run(path: Path) -> dict[str, list[tuple[str, int, float, str]]]:
    rows: dict[str, list[tuple[str, int, float, str]]] = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        assert len(parts) == 6, line
        qid, q0, cid, rank, score, tag = parts
        assert q0 == "Q0"
        rows.setdefault(qid, []).append((cid, int(rank), float(score), tag))
    return rows


@pytest.fixture
def bench_files(tmp_path: Path) -> dict[str, Path]:
    return write_benchmark(tmp_path)


def test_expert_finding_writes_a_well_formed_run_and_ranks_the_obvious_expert_first(
        db: Database, bench_files: dict[str, Path], tmp_path: Path):
    run = tmp_path / "out" / "strict.run"
    code, out = _bench(db, ["expert-finding", "--data", str(bench_files["data"]),
                            "--queries", str(bench_files["queries"]),
                            "--qrels", str(bench_files["qrels"]), "--run", str(run),
                            "--protocol", "strict"])
    assert code == 0
    rows = _read_run(run)
    pool = {e for e in WRITES} | {"y8"}
    assert set(rows) == set(QUERIES)
    for qid, (_, expert) in QUERIES.items():
        ranked = rows[qid]
        assert [r[1] for r in ranked] == list(range(1, len(ranked) + 1))
        assert {r[0] for r in ranked} == pool  # every pool candidate once, no one else
        scores = [r[2] for r in ranked]
        assert scores == sorted(scores, reverse=True)
        assert len({r[3] for r in ranked}) == 1
        assert ranked[0][0] == expert
        assert ranked[-1][0] == "y8" and ranked[-1][2] == 0.0  # no documents: not returned

    # the report: the matcher and the voting baselines, scored in the same run
    assert "matcher (chuyengia" in out and "TF-IDF document voting" in out
    assert "protocol strict" in out and "query documents left out: 3" in out
    matcher_row = next(line for line in out.splitlines() if line.startswith("| matcher"))
    map_, _p10, _ndcg, mrr = (float(x) for x in matcher_row.split("|")[2:6])
    assert mrr == 1.0 and map_ >= 0.5

    # the registry holds the benchmark, the query documents left out
    written = sum(count for _, count in WRITES.values()) + 1
    assert db.query("MATCH (p:Publication) RETURN count(p) AS n")[0]["n"] == written
    assert db.query("MATCH (:Publication {id: 'dq0'}) RETURN count(*) AS n")[0]["n"] == 0
    assert db.query("MATCH (:Publication)-[c:CITES]->(:Publication {id: 'd0'}) "
                    "RETURN count(c) AS n")[0]["n"] == 1
    assert db.query("MATCH (e:Expert) RETURN count(e) AS n")[0]["n"] == 8


def test_original_protocol_keeps_the_query_documents(db: Database, bench_files: dict[str, Path],
                                                     tmp_path: Path):
    run = tmp_path / "original.run"
    code, out = _bench(db, ["expert-finding", "--data", str(bench_files["data"]),
                            "--queries", str(bench_files["queries"]), "--run", str(run),
                            "--protocol", "original"])
    assert code == 0
    assert "no --qrels" in out
    assert db.query("MATCH (:Publication {id: 'dq0'})<-[:AUTHORED]-(e:Expert) "
                    "RETURN e.id AS id") == [{"id": "a1"}]
    assert db.query("MATCH (:Publication)-[c:CITES]->(:Publication {id: 'd0'}) "
                    "RETURN count(c) AS n")[0]["n"] == 4
    assert _read_run(run)["q1"][0][0] == "b1"


def test_score_prints_the_four_metrics(tmp_path: Path, bench_files: dict[str, Path]):
    run = tmp_path / "hand.run"
    # q0: the two relevant first; q1: relevant at ranks 2 and 3; q2 absent from the run
    run.write_text("q0 Q0 a1 1 3.0 hand\nq0 Q0 a2 2 2.0 hand\nq0 Q0 b1 3 1.0 hand\n"
                   "q1 Q0 a1 1 3.0 hand\nq1 Q0 b1 2 2.0 hand\nq1 Q0 b2 3 1.0 hand\n")
    code, out = _bench(None, ["score", "--qrels", str(bench_files["qrels"]),  # type: ignore[arg-type]
                              "--run", str(run)])
    assert code == 0
    values = {line.split()[0]: float(line.split()[1]) for line in out.splitlines()}
    assert set(values) == {"MAP", "P@10", "NDCG@10", "MRR", "queries"}
    ap_q1 = (1 / 2 + 2 / 3) / 2
    assert values["MAP"] == pytest.approx((1 + ap_q1 + 0) / 3, abs=1e-4)
    assert values["MRR"] == pytest.approx((1 + 0.5 + 0) / 3, abs=1e-4)
    assert values["P@10"] == pytest.approx((0.2 + 0.2 + 0) / 3, abs=1e-4)
    assert values["queries"] == 3


def test_titles_are_the_leading_words_and_text_is_cleaned():
    text = "Word " * 60
    title, rest = split_title(text)
    assert len(title) <= 120 and f"{title} {rest}" == clean_text(text)
    assert split_title("Short title") == ("Short title", "")
    assert clean_text("a\u0095b\n c") == "a b c"
