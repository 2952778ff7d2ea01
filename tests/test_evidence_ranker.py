"""The text-evidence ranker (matching.evidence) and the document-voting baseline."""

from __future__ import annotations

import random

import numpy as np
import pytest

from matching.doc_voting import TfidfVotingRanker
from matching.evidence import Doc, EvidenceConfig, EvidenceIndex

TINY = [
    Doc("p1", "Deep neural networks trained with stochastic gradient descent", ("alice",)),
    Doc("p2", "Convolutional neural networks for image recognition", ("alice", "dave")),
    Doc("p3", "Regularisation of deep networks: dropout and weight decay", ("alice",)),
    Doc("p4", "An ontology language for the semantic web", ("bob",)),
    Doc("p5", "Aligning ontologies with description logic reasoning", ("bob",)),
    Doc("p6", "Negotiation protocols for autonomous software agents", ("carol",)),
    Doc("p7", "Belief-desire-intention agents in multi-agent systems", ("carol", "dave")),
    Doc("p8", "Quantum key distribution over noisy channels", ("erin",)),
]


def synthetic_corpus(n_topics: int = 4, experts_per_topic: int = 10, docs_per_expert: int = 4,
                     seed: int = 7) -> list[Doc]:
    """Experts who each write about one topic: enough experts for the topic-space path."""
    rng = random.Random(seed)
    common = [f"common{i}" for i in range(30)]
    vocab = {t: [f"topic{t}term{i}" for i in range(25)] for t in range(n_topics)}
    docs = []
    for t in range(n_topics):
        for e in range(experts_per_topic):
            for k in range(docs_per_expert):
                words = rng.choices(vocab[t], k=20) + rng.choices(common, k=8)
                authors = [f"t{t}e{e}"]
                if rng.random() < 0.3:  # a co-author from the same field
                    authors.append(f"t{t}e{rng.randrange(experts_per_topic)}")
                docs.append(Doc(f"t{t}e{e}d{k}", " ".join(words), tuple(authors)))
    return docs


def topic_query(t: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choices([f"topic{t}term{i}" for i in range(25)], k=15))


@pytest.fixture(scope="module")
def synthetic_index() -> EvidenceIndex:
    return EvidenceIndex().fit(synthetic_corpus())


def test_expert_whose_papers_match_ranks_first():
    index = EvidenceIndex().fit(TINY)
    for query, expected in [
        ("training deep neural networks with gradient descent", "alice"),
        ("semantic web ontology alignment", "bob"),
        ("multi-agent negotiation between autonomous agents", "carol"),
    ]:
        scores = index.score_experts(query)
        assert max(scores, key=scores.get) == expected, (query, scores)
    ranked = index.rank("deep neural networks", top_n=2)
    assert ranked[0].expert_id == "alice"
    assert ranked[0].n_docs == 3
    assert ranked[0].evidence[0].doc_id in {"p1", "p2", "p3"}


def test_topic_space_ranks_the_field_experts_first(synthetic_index):
    for t in range(4):
        scores = synthetic_index.score_experts(topic_query(t))
        top = sorted(scores, key=lambda e: (-scores[e], e))[:10]
        assert all(e.startswith(f"t{t}e") for e in top), (t, top)


def test_excluded_documents_are_not_evidence():
    index = EvidenceIndex().fit(TINY)
    query = "quantum key distribution"
    assert index.score_experts(query)["erin"] > 0
    without = index.score_experts(query, exclude_docs=["p8"])
    assert without["erin"] == 0.0

    # alice keeps her other papers: p1 is neither counted nor cited as evidence
    ranked = index.rank("stochastic gradient descent for deep neural networks",
                        exclude_docs=["p1"], experts=["alice"], evidence_per_expert=5)
    assert ranked[0].n_docs == 2
    assert {e.doc_id for e in ranked[0].evidence} == {"p2", "p3"}

    # unknown ids are ignored
    assert index.score_experts(query, exclude_docs=["nope"]) == index.score_experts(query)


