"""Text evidence for the matcher: rank experts for a task description from their publications.

The ranker works on a corpus of documents (publications, project reports, ...), each with the
ids of the experts who wrote it, and is fitted on that corpus only (never on relevance labels).

Model (every step is unsupervised; the defaults in :class:`EvidenceConfig` are justified there):

1. Text: accent-folded (:func:`matching.terms.fold_text`: the words ``registry.names.fold``
   gives for stored text, at a fraction of its cost), English stop words removed, TF-IDF
   over unigrams and bigrams with sublinear term frequency.
2. Topic space: a truncated SVD (LSA) whose basis is learned from the *expert profiles* (the
   L2-normalised sum of each expert's document vectors), so that its directions follow what
   experts work on rather than single papers. It is used at several resolutions (the first 25,
   50 and 100 singular directions by default): a vector is the concatenation of its unit
   projections at each resolution, scaled to unit length, so a dot product is the mean of the
   cosines over the resolutions and no single dimensionality has to be chosen.
3. Query expansion, to move a single task text towards the centre of its field:
   - pseudo-relevance feedback: the centroid of the evidence documents nearest to the query,
     a fixed fraction ``prf_fraction`` of the corpus (Rocchio, positive part only);
   - cluster smoothing: the document vectors are clustered with k-means at a few granularities;
     the query gets the softmax-weighted (over cosines) mean of the unit cluster centroids.
   The expanded query is ``normalise(q + prf_weight * prf + cluster_weight * clusters)``.
4. Expert score: ``max(0, cos(expanded query, expert profile)) * n_docs ** productivity_exponent``
   where the profile is the sum of the expert's (non-excluded) document vectors. An exponent of
   0 ignores productivity, 1 behaves like summed document voting; 0.5 sits between the two.

Evidence for explanations: an expert's documents ordered by their cosine with the expanded
query (:meth:`EvidenceIndex.rank`).

Excluded documents (``exclude_docs``) are removed from the expert profiles, the document counts,
the feedback documents and the evidence lists. The topic space and the clusters are fitted once
on the whole corpus: to leave documents out of those too, fit without them.

Measured on the DBLP benchmark and left out (strict protocol, development queries): propagating
scores or profiles through co-authorship or citations (MAP -0.001 to -0.008 at every weight
tried), summing per-document similarities instead of profile cosines, BM25-style or sharper
(exp/top-k) document voting, NMF/LDA topic models, label propagation on a document k-NN graph,
stemming. ``Doc.cites`` is carried for the graph side of the matcher but not used here.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from sklearn.cluster import KMeans
from sklearn.decomposition import TruncatedSVD
from sklearn.exceptions import ConvergenceWarning
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from matching.terms import WordBigrams, stop_list, tfidf_transform

__all__ = [
    "Doc",
    "EvidenceConfig",
    "EvidenceDoc",
    "EvidenceIndex",
    "ExpertMatch",
    "author_matrix",
]

def _unit(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit L2 length (zero rows stay zero), in ``x``'s dtype. The query-time
    twin of ``sklearn.preprocessing.normalize`` without its input checks, which cost more
    than the arithmetic on one query."""
    x = np.asarray(x)
    norms = np.sqrt(np.einsum("ij,ij->i", x, x))
    return np.divide(x, norms[:, None], out=np.zeros_like(x), where=norms[:, None] > 0)


@dataclass(frozen=True)
class Doc:
    """One piece of evidence: a publication (or report) and the experts who wrote it."""

    id: str
    text: str
    authors: tuple[str, ...]
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class EvidenceConfig:
    """Hyper-parameters. ``dims``, ``min_df``, ``stop_words`` and the cluster settings are used
    by :meth:`EvidenceIndex.fit`; the others only at query time (see
    :meth:`EvidenceIndex.configure`).

    Defaults: ``dims=(25, 50, 100)`` (coarse topic spaces: the matcher has to place a task in a
    field, not find a near-duplicate paper; a ladder instead of one dimensionality);
    ``prf_fraction=0.02`` (the nearest 2 % of the documents, at least one: 31 on the
    benchmark; a fraction, so that it scales with the size of a field); ``prf_weight =
    cluster_weight = 2`` (the expansion outweighs the raw text, which is one noisy abstract);
    clusterings at 8, 16 and 32 clusters (again a ladder), 3 seeds each; softmax temperature
    0.05 on cosines; productivity exponent 0.5, halfway between ignoring productivity and
    summed voting. These values were settled while measuring on the DBLP benchmark's
    development queries (never per topic or per query); nested cross-validation over a grid
    around them, leaving whole topics out, gives the same MAP. Figures, sensitivity and
    ablations: ``python -m bench.expert_finding_offline``.

    A corpus with no more experts than ``min(dims)`` is too small for a topic space: the index
    then works in TF-IDF space.
    """

    dims: tuple[int, ...] = (25, 50, 100)
    min_df: int = 2
    stop_words: str | None = "english"
    cluster_sizes: tuple[int, ...] = (8, 16, 32)
    cluster_seeds: int = 3
    prf_fraction: float = 0.02
    prf_weight: float = 2.0
    cluster_weight: float = 2.0
    cluster_temperature: float = 0.05
    productivity_exponent: float = 0.5
    random_state: int = 0


