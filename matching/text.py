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
from collections import OrderedDict
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
_CACHED_QUERIES = 32
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


def _fit_tfidf(row_of: Mapping[str, int], docs: Mapping[str, Sequence[EvidenceText]],
               n_rows: int) -> tuple[TfidfVectorizer, sp.csr_matrix]:
    texts = [""] * n_rows
    for expert, row in row_of.items():
        texts[row] = _text(docs[expert])
    vec = _vectorizer(len(row_of))
    try:
        matrix = vec.fit_transform(texts)
    except ValueError:  # an empty registry, or no word in it: a vocabulary of one
        vec = TfidfVectorizer(preprocessor=fold_text, dtype=np.float32)
        matrix = vec.fit_transform([*texts, "registry"])[: len(texts)]
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    return vec, normalize(matrix) if matrix.shape[0] else matrix


def _replace(model: tuple[TfidfVectorizer, sp.csr_matrix], rows: Sequence[int],
             texts: Sequence[str], n_rows: int) -> tuple[TfidfVectorizer, sp.csr_matrix]:
    vec, matrix = model
    if not rows:
        return vec, replace_rows(matrix, np.zeros(0, dtype=np.intp), matrix[:0], n_rows)
    block = normalize(sp.csr_matrix(vec.transform(list(texts)), dtype=np.float32))
    return vec, replace_rows(matrix, np.asarray(rows, dtype=np.intp), block, n_rows)


def _scaled(scores: np.ndarray, alive: np.ndarray) -> np.ndarray:
    top = float(scores[alive].max()) if alive.any() else 0.0
    return np.clip(scores / top, 0.0, 1.0) if top > 0 else np.zeros_like(scores)


class _EvidenceState:
    """One fit of the evidence ranker, what it was fitted on, and where its experts' rows are
    (rows never move; -1 for an expert removed meanwhile)."""

    def __init__(self, index: Any, fitted: Mapping[str, tuple[EvidenceText, ...]],
                 row_of: Mapping[str, int]):
        self.index = index
        self.fitted = fitted
        self.position = {e: i for i, e in enumerate(index.expert_ids)}
        self.rows = np.array([row_of.get(e, -1) for e in index.expert_ids], dtype=np.intp)


