"""Experts similar to a given one: skills (smoothed through the taxonomy) and evidence text.

Skill vectors are the expert's levels plus half of each level spread to the skills one link
away, so "deep learning" and "machine learning" experts are near each other; text vectors are
the TF-IDF rows of ``matching.text``. Similarity is ``0.6 * cos(skills) + 0.4 * cos(text)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from matching.snapshot import ExpertIndex

__all__ = ["SKILL_SHARE", "SimilarExpert", "similar_experts"]

SKILL_SHARE = 0.6
_SPREAD = 0.5


@dataclass(frozen=True)
class SimilarExpert:
    expert_id: str
    score: float
    skill_similarity: float
    text_similarity: float
    shared_skills: tuple[str, ...]
    text_vi: str
    text_en: str


def _adjacency(index: ExpertIndex) -> sp.csr_matrix:
    g = index.graph
    entries = [(g.index[s], g.index[t]) for s, sk in g.skills.items()
               for t in (*sk.broader, *sk.narrower) if t in g.index]
    if not entries:
        return sp.csr_matrix((len(g), len(g)))
    r, c = zip(*entries)
    return sp.csr_matrix((np.full(len(r), _SPREAD), (r, c)), shape=(len(g), len(g)))


def similar_experts(index: ExpertIndex, expert_id: str, visible: np.ndarray, *, first: int = 10
                    ) -> list[SimilarExpert]:
    """The ``first`` visible experts most similar to ``expert_id`` (itself excluded)."""
    row = index.row_of.get(expert_id)
    if row is None:
        return []
    adjacency = _adjacency(index)
    n = index.n_rows
    skills = normalize(index.levels + index.levels @ adjacency)
    skill_sim = np.asarray((skills @ skills[row].T).todense()).ravel()
    text = index.text.expert_vectors(np.arange(n))
    text_sim = np.asarray((text @ text[row].T).todense()).ravel()
    score = SKILL_SHARE * skill_sim + (1 - SKILL_SHARE) * text_sim
    ok = visible[:n].copy()
    ok[row] = False
    score = np.where(ok & (score > 0), score, -np.inf)
    count = min(first, int(np.isfinite(score).sum()))
    if count == 0:
        return []
    top = np.argpartition(-score, count - 1)[:count]
    top = top[np.lexsort((top, -score[top]))]
    mine = set(index.records[row].skills)
    g = index.graph
    out = []
    for r in top:
        record = index.records[r]
        shared = tuple(sorted(mine & set(record.skills)))
        names_vi = ", ".join(g.name(s, "vi") for s in shared[:5]) or "không có"
        names_en = ", ".join(g.name(s, "en") for s in shared[:5]) or "none"
        out.append(SimilarExpert(
            record.id, round(float(score[r]), 4), round(float(skill_sim[r]), 4),
            round(float(text_sim[r]), 4), shared,
            f"{len(shared)} kỹ năng chung ({names_vi}); mức gần về nội dung công trình "
            f"{text_sim[r]:.2f}",
            f"{len(shared)} shared skills ({names_en}); text similarity of their work "
            f"{text_sim[r]:.2f}"))
    return out