@dataclass(frozen=True)
class EvidenceDoc:
    doc_id: str
    similarity: float
    """Cosine between the document and the expanded query, in the topic space."""


@dataclass(frozen=True)
class ExpertMatch:
    expert_id: str
    score: float
    n_docs: int
    evidence: tuple[EvidenceDoc, ...] = field(default=())


def author_matrix(docs: Sequence[Doc], expert_ids: Sequence[str]) -> sp.csr_matrix:
    """Binary documents x experts matrix (authors not in ``expert_ids`` are ignored)."""
    col = {e: j for j, e in enumerate(expert_ids)}
    rows, cols = [], []
    for i, d in enumerate(docs):
        for a in set(d.authors):
            if a in col:
                rows.append(i)
                cols.append(col[a])
    data = np.ones(len(rows), dtype=np.float64)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(docs), len(expert_ids)))


def _fit_tfidf(texts: list[str], min_df: int, stop_words: str | None
               ) -> tuple[TfidfVectorizer | None, sp.csr_matrix]:
    """TF-IDF fitted on the corpus; min_df is relaxed for a corpus too small to reach it, and a
    corpus without a single word gets no vectorizer (every score is then 0)."""
    for df, stop in ((min_df, stop_words), (1, stop_words), (1, None)):
        # The features of preprocessor=fold_text, ngram_range=(1, 2), stop_words=stop,
        # made faster (matching.terms).
        vec = TfidfVectorizer(analyzer=WordBigrams(stop_list(stop)), sublinear_tf=True,
                              min_df=df)
        try:
            matrix = vec.fit_transform(texts).tocsr()
            # The terms min_df dropped: kept by scikit-learn for inspection only, and large.
            if hasattr(vec, "stop_words_"):
                del vec.stop_words_
            return vec, matrix
        except ValueError:  # "empty vocabulary" / "no terms remain"
            continue
    return None, sp.csr_matrix((len(texts), 1))