class TextModel:
    """Task-to-evidence similarity over the experts of a :class:`matching.snapshot.ExpertIndex`
    (rows are the index's rows).

    Parameters
    ----------
    use_evidence : bool
        Use ``matching.evidence.EvidenceIndex`` when it is importable.
    refit : {"background", "sync", "never"}
        How refits happen once profiles changed (the evidence ranker for stale experts, the
        TF-IDF vocabulary after many changes): in a thread, at once, or not at all. With
        "background" even the first evidence fit runs in the thread, so building the index
        does not wait for it.
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
        self._n_rows = 0
        self._tfidf: tuple[TfidfVectorizer, sp.csr_matrix] | None = None
        self._fitted_experts = 0
        self._changes = 0
        self._evidence: _EvidenceState | None = None
        self._stale: set[str] = set()
        self._last_fit = float("-inf")
        self._worker: threading.Thread | None = None
        self._again = False
        self.fits = 0  # evidence fits
        self.vocabulary_fits = 0
        self._version = 0  # bumped by every change that can change a score
        self._cache: OrderedDict[str, tuple[int, np.ndarray]] = OrderedDict()

    # Fitting ---------------------------------------------------------------------------

    def fit(self, records: Sequence[ExpertRecord | None]) -> TextModel:
        """Fit on the index's rows (``None`` for a removed expert)."""
        self._docs = {r.id: r.documents for r in records if r}
        self._row_of = {r.id: i for i, r in enumerate(records) if r}
        self._n_rows = len(records)
        self._tfidf = _fit_tfidf(self._row_of, self._docs, self._n_rows)
        self._fitted_experts, self._changes = len(self._row_of), 0
        self.vocabulary_fits += 1
        self._version += 1
        if self.use_evidence:
            self._stale = set(self._docs)  # TF-IDF stands in until the evidence is fitted
            if self.refit == "background":
                self._schedule()
            else:
                self._fit_evidence(dict(self._docs))
        return self

    def update(self, changed: Sequence[tuple[int, ExpertRecord]],
               removed: Sequence[tuple[int, str]], n_rows: int) -> None:
        """Re-vectorise changed rows and blank the rows of removed experts.

        The TF-IDF vocabulary is refitted once the changes since the last fit pass
        ``_REFIT_SHARE`` of the experts it was fitted on, so new words are not ignored for
        ever; the cost of a refit grows with the registry, and so does the number of
        changes between two.
        """
        with self._lock:
            for row, r in changed:
                self._row_of[r.id] = row
                self._docs[r.id] = r.documents
            for _, e in removed:
                self._row_of.pop(e, None)
                self._docs.pop(e, None)
            self._n_rows = n_rows
            fitted = self._evidence.fitted if self._evidence is not None else {}
            for _, r in changed:
                if fitted.get(r.id, ()) != r.documents:
                    self._stale.add(r.id)
                else:
                    self._stale.discard(r.id)
            self._stale.update(e for _, e in removed)
            rows = [row for row, _ in changed] + [row for row, _ in removed]
            texts = [r.text for _, r in changed] + [""] * len(removed)
            self._tfidf = _replace(self._tfidf, rows, texts, n_rows)
            self._changes += len(rows)
            self._version += 1
        if self.refit == "sync":
            self._refit_once()
        elif self.refit == "background" and self._due():
            self._schedule()

    def _due(self) -> bool:
        """A vocabulary refit or an evidence refit is waiting."""
        return (self._changes > _REFIT_SHARE * self._fitted_experts
                or bool(self.use_evidence and self._stale))

    def _refit_once(self) -> None:
        """Refit what is due, from a snapshot; rows changed meanwhile are re-applied."""
        with self._lock:
            docs, row_of, n_rows = dict(self._docs), dict(self._row_of), self._n_rows
            vocabulary = self._changes > _REFIT_SHARE * self._fitted_experts
            evidence = bool(self.use_evidence and self._stale)
        if vocabulary:
            fresh = _fit_tfidf(row_of, docs, n_rows)
            with self._lock:
                moved = [(row, e) for e, row in self._row_of.items()
                         if row_of.get(e) != row or docs.get(e) is not self._docs[e]]
                gone = [row for e, row in row_of.items() if e not in self._row_of]
                self._tfidf = _replace(
                    fresh, [row for row, _ in moved] + gone,
                    [_text(self._docs[e]) for _, e in moved] + [""] * len(gone), self._n_rows)
                self._fitted_experts, self._changes = len(row_of), len(moved) + len(gone)
                self.vocabulary_fits += 1
                self._version += 1
        if evidence:
            self._fit_evidence(docs)

    def _fit_evidence(self, docs_by_expert: Mapping[str, tuple[EvidenceText, ...]]) -> None:
        corpus: dict[str, list[Any]] = {}
        for expert, docs in docs_by_expert.items():
            for d in docs:
                entry = corpus.setdefault(d.id, [f"{d.title}\n{d.text}", set()])
                entry[1].add(expert)
        started = time.perf_counter()
        index = (EvidenceIndex().fit(Doc(i, text, tuple(sorted(authors)))
                                     for i, (text, authors) in sorted(corpus.items()))
                 if corpus else None)
        with self._lock:
            self._evidence = (_EvidenceState(index, dict(docs_by_expert), self._row_of)
                              if index else None)
            self._stale = ({e for e, docs in self._docs.items()
                            if docs_by_expert.get(e) is not docs} if index else set())
            self._last_fit = time.monotonic()
            self.fits += 1
            self._version += 1
        log.info("evidence index fitted on %d documents in %.2fs", len(corpus),
                 time.perf_counter() - started)

    def _schedule(self) -> None:
        with self._lock:
            if self._worker is not None and self._worker.is_alive():
                self._again = True
                return
            self._again = False
            self._worker = threading.Thread(target=self._background, name="matcher-text-refit",
                                            daemon=True)
            self._worker.start()

    def _background(self) -> None:
        while True:
            time.sleep(max(0.0, self.refit_delay - (time.monotonic() - self._last_fit)))
            try:
                self._refit_once()
            except Exception:  # a failed refit must not kill the server; TF-IDF stands in
                log.exception("text model refit failed")
                return
            with self._lock:
                if not (self._again and self._due()):
                    self._worker = None
                    return
                self._again = False

    def wait_for_refit(self, timeout: float | None = None) -> None:
        """Block until a running background refit is done (tests and benchmarks)."""
        worker = self._worker
        if worker is not None:
            worker.join(timeout)

    @property
    def stale(self) -> frozenset[str]:
        return frozenset(self._stale)

    # Scoring ---------------------------------------------------------------------------

    def tfidf_scores(self, query: str) -> np.ndarray:
        vec, matrix = self._tfidf
        q = normalize(vec.transform([query]).astype(np.float32))
        return np.asarray((matrix @ q.T).todense()).ravel()

    def scores(self, query: str, alive: np.ndarray) -> np.ndarray:
        """Similarity of every row to ``query``, in [0, 1] (1 = the best in the registry).

        The last few queries are cached until the next change, so paging through a task's
        candidates does not score the registry again."""
        version = self._version
        hit = self._cache.get(query)
        if hit is not None and hit[0] == version and len(hit[1]) == len(alive):
            return hit[1]
        out = self._scores(query, alive)
        out.setflags(write=False)
        with self._lock:
            self._cache[query] = (version, out)
            self._cache.move_to_end(query)
            while len(self._cache) > _CACHED_QUERIES:
                self._cache.popitem(last=False)
        return out

    def _scores(self, query: str, alive: np.ndarray) -> np.ndarray:
        tf = _scaled(self.tfidf_scores(query), alive)
        state = self._evidence
        if state is None:
            return tf
        raw = state.index.score_matrix([query])[0]
        ev = np.zeros_like(tf)
        known = state.rows >= 0
        ev[state.rows[known]] = raw[known]
        with self._lock:
            stale = np.array([self._row_of[e] for e in self._stale if e in self._row_of],
                             dtype=np.intp)
        fresh = alive.copy()
        fresh[stale] = False
        ev = _scaled(np.where(fresh, ev, 0.0), fresh)
        ev[stale] = tf[stale]
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
        vec, _ = self._tfidf
        m = normalize(vec.transform([f"{d.title}\n{d.text}" for d in docs]))
        q = normalize(vec.transform([query]))
        sims = np.asarray((m @ q.T).todense()).ravel()
        order = np.argsort(-sims, kind="stable")[:k]
        return [(docs[i], float(sims[i])) for i in order if sims[i] > 0]

    def expert_vectors(self, rows: np.ndarray) -> sp.csr_matrix:
        return self._tfidf[1][rows]

