"""The rankers: scikit-learn estimators over the named features of ``matching.features``.

``TransparentRanker`` scores with fixed, documented weights and is what the matcher uses
until decisions have been recorded. ``LearnedRanker`` is a logistic regression on
standardised features, trained on recorded decisions (selected, interviewed ... = 1;
rejected = 0; weighted by how far the candidate got). Both expose ``decision_function`` for
ranking and ``coef_`` / ``intercept_`` on the raw feature scale, so the explanations read
either the same way: a feature's contribution is ``coef_ * (x - reference)``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_is_fitted, validate_data

from matching.features import FEATURES

__all__ = [
    "DEFAULT_WEIGHTS",
    "TRANSPARENT_MODEL_ID",
    "LearnedRanker",
    "TransparentRanker",
    "contributions",
]

TRANSPARENT_MODEL_ID = "transparent-v1"

#: The transparent ranker's weights (they sum to 1). Skills and text carry almost half of
#: the score because a task is first of all a technical need; leadership, experience and
#: impact come next; logistics (availability, language, place) and the small signals
#: (collaboration, recency, verification) decide between otherwise equal candidates.
DEFAULT_WEIGHTS: Mapping[str, float] = {
    "skill_coverage": 0.30, "text_similarity": 0.15, "area_years": 0.07, "experience": 0.08,
    "leadership": 0.08, "patents": 0.04, "impact": 0.08, "availability": 0.05,
    "language": 0.04, "place": 0.04, "collaboration": 0.03, "recency": 0.02, "verified": 0.02,
}
assert set(DEFAULT_WEIGHTS) == set(FEATURES) and abs(sum(DEFAULT_WEIGHTS.values()) - 1) < 1e-9


class TransparentRanker(BaseEstimator):
    """A weighted sum of the features with fixed weights.

    Parameters
    ----------
    weights : mapping of feature name to weight, array-like or None
        ``None`` uses :data:`DEFAULT_WEIGHTS` when ``X`` has the matcher's features, and
        equal weights for any other number of columns.

    Attributes
    ----------
    coef_ : ndarray of shape (n_features,)
        The weights in column order.
    intercept_ : float
        Always 0.
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> ranker = TransparentRanker(weights=[1.0, 0.5]).fit(np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> ranker.decision_function(np.array([[1.0, 1.0]]))
    array([1.5])
    """

    def __init__(self, weights: Mapping[str, float] | np.ndarray | list[float] | None = None):
        self.weights = weights

    def _resolve(self, n_features: int) -> np.ndarray:
        if self.weights is None:
            if n_features == len(FEATURES):
                return np.array([DEFAULT_WEIGHTS[f] for f in FEATURES])
            return np.full(n_features, 1.0 / n_features)
        if isinstance(self.weights, Mapping):
            unknown = set(self.weights) - set(FEATURES)
            if unknown:
                raise ValueError(f"unknown features in weights: {sorted(unknown)}; "
                                 f"the features are {', '.join(FEATURES)}")
            if n_features != len(FEATURES):
                raise ValueError(f"weights by name need X with the {len(FEATURES)} matcher "
                                 f"features, got {n_features} columns")
            return np.array([float(self.weights.get(f, 0.0)) for f in FEATURES])
        coef = np.asarray(self.weights, dtype=float).ravel()
        if coef.shape != (n_features,):
            raise ValueError(f"{coef.size} weights for {n_features} features")
        return coef

    def fit(self, X, y=None) -> TransparentRanker:
        """Check ``X`` and fix the weights; nothing is learned (``y`` is ignored)."""
        X = validate_data(self, X, reset=True)
        self.coef_ = self._resolve(X.shape[1])
        self.intercept_ = 0.0
        return self

    def decision_function(self, X) -> np.ndarray:
        """The score of each row: ``X @ coef_``."""
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return X @ self.coef_ + self.intercept_

    def predict(self, X) -> np.ndarray:
        """Same as :meth:`decision_function` (a ranker predicts scores)."""
        return self.decision_function(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = False
        return tags


class LearnedRanker(ClassifierMixin, BaseEstimator):
    """Logistic regression on standardised features, ranking by its decision function.

    Parameters
    ----------
    C : float, default=1.0
        Inverse regularisation strength (decisions are few; keep it modest).
    class_weight : "balanced", dict or None, default="balanced"
        Selections are rarer than rejections; balancing keeps both in view.
    max_iter : int, default=1000

    Attributes
    ----------
    pipeline_ : Pipeline
        ``StandardScaler`` then ``LogisticRegression``.
    classes_ : ndarray
    coef_ : ndarray of shape (n_features,)
        For two classes: the weights on the raw (unscaled) feature scale.
    intercept_ : float
    n_iter_ : ndarray
    n_features_in_ : int

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [0.1, 0.9], [0.9, 0.2]])
    >>> ranker = LearnedRanker().fit(X, [0, 1, 0, 1])
    >>> bool(ranker.decision_function([[1.0, 0.0]])[0] > ranker.decision_function([[0.0, 1.0]])[0])
    True
    """

    def __init__(self, C: float = 1.0, class_weight: str | dict | None = "balanced",
                 max_iter: int = 1000):
        self.C = C
        self.class_weight = class_weight
        self.max_iter = max_iter

    def fit(self, X, y, sample_weight=None) -> LearnedRanker:
        X, y = validate_data(self, X, y)
        check_classification_targets(y)
        self.classes_ = np.unique(y)
        self.pipeline_ = Pipeline([
            ("scale", StandardScaler()),
            ("model", LogisticRegression(C=self.C, class_weight=self.class_weight,
                                         max_iter=self.max_iter)),
        ])
        # With sample weights, scikit-learn's variance of a constant feature (a feature no
        # decided candidate differs on, common with few decisions) can come out a hair below
        # zero; the scaler masks such features, but takes the square root of every variance
        # first and warns. Real NaN in X is refused above by ``validate_data``.
        with np.errstate(invalid="ignore"):
            self.pipeline_.fit(X, y, scale__sample_weight=sample_weight,
                               model__sample_weight=sample_weight)
        model, scaler = self.pipeline_["model"], self.pipeline_["scale"]
        self.n_iter_ = model.n_iter_
        if len(self.classes_) == 2:
            self.coef_ = model.coef_[0] / scaler.scale_
            self.intercept_ = float(model.intercept_[0] - self.coef_ @ scaler.mean_)
        return self

    def decision_function(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.pipeline_.decision_function(X)

    def predict(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.pipeline_.predict(X)

    def predict_proba(self, X) -> np.ndarray:
        check_is_fitted(self)
        X = validate_data(self, X, reset=False)
        return self.pipeline_.predict_proba(X)


def contributions(ranker: BaseEstimator, X: np.ndarray,
                  reference: np.ndarray | None = None) -> np.ndarray:
    """Each feature's share of each row's score relative to ``reference`` (default: the mean
    row), for a fitted ranker with ``coef_``: ``coef_ * (X - reference)``."""
    check_is_fitted(ranker, "coef_")
    X = np.asarray(X, dtype=float)
    ref = X.mean(axis=0) if reference is None else np.asarray(reference, dtype=float)
    return (X - ref) * np.asarray(ranker.coef_)
