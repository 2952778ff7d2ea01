"""TREC qrels / run files and the ranking metrics used by the benchmarks.

Formats
-------
qrels:  ``query_id 0 candidate_id relevance``  (whitespace separated, one judgement a line)
run:    ``query_id Q0 candidate_id rank score run_name``

Evaluation is over the *pool*: for each query only the candidates that have a judgement in the
qrels are ranked and evaluated; any other candidate in a run is dropped before ranks are computed.
Pool candidates missing from a run count as not retrieved.  Ties in a run are broken
deterministically (higher score first, then the smaller candidate id), so evaluation does not
depend on the line order of the file.

Metrics (binary relevance is ``relevance > 0``; NDCG uses the relevance value as a linear gain):

- AP       mean of precision@k over the ranks k of the relevant candidates, divided by the number
           of relevant pool candidates (unretrieved relevant candidates contribute 0).
- P@10     relevant candidates among the first 10, divided by 10.
- NDCG@10  DCG@10 / ideal DCG@10 with ``DCG = sum(gain_i / log2(i + 1))``, i = 1-based rank.
- RR       1 / rank of the first relevant candidate (0 if none retrieved).

The reported figures are means over the queries that have at least one relevant candidate
(queries absent from the run score 0).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

Qrels = dict[str, dict[str, int]]
"""query id -> candidate id -> relevance grade."""

Run = dict[str, dict[str, float]]
"""query id -> candidate id -> score."""

METRICS: tuple[str, ...] = ("MAP", "P@10", "NDCG@10", "MRR")


# --------------------------------------------------------------------------- file formats


def read_qrels(path: str | Path) -> Qrels:
    """Read a TREC qrels file (``qid iter docno rel``)."""
    qrels: Qrels = defaultdict(dict)
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 4:
                raise ValueError(f"{path}:{lineno}: expected 4 fields, got {len(parts)}")
            qid, _iteration, cid, rel = parts
            qrels[qid][cid] = int(rel)
    return dict(qrels)


def read_run(path: str | Path) -> Run:
    """Read a TREC run file (``qid Q0 docno rank score tag``); the rank column is ignored."""
    run: Run = defaultdict(dict)
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            parts = line.split()
            if not parts:
                continue
            if len(parts) != 6:
                raise ValueError(f"{path}:{lineno}: expected 6 fields, got {len(parts)}")
            qid, _q0, cid, _rank, score, _tag = parts
            run[qid][cid] = float(score)
    return dict(run)


def ranked(scores: Mapping[str, float]) -> list[str]:
    """Candidate ids by decreasing score; ties broken by increasing id (deterministic)."""
    return sorted(scores, key=lambda cid: (-scores[cid], cid))


def format_run(run: Mapping[str, Mapping[str, float]], run_name: str = "chuyengia",
               depth: int | None = None) -> Iterable[str]:
    """Yield the lines of a TREC run file (queries in sorted order, ranks 1-based)."""
    if not run_name or any(ch.isspace() for ch in run_name):
        raise ValueError("run_name must be a non-empty token without whitespace")
    for qid in sorted(run):
        order = ranked(run[qid])
        if depth is not None:
            order = order[:depth]
        for rank, cid in enumerate(order, 1):
            yield f"{qid} Q0 {cid} {rank} {run[qid][cid]:.6f} {run_name}\n"


def write_run(path: str | Path, run: Mapping[str, Mapping[str, float]],
              run_name: str = "chuyengia", depth: int | None = None) -> None:
    """Write a TREC run file."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(format_run(run, run_name, depth))


# --------------------------------------------------------------------------- metrics


def average_precision(ranking: Sequence[str], judged: Mapping[str, int]) -> float:
    n_rel = sum(1 for r in judged.values() if r > 0)
    if n_rel == 0:
        return 0.0
    hits, total = 0, 0.0
    for k, cid in enumerate(ranking, 1):
        if judged.get(cid, 0) > 0:
            hits += 1
            total += hits / k
    return total / n_rel


def precision_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    return sum(1 for cid in ranking[:k] if judged.get(cid, 0) > 0) / k


def ndcg_at(ranking: Sequence[str], judged: Mapping[str, int], k: int = 10) -> float:
    def dcg(gains: Iterable[float]) -> float:
        return sum(g / math.log2(i + 1) for i, g in enumerate(gains, 1))

    ideal = dcg(sorted((max(r, 0) for r in judged.values()), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    return dcg(max(judged.get(cid, 0), 0) for cid in ranking[:k]) / ideal


def reciprocal_rank(ranking: Sequence[str], judged: Mapping[str, int]) -> float:
    for k, cid in enumerate(ranking, 1):
        if judged.get(cid, 0) > 0:
            return 1.0 / k
    return 0.0


def per_query(qrels: Qrels, run: Run) -> dict[str, dict[str, float]]:
    """Metric values for every query of ``qrels`` that has at least one relevant candidate."""
    out: dict[str, dict[str, float]] = {}
    for qid, judged in qrels.items():
        if not any(r > 0 for r in judged.values()):
            continue
        scores = run.get(qid, {})
        ranking = ranked({cid: s for cid, s in scores.items() if cid in judged})
        out[qid] = {
            "MAP": average_precision(ranking, judged),
            "P@10": precision_at(ranking, judged, 10),
            "NDCG@10": ndcg_at(ranking, judged, 10),
            "MRR": reciprocal_rank(ranking, judged),
        }
    return out


def mean_metrics(values: Mapping[str, Mapping[str, float]],
                 queries: Iterable[str] | None = None) -> dict[str, float]:
    """Average per-query metric values (optionally over a subset of queries)."""
    qids = list(values) if queries is None else [q for q in queries if q in values]
    if not qids:
        return {m: 0.0 for m in METRICS}
    return {m: sum(values[q][m] for q in qids) / len(qids) for m in METRICS}


@dataclass(frozen=True)
class Scores:
    """Mean metrics over ``n_queries`` queries."""

    MAP: float
    P10: float
    NDCG10: float
    MRR: float
    n_queries: int

    def as_dict(self) -> dict[str, float]:
        return {"MAP": self.MAP, "P@10": self.P10, "NDCG@10": self.NDCG10, "MRR": self.MRR}

    def format(self) -> str:
        return (f"MAP {self.MAP:.4f}  P@10 {self.P10:.4f}  NDCG@10 {self.NDCG10:.4f}  "
                f"MRR {self.MRR:.4f}  ({self.n_queries} queries)")


def evaluate(qrels: Qrels, run: Run, queries: Iterable[str] | None = None) -> Scores:
    """Mean MAP, P@10, NDCG@10 and MRR of ``run`` against ``qrels`` over the judged pool."""
    values = per_query(qrels, run)
    qids = list(values) if queries is None else [q for q in queries if q in values]
    m = mean_metrics(values, qids)
    return Scores(m["MAP"], m["P@10"], m["NDCG@10"], m["MRR"], len(qids))


def evaluate_files(qrels_path: str | Path, run_path: str | Path) -> Scores:
    return evaluate(read_qrels(qrels_path), read_run(run_path))
