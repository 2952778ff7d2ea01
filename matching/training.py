"""Learning from decisions: the training set, ranking metrics, grouped cross-validation.

Each decided (task, expert) pair (``registry.decisions.training_pairs``: the latest decision
counts; selected ... shortlisted are positives weighted by how far the candidate got,
rejected is a negative) becomes one row of features, computed among the task's candidates
as at ranking time. Features describe the profiles as they are now, not as they were when
the lead decided; a profile that changed much since then teaches a little noise.

Evaluation ranks each task's decided experts (its pool) by a model's score and averages over
tasks with at least one positive: NDCG@10 with the stage weight as gain, and average
precision (MAP) with binary relevance. Ties are broken by expert id, so a constant scorer
gets no credit for a lucky order. Cross-validation folds are groups of tasks
(``GroupKFold``): a task's decisions are never split between training and test.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import GroupKFold

from matching.features import FEATURES
from matching.rankers import LearnedRanker, TransparentRanker

__all__ = [
    "CrossValidation",
    "TrainingSet",
    "average_precision",
    "cross_validate",
    "evaluate",
    "ndcg_at_k",
    "training_set",
]


@dataclass
class TrainingSet:
    X: np.ndarray
    y: np.ndarray
    weight: np.ndarray
    groups: np.ndarray  # task id of each row
    expert_ids: list[str]
    skipped: int = 0  # pairs whose task or expert is gone

    @property
    def n_tasks(self) -> int:
        return len(set(self.groups.tolist()))

    def summary(self) -> dict[str, Any]:
        return {"pairs": len(self.y), "tasks": self.n_tasks, "positives": int(self.y.sum()),
                "skipped": self.skipped}


def training_set(db: Any, matcher: Any, pairs: list[Any] | None = None) -> TrainingSet:
    """Features and labels for every recorded decision (one candidate retrieval per task)."""
    from registry.decisions import training_pairs
    from registry.errors import NotFound

    by_task: dict[str, list[Any]] = defaultdict(list)
    for p in training_pairs(db) if pairs is None else pairs:
        by_task[p.task_id].append(p)
    rows, labels, weights, groups, experts = [], [], [], [], []
    skipped = 0
    for task_id in sorted(by_task):
        group = by_task[task_id]
        try:
            fm, found = matcher.features_for(db, task_id, [p.expert_id for p in group])
        except NotFound:
            skipped += len(group)
            continue
        kept = [p for p, ok in zip(group, found) if ok]
        skipped += len(group) - len(kept)
        rows.append(fm.X)
        labels += [p.label for p in kept]
        weights += [p.weight for p in kept]
        groups += [task_id] * len(kept)
        experts += [p.expert_id for p in kept]
    X = np.vstack(rows) if rows else np.zeros((0, len(FEATURES)))
    return TrainingSet(X, np.asarray(labels, dtype=int), np.asarray(weights, dtype=float),
                       np.asarray(groups, dtype=object), experts, skipped)


def _order(scores: np.ndarray, ids: list[str]) -> np.ndarray:
    return np.lexsort((np.asarray(ids, dtype=object), -np.asarray(scores)))


def ndcg_at_k(gains_in_order: np.ndarray, k: int = 10) -> float:
    """NDCG@k of one ranking, given the gains in ranked order."""
    gains = np.asarray(gains_in_order, dtype=float)
    discount = 1.0 / np.log2(np.arange(2, min(k, len(gains)) + 2))
    dcg = float(gains[:k] @ discount)
    ideal = float(np.sort(gains)[::-1][:k] @ discount)
    return dcg / ideal if ideal > 0 else 0.0


def average_precision(relevant_in_order: np.ndarray) -> float:
    rel = np.asarray(relevant_in_order, dtype=bool)
    if not rel.any():
        return 0.0
    hits = np.cumsum(rel)
    return float((hits[rel] / (np.flatnonzero(rel) + 1)).mean())


def evaluate(scores: np.ndarray, ts: TrainingSet, mask: np.ndarray | None = None,
             k: int = 10) -> dict[str, float]:
    """Mean NDCG@k and MAP over the tasks (rows in ``mask``) that have a positive."""
    mask = np.ones(len(ts.y), dtype=bool) if mask is None else mask
    ndcg, ap = [], []
    for task in sorted(set(ts.groups[mask].tolist())):
        idx = np.flatnonzero(mask & (ts.groups == task))
        if not ts.y[idx].any():
            continue
        order = idx[_order(scores[idx], [ts.expert_ids[i] for i in idx])]
        ndcg.append(ndcg_at_k(ts.y[order] * ts.weight[order], k))
        ap.append(average_precision(ts.y[order] == 1))
    return {f"NDCG@{k}": float(np.mean(ndcg)) if ndcg else 0.0,
            "MAP": float(np.mean(ap)) if ap else 0.0, "tasks": len(ndcg)}


@dataclass
class CrossValidation:
    learned: dict[str, float]
    transparent: dict[str, float]
    folds: int
    per_fold: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"learned": self.learned, "transparent": self.transparent, "folds": self.folds}


def cross_validate(ts: TrainingSet, *, folds: int = 5,
                   learned: BaseEstimator | None = None,
                   transparent: Callable[[], BaseEstimator] = TransparentRanker
                   ) -> CrossValidation:
    """Grouped (by task) cross-validation of a learned ranker against the transparent one,
    scored on each fold's held-out tasks; metrics are pooled over all held-out tasks."""
    n_splits = min(folds, ts.n_tasks)
    if n_splits < 2:
        raise ValueError(f"cross-validation needs decisions on at least 2 tasks "
                         f"(have {ts.n_tasks})")
    template = learned if learned is not None else LearnedRanker()
    learned_scores = np.zeros(len(ts.y))
    fixed = transparent().fit(ts.X)
    fixed_scores = fixed.decision_function(ts.X)
    per_fold = []
    for i, (train, test) in enumerate(GroupKFold(n_splits=n_splits).split(ts.X, ts.y,
                                                                          ts.groups)):
        if len(set(ts.y[train].tolist())) < 2:
            learned_scores[test] = fixed_scores[test]  # nothing to learn from: fall back
            per_fold.append({"fold": i, "fallback": True})
            continue
        model = clone(template).fit(ts.X[train], ts.y[train], sample_weight=ts.weight[train])
        learned_scores[test] = model.decision_function(ts.X[test])
        mask = np.zeros(len(ts.y), dtype=bool)
        mask[test] = True
        per_fold.append({"fold": i, "learned": evaluate(learned_scores, ts, mask),
                         "transparent": evaluate(fixed_scores, ts, mask)})
    return CrossValidation(evaluate(learned_scores, ts), evaluate(fixed_scores, ts),
                           n_splits, per_fold)
