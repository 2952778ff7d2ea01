"""Text similarity between a task and each expert's evidence (profile, publications, projects).

Two signals, both fitted on the registry's own corpus:

* TF-IDF over each expert's whole evidence text (accent-folded by
  :func:`matching.terms.fold_text`, unigrams and bigrams, sublinear tf, ``min_df`` 2 and
  ``max_df`` 0.9 once there are 50 experts).
  Terms are hashed (2**21 columns) instead of looked up in a fitted vocabulary, and the rows
  keep their term frequencies while the idf lives beside them: a changed profile is
  re-vectorised at once (``update``), a word first seen after the fit is not lost, and the
  idf is refitted from the stored rows (no text, no tokenising) once a fifth of the experts
  changed. A task text's vector is ``tf * idf`` normalised; an expert's score is its dot
  product with ``tf * idf`` of the expert's row over that row's norm, i.e. the cosine of the
  two tf-idf vectors, as before.
* The evidence ranker of ``matching.evidence`` (topic space, query expansion). Its model
  (vectoriser, topic space, clusters, the documents used for pseudo-relevance feedback) is
  fitted in a background thread (``refit="background"``; ``"sync"``: at once) on the
  registry's documents, read from the graph (``registry.matcher_reads``): all of them up to
  ``EVIDENCE_SAMPLE_DOCS``, beyond that the documents of a random sample of experts (seeded),
  after which every document is streamed once and projected into the fitted topic space.
  Each expert is then one unit-free vector in that space (the sum of their documents'
  vectors), so scoring a task is one dense product over the candidates' rows. A changed
  profile's documents are projected at once; the model is refitted when the documents of a
  fifth of the experts changed since the last fit. Until the first fit completes, an
  expert's evidence score is their TF-IDF score.

Each signal is divided by its maximum over a reference set of experts - the ones retrieved
for the task, whoever asks (``matching.candidates``) - and clipped to [0, 1], and the two are
averaged, so 1.0 is the best match among the experts retrieved for the task. Only the
candidates and that reference set are scored (a few thousand rows). The per-text work (the
task's TF-IDF vector, its expanded topic-space query) is cached for the last texts until the
model it was made with is refitted.

``evidence`` names an expert's documents closest to the task, for the explanations; the
caller passes the documents (``matching.snapshot.ExpertIndex.documents``).
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import HashingVectorizer

from matching.evidence import Doc, EvidenceIndex
from matching.records import EvidenceText, ParsedProfile
from matching.sparse import replace_rows
from matching.terms import WordBigrams

__all__ = ["EVIDENCE_SAMPLE_DOCS", "Corpus", "TextModel", "evidence_backend_available",
           "release_memory"]

log = logging.getLogger(__name__)

# Share of the plain TF-IDF signal once the evidence ranker is fitted. On the DBLP benchmark
# (strict, dev) TF-IDF alone scores MAP 0.27 and the evidence ranker 0.46; an even mix gave
# 0.42, a quarter of TF-IDF 0.45. Chosen on that measurement, not on any topic.
_TFIDF_SHARE = 0.25
_MIN_DF_CORPUS = 50  # below this many experts every term counts (min_df=1, max_df=1.0)
_MIN_DF, _MAX_DF = 2, 0.9
_HASH_FEATURES = 2**21
_FREQUENT_SHARE = 0.05  # words above this share of experts are remembered (common_words)
_CACHED_QUERIES = 512
_CACHED_VECTORS = 2048  # experts whose documents' topic vectors the explanations keep
_REFIT_SHARE = 0.2  # changed experts, as a share of those fitted on, before a refit
EVIDENCE_SAMPLE_DOCS = 80_000
"""Documents the evidence model is fitted on at most (a 10,000-expert registry has about
70,000); beyond, it is fitted on a random sample of experts' documents."""
_SAMPLE_SEED = 0
_READ_EXPERTS = 2000  # experts per read of their documents


def release_memory() -> None:
    """Give the heap pages freed by a build or a fit back to the system (glibc keeps them
    otherwise, and the process's resident size keeps the peak)."""
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


def evidence_backend_available() -> bool:
    return EvidenceIndex is not None


class Corpus(Protocol):
    """Where the evidence fit reads documents (``GraphCorpus`` in ``matching.snapshot``)."""

    def pages(self) -> Iterable[list[tuple[str, str, tuple[str, ...]]]]:
        """Every document as ``(id, text, authors)``, a page at a time."""

    def documents_of(self, expert_ids: Sequence[str]) -> Mapping[str, Sequence[EvidenceText]]:
        """The documents of these experts."""


# TF-IDF ---------------------------------------------------------------------------------

# The features of preprocessor=fold_text, ngram_range=(1, 2), made faster (matching.terms).
_HASHER = HashingVectorizer(analyzer=WordBigrams(), n_features=_HASH_FEATURES,
                            alternate_sign=False, norm=None, dtype=np.float32)


def _tf(texts: Sequence[str]) -> sp.csr_matrix:
    """Sublinear term frequencies (1 + log count) of hashed unigrams and bigrams."""
    m = sp.csr_matrix(_HASHER.transform(list(texts)), dtype=np.float32)
    m.sum_duplicates()
    np.log(m.data, out=m.data)
    m.data += 1.0
    return m


@dataclass(frozen=True)
class _Query:
    """A sparse vector over the hashed columns."""

    cols: np.ndarray
    vals: np.ndarray

    @property
    def nnz(self) -> int:
        return len(self.cols)


_BUFFERS = threading.local()


