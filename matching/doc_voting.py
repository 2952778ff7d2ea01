"""Baseline: TF-IDF document voting (the reference model of the expert-finding benchmark).

Every evidence document gets the cosine between its TF-IDF vector and the query's; each author
of a document receives a vote from it and an expert's score is the total of the votes:

- ``votes="sum"``: the vote is the similarity itself (summed similarity, "CombSUM");
- ``votes="reciprocal_rank"``: the vote is 1 / rank of the document in the similarity ranking
  (the voting model of Brochier et al., 2020).

TF-IDF is scikit-learn's default (raw term counts, smoothed idf, L2 norm) with English stop words,
fitted on the evidence corpus. Same interface as :class:`matching.evidence.EvidenceIndex`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matching.evidence import Doc, author_matrix

__all__ = ["TfidfVotingRanker"]

VOTES = ("sum", "reciprocal_rank")


class TfidfVotingRanker:
    def __init__(self, votes: str = "sum") -> None:
        if votes not in VOTES:
            raise ValueError(f"votes must be one of {VOTES}")
        self.votes = votes

    def fit(self, docs: Iterable[Doc]) -> TfidfVotingRanker:
        docs = list(docs)
        self.doc_ids = [d.id for d in docs]
        self._doc_pos = {d: i for i, d in enumerate(self.doc_ids)}
        self.expert_ids = sorted({a for d in docs for a in d.authors})
        self._A = author_matrix(docs, self.expert_ids)
        self._vectorizer = TfidfVectorizer(stop_words="english")
        self._X = self._vectorizer.fit_transform([d.text for d in docs]).tocsr()
        return self

    def score_matrix(self, query_texts: Sequence[str],
                     exclude_docs: Iterable[str] = ()) -> np.ndarray:
        sims = (self._vectorizer.transform(list(query_texts)) @ self._X.T).toarray()
        keep = np.ones(len(self.doc_ids), dtype=bool)
        keep[[self._doc_pos[d] for d in exclude_docs if d in self._doc_pos]] = False
        if self.votes == "sum":
            votes = np.where(keep, sims, 0.0)
        else:
            votes = np.zeros_like(sims)
            for row, s in enumerate(sims):
                order = np.flatnonzero(keep)[np.argsort(-s[keep], kind="stable")]
                votes[row, order] = 1.0 / np.arange(1, len(order) + 1)
        return np.asarray(self._A.T @ votes.T).T

    def score_experts(self, query_text: str, exclude_docs: Iterable[str] = ()) -> dict[str, float]:
        row = self.score_matrix([query_text], exclude_docs)[0]
        return {e: float(s) for e, s in zip(self.expert_ids, row)}