class EvidenceIndex:
    """Fitted text-evidence model over one corpus. Thread-safe for scoring once fitted."""

    def __init__(self, config: EvidenceConfig | None = None) -> None:
        self.config = config or EvidenceConfig()
        self.doc_ids: list[str] = []
        self.expert_ids: list[str] = []

    # ------------------------------------------------------------------ fitting

    def fit(self, docs: Iterable[Doc]) -> EvidenceIndex:
        docs = list(docs)
        if not docs:
            raise ValueError("cannot fit an evidence index on no documents")
        ids = [d.id for d in docs]
        if len(set(ids)) != len(ids):
            raise ValueError("document ids must be unique")
        cfg = self.config
        self.doc_ids = ids
        self._doc_pos = {d: i for i, d in enumerate(ids)}
        self.expert_ids = sorted({a for d in docs for a in d.authors})
        self._expert_pos = {e: j for j, e in enumerate(self.expert_ids)}
        self._A = author_matrix(docs, self.expert_ids)  # docs x experts
        self._At = self._A.T.tocsr()
        self.n_docs = np.asarray(self._A.sum(axis=0)).ravel()

        has_docs = self.n_docs > 0
        n_profiles = int(has_docs.sum())
        # In a topic space a word seen once cannot shape the directions: min_df keeps the
        # vocabulary small. In TF-IDF space (a tiny corpus) every word counts.
        topic_space = n_profiles > min(cfg.dims)
        self._vectorizer, tfidf = _fit_tfidf([d.text for d in docs],
                                             cfg.min_df if topic_space else 1, cfg.stop_words)
        k = min(max(cfg.dims), n_profiles - 1, tfidf.shape[1] - 1)
        if topic_space and k >= min(cfg.dims):
            self._svd: TruncatedSVD | None = TruncatedSVD(
                k, algorithm="arpack", random_state=cfg.random_state)
            self._svd.fit(normalize(self._At @ tfidf)[has_docs])  # the expert profiles
            self._scales = sorted({min(d, k) for d in cfg.dims})
        else:  # too few experts for a topic space: stay in TF-IDF space
            self._svd = None
        Z = self._project(tfidf)  # docs x dims, unit rows (or zero)
        self._P = self._At @ Z  # experts x dims, sums of document vectors

        self._centroids: list[np.ndarray] = []
        for n_clusters in cfg.cluster_sizes:
            if n_clusters >= len(docs):
                continue
            for seed in range(cfg.cluster_seeds):
                km = KMeans(n_clusters, n_init=1, random_state=cfg.random_state + seed)
                with warnings.catch_warnings():  # duplicate points in a small corpus
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    km.fit(Z)
                self._centroids.append(normalize(km.cluster_centers_))
        # Kept in single precision: half the memory and faster products at query time (the
        # scores move by ~1e-7, no ranking measured moved).
        self._Z = Z.astype(np.float32)
        if self._svd is not None:
            # Projections multiply by the transposed basis: keep that one contiguous (the
            # estimator's own ``transform`` copies it on every call) and its view as basis.
            self._basis_t = np.ascontiguousarray(self._svd.components_.T, dtype=np.float32)
            self._svd.components_ = self._basis_t.T
        return self

    def configure(self, **query_params: object) -> EvidenceIndex:
        """A view of this fitted index with other query-time parameters (no refit)."""
        fit_only = {"dims", "min_df", "stop_words", "cluster_sizes", "cluster_seeds",
                    "random_state"}
        if refit := fit_only & query_params.keys():
            raise ValueError(f"fit-time parameters need a new fit: {sorted(refit)}")
        view = object.__new__(type(self))
        view.__dict__.update(self.__dict__)
        view.config = dataclasses.replace(self.config, **query_params)
        return view

    def _project(self, tfidf: sp.spmatrix) -> np.ndarray:
        """Unit vectors (or zero) whose dot products average the cosines of the topic spaces."""
        if self._svd is None:
            return _unit(tfidf.toarray())
        basis_t = getattr(self, "_basis_t", None)
        # singular directions in decreasing order
        # (at query time in single precision, as the basis: a product of a double matrix
        # with it would first copy the whole basis to double)
        z = (self._svd.transform(tfidf) if basis_t is None
             else np.asarray(tfidf.astype(np.float32) @ basis_t))
        return _unit(np.hstack([_unit(z[:, :d]) for d in self._scales]))

    # ------------------------------------------------------------------ vectors

    @property
    def dimensions(self) -> int:
        """Length of the vectors of :meth:`project` and :meth:`expand`."""
        if self._svd is None:
            return self._Z.shape[1]
        return int(sum(self._scales))

    def project(self, texts: Sequence[str]) -> np.ndarray:
        """Documents' vectors in the topic space (unit length, or zero), as the fitted
        corpus's own documents are represented: a text of the corpus gets its own row."""
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        if self._vectorizer is None:
            return np.zeros((len(texts), self.dimensions), dtype=np.float32)
        return self._project(tfidf_transform(self._vectorizer, texts)).astype(np.float32)

    def expand(self, query_text: str) -> np.ndarray:
        """The expanded query vector of ``query_text`` (no document excluded): an expert's
        score is ``max(0, cos(expand(q), profile)) * n_docs ** productivity_exponent``."""
        return self._expanded_queries([query_text], np.zeros(0, dtype=np.intp))[0]

    def expert_profiles(self) -> tuple[np.ndarray, np.ndarray]:
        """Every expert's profile (the sum of their documents' vectors; rows in
        ``expert_ids`` order) and document count."""
        return self._P.astype(np.float32), self.n_docs.astype(np.float32)

    def nbytes(self) -> dict[str, int]:
        """Bytes held by the largest arrays (benchmarks)."""
        out = {"documents": self._Z.nbytes, "profiles": self._P.nbytes,
               "centroids": sum(c.nbytes for c in self._centroids),
               "vocabulary_terms": len(getattr(self._vectorizer, "vocabulary_", {}))}
        if self._svd is not None:
            out["topic_space"] = self._svd.components_.nbytes
        return out

    # ------------------------------------------------------------------ scoring

    def _exclusion(self, exclude_docs: Iterable[str]) -> np.ndarray:
        return np.array(sorted({self._doc_pos[d] for d in exclude_docs if d in self._doc_pos}),
                        dtype=np.intp)

    def _expanded_queries(self, texts: Sequence[str], excluded: np.ndarray) -> np.ndarray:
        cfg = self.config
        if self._vectorizer is None:
            tfidf = sp.csr_matrix((len(texts), 1))
        else:
            tfidf = tfidf_transform(self._vectorizer, texts)
        q = self._project(tfidf)
        expanded = q.copy()
        available = len(self.doc_ids) - len(excluded)
        if cfg.prf_weight and cfg.prf_fraction > 0 and available > 0:
            sims = q.astype(self._Z.dtype) @ self._Z.T
            sims[:, excluded] = -np.inf
            k = min(available, max(1, round(cfg.prf_fraction * available)))
            top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
            expanded += cfg.prf_weight * _unit(self._Z[top].mean(axis=1))
        if cfg.cluster_weight and self._centroids:
            smooth = np.zeros_like(q)
            for centroids in self._centroids:
                logits = (q @ centroids.T) / cfg.cluster_temperature
                w = np.exp(logits - logits.max(axis=1, keepdims=True))
                w /= w.sum(axis=1, keepdims=True)
                smooth += _unit(w @ centroids)
            expanded += cfg.cluster_weight * _unit(smooth)
        expanded = _unit(expanded)
        expanded[~np.any(q, axis=1)] = 0.0  # a query with no known term matches nothing
        return expanded

    def _profiles(self, excluded: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if len(excluded) == 0:
            return self._P, self.n_docs
        sub = self._A[excluded]
        return self._P - sub.T @ self._Z[excluded], self.n_docs - np.asarray(sub.sum(0)).ravel()

    def _score(self, qx: np.ndarray, excluded: np.ndarray) -> np.ndarray:
        profiles, counts = self._profiles(excluded)
        norms = np.linalg.norm(profiles, axis=1)
        safe = np.where(norms > 1e-12, norms, 1.0)
        cos = (qx @ profiles.T) / safe
        weight = np.where((counts > 0) & (norms > 1e-12),
                          np.maximum(counts, 1.0) ** self.config.productivity_exponent, 0.0)
        return np.maximum(cos, 0.0) * weight

    def score_matrix(self, query_texts: Sequence[str],
                     exclude_docs: Iterable[str] = ()) -> np.ndarray:
        """Scores of every expert (columns, in ``self.expert_ids`` order) for each query (rows).
        ``exclude_docs`` applies to all the queries."""
        excluded = self._exclusion(exclude_docs)
        return self._score(self._expanded_queries(query_texts, excluded), excluded)

    def score_experts(self, query_text: str, exclude_docs: Iterable[str] = ()) -> dict[str, float]:
        """Score of every expert of the corpus for one task text (higher is better, >= 0)."""
        row = self.score_matrix([query_text], exclude_docs)[0]
        return {e: float(s) for e, s in zip(self.expert_ids, row)}

    def rank(self, query_text: str, top_n: int | None = 10, evidence_per_expert: int = 3,
             exclude_docs: Iterable[str] = (),
             experts: Iterable[str] | None = None) -> list[ExpertMatch]:
        """Best experts (optionally only among ``experts``) with the documents that support
        them. Ties are broken by expert id."""
        excluded = self._exclusion(exclude_docs)
        qx = self._expanded_queries([query_text], excluded)
        scores = self._score(qx, excluded)[0]
        _, counts = self._profiles(excluded)
        if experts is None:
            cols = np.arange(len(self.expert_ids))
        else:
            cols = np.array(sorted({self._expert_pos[e] for e in experts if e in self._expert_pos}),
                            dtype=np.intp)
        order = sorted(cols.tolist(), key=lambda j: (-scores[j], self.expert_ids[j]))
        if top_n is not None:
            order = order[:top_n]
        doc_sims = self._Z @ qx[0].astype(self._Z.dtype)
        keep = np.ones(len(self.doc_ids), dtype=bool)
        keep[excluded] = False
        out = []
        for j in order:
            docs = [i for i in self._At.indices[self._At.indptr[j]:self._At.indptr[j + 1]]
                    if keep[i]]
            docs.sort(key=lambda i: (-doc_sims[i], self.doc_ids[i]))
            evidence = tuple(EvidenceDoc(self.doc_ids[i], float(doc_sims[i]))
                             for i in docs[:evidence_per_expert])
            out.append(ExpertMatch(self.expert_ids[j], float(scores[j]), int(counts[j]), evidence))
        return out
