"""The rankers are proper scikit-learn estimators (Pipeline, GridSearchCV, cloning...)."""

from __future__ import annotations

from sklearn.utils.estimator_checks import parametrize_with_checks

from matching.rankers import LearnedRanker, TransparentRanker


@parametrize_with_checks([TransparentRanker(), LearnedRanker()])
def test_sklearn_compatible(estimator, check):
    check(estimator)
