"""Saved models: skops round trip, versioned ids, safe loading, live pick-up by a server."""

from __future__ import annotations

import re

import numpy as np
import pytest
import skops.io as sio

from matching.features import FEATURES
from matching.models import ModelLoader, ModelStore
from matching.rankers import TRANSPARENT_MODEL_ID, LearnedRanker
from registry.db import Database

from .conftest import add, skill, task_input


def trained(seed: int) -> LearnedRanker:
    rng = np.random.default_rng(seed)
    X = rng.random((60, len(FEATURES)))
    y = (X[:, seed % len(FEATURES)] > 0.5).astype(int)
    return LearnedRanker().fit(X, y)


def test_round_trip_with_skops(tmp_path):
    store = ModelStore(tmp_path)
    model = trained(1)
    model_id = store.save(model, metrics={"MAP": 0.5})
    assert re.fullmatch(r"\d{8}T\d{6}Z-[0-9a-f]{8}", model_id)
    assert (tmp_path / f"{model_id}.skops").exists() and not list(tmp_path.glob("*.pkl"))
    loaded = store.load(model_id)
    X = np.random.default_rng(9).random((10, len(FEATURES)))
    np.testing.assert_allclose(loaded.estimator.decision_function(X), model.decision_function(X))
    assert loaded.meta["features"] == list(FEATURES) and loaded.meta["metrics"] == {"MAP": 0.5}
    assert store.list() == [model_id]


def test_untrusted_types_are_refused(tmp_path):
    store = ModelStore(tmp_path)
    (tmp_path / "bad.skops").write_bytes(sio.dumps({"model": re.compile("x")}))
    with pytest.raises(ValueError, match="not trusted"):
        store.load("bad")


def test_the_loader_picks_up_a_new_current_model(tmp_path):
    store = ModelStore(tmp_path)
    loader = ModelLoader(store, poll_seconds=0.0)
    assert loader.get().model_id == TRANSPARENT_MODEL_ID
    first = store.save(trained(1))
    store.set_current(first)
    assert loader.get().model_id == first
    assert loader.get().model_id == first and loader.loads == 1  # unchanged: not reloaded
    second = store.save(trained(2))
    store.set_current(second)
    assert loader.get().model_id == second and loader.loads == 2


def test_a_running_matcher_uses_the_new_model_without_restart(db: Database, matcher):
    add(db, "an", skills=[skill("large-language-models", 5)])
    add(db, "binh", skills=[skill("transformers", 3)])
    matcher.models.poll_seconds = 0.0
    assert matcher.rank(db, task_input()).model_id == TRANSPARENT_MODEL_ID
    model_id = matcher.store.save(trained(3))
    matcher.store.set_current(model_id)
    ranking = matcher.rank(db, task_input())
    assert ranking.model_id == model_id
    assert all(0.0 <= c.score <= 1.0 and c.reasons is not None for c in ranking.candidates)
