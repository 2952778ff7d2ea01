"""Offline DBLP expert-finding benchmark: TF-IDF voting baselines vs the evidence ranker.

No database: the benchmark files are read directly and fed to ``matching.evidence``. One run
prints, for the chosen protocol, MAP / P@10 / NDCG@10 / MRR of

- the TF-IDF document-voting baselines (summed similarity and reciprocal-rank votes),
- the evidence ranker with its default hyper-parameters,
- the evidence ranker with hyper-parameters chosen by nested cross-validation over the queries
  (the grid below; the best configuration on the training folds is scored on the held-out fold),
  both with random 5-fold splits and leaving one development topic out (queries grouped by
  their first topic: topic names form the folds and are never a feature),
- ablations of the default configuration.

    python -m bench.expert_finding_offline --protocol strict [--data DIR] [--run-dir DIR]

Protocols: "strict" leaves the query documents out of the corpus (the registry never saw the
task text); "original" keeps them, as in the paper.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import trec
from matching.doc_voting import TfidfVotingRanker
from matching.evidence import Doc, EvidenceConfig, EvidenceIndex

DEFAULT_DATA = Path(os.environ.get(
    "CHUYENGIA_EXPERT_FINDING_DATA",
    Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "dblp-expert-finding"))

GRID_DIMS = ((25,), (50,), (100,), (25, 50, 100))
GRID_PRF = ((0.0, 0.0),) + tuple(itertools.product((0.005, 0.02, 0.08), (1.0, 2.0, 4.0)))
GRID_CLUSTERS = ((0.0, 0.05),) + tuple(itertools.product((1.0, 2.0, 4.0), (0.02, 0.05, 0.1)))


@dataclass(frozen=True)
class Query:
    id: str
    doc: str
    text: str
    topics: tuple[str, ...]


@dataclass(frozen=True)
class Benchmark:
    docs: list[Doc]
    pool: list[str]
    queries: list[Query]
    qrels: trec.Qrels

    def evidence(self, protocol: str) -> list[Doc]:
        if protocol == "original":
            return self.docs
        if protocol != "strict":
            raise ValueError("protocol must be 'strict' or 'original'")
        held_out = {q.doc for q in self.queries}
        return [d for d in self.docs if d.id not in held_out]


def _jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load_benchmark(data: Path = DEFAULT_DATA, split: str = "dev") -> Benchmark:
    docs = [Doc(d["id"], d["text"], tuple(d["authors"]), tuple(d.get("cites", ())))
            for d in _jsonl(data / "documents.jsonl")]
    pool = [c["id"] for c in _jsonl(data / "candidates.jsonl") if c.get("pool")]
    queries = [Query(q["id"], q["doc"], q["text"], tuple(q.get("topics", ())))
               for q in _jsonl(data / f"queries-{split}.jsonl")]
    return Benchmark(docs, pool, queries, trec.read_qrels(data / f"qrels-{split}.txt"))


def to_run(scores: np.ndarray, expert_ids: Sequence[str], queries: Sequence[Query],
           pool: Sequence[str]) -> trec.Run:
    """Rows of ``scores`` (one per query) restricted to the pool; absent experts score 0."""
    col = {e: j for j, e in enumerate(expert_ids)}
    return {q.id: {c: float(row[col[c]]) if c in col else 0.0 for c in pool}
            for q, row in zip(queries, scores)}


# --------------------------------------------------------------------------- cross-validation


def random_folds(n: int, k: int = 5, seed: int = 0) -> list[np.ndarray]:
    order = np.random.default_rng(seed).permutation(n)
    return [np.sort(f) for f in np.array_split(order, k)]


def topic_folds(queries: Sequence[Query]) -> list[tuple[str, np.ndarray]]:
    groups: dict[str, list[int]] = {}
    for i, q in enumerate(queries):
        groups.setdefault(q.topics[0] if q.topics else "-", []).append(i)
    return [(g, np.array(ix)) for g, ix in sorted(groups.items())]


@dataclass(frozen=True)
class FoldResult:
    fold: str
    chosen: str
    test_ids: tuple[str, ...]
    metrics: dict[str, float]


def nested_cv(per_config: dict[str, dict[str, dict[str, float]]], qids: Sequence[str],
              folds: Sequence[tuple[str, np.ndarray]]) -> list[FoldResult]:
    """For each fold: the config with the best mean MAP on the other folds, scored on this one
    (ties go to the default configuration, then to the first in grid order)."""
    out = []
    for name, test in folds:
        test_ids = tuple(qids[i] for i in test)
        train_ids = [q for q in qids if q not in set(test_ids)]
        best = max(per_config, key=lambda c: (trec.mean_metrics(per_config[c], train_ids)["MAP"],
                                              c == DEFAULT_KEY))
        out.append(FoldResult(name, best, test_ids,
                              trec.mean_metrics(per_config[best], test_ids)))
    return out


def pooled(per_config: dict[str, dict[str, dict[str, float]]],
           results: Sequence[FoldResult]) -> dict[str, float]:
    """Metrics over all queries, each scored by the configuration chosen without its fold."""
    return trec.mean_metrics({q: per_config[r.chosen][q] for r in results for q in r.test_ids})


def authorship_check(evidence: Sequence[Doc], pool: Sequence[str], dev_experts: set[str],
                     models: dict[str, object], n: int = 300, seed: int = 0) -> list[str]:
    """A label-free check over every topic: hold out a paper that has a pool author, query with
    its text and record 1/rank of its best-ranked pool author. Split by whether that author is
    an expert of a development topic (the other pool experts belong to unseen topics)."""
    in_pool = set(pool)
    papers = [d for d in evidence if in_pool.intersection(d.authors)]
    pick = np.random.default_rng(seed).permutation(len(papers))[:n]
    lines = [f"\nheld-out authorship check ({len(pick)} papers; MRR of the paper's pool authors):"]
    for name, model in models.items():
        rr: dict[str, list[float]] = {"development-topic experts": [], "other pool experts": []}
        for i in sorted(pick):
            paper = papers[i]
            scores = model.score_experts(paper.text, exclude_docs=[paper.id])
            order = trec.ranked({c: scores.get(c, 0.0) for c in pool})
            authors = in_pool.intersection(paper.authors)
            group = ("development-topic experts" if authors & dev_experts
                     else "other pool experts")
            rr[group].append(1.0 / (1 + min(order.index(a) for a in authors)))
        lines.append(f"  {name:<34} " + "  ".join(
            f"{g} {statistics.mean(v):.3f} ({len(v)})" for g, v in rr.items() if v))
    return lines


# --------------------------------------------------------------------------- reporting


def _row(label: str, m: dict[str, float]) -> str:
    return (f"| {label:<58} | {m['MAP']:.3f} | {m['P@10']:.3f} | {m['NDCG@10']:.3f}   "
            f"| {m['MRR']:.3f} |")


HEADER = (f"| {'run':<58} | MAP   | P@10  | NDCG@10 | MRR   |\n|{'-' * 60}|-------|-------|"
          "---------|-------|")


def _key(dims: tuple[int, ...], prf: tuple[float, float], clu: tuple[float, float],
         g: float = 0.5) -> str:
    return (f"dims={'+'.join(map(str, dims))} prf={prf[0]:g}x{prf[1]:g} "
            f"clusters={clu[0]:g}@T{clu[1]:g} prod={g:g}")


_D = EvidenceConfig()
DEFAULT_KEY = _key(_D.dims, (_D.prf_fraction, _D.prf_weight),
                   (_D.cluster_weight, _D.cluster_temperature), _D.productivity_exponent)


def _cv_summary(label: str, results: Sequence[FoldResult]) -> list[str]:
    maps = [r.metrics["MAP"] for r in results]
    lines = [f"\n{label}: fold MAP mean {statistics.mean(maps):.3f}, "
             f"std {statistics.pstdev(maps):.3f}, min {min(maps):.3f}, max {max(maps):.3f}"]
    for r in results:
        m = r.metrics
        lines.append(f"  fold {r.fold:<28} ({len(r.test_ids):>2} q) MAP {m['MAP']:.3f} "
                     f"P@10 {m['P@10']:.3f} NDCG@10 {m['NDCG@10']:.3f} MRR {m['MRR']:.3f}"
                     f"  chosen: {r.chosen}")
    return lines


def grid_report(evidence: Sequence[Doc], queries: Sequence[Query], qrels: trec.Qrels,
                pool: Sequence[str], per_query: dict[str, dict[str, dict[str, float]]]
                ) -> list[str]:
    """Score the grid, then nested cross-validation (random folds; one topic out)."""
    texts, qids = [q.text for q in queries], [q.id for q in queries]
    configs: dict[str, dict[str, dict[str, float]]] = {}
    for dims in GRID_DIMS:
        fitted = EvidenceIndex(EvidenceConfig(dims=dims)).fit(evidence)
        for prf, clu in itertools.product(GRID_PRF, GRID_CLUSTERS):
            view = fitted.configure(prf_fraction=prf[0], prf_weight=prf[1],
                                    cluster_weight=clu[0], cluster_temperature=clu[1])
            configs[_key(dims, prf, clu)] = trec.per_query(
                qrels, to_run(view.score_matrix(texts), view.expert_ids, queries, pool))
    fold_sets = {"random 5-fold": [(str(i), f) for i, f in enumerate(random_folds(len(qids)))],
                 "leave one topic out": topic_folds(queries)}
    cv = {name: nested_cv(configs, qids, folds) for name, folds in fold_sets.items()}
    lines = [_row(f"evidence ranker, nested CV ({name})", pooled(configs, results))
             for name, results in cv.items()]
    best = max(configs, key=lambda c: trec.mean_metrics(configs[c])["MAP"])
    lines.append(_row("grid best, in-sample (optimistic)", trec.mean_metrics(configs[best])))
    lines.append(f"\ngrid: {len(configs)} configurations (productivity exponent fixed at "
                 f"{EvidenceConfig().productivity_exponent:g}); in-sample best: {best}")
    maps = sorted(trec.mean_metrics(v)["MAP"] for v in configs.values())
    spread = np.percentile(maps, [0, 25, 50, 75, 100]).round(3)
    lines.append(f"grid MAP min/quartiles/max: {spread}")
    for name, results in cv.items():
        lines += _cv_summary(f"nested CV, {name}", results)
    lines.append("\nper fold, defaults vs baseline (MAP):")
    for name, test in itertools.chain(*fold_sets.values()):
        ids = [qids[i] for i in test]
        ours = trec.mean_metrics(per_query["evidence"], ids)["MAP"]
        base = trec.mean_metrics(per_query["tfidf-sum"], ids)["MAP"]
        lines.append(f"  fold {name:<28} defaults {ours:.3f}  baseline(sum) {base:.3f}")
    return lines


def run(protocol: str, data: Path = DEFAULT_DATA, run_dir: Path | None = None,
        grid: bool = True) -> str:
    bench = load_benchmark(data)
    evidence = bench.evidence(protocol)
    queries, texts = bench.queries, [q.text for q in bench.queries]
    qids = [q.id for q in queries]
    qrels = {q: bench.qrels[q] for q in qids}
    lines = [f"DBLP expert finding, dev queries ({len(queries)}), protocol {protocol}: "
             f"{len(evidence)} evidence documents, pool of {len(bench.pool)}", "", HEADER]
    runs: dict[str, trec.Run] = {}
    per_query: dict[str, dict[str, dict[str, float]]] = {}

    def record(name: str, label: str, scores: np.ndarray, expert_ids: Sequence[str]) -> None:
        runs[name] = to_run(scores, expert_ids, queries, bench.pool)
        per_query[name] = trec.per_query(qrels, runs[name])
        lines.append(_row(label, trec.mean_metrics(per_query[name])))

    for votes in ("sum", "reciprocal_rank"):
        base = TfidfVotingRanker(votes).fit(evidence)
        record(f"tfidf-{votes}", f"baseline: TF-IDF document voting ({votes})",
               base.score_matrix(texts), base.expert_ids)

    t0 = time.perf_counter()
    index = EvidenceIndex().fit(evidence)
    fit_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for text in texts:
        index.score_experts(text)
    ms_per_query = 1000 * (time.perf_counter() - t0) / len(texts)
    record("evidence", "evidence ranker (defaults)", index.score_matrix(texts), index.expert_ids)

    if grid:
        lines += grid_report(evidence, queries, qrels, bench.pool, per_query)

    lines.append("\nablations of the defaults (MAP / P@10 / NDCG@10 / MRR):")
    ablations = {"no query expansion": dict(prf_weight=0.0, cluster_weight=0.0),
                 "pseudo-relevance feedback only": dict(cluster_weight=0.0),
                 "cluster smoothing only": dict(prf_weight=0.0)}
    ablations.update({f"productivity exponent {g:g}": dict(productivity_exponent=g)
                      for g in (0.0, 0.25, 0.75, 1.0)})
    for label, params in ablations.items():
        view = index.configure(**params)
        m = trec.mean_metrics(trec.per_query(qrels, to_run(view.score_matrix(texts),
                                                           view.expert_ids, queries, bench.pool)))
        lines.append(f"  {label:<34} {m['MAP']:.3f} / {m['P@10']:.3f} / {m['NDCG@10']:.3f} / "
                     f"{m['MRR']:.3f}")
    dev_experts = {c for q in qids for c, r in qrels[q].items() if r > 0}
    lines += authorship_check(evidence, bench.pool, dev_experts, {
        "baseline: TF-IDF voting (sum)": TfidfVotingRanker("sum").fit(evidence),
        "evidence ranker (defaults)": index,
        "evidence ranker, no query expansion": index.configure(prf_weight=0.0,
                                                               cluster_weight=0.0)})
    lines.append(f"\nevidence index: fit {fit_s:.1f} s, {ms_per_query:.1f} ms per query")

    if run_dir is not None:
        run_dir.mkdir(parents=True, exist_ok=True)
        for name in ("tfidf-sum", "tfidf-reciprocal_rank", "evidence"):
            trec.write_run(run_dir / f"{protocol}-{name}.run", runs[name], f"{name}-{protocol}")
        lines.append(f"run files written to {run_dir}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--protocol", choices=("strict", "original"), default="strict")
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--run-dir", type=Path, default=None, help="also write TREC run files here")
    p.add_argument("--no-grid", action="store_true", help="skip the cross-validation grid")
    args = p.parse_args(argv)
    print(run(args.protocol, args.data, args.run_dir, grid=not args.no_grid))


if __name__ == "__main__":
    main()