def test_excluding_documents_in_topic_space(synthetic_index):
    query = topic_query(2)
    own = [f"t2e0d{k}" for k in range(4)]
    scores = synthetic_index.score_experts(query, exclude_docs=own)
    # every paper t2e0 wrote alone is gone; only co-authored papers of others may remain
    remaining = synthetic_index.rank(query, top_n=None, exclude_docs=own, experts=["t2e0"])
    assert not {e.doc_id for e in remaining[0].evidence} & set(own)
    assert scores["t2e0"] <= synthetic_index.score_experts(query)["t2e0"]


def test_scores_are_deterministic():
    docs = synthetic_corpus()
    a, b = EvidenceIndex().fit(docs), EvidenceIndex().fit(docs)
    queries = [topic_query(t) for t in range(4)]
    first = a.score_matrix(queries)
    assert np.array_equal(first, b.score_matrix(queries))
    assert np.array_equal(first, a.score_matrix(queries))
    assert a.score_experts(queries[0]) == b.score_experts(queries[0])
    assert a.expert_ids == b.expert_ids


def test_scores_are_nonnegative_and_unknown_text_scores_zero(synthetic_index):
    scores = synthetic_index.score_matrix([topic_query(0), "zzz unknown words only"])
    assert (scores >= 0).all()
    assert not scores[1].any()


def test_rank_filters_experts_and_breaks_ties_by_id():
    index = EvidenceIndex().fit(TINY)
    ranked = index.rank("ontology", top_n=None, experts=["carol", "bob", "ghost"])
    assert [m.expert_id for m in ranked] == ["bob", "carol"]
    zero = index.rank("zzz", top_n=3)
    assert [m.expert_id for m in zero] == ["alice", "bob", "carol"]
    assert all(m.score == 0.0 for m in zero)


def test_configure_shares_the_fit(synthetic_index):
    plain = synthetic_index.configure(prf_weight=0.0, cluster_weight=0.0)
    assert plain.config.prf_weight == 0.0
    assert synthetic_index.config.prf_weight == EvidenceConfig().prf_weight
    assert plain.expert_ids is synthetic_index.expert_ids
    with pytest.raises(ValueError):
        synthetic_index.configure(dims=(10,))


def test_fit_rejects_bad_corpora():
    with pytest.raises(ValueError):
        EvidenceIndex().fit([])
    with pytest.raises(ValueError):
        EvidenceIndex().fit([Doc("d", "a", ("x",)), Doc("d", "b", ("y",))])
    # a corpus without indexable words still answers (with zeros)
    empty = EvidenceIndex().fit([Doc("d", "", ("x",))])
    assert empty.score_experts("anything") == {"x": 0.0}


def test_query_latency(synthetic_index):
    import time

    queries = [topic_query(t, seed=s) for t in range(4) for s in range(5)]
    started = time.perf_counter()
    for q in queries:
        synthetic_index.score_experts(q)
    assert (time.perf_counter() - started) / len(queries) < 0.05


# --------------------------------------------------------------------------- baseline


VOTING = [
    Doc("d1", "apple apple banana", ("x",)),
    Doc("d2", "apple cherry", ("y",)),
    Doc("d3", "durian", ("z",)),
    Doc("d4", "apple banana cherry", ("x", "y")),
]


def test_voting_baseline_sums_document_similarities():
    ranker = TfidfVotingRanker("sum").fit(VOTING)
    X = ranker._X.toarray()
    q = ranker._vectorizer.transform(["apple"]).toarray()[0]
    sims = X @ q
    scores = ranker.score_experts("apple")
    assert scores["x"] == pytest.approx(sims[0] + sims[3])
    assert scores["y"] == pytest.approx(sims[1] + sims[3])
    assert scores["z"] == 0.0
    excluded = ranker.score_experts("apple", exclude_docs=["d4"])
    assert excluded["x"] == pytest.approx(sims[0])


