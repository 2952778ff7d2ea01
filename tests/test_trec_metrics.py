"""TREC files and ranking metrics, checked on examples small enough to compute by hand."""

from __future__ import annotations

import math

import pytest

from bench import trec

# Pool of five judged candidates; a and c are relevant.
JUDGED = {"a": 1, "b": 0, "c": 1, "d": 0, "e": 0}


def test_metrics_first_example():
    ranking = ["a", "b", "c", "d", "e"]
    # relevant at ranks 1 and 3: AP = (1/1 + 2/3) / 2
    assert trec.average_precision(ranking, JUDGED) == pytest.approx((1 + 2 / 3) / 2)
    assert trec.precision_at(ranking, JUDGED, 10) == pytest.approx(2 / 10)
    # DCG = 1/log2(2) + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3)
    assert trec.ndcg_at(ranking, JUDGED, 10) == pytest.approx(1.5 / (1 + 1 / math.log2(3)))
    assert trec.reciprocal_rank(ranking, JUDGED) == 1.0


def test_metrics_late_hits_and_unretrieved_relevant():
    judged = {"x": 0, "y": 0, "r1": 1, "z": 0, "r2": 1, "r3": 1}
    ranking = ["x", "y", "r1", "z", "r2"]  # r3 never retrieved
    assert trec.average_precision(ranking, judged) == pytest.approx((1 / 3 + 2 / 5) / 3)
    assert trec.reciprocal_rank(ranking, judged) == pytest.approx(1 / 3)
    assert trec.precision_at(ranking, judged, 10) == pytest.approx(0.2)
    dcg = 1 / math.log2(4) + 1 / math.log2(6)
    ideal = 1 + 1 / math.log2(3) + 1 / math.log2(4)
    assert trec.ndcg_at(ranking, judged, 10) == pytest.approx(dcg / ideal)


def test_ndcg_graded_gain_and_cutoff():
    judged = {"a": 2, "b": 1, "c": 0}
    assert trec.ndcg_at(["a", "b", "c"], judged, 10) == pytest.approx(1.0)
    dcg = 1 / 1 + 2 / math.log2(3)  # b first (gain 1), a second (gain 2)
    ideal = 2 / 1 + 1 / math.log2(3)
    assert trec.ndcg_at(["b", "a", "c"], judged, 10) == pytest.approx(dcg / ideal)
    # only the first k ranks count
    assert trec.ndcg_at(["c", "a", "b"], judged, 1) == 0.0


def test_precision_at_10_counts_only_the_first_ten():
    judged = {f"c{i}": int(i in (0, 9, 10)) for i in range(12)}
    ranking = [f"c{i}" for i in range(12)]
    assert trec.precision_at(ranking, judged, 10) == pytest.approx(0.2)


def test_no_relevant_retrieved():
    assert trec.average_precision(["b", "d"], JUDGED) == 0.0
    assert trec.reciprocal_rank(["b", "d"], JUDGED) == 0.0
    assert trec.ndcg_at(["b", "d"], JUDGED, 10) == 0.0


def test_evaluation_is_over_the_pool_and_means_over_queries():
    qrels = {"q1": dict(JUDGED), "q2": {"a": 0, "b": 1}, "q3": {"a": 0}}  # q3: nothing relevant
    run = {
        # "zz" is not in the pool: it must not push the pool candidates down.
        "q1": {"zz": 9.0, "a": 5.0, "b": 4.0, "c": 3.0, "d": 2.0, "e": 1.0},
        "q2": {"a": 2.0, "b": 1.0},
    }
    per_query = trec.per_query(qrels, run)
    assert set(per_query) == {"q1", "q2"}
    assert per_query["q1"]["MAP"] == pytest.approx((1 + 2 / 3) / 2)
    assert per_query["q1"]["MRR"] == 1.0
    assert per_query["q2"]["MAP"] == pytest.approx(0.5)
    assert per_query["q2"]["MRR"] == pytest.approx(0.5)
    scores = trec.evaluate(qrels, run)
    assert scores.n_queries == 2
    assert scores.MAP == pytest.approx(((1 + 2 / 3) / 2 + 0.5) / 2)
    assert scores.MRR == pytest.approx(0.75)
    assert scores.P10 == pytest.approx((0.2 + 0.1) / 2)


def test_query_missing_from_run_scores_zero():
    scores = trec.evaluate({"q1": dict(JUDGED)}, {})
    assert scores.as_dict() == {"MAP": 0.0, "P@10": 0.0, "NDCG@10": 0.0, "MRR": 0.0}
    assert scores.n_queries == 1


def test_ties_are_broken_by_candidate_id():
    assert trec.ranked({"b": 1.0, "a": 1.0, "c": 2.0}) == ["c", "a", "b"]
    tied = trec.per_query({"q": {"a": 0, "b": 1}}, {"q": {"a": 1.0, "b": 1.0}})
    assert tied["q"]["MRR"] == pytest.approx(0.5)


def test_run_and_qrels_files_round_trip(tmp_path):
    qrels_path = tmp_path / "qrels.txt"
    qrels_path.write_text("q1 0 a 1\nq1 0 b 0\n\nq2 0 a 0\nq2 0 b 2\n", encoding="utf-8")
    qrels = trec.read_qrels(qrels_path)
    assert qrels == {"q1": {"a": 1, "b": 0}, "q2": {"a": 0, "b": 2}}

    run = {"q2": {"a": 0.25, "b": 0.5}, "q1": {"b": 3.0, "a": 1.0}}
    run_path = tmp_path / "x.run"
    trec.write_run(run_path, run, "test-run")
    lines = run_path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "q1 Q0 b 1 3.000000 test-run"
    assert lines[1] == "q1 Q0 a 2 1.000000 test-run"
    assert lines[2].startswith("q2 Q0 b 1 ")
    assert trec.read_run(run_path) == run
    assert trec.evaluate_files(qrels_path, run_path).MAP == pytest.approx((1 / 2 + 1) / 2)


def test_malformed_lines_are_rejected(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("q1 0 a\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected 4 fields"):
        trec.read_qrels(bad)
    with pytest.raises(ValueError, match="expected 6 fields"):
        trec.read_run(bad)
    with pytest.raises(ValueError):
        trec.write_run(tmp_path / "r.run", {"q": {"a": 1.0}}, "two words")


# --------------------------------------------------------------------------- benchmark reference


def test_reproduces_the_benchmark_reference_baselines():
    """README of the DBLP benchmark: TF-IDF document voting on the dev queries."""
    from bench.expert_finding_offline import DEFAULT_DATA, load_benchmark, to_run
    from matching.doc_voting import TfidfVotingRanker

    if not (DEFAULT_DATA / "documents.jsonl").exists():
        pytest.skip(f"benchmark data not found in {DEFAULT_DATA}")
    bench = load_benchmark(DEFAULT_DATA)
    texts = [q.text for q in bench.queries]
    reference = {("original", "reciprocal_rank"): 0.298, ("original", "sum"): 0.353,
                 ("strict", "reciprocal_rank"): 0.285, ("strict", "sum"): 0.349}
    for (protocol, votes), expected in reference.items():
        ranker = TfidfVotingRanker(votes).fit(bench.evidence(protocol))
        run = to_run(ranker.score_matrix(texts), ranker.expert_ids, bench.queries, bench.pool)
        assert trec.evaluate(bench.qrels, run).MAP == pytest.approx(expected, abs=0.01)