def _dot(m: sp.csr_matrix, q: _Query) -> np.ndarray:
    """``m @ q`` through a dense per-thread buffer (scipy would otherwise convert a sparse
    column of 2**21 rows on every product)."""
    if q.nnz == 0 or m.shape[0] == 0:
        return np.zeros(m.shape[0], dtype=np.float32)
    buf = getattr(_BUFFERS, "dense", None)
    if buf is None:
        buf = _BUFFERS.dense = np.zeros(_HASH_FEATURES, dtype=np.float32)
    buf[q.cols] = q.vals
    try:
        return np.asarray(m @ buf, dtype=np.float32)
    finally:
        buf[q.cols] = 0.0


def _row_norms(tf: sp.csr_matrix, idf: np.ndarray | None, chunk: int = 1 << 22
               ) -> np.ndarray:
    """Each row's norm (of ``tf * idf`` with an idf), a few million values at a time."""
    n = tf.shape[0]
    out = np.zeros(n, dtype=np.float32)
    indptr = tf.indptr
    lo = 0
    while lo < n:
        hi = int(np.searchsorted(indptr, indptr[lo] + chunk, side="right")) - 1
        hi = min(max(hi, lo + 1), n)
        a, b = indptr[lo], indptr[hi]
        if b > a:
            w = tf.data[a:b] if idf is None else tf.data[a:b] * idf[tf.indices[a:b]]
            sq = np.append(np.square(w, dtype=np.float64), 0.0)  # an end for empty rows
            sums = np.add.reduceat(sq, indptr[lo:hi] - a)
            sums[np.diff(indptr[lo:hi + 1]) == 0] = 0.0
            out[lo:hi] = np.sqrt(sums)
        lo = hi
    return out


def _stack_rows(blocks: list[sp.csr_matrix], n_cols: int) -> sp.csr_matrix:
    """The blocks one under the other, each released once copied (no second full copy)."""
    nnz = sum(b.nnz for b in blocks)
    n = sum(b.shape[0] for b in blocks)
    data = np.empty(nnz, dtype=np.float32)
    indices = np.empty(nnz, dtype=np.int32)
    indptr = np.zeros(n + 1, dtype=np.int64)
    at = row = 0
    while blocks:
        b = blocks.pop(0)
        data[at:at + b.nnz] = b.data
        indices[at:at + b.nnz] = b.indices
        indptr[row + 1:row + 1 + b.shape[0]] = b.indptr[1:] + at
        at += b.nnz
        row += b.shape[0]
        del b
    return sp.csr_matrix((data, indices, indptr), shape=(n, n_cols))


