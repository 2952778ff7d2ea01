"""Saved rankers: skops files, versioned, with a ``current`` pointer a server picks up live.

A model is stored as ``<model_dir>/<id>.skops`` (skops, which loads without executing code)
with ``<id>.json`` beside it (features, metrics, training data summary). The id is the UTC
time of saving plus the first 8 hex digits of the file's SHA-256: ``20260301T101500Z-1a2b3c4d``.
``current`` holds the id of the model in use; it is replaced atomically (write, then rename).

:class:`ModelLoader` is what a running server holds: ``get()`` looks at the pointer's mtime
at most every ``poll_seconds`` (one ``stat``) and loads a model only when the pointer
changed, so a newly trained model is in use within a second, without a restart. Without a
usable current model it serves the transparent ranker, ``transparent-v1``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import skops.io as sio
from sklearn.base import BaseEstimator

from matching.features import FEATURES
from matching.rankers import TRANSPARENT_MODEL_ID, LearnedRanker, TransparentRanker

__all__ = ["LoadedModel", "ModelLoader", "ModelStore", "transparent_model"]

log = logging.getLogger(__name__)

POINTER = "current"
#: Our own classes skops may rebuild (scikit-learn and numpy types are trusted by skops).
TRUSTED = frozenset({f"{LearnedRanker.__module__}.{LearnedRanker.__qualname__}",
                     f"{TransparentRanker.__module__}.{TransparentRanker.__qualname__}"})


@dataclass(frozen=True)
class LoadedModel:
    model_id: str
    estimator: BaseEstimator
    meta: dict[str, Any] = field(default_factory=dict)


def transparent_model() -> LoadedModel:
    ranker = TransparentRanker().fit(np.zeros((1, len(FEATURES))))
    return LoadedModel(TRANSPARENT_MODEL_ID, ranker, {"features": list(FEATURES)})


class ModelStore:
    """The model directory: save, load, list, and the ``current`` pointer."""

    def __init__(self, directory: str | os.PathLike[str]):
        self.directory = Path(directory)

    @property
    def pointer(self) -> Path:
        return self.directory / POINTER

    def save(self, estimator: BaseEstimator, *, metrics: dict[str, Any] | None = None,
             training: dict[str, Any] | None = None,
             now: dt.datetime | None = None) -> str:
        """Write the estimator and its metadata; returns the new model id."""
        self.directory.mkdir(parents=True, exist_ok=True)
        blob = sio.dumps(estimator)
        stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%dT%H%M%SZ")
        model_id = f"{stamp}-{hashlib.sha256(blob).hexdigest()[:8]}"
        meta = {"id": model_id, "class": type(estimator).__name__, "features": list(FEATURES),
                "params": {k: repr(v) for k, v in estimator.get_params().items()},
                "metrics": metrics or {}, "training": training or {}, "savedAt": stamp}
        _atomic_write(self.directory / f"{model_id}.skops", blob)
        _atomic_write(self.directory / f"{model_id}.json",
                      json.dumps(meta, indent=2, ensure_ascii=False).encode())
        return model_id

    def set_current(self, model_id: str) -> None:
        if not (self.directory / f"{model_id}.skops").exists():
            raise FileNotFoundError(f"no saved model {model_id!r} in {self.directory}")
        _atomic_write(self.pointer, model_id.encode())

    def current_id(self) -> str | None:
        try:
            return self.pointer.read_text().strip() or None
        except FileNotFoundError:
            return None

    def load(self, model_id: str) -> LoadedModel:
        """Load a saved model; refuses types other than scikit-learn's and our rankers."""
        path = self.directory / f"{model_id}.skops"
        untrusted = set(sio.get_untrusted_types(file=path))
        if untrusted - TRUSTED:
            raise ValueError(f"model {model_id} contains types that are not trusted: "
                             f"{sorted(untrusted - TRUSTED)}")
        estimator = sio.load(path, trusted=sorted(untrusted))
        meta_path = self.directory / f"{model_id}.json"
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        return LoadedModel(model_id, estimator, meta)

    def list(self) -> list[str]:
        return sorted(p.stem for p in self.directory.glob("*.skops"))


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


class ModelLoader:
    """The model in use, reloaded when the ``current`` pointer changes.

    Parameters
    ----------
    store : ModelStore
    poll_seconds : float
        Least time between two looks at the pointer's mtime.
    """

    def __init__(self, store: ModelStore, poll_seconds: float = 1.0):
        self.store = store
        self.poll_seconds = poll_seconds
        self._lock = threading.Lock()
        self._model = transparent_model()
        self._stamp: int | None = None
        self._checked = float("-inf")
        self.loads = 0

    def get(self) -> LoadedModel:
        now = time.monotonic()
        if now - self._checked < self.poll_seconds:
            return self._model
        with self._lock:
            self._checked = now
            try:
                stamp = self.store.pointer.stat().st_mtime_ns
            except FileNotFoundError:
                stamp = None
            if stamp != self._stamp:
                self._stamp = stamp
                self._model = self._load_current()
        return self._model

    def _load_current(self) -> LoadedModel:
        model_id = self.store.current_id()
        if model_id is None:
            return transparent_model()
        try:
            loaded = self.store.load(model_id)
        except (OSError, ValueError) as exc:
            log.error("cannot load model %s (%s); using the transparent ranker", model_id, exc)
            return transparent_model()
        if loaded.meta.get("features", list(FEATURES)) != list(FEATURES):
            log.error("model %s was trained on other features; using the transparent ranker",
                      model_id)
            return transparent_model()
        self.loads += 1
        log.info("matcher model %s in use", model_id)
        return loaded
