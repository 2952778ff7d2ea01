"""Text similarity between a task and each expert's evidence (profile, publications, projects).

Two signals, both fitted on the registry's own corpus:

* a TF-IDF model over each expert's whole evidence text (accent-folded as
  ``registry.names.fold`` does, unigrams and bigrams, sublinear tf). A changed profile is
  re-vectorised at once (``update``), so this signal is never stale; the vocabulary is
  refitted when a fifth of the registry changed since the last fit;
* the evidence ranker of ``matching.evidence`` (topic space, query expansion, document
  voting), when that module is importable. Its fit is too costly to repeat on every profile
  change, so experts whose documents changed since the last fit are marked *stale*: their
  evidence score falls back to their TF-IDF score until a refit (``refit="background"``:
  in a thread, at most every ``refit_delay`` seconds; ``"sync"``: at once; ``"never"``).

Each signal is divided by its maximum over all experts (so 1.0 is the registry's best match
for the text) and the two are averaged. ``evidence`` names an expert's documents closest to
the task, for the explanations.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matching.records import EvidenceText, ExpertRecord
from matching.sparse import replace_rows

__all__ = ["TextModel", "evidence_backend_available", "fold_text"]

log = logging.getLogger(__name__)

try:  # written by another engineer; the matcher works without it
    from matching.evidence import Doc, EvidenceIndex
except ImportError:  # pragma: no cover - depends on the checkout
    Doc = EvidenceIndex = None  # type: ignore[assignment,misc]

_MIN_DF_CORPUS = 50  # below this many experts every term counts (min_df=1)
_REFIT_SHARE = 0.2  # changed experts, as a share of those fitted on, before a TF-IDF refit


def evidence_backend_available() -> bool:
    return EvidenceIndex is not None


_D = str.maketrans({"đ": "d", "\u00f0": "d", "\u0256": "d"})
_COMBINING = re.compile("[\u0300-\u036f]+")


def fold_text(text: str) -> str:
    """Lower case without diacritics, đ as d: the same words as ``registry.names.fold``
    gives for stored (already normalised) text, at a fraction of its cost on long text.
    ``fold`` also re-places tone marks, which cannot matter once they are removed."""
    return _COMBINING.sub("", unicodedata.normalize("NFD", text.lower().translate(_D)))


def _vectorizer(n_docs: int) -> TfidfVectorizer:
    return TfidfVectorizer(preprocessor=fold_text, sublinear_tf=True, ngram_range=(1, 2),
                           min_df=1 if n_docs < _MIN_DF_CORPUS else 2, max_df=0.9
                           if n_docs >= _MIN_DF_CORPUS else 1.0, max_features=300_000,
                           dtype=np.float32)


def _text(docs: Sequence[EvidenceText]) -> str:
    return "\n".join(f"{d.title}\n{d.text}" for d in docs)


def _scaled(scores: np.ndarray, alive: np.ndarray) -> np.ndarray:
    top = float(scores[alive].max()) if alive.any() else 0.0
    return np.clip(scores / top, 0.0, 1.0) if top > 0 else np.zeros_like(scores)


class _EvidenceState:
    """One fit of the evidence ranker and what it was fitted on."""

    def __init__(self, index: Any, fitted: Mapping[str, tuple[EvidenceText, ...]]):
        self.index = index
        self.fitted = fitted
        self.position = {e: i for i, e in enumerate(index.expert_ids)}


class TextModel:
    """Task-to-evidence similarity over the experts of a :class:`matching.snapshot.ExpertIndex`
    (rows are the index's rows).

    Parameters
    ----------
    use_evidence : bool
        Use ``matching.evidence.EvidenceIndex`` when it is importable.
    refit : {"background", "sync", "never"}
        When to refit the evidence ranker after profiles changed.
    refit_delay : float
        Least seconds between two background refits.
    """

    def __init__(self, *, use_evidence: bool = True, refit: str = "background",
                 refit_delay: float = 30.0):
        if refit not in ("background", "sync", "never"):
            raise ValueError("refit must be 'background', 'sync' or 'never'")
        self.use_evidence = use_evidence and evidence_backend_available()
        self.refit = refit
        self.refit_delay = refit_delay
        self._lock = threading.Lock()
        self._docs: dict[str, tuple[EvidenceText, ...]] = {}
        self._row_of: dict[str, int] = {}
        self._evidence: _EvidenceState | None = None
        self._stale: set[str] = set()
        self._last_fit = 0.0
        self._worker: threading.Thread | None = None
        self.fits = 0

    # Fitting ---------------------------------------------------------------------------

    def fit(self, records: Sequence[ExpertRecord | None]) -> TextModel:
        """Fit on the index's rows (``None`` for a removed expert)."""
        self._docs = {r.id: r.documents for r in records if r}
        self._row_of = {r.id: i for i, r in enumerate(records) if r}
        self._fit_tfidf(len(records))
        if self.use_evidence and self.refit == "background":
            with self._lock:  # TF-IDF stands in for everyone until the first fit is done
                self._stale = set(self._docs)
            self._schedule_refit()
        elif self.use_evidence:
            self._fit_evidence(dict(self._docs))
        return self

    def _fit_tfidf(self, n_rows: int) -> None:
        texts = [""] * n_rows
        for expert, row in self._row_of.items():
            texts[row] = _text(self._docs[expert])
        self._vec = _vectorizer(len(self._row_of))
        try:
            matrix = self._vec.fit_transform(texts)
        except ValueError:  # an empty registry, or no word in it: a vocabulary of one
            self._vec = TfidfVectorizer(preprocessor=fold_text, dtype=np.float32)
            matrix = self._vec.fit_transform([*texts, "registry"])[: len(texts)]
        self._E = sp.csr_matrix(matrix, dtype=np.float32)
        if self._E.shape[0]:
            self._E = normalize(self._E)
        self._fitted_experts = len(self._row_of)
        self._changes = 0

    def update(self, changed: Sequence[tuple[int, ExpertRecord]],
               removed: Sequence[tuple[int, str]], n_rows: int) -> None:
        """Re-vectorise changed rows and blank the rows of removed experts.

        The TF-IDF vocabulary is refitted (synchronously) once the changes since the last
        fit pass ``_REFIT_SHARE`` of the experts it was fitted on, so new words are not
        ignored for ever; the cost of a refit grows with the registry, and so does the
        number of changes between two.
        """
        with self._lock:
            for row, r in changed:
                self._row_of[r.id] = row
                self._docs[r.id] = r.documents
            for _, e in removed:
                self._row_of.pop(e, None)
                self._docs.pop(e, None)
            fitted = self._evidence.fitted if self._evidence is not None else {}
            for _, r in changed:
                if fitted.get(r.id) != r.documents:
                    self._stale.add(r.id)
                else:
                    self._stale.discard(r.id)
            self._stale.update(e for _, e in removed)
        self._changes += len(changed) + len(removed)
        if self._changes > _REFIT_SHARE * self._fitted_experts:
            self._fit_tfidf(n_rows)
        else:
            rows = [row for row, _ in changed] + [row for row, _ in removed]
            texts = [r.text for _, r in changed] + [""] * len(removed)
            block = normalize(sp.csr_matrix(self._vec.transform(texts), dtype=np.float32))
            self._E = replace_rows(self._E, np.asarray(rows, dtype=np.intp), block, n_rows)
        if self._stale and self.use_evidence:
            self._schedule_refit()

    def _fit_evidence(self, docs_by_expert: Mapping[str, tuple[EvidenceText, ...]]) -> None:
        corpus: dict[str, list[Any]] = {}
        for expert, docs in docs_by_expert.items():
            for d in docs:
                entry = corpus.setdefault(d.id, [f"{d.title}\n{d.text}", set()])
                entry[1].add(expert)
        if not corpus:
            self._evidence = None
            return
        started = time.perf_counter()
        index = EvidenceIndex().fit(Doc(i, text, tuple(sorted(authors)))
                                    for i, (text, authors) in sorted(corpus.items()))
        with self._lock:
            self._evidence = _EvidenceState(index, dict(docs_by_expert))
            self._stale = {e for e, docs in self._docs.items() if docs_by_expert.get(e) != docs}
            self._last_fit = time.monotonic()
            self.fits += 1
        log.info("evidence index fitted on %d documents in %.2fs", len(corpus),
                 time.perf_counter() - started)

    def _schedule_refit(self) -> None:
        if self.refit == "never":
            return
        if self.refit == "sync":
            self._fit_evidence(dict(self._docs))
            return
        if self._worker is not None and self._worker.is_alive():
            return
        wait = max(0.0, self.refit_delay - (time.monotonic() - self._last_fit))

        def work() -> None:
            time.sleep(wait)
            with self._lock:
                snapshot = dict(self._docs)
            self._fit_evidence(snapshot)

        self._worker = threading.Thread(target=work, name="evidence-refit", daemon=True)
        self._worker.start()

    def wait_for_refit(self, timeout: float | None = None) -> None:
        """Block until a running background refit is done (tests and the CLI)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    @property
    def stale(self) -> frozenset[str]:
        return frozenset(self._stale)

    # Scoring ---------------------------------------------------------------------------

    def tfidf_scores(self, query: str) -> np.ndarray:
        q = normalize(self._vec.transform([query]).astype(np.float32))
        return np.asarray((self._E @ q.T).todense()).ravel()

    def scores(self, query: str, alive: np.ndarray) -> np.ndarray:
        """Similarity of every row to ``query``, in [0, 1] (1 = the best in the registry)."""
        tf = _scaled(self.tfidf_scores(query), alive)
        state = self._evidence
        if state is None:
            return tf
        raw = state.index.score_matrix([query])[0]
        ev = np.zeros_like(tf)
        with self._lock:
            stale = set(self._stale)
            pairs = [(self._row_of[e], raw[j]) for e, j in state.position.items()
                     if e in self._row_of and e not in stale]
        if pairs:
            rows, vals = zip(*pairs)
            ev[np.asarray(rows)] = vals
        fresh = alive.copy()
        for e in stale:
            if e in self._row_of:
                fresh[self._row_of[e]] = False
        ev = _scaled(ev, fresh)
        for e in stale:
            row = self._row_of.get(e)
            if row is not None:
                ev[row] = tf[row]
        return 0.5 * tf + 0.5 * ev

    def evidence(self, query: str, records: Iterable[ExpertRecord], k: int = 3
                 ) -> dict[str, list[tuple[EvidenceText, float]]]:
        """Each expert's ``k`` publications or projects closest to ``query``."""
        records = list(records)
        out: dict[str, list[tuple[EvidenceText, float]]] = {}
        state = self._evidence
        stale = self.stale
        fresh = [r for r in records if state is not None and r.id in state.position
                 and r.id not in stale]
        if fresh:
            found = state.index.rank(query, top_n=None, evidence_per_expert=k + 1,
                                     experts=[r.id for r in fresh])
            by_id = {m.expert_id: m for m in found}
            for r in fresh:
                docs = {d.id: d for d in r.documents if d.kind != "PROFILE"}
                match = by_id.get(r.id)
                picked = [(docs[e.doc_id], float(e.similarity)) for e in
                          (match.evidence if match else ()) if e.doc_id in docs]
                out[r.id] = [p for p in picked if p[1] > 0][:k]
        for r in records:
            if r.id not in out:
                out[r.id] = self._tfidf_evidence(query, r, k)
        return out

    def _tfidf_evidence(self, query: str, record: ExpertRecord, k: int
                        ) -> list[tuple[EvidenceText, float]]:
        docs = [d for d in record.documents if d.kind != "PROFILE"]
        if not docs:
            return []
        m = normalize(self._vec.transform([f"{d.title}\n{d.text}" for d in docs]))
        q = normalize(self._vec.transform([query]))
        sims = np.asarray((m @ q.T).todense()).ravel()
        order = np.argsort(-sims, kind="stable")[:k]
        return [(docs[i], float(sims[i])) for i in order if sims[i] > 0]

    def expert_vectors(self, rows: np.ndarray) -> sp.csr_matrix:
        return self._E[rows]