def test_voting_baseline_reciprocal_rank_votes():
    ranker = TfidfVotingRanker("reciprocal_rank").fit(VOTING)
    sims = ranker._X.toarray() @ ranker._vectorizer.transform(["apple"]).toarray()[0]
    rank = {i: r for r, i in enumerate(np.argsort(-sims, kind="stable"), 1)}
    scores = ranker.score_experts("apple")
    assert scores["x"] == pytest.approx(1 / rank[0] + 1 / rank[3])
    assert scores["z"] == pytest.approx(1 / rank[2])
    # an excluded document gets no rank: the others move up
    rest = [i for i in np.argsort(-sims, kind="stable") if i != 0]
    rank = {i: r for r, i in enumerate(rest, 1)}
    scores = ranker.score_experts("apple", exclude_docs=["d1"])
    assert scores["x"] == pytest.approx(1 / rank[3])
    assert scores["y"] == pytest.approx(1 / rank[1] + 1 / rank[3])
    assert scores["z"] == pytest.approx(1 / 3)
    with pytest.raises(ValueError):
        TfidfVotingRanker("median")


# --------------------------------------------------------------------------- benchmark


def test_dblp_strict_protocol_target():
    """Defaults on the development queries of the DBLP benchmark, strict protocol."""
    from bench import trec
    from bench.expert_finding_offline import DEFAULT_DATA, load_benchmark, to_run

    if not (DEFAULT_DATA / "documents.jsonl").exists():
        pytest.skip(f"benchmark data not found in {DEFAULT_DATA}")
    bench = load_benchmark(DEFAULT_DATA)
    index = EvidenceIndex().fit(bench.evidence("strict"))
    scores = index.score_matrix([q.text for q in bench.queries])
    result = trec.evaluate(bench.qrels, to_run(scores, index.expert_ids, bench.queries, bench.pool))
    assert result.MAP >= 0.45, result.format()


def test_offline_benchmark_script_on_a_small_benchmark(tmp_path):
    """The whole script (baselines, grid, nested CV, run files) on a synthetic benchmark."""
    import json

    from bench import trec
    from bench.expert_finding_offline import main, run

    docs = synthetic_corpus(experts_per_topic=8, docs_per_expert=3)
    held = {f"t{t}e{e}d0" for t in range(4) for e in (0, 1)}
    experts = sorted({a for d in docs for a in d.authors})
    with open(tmp_path / "documents.jsonl", "w") as fh:
        for d in docs:
            fh.write(json.dumps({"id": d.id, "text": d.text, "authors": list(d.authors),
                                 "cites": []}) + "\n")
    with open(tmp_path / "candidates.jsonl", "w") as fh:
        for e in experts:
            fh.write(json.dumps({"id": e, "pool": True}) + "\n")
    with open(tmp_path / "queries-dev.jsonl", "w") as fh, \
            open(tmp_path / "qrels-dev.txt", "w") as qrels:
        for d in docs:
            if d.id in held:
                topic = d.id[1]
                fh.write(json.dumps({"id": f"q{d.id}", "doc": d.id, "text": d.text,
                                     "topics": [f"topic{topic}"]}) + "\n")
                for e in experts:
                    qrels.write(f"q{d.id} 0 {e} {int(e.startswith(f't{topic}e'))}\n")

    report = run("strict", data=tmp_path, run_dir=tmp_path / "runs", grid=True)
    assert "evidence ranker, nested CV (leave one topic out)" in report
    assert f"{len(docs) - len(held)} evidence documents" in report
    result = trec.evaluate_files(tmp_path / "qrels-dev.txt",
                                 tmp_path / "runs" / "strict-evidence.run")
    assert result.n_queries == len(held)
    assert result.MAP > 0.9
    main(["--protocol", "original", "--data", str(tmp_path), "--no-grid"])
