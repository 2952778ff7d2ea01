"""``chuyengia matcher train`` and ``chuyengia matcher evaluate``.

train     features for every recorded decision, grouped cross-validation of the learned
          ranker against the transparent weights (NDCG@10, MAP on held-out tasks), then a
          fit on all decisions, saved with skops. It is made ``current`` (a running server
          picks it up within a second) only when it ranked the held-out tasks better than the
          transparent weights (NDCG@10; a tie keeps the weights, which explain themselves),
          or with ``--force``; otherwise the model in use stays and the report says why.
evaluate  the same cross-validation, with the hyper-parameters of the current learned model
          if there is one, plus that model's own scores on the decisions (in-sample: it was
          trained on them, so read it as an upper bound).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

import numpy as np

from matching.models import ModelStore
from matching.rankers import TRANSPARENT_MODEL_ID, LearnedRanker
from matching.service import Matcher
from matching.training import CrossValidation, TrainingSet, cross_validate, evaluate, training_set

__all__ = ["run_matcher_command"]


def _table(cv: CrossValidation, out: TextIO) -> None:
    out.write(f"grouped {cv.folds}-fold cross-validation over "
              f"{cv.transparent['tasks']} tasks with a positive decision\n")
    out.write(f"{'ranker':<14}{'NDCG@10':>10}{'MAP':>10}\n")
    out.writelines(f"{name:<14}{m['NDCG@10']:>10.4f}{m['MAP']:>10.4f}\n" for name, m in (("transparent", cv.transparent), ("learned", cv.learned)))


def _usable(ts: TrainingSet, out: TextIO) -> bool:
    if ts.n_tasks < 2 or len(set(ts.y.tolist())) < 2:
        out.write(f"not enough decisions to learn from: {ts.summary()} (need selections and "
                  "rejections on at least 2 tasks)\n")
        return False
    return True


def run_matcher_command(db: Any, args: argparse.Namespace, *, out: TextIO | None = None,
                        matcher: Matcher | None = None) -> int:
    out = out or sys.stdout
    matcher = matcher or Matcher(text_refit="sync")
    folds = getattr(args, "folds", 5)
    ts = training_set(db, matcher)
    out.write(f"decisions: {ts.summary()}\n")
    if not _usable(ts, out):
        return 1
    store: ModelStore = matcher.store
    if args.action == "train":
        cv = cross_validate(ts, folds=folds)
        _table(cv, out)
        model = LearnedRanker().fit(ts.X, ts.y, sample_weight=ts.weight)
        model_id = store.save(model, metrics=cv.as_dict(), training=ts.summary())
        better = cv.learned["NDCG@10"] > cv.transparent["NDCG@10"]
        if better or getattr(args, "force", False):
            store.set_current(model_id)
            out.write(f"saved {model_id} in {store.directory} and made it current"
                      + ("" if better else " (--force)") + "\n")
        else:
            out.write(f"saved {model_id} in {store.directory}; not made current: on held-out "
                      f"tasks it scored NDCG@10 {cv.learned['NDCG@10']:.4f} against "
                      f"{cv.transparent['NDCG@10']:.4f} for the transparent weights; the "
                      f"matcher keeps {store.current_id() or TRANSPARENT_MODEL_ID} (--force "
                      "to use it anyway)\n")
        return 0
    if args.action == "evaluate":
        current = store.current_id()
        loaded = store.load(current) if current else None
        template = (loaded.estimator if loaded and isinstance(loaded.estimator, LearnedRanker)
                    else LearnedRanker())
        _table(cross_validate(ts, folds=folds, learned=template), out)
        if loaded is not None:
            scores = np.asarray(loaded.estimator.decision_function(ts.X))
            m = evaluate(scores, ts)
            out.write(f"current model {current} (in-sample): NDCG@10 {m['NDCG@10']:.4f} "
                      f"MAP {m['MAP']:.4f}\n")
        else:
            out.write("no current learned model; the matcher uses transparent-v1\n")
        return 0
    raise ValueError(f"unknown matcher action {args.action!r}")