@dataclass(frozen=True)
class _Tfidf:
    """Term frequencies of the index's rows and the idf. The rows are a base matrix (as
    built) and an overlay of the rows changed since: a profile change copies the overlay
    (small), never the base. The overlay is folded into the base at an idf refit once it
    holds a quarter of the rows."""

    base: sp.csr_matrix  # rows [0, base.shape[0]) as built
    overlay: sp.csr_matrix  # changed (and added) rows
    where: np.ndarray  # per row: its row in the overlay, or -1 (in the base)
    idf: np.ndarray  # per hashed column; 0 for a term pruned by min_df / max_df
    norms: np.ndarray  # per row: the norm of tf * idf
    generation: int
    # Columns held by more than _FREQUENT_SHARE of the experts (sorted) and those shares.
    frequent: tuple[np.ndarray, np.ndarray] = (np.zeros(0, np.intp), np.zeros(0, np.float32))

    @classmethod
    def fit(cls, base: sp.csr_matrix, n_experts: int, generation: int) -> _Tfidf:
        empty = sp.csr_matrix((0, _HASH_FEATURES), dtype=np.float32)
        where = np.full(base.shape[0], -1, dtype=np.int32)
        return cls(base, empty, where, np.zeros(0, np.float32), np.zeros(0, np.float32),
                   generation).refitted(n_experts, generation)

    def refitted(self, n_experts: int, generation: int) -> _Tfidf:
        """The idf (smooth, as scikit-learn's) from the rows' document frequencies, and the
        norms under it; the overlay is folded into the base when it has grown large."""
        base, overlay, where = self.base, self.overlay, self.where
        if overlay.shape[0] > 0.25 * max(len(where), 1):
            base = self.rows(np.arange(len(where)))
            overlay = sp.csr_matrix((0, _HASH_FEATURES), dtype=np.float32)
            where = np.full(len(where), -1, dtype=np.int32)
        n_base = base.shape[0]
        df = np.bincount(base.indices, minlength=_HASH_FEATURES).astype(np.float64)
        hidden = np.flatnonzero(where[:n_base] >= 0)
        if len(hidden):
            df -= np.bincount(base[hidden].indices, minlength=_HASH_FEATURES)
        if overlay.nnz:
            df += np.bincount(overlay.indices, minlength=_HASH_FEATURES)
        idf = np.log((1.0 + n_experts) / (1.0 + df)) + 1.0
        # A term no expert has is outside the fitted vocabulary (as scikit-learn's).
        if n_experts >= _MIN_DF_CORPUS:
            idf[(df < _MIN_DF) | (df > _MAX_DF * n_experts)] = 0.0
        else:
            idf[df < 1] = 0.0
        idf = idf.astype(np.float32)
        norms = np.zeros(len(where), dtype=np.float32)
        norms[:n_base] = _row_norms(base, idf)
        moved = np.flatnonzero(where >= 0)
        if len(moved):
            norms[moved] = _row_norms(overlay, idf)[where[moved]]
        frequent = np.flatnonzero(df > _FREQUENT_SHARE * max(n_experts, 1))
        shares = (df[frequent] / max(n_experts, 1)).astype(np.float32)
        return _Tfidf(base, overlay, where, idf, norms, generation, (frequent, shares))

    def share(self, words: Sequence[str]) -> np.ndarray:
        """Each word's share of the experts whose rows hold it, at the last refit (0 for
        a word held by at most ``_FREQUENT_SHARE`` of them)."""
        out = np.zeros(len(words), dtype=np.float32)
        cols, shares = self.frequent
        if not len(words) or not len(cols):
            return out
        hashed = sp.csr_matrix(_HASHER.transform(list(words)))
        word = np.repeat(np.arange(len(words)), np.diff(hashed.indptr))
        at = np.minimum(np.searchsorted(cols, hashed.indices), len(cols) - 1)
        held = cols[at] == hashed.indices
        np.maximum.at(out, word[held], shares[at[held]])
        return out

    def query(self, text: str) -> tuple[_Query, _Query]:
        """The text's tf-idf vector (unit length, or zero) and that vector times idf: the
        second's dot product with a row's term frequencies, over the row's norm, is the
        cosine of the two tf-idf vectors."""
        q = _tf([text])
        q.data *= self.idf[q.indices]
        q.eliminate_zeros()
        norm = float(np.sqrt(np.square(q.data, dtype=np.float64).sum()))
        if norm > 0:
            q.data /= norm
        cols = q.indices.astype(np.intp)
        return _Query(cols, q.data.copy()), _Query(cols, q.data * self.idf[cols])

    def _split(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Masks of ``rows`` kept in the base and in the overlay (with overlay rows)."""
        pos = self.where[rows]
        return pos < 0, pos

    def scores(self, rows: np.ndarray, q: _Query) -> np.ndarray:
        if len(rows) == 0 or q.nnz == 0:
            return np.zeros(len(rows), dtype=np.float32)
        in_base, pos = self._split(rows)
        raw = np.empty(len(rows), dtype=np.float32)
        raw[in_base] = _dot(self.base[rows[in_base]], q)
        if not in_base.all():
            raw[~in_base] = _dot(self.overlay[pos[~in_base]], q)
        norms = self.norms[rows]
        return np.divide(raw, norms, out=np.zeros(len(rows), dtype=np.float32),
                         where=norms > 0)

    def rows(self, rows: np.ndarray) -> sp.csr_matrix:
        """The rows' term frequencies, in the order given."""
        rows = np.asarray(rows, dtype=np.intp)
        in_base, pos = self._split(rows)
        if in_base.all():
            if len(rows) == self.base.shape[0] and np.array_equal(rows, np.arange(len(rows))):
                return self.base
            return self.base[rows]
        if not in_base.any():
            return self.overlay[pos]
        if len(rows) == len(self.where) and np.array_equal(rows, np.arange(len(rows))):
            grown = replace_rows(self.base, np.zeros(0, dtype=np.intp), self.base[:0],
                                 len(rows))
            moved = np.flatnonzero(~in_base)
            return replace_rows(grown, moved, self.overlay[pos[moved]], len(rows))
        parts = sp.vstack([self.base[rows[in_base]], self.overlay[pos[~in_base]]],
                          format="csr")
        order = np.concatenate([np.flatnonzero(in_base), np.flatnonzero(~in_base)])
        return sp.csr_matrix(parts[np.argsort(order, kind="stable")], dtype=np.float32)

    def vectors(self, rows: np.ndarray) -> sp.csr_matrix:
        """The rows' normalised tf-idf vectors."""
        sub = self.rows(rows)
        norms = self.norms[rows]
        scale = np.divide(1.0, norms, out=np.zeros(len(rows), dtype=np.float32),
                          where=norms > 0)
        data = sub.data * self.idf[sub.indices] * np.repeat(scale, np.diff(sub.indptr))
        out = sp.csr_matrix((data, sub.indices, sub.indptr), shape=sub.shape)
        out.eliminate_zeros()
        return out

    def replaced(self, rows: Sequence[int], texts: Sequence[str], n_rows: int) -> _Tfidf:
        """Rows re-vectorised (removed experts: empty text), in the overlay."""
        rows_a = np.asarray(rows, dtype=np.intp)
        where = self.where
        if len(where) < n_rows:
            where = np.concatenate([where, np.full(n_rows - len(where), -1, np.int32)])
        norms = self.norms
        if len(norms) < n_rows:
            norms = np.concatenate([norms, np.zeros(n_rows - len(norms), np.float32)])
        if len(rows_a) == 0:
            return _Tfidf(self.base, self.overlay, where, self.idf, norms, self.generation,
                          self.frequent)
        where, norms = where.copy(), norms.copy()
        block = _tf(texts)
        n_over = self.overlay.shape[0]
        new = where[rows_a] < 0
        where[rows_a[new]] = np.arange(n_over, n_over + int(new.sum()), dtype=np.int32)
        overlay = replace_rows(self.overlay, where[rows_a], block,
                               n_over + int(new.sum()))
        norms[rows_a] = _row_norms(block, self.idf)
        return _Tfidf(self.base, overlay, where, self.idf, norms, self.generation,
                      self.frequent)

    def nbytes(self) -> int:
        return sum(m.data.nbytes + m.indices.nbytes + m.indptr.nbytes
                   for m in (self.base, self.overlay))


# Evidence -------------------------------------------------------------------------------

class _Evidence:
    """One fit of the evidence ranker, and every expert's profile vector in its topic space
    (rows are the index's rows; ``known`` marks the rows that have one)."""

    def __init__(self, index: EvidenceIndex, n_rows: int, generation: int, *,
                 sampled: bool, fitted_on: int):
        self.index = index
        self.generation = generation
        self.sampled = sampled
        self.fitted_on = fitted_on  # experts
        dims = index.dimensions
        self.P = np.zeros((n_rows, dims), dtype=np.float32)
        self.counts = np.zeros(n_rows, dtype=np.float32)
        self.known = np.zeros(n_rows, dtype=bool)
        self.norms = np.zeros(n_rows, dtype=np.float32)
        self.exponent = float(index.config.productivity_exponent)
        self.version = 0  # counts changes of the rows (cached retrieval scores are then old)

    def grow(self, n_rows: int) -> None:
        have = len(self.counts)
        if n_rows <= have:
            return
        cap = max(n_rows, 2 * have, 64)
        self.P = np.vstack([self.P, np.zeros((cap - have, self.P.shape[1]), np.float32)])
        self.counts = np.concatenate([self.counts, np.zeros(cap - have, np.float32)])
        self.known = np.concatenate([self.known, np.zeros(cap - have, bool)])
        self.norms = np.concatenate([self.norms, np.zeros(cap - have, np.float32)])

    def set_rows(self, rows: np.ndarray, P: np.ndarray, counts: np.ndarray) -> None:
        self.version += 1
        self.P[rows] = P
        self.counts[rows] = counts
        self.norms[rows] = np.linalg.norm(P, axis=1)
        self.known[rows] = True

    def set_documents(self, row: int, documents: Sequence[EvidenceText]) -> None:
        if documents:
            z = self.index.project([f"{d.title}\n{d.text}" for d in documents])
            self.set_rows(np.array([row]), z.sum(axis=0, keepdims=True),
                          np.array([len(documents)], dtype=np.float32))
        else:
            self.set_rows(np.array([row]), np.zeros((1, self.P.shape[1]), np.float32),
                          np.zeros(1, dtype=np.float32))

    def scores(self, rows: np.ndarray, qx: np.ndarray) -> np.ndarray:
        """``max(0, cos(query, profile)) * n_docs ** exponent`` (``EvidenceIndex``'s score)."""
        if len(rows) == 0:
            return np.zeros(0, dtype=np.float32)
        return self._weighted(self.P[rows] @ qx, self.norms[rows], self.counts[rows],
                              np.ones(len(rows), dtype=bool))

    def all_scores(self, n_rows: int, qx: np.ndarray) -> np.ndarray:
        """The score of each of the first ``n_rows`` rows (0 without a profile vector): one
        product over a view of the profiles, no copy of them."""
        n = min(n_rows, len(self.known))
        out = np.zeros(n_rows, dtype=np.float32)
        out[:n] = self._weighted(self.P[:n] @ qx, self.norms[:n], self.counts[:n],
                                 self.known[:n])
        return out

    def _weighted(self, dots: np.ndarray, norms: np.ndarray, counts: np.ndarray,
                  known: np.ndarray) -> np.ndarray:
        ok = known & (norms > 1e-12) & (counts > 0)
        cos = np.divide(dots, norms, out=np.zeros(len(dots), np.float32), where=ok)
        weight = np.where(ok, np.maximum(counts, 1.0) ** self.exponent, 0.0)
        return (np.maximum(cos, 0.0) * weight).astype(np.float32)


def _scaled(values: np.ndarray, reference: np.ndarray) -> np.ndarray:
    top = float(reference.max()) if len(reference) else 0.0
    if top <= 0:
        return np.zeros_like(values)
    return np.clip(values / top, 0.0, 1.0)


class TextModel:
    """Task-to-evidence similarity over the experts of a :class:`matching.snapshot.ExpertIndex`
    (rows are the index's rows).

    Parameters
    ----------
    use_evidence : bool
        Use ``matching.evidence.EvidenceIndex`` as the second signal.
    refit : {"background", "sync", "never"}
        How the evidence ranker is fitted, and refitted once profiles changed (the TF-IDF
        idf too): in a thread, at once, or at once for the first fit and never again. With
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
        self.corpus: Corpus | None = None
        self._lock = threading.RLock()
        self._row_of: dict[str, int] = {}
        self._n_rows = 0
        self._ndocs = np.zeros(0, dtype=np.int32)
        self._tfidf: _Tfidf | None = None
        self._blocks: list[tuple[np.ndarray, sp.csr_matrix]] = []
        self._fitted_experts = 0
        self._changes = 0  # rows changed since the idf was fitted
        self._doc_changes: set[str] = set()  # experts whose documents changed since the fit
        self._evidence: _Evidence | None = None
        self._evidence_fitted_on: int | None = None  # experts at the last fit (None: never)
        self._fitting = False
        self._pending: dict[str, tuple[EvidenceText, ...] | None] = {}  # changed during a fit
        self._last_fit = float("-inf")
        self._worker: threading.Thread | None = None
        self._again = False
        self._generation = 0
        self.fits = 0  # evidence fits
        self.vocabulary_fits = 0  # idf fits
        self.last_fit_seconds: float | None = None
        self.last_fit_documents = 0
        self._cache: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._vectors: OrderedDict[str, tuple[Any, int, np.ndarray]] = OrderedDict()
        self._term_rows: OrderedDict[str, tuple[Any, sp.csr_matrix]] = OrderedDict()

    # Fitting ---------------------------------------------------------------------------

    def begin(self, corpus: Corpus | None = None) -> None:
        """Start a fit; the index then passes its experts in blocks (:meth:`add`)."""
        with self._lock:
            self.corpus = corpus
            self._blocks = []
            self._row_of = {}
            self._ndocs = np.zeros(0, dtype=np.int32)

    def add(self, rows: Sequence[int], parsed: Sequence[ParsedProfile]) -> None:
        """Vectorise a block of experts (their texts are not kept)."""
        rows_a = np.asarray(rows, dtype=np.intp)
        tf = _tf([p.text for p in parsed]) if parsed else None
        with self._lock:
            for row, p in zip(rows_a, parsed):
                self._row_of[p.record.id] = int(row)
            if len(rows_a):
                self._grow_ndocs(int(rows_a.max()) + 1)
                self._ndocs[rows_a] = [len(p.documents) for p in parsed]
                self._blocks.append((rows_a, tf))

    def finish(self, n_rows: int) -> TextModel:
        """Fit the idf on the blocks added, then the evidence ranker (per ``refit``)."""
        with self._lock:
            self._n_rows = n_rows
            self._grow_ndocs(n_rows)
            if self._blocks:
                rows = np.concatenate([r for r, _ in self._blocks])
                blocks = [m for _, m in self._blocks]
                self._blocks = []
                tf = _stack_rows(blocks, _HASH_FEATURES)
                if not np.array_equal(rows, np.arange(n_rows)):  # not the index's row order
                    tf = replace_rows(sp.csr_matrix((0, _HASH_FEATURES), dtype=np.float32),
                                      rows, tf, n_rows)
            else:
                tf = sp.csr_matrix((n_rows, _HASH_FEATURES), dtype=np.float32)
            self._blocks = []
            self._tfidf = _Tfidf.fit(tf, len(self._row_of), self._next_generation())
            self._fitted_experts, self._changes = len(self._row_of), 0
            self.vocabulary_fits += 1
            self._evidence = None
            self._evidence_fitted_on = None
            self._doc_changes = set()
            self._cache.clear()
        if self.use_evidence:
            if self.refit == "background":
                self._schedule()
            else:
                self._fit_evidence()
        return self

    def fit(self, parsed_rows: Sequence[ParsedProfile | None],
            corpus: Corpus | None = None) -> TextModel:
        """Fit on the index's rows at once (``None`` for a removed expert)."""
        self.begin(corpus)
        rows = [i for i, p in enumerate(parsed_rows) if p is not None]
        self.add(rows, [parsed_rows[i] for i in rows])  # type: ignore[misc]
        return self.finish(len(parsed_rows))

    def _next_generation(self) -> int:
        with self._lock:
            self._generation += 1
            return self._generation

    def _grow_ndocs(self, n: int) -> None:
        if len(self._ndocs) < n:
            self._ndocs = np.concatenate([self._ndocs, np.zeros(n - len(self._ndocs),
                                                                dtype=np.int32)])

    def update(self, changed: Sequence[tuple[int, ParsedProfile]],
               removed: Sequence[tuple[int, str]], n_rows: int, *,
               documents_changed: Iterable[str]) -> None:
        """Re-vectorise the rows of changed experts whose documents differ from what the
        index had (``documents_changed``, new experts included), project those documents
        into the evidence topic space, and blank the rows of removed experts. A change that
        leaves an expert's documents as they were keeps their vectors, and the scores
        cached for task texts stay valid."""
        docs_changed = set(documents_changed)
        with self._lock:
            for row, p in changed:
                self._row_of[p.record.id] = row
            for _, e in removed:
                self._row_of.pop(e, None)
            self._n_rows = n_rows
            self._grow_ndocs(n_rows)
            for row, p in changed:
                self._ndocs[row] = len(p.documents)
            for row, _ in removed:
                self._ndocs[row] = 0
            changed = [(row, p) for row, p in changed if p.record.id in docs_changed]
            rows = [row for row, _ in changed] + [row for row, _ in removed]
            texts = [p.text for _, p in changed] + [""] * len(removed)
            if self._tfidf is not None:
                self._tfidf = self._tfidf.replaced(rows, texts, n_rows)
            self._changes += len(rows)
            state = self._evidence
            if state is not None:
                state.grow(n_rows)
                for row, p in changed:
                    state.set_documents(row, p.documents)
                for row, _ in removed:
                    state.set_rows(np.array([row]), np.zeros((1, state.P.shape[1]),
                                                             np.float32), np.zeros(1))
                    state.known[row] = False
            if self._fitting:
                for _, p in changed:
                    self._pending[p.record.id] = p.documents
                for _, e in removed:
                    self._pending[e] = None
            self._doc_changes |= docs_changed | {e for _, e in removed}
        if self.refit == "sync":
            self._refit_once()
        elif self.refit == "background" and self._due():
            self._schedule()

    def _idf_due(self) -> bool:
        return self._changes > _REFIT_SHARE * self._fitted_experts

    def _evidence_due(self) -> bool:
        if not self.use_evidence:
            return False
        if self._evidence_fitted_on is None:  # never fitted
            return True
        return len(self._doc_changes) > _REFIT_SHARE * self._evidence_fitted_on

    def _due(self) -> bool:
        """An idf refit or an evidence (re)fit is waiting."""
        return self._idf_due() or self._evidence_due()

    def _refit_once(self) -> None:
        if self._idf_due():
            self._refit_idf()
        if self._evidence_due():
            self._fit_evidence()

    def _refit_idf(self) -> None:
        """Refit the idf from the stored rows (no text is read), off the lock; if rows
        changed meanwhile, again (the last attempt under the lock)."""
        for attempt in range(3):
            with self._lock:
                current = self._tfidf
                n_experts = len(self._row_of)
            if current is None:
                return
            if attempt == 2:
                with self._lock:
                    fresh = self._tfidf.refitted(n_experts, self._next_generation())
                    self._install_idf(fresh, n_experts)
                return
            fresh = current.refitted(n_experts, self._next_generation())
            with self._lock:
                if self._tfidf is current:
                    self._install_idf(fresh, n_experts)
                    return

    def _install_idf(self, fresh: _Tfidf, n_experts: int) -> None:
        self._tfidf = fresh
        self._fitted_experts, self._changes = n_experts, 0
        self.vocabulary_fits += 1

    def _fit_evidence(self) -> None:
        """Fit the evidence ranker on the corpus (or a sample of it) and give every expert a
        profile vector; install it, then re-apply what changed meanwhile."""
        started = time.perf_counter()
        with self._lock:
            if self.corpus is None:
                return
            self._fitting = True
            self._pending = {}
            row_of = dict(self._row_of)
            ndocs = self._ndocs.copy()
            changes_before = set(self._doc_changes)
        try:
            state, n_docs = self._fit_state(row_of, ndocs)
        finally:
            with self._lock:
                self._fitting = False
        with self._lock:
            if state is not None:
                state.grow(self._n_rows)
                for e, docs in self._pending.items():
                    row = self._row_of.get(e)
                    if row is None:
                        old = row_of.get(e)
                        if old is not None:
                            state.known[old] = False
                            state.counts[old] = 0
                        continue
                    if docs is not None:
                        state.set_documents(row, docs)
                # Experts added meanwhile without documents in the pending list stay unknown
                # (their TF-IDF score stands in) until their next change.
            self._evidence = state
            self._evidence_fitted_on = len(row_of)
            self._pending = {}
            self._doc_changes -= changes_before
            self._last_fit = time.monotonic()
            self.fits += 1
            self.last_fit_seconds = time.perf_counter() - started
            self.last_fit_documents = n_docs
        release_memory()
        log.info("evidence index fitted on %d documents in %.2fs%s", n_docs,
                 self.last_fit_seconds, " (sample)" if state and state.sampled else "")

    def _fit_state(self, row_of: Mapping[str, int], ndocs: np.ndarray
                   ) -> tuple[_Evidence | None, int]:
        corpus = self.corpus
        assert corpus is not None
        n_rows = len(ndocs)
        alive = np.array(sorted(row_of.values()), dtype=np.intp)
        if len(alive) == 0 or int(ndocs[alive].sum()) == 0:
            return None, 0
        generation = self._next_generation()
        if int(ndocs[alive].sum()) <= EVIDENCE_SAMPLE_DOCS:
            docs = sorted((Doc(i, text, tuple(sorted(set(authors))))
                           for page in corpus.pages() for i, text, authors in page),
                          key=lambda d: d.id)
            if not docs:
                return None, 0
            index = EvidenceIndex().fit(docs)
            state = _Evidence(index, n_rows, generation, sampled=False,
                              fitted_on=len(row_of))
            P, counts = index.expert_profiles()
            rows = np.array([row_of.get(e, -1) for e in index.expert_ids], dtype=np.intp)
            keep = rows >= 0
            state.set_rows(rows[keep], P[keep], counts[keep])
            state.known[np.setdiff1d(alive, rows[keep])] = True  # no document: score 0
            return state, len(docs)
        # A sample of experts (with all their documents) for the model ...
        rng = np.random.default_rng(_SAMPLE_SEED)
        order = rng.permutation(alive)
        take = int(np.searchsorted(np.cumsum(ndocs[order]), EVIDENCE_SAMPLE_DOCS)) + 1
        by_row = {row: e for e, row in row_of.items()}
        sample = sorted(by_row[r] for r in order[:take])
        in_sample = set(sample)
        texts: dict[str, str] = {}
        authors: dict[str, set[str]] = {}
        for i in range(0, len(sample), _READ_EXPERTS):
            for expert, documents in corpus.documents_of(sample[i:i + _READ_EXPERTS]).items():
                for d in documents:
                    texts[d.id] = f"{d.title}\n{d.text}"
                    authors.setdefault(d.id, set()).add(expert)
        index = EvidenceIndex().fit(
            Doc(i, texts[i], tuple(sorted(authors[i] & in_sample))) for i in sorted(texts))
        del texts, authors
        # ... then every document, projected into its topic space.
        state = _Evidence(index, n_rows, generation, sampled=True, fitted_on=len(row_of))
        P, counts = state.P, state.counts  # summed in place
        n_docs = 0
        for page in corpus.pages():
            z = index.project([text for _, text, _ in page])
            doc_pos, rows = [], []
            for k, (_, _, page_authors) in enumerate(page):
                for a in set(page_authors):
                    row = row_of.get(a)
                    if row is not None:
                        doc_pos.append(k)
                        rows.append(row)
            if rows:
                touched, at = np.unique(rows, return_inverse=True)
                incidence = sp.csr_matrix(
                    (np.ones(len(rows), np.float32), (at, doc_pos)),
                    shape=(len(touched), len(page)))
                P[touched] += incidence @ z
                counts += np.bincount(rows, minlength=n_rows).astype(np.float32)
            n_docs += len(page)
        state.norms[:] = np.linalg.norm(P, axis=1)
        state.known[alive] = True
        return state, n_docs

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
                with self._lock:
                    self._worker = None
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
        """Experts whose evidence score is their TF-IDF score for now (no profile vector
        in the evidence ranker's topic space yet)."""
        if not self.use_evidence:
            return frozenset()
        state = self._evidence
        with self._lock:
            if state is None:
                return frozenset(self._row_of)
            known = state.known
            return frozenset(e for e, row in self._row_of.items()
                             if row >= len(known) or not known[row])

    @property
    def evidence_sampled(self) -> bool | None:
        state = self._evidence
        return None if state is None else state.sampled

    # Scoring ---------------------------------------------------------------------------

    def _entry(self, query: str) -> dict[str, Any]:
        with self._lock:
            entry = self._cache.get(query)
            if entry is None:
                entry = self._cache[query] = {}
                while len(self._cache) > _CACHED_QUERIES:
                    self._cache.popitem(last=False)
            else:
                self._cache.move_to_end(query)
            return entry

    def _query_tfidf(self, query: str) -> tuple[_Query, _Query]:
        tfidf = self._tfidf
        assert tfidf is not None
        entry = self._entry(query)
        hit = entry.get("tfidf")
        if hit is None or hit[0] != tfidf.generation:
            hit = entry["tfidf"] = (tfidf.generation, tfidf.query(query))
        return hit[1]

    def _query(self, query: str) -> tuple[_Query | None, np.ndarray | None]:
        """The task text's TF-IDF scoring column and its expanded topic-space query,
        cached for the last texts until the model they were made with is refitted."""
        tfidf, state = self._tfidf, self._evidence
        entry = self._entry(query)
        q = self._query_tfidf(query)[1] if tfidf is not None else None
        qx = None
        if state is not None:
            hit = entry.get("evidence")
            if hit is None or hit[0] != state.generation:
                hit = entry["evidence"] = (state.generation,
                                           state.index.expand(query).astype(np.float32))
            qx = hit[1]
        return q, qx

    def common_words(self, words: Sequence[str], share: float) -> frozenset[str]:
        """Those of ``words`` held by more than ``share`` (at least ``_FREQUENT_SHARE``) of
        the experts' evidence texts, as the TF-IDF rows counted them at the last refit;
        none while the registry is small (under ``_MIN_DF_CORPUS`` experts)."""
        tfidf = self._tfidf
        if tfidf is None or len(tfidf.where) < _MIN_DF_CORPUS:
            return frozenset()
        held = tfidf.share(words)
        return frozenset(w for w, s in zip(words, held) if s > max(share, _FREQUENT_SHARE))

    def prepare(self, query: str) -> None:
        """Make and cache the text's query vectors ahead of scoring (they depend on the
        fitted models only, not on the rows: safe without the index's lock)."""
        self._query(query)

    def tfidf_scores(self, query: str) -> np.ndarray:
        """Cosine of every row's TF-IDF vector with the query's."""
        q, _ = self._query(query)
        tfidf = self._tfidf
        if tfidf is None or q is None:
            return np.zeros(self._n_rows)
        return tfidf.scores(np.arange(len(tfidf.where)), q).astype(float)

    def evidence_scores(self, query: str) -> np.ndarray | None:
        """The evidence ranker's raw score of every row for ``query`` (0 for a row it has no
        vector for), for retrieval; ``None`` until it is fitted (or when it is not used).
        Cached with the text until a row changes (paging a ranking asks again); read only."""
        state = self._evidence
        if not self.use_evidence or state is None:
            return None
        _, qx = self._query(query)
        if qx is None:
            return None
        key = (state.generation, state.version, self._n_rows)
        entry = self._entry(query)
        hit = entry.get("retrieval")
        if hit is None or hit[0] != key:
            scores = state.all_scores(self._n_rows, qx)
            scores.flags.writeable = False
            hit = entry["retrieval"] = (key, scores)
        return hit[1]

    def similarity(self, query: str, rows: np.ndarray, reference: np.ndarray) -> np.ndarray:
        """Similarity of ``rows`` to ``query`` in [0, 1]: each signal over its maximum among
        the ``reference`` rows (clipped), averaged. Only these rows are scored."""
        rows = np.asarray(rows, dtype=np.intp)
        reference = np.asarray(reference, dtype=np.intp)
        q, qx = self._query(query)
        tfidf, state = self._tfidf, self._evidence
        if tfidf is None or q is None or len(rows) == 0:
            return np.zeros(len(rows))
        both, where = np.unique(np.concatenate([rows, reference]), return_inverse=True)
        at_rows, at_ref = where[: len(rows)], where[len(rows):]
        tf_all = tfidf.scores(both, q)
        tf = _scaled(tf_all, tf_all[at_ref])
        if not self.use_evidence or state is None or qx is None:
            return tf[at_rows].astype(float)  # TF-IDF stands in for the evidence
        known = np.zeros(len(both), dtype=bool)
        inside = both < len(state.known)
        known[inside] = state.known[both[inside]]
        ev_raw = np.zeros(len(both), dtype=np.float32)
        ev_raw[known] = state.scores(both[known], qx)
        ev = _scaled(ev_raw, ev_raw[at_ref][known[at_ref]])
        ev = np.where(known, ev, tf)
        return (_TFIDF_SHARE * tf + (1.0 - _TFIDF_SHARE) * ev)[at_rows].astype(float)

    def scores(self, query: str, alive: np.ndarray) -> np.ndarray:
        """Similarity of every row to ``query`` (reference: every alive row)."""
        rows = np.arange(len(alive))
        return self.similarity(query, rows, np.flatnonzero(alive))

    def evidence(self, query: str, documents: Mapping[str, Sequence[EvidenceText]], k: int = 3
                 ) -> dict[str, list[tuple[EvidenceText, float]]]:
        """Each expert's ``k`` publications or projects closest to ``query``: by cosine in the
        evidence ranker's topic space with the expanded query (as ``EvidenceIndex.rank``),
        or by TF-IDF cosine for an expert the evidence ranker has no vector for yet. All
        the documents are vectorised in one pass."""
        state = self._evidence
        _, qx = self._query(query)
        with self._lock:
            row_of = {e: self._row_of.get(e) for e in documents}
        fresh, other = [], []
        for expert, docs in documents.items():
            row = row_of[expert]
            known = (state is not None and qx is not None and row is not None
                     and row < len(state.known) and bool(state.known[row]))
            (fresh if known else other).append(expert)
        out: dict[str, list[tuple[EvidenceText, float]]] = {}
        if fresh:
            assert state is not None and qx is not None
            vectors = self._document_vectors(state, {e: documents[e] for e in fresh})
            for e in fresh:
                docs = documents[e]
                mine = vectors[e] @ qx
                order = sorted(range(len(docs)), key=lambda i: (-mine[i], docs[i].id))[:k + 1]
                picked = [(docs[i], float(mine[i])) for i in order if docs[i].kind != "PROFILE"]
                out[e] = [p for p in picked if p[1] > 0][:k]
        out.update({e: [] for e in fresh if e not in out})
        out.update(self._tfidf_evidence(query, {e: documents[e] for e in other}, k))
        return {e: out[e] for e in documents}

    def _document_vectors(self, state: _Evidence,
                          documents: Mapping[str, Sequence[EvidenceText]]
                          ) -> dict[str, np.ndarray]:
        """Topic-space vectors of the experts' documents (one projection for those not
        remembered for the same documents and fit)."""
        out: dict[str, np.ndarray] = {}
        todo = []
        with self._lock:
            for e, docs in documents.items():
                hit = self._vectors.get(e)
                if hit is not None and hit[0] is docs and hit[1] == state.generation:
                    out[e] = hit[2]
                    self._vectors.move_to_end(e)
                else:
                    todo.append(e)
        if todo:
            flat = [d for e in todo for d in documents[e]]
            z = state.index.project([f"{d.title}\n{d.text}" for d in flat])
            at = 0
            with self._lock:
                for e in todo:
                    docs = documents[e]
                    out[e] = z[at:at + len(docs)]
                    at += len(docs)
                    self._vectors[e] = (docs, state.generation, out[e])
                while len(self._vectors) > _CACHED_VECTORS:
                    self._vectors.popitem(last=False)
        return out

    def _tfidf_evidence(self, query: str, documents: Mapping[str, Sequence[EvidenceText]],
                        k: int) -> dict[str, list[tuple[EvidenceText, float]]]:
        out: dict[str, list[tuple[EvidenceText, float]]] = {e: [] for e in documents}
        tfidf = self._tfidf
        docs = {e: [d for d in ds if d.kind != "PROFILE"] for e, ds in documents.items()}
        if not any(docs.values()) or tfidf is None:
            return out
        m = self._document_terms(documents, docs)
        m.data *= tfidf.idf[m.indices]
        norms = _row_norms(m, None)
        unit = self._query_tfidf(query)[0]
        sims = np.divide(_dot(m, unit), norms, out=np.zeros(m.shape[0], np.float32),
                         where=norms > 0)
        at = 0
        for e, ds in docs.items():
            mine = sims[at:at + len(ds)]
            at += len(ds)
            order = np.argsort(-mine, kind="stable")[:k]
            out[e] = [(ds[i], float(mine[i])) for i in order if mine[i] > 0]
        return out

    def _document_terms(self, documents: Mapping[str, Sequence[EvidenceText]],
                        docs: Mapping[str, list[EvidenceText]]) -> sp.csr_matrix:
        """Term frequencies of ``docs`` (each expert's in turn, one row per document), each
        expert's vectorised once for the same documents (a copy: the caller scales it)."""
        parts: dict[str, sp.csr_matrix] = {}
        with self._lock:
            for e in docs:
                hit = self._term_rows.get(e)
                if hit is not None and hit[0] is documents[e]:
                    parts[e] = hit[1]
                    self._term_rows.move_to_end(e)
        todo = [e for e in docs if e not in parts]
        if todo:
            m = _tf([f"{d.title}\n{d.text}" for e in todo for d in docs[e]])
            at = 0
            with self._lock:
                for e in todo:
                    parts[e] = m[at:at + len(docs[e])]
                    at += len(docs[e])
                    self._term_rows[e] = (documents[e], parts[e])
                while len(self._term_rows) > _CACHED_VECTORS:
                    self._term_rows.popitem(last=False)
        return sp.vstack([parts[e] for e in docs], format="csr", dtype=np.float32)

    def expert_vectors(self, rows: np.ndarray) -> sp.csr_matrix:
        """The rows' TF-IDF vectors (unit length, or zero)."""
        tfidf = self._tfidf
        if tfidf is None:
            return sp.csr_matrix((len(rows), _HASH_FEATURES), dtype=np.float32)
        return tfidf.vectors(np.asarray(rows, dtype=np.intp))

    def nbytes(self) -> dict[str, int]:
        """Bytes held by the largest arrays (benchmarks)."""
        out: dict[str, int] = {}
        t = self._tfidf
        if t is not None:
            out["tfidf.tf"] = t.nbytes()
            out["tfidf.idf+norms"] = t.idf.nbytes + t.norms.nbytes
        s = self._evidence
        if s is not None:
            out["evidence.profiles"] = s.P.nbytes + s.counts.nbytes + s.norms.nbytes
            out.update({f"evidence.{k}": v for k, v in s.index.nbytes().items()})
        return out

