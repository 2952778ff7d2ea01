"""Candidate retrieval: who is worth scoring for a task, a few thousand at most.

Three sources, merged:

* the index (``matching.snapshot``): experts holding a required skill or one of its taxonomy
  neighbours (two links), with a cheap pre-score (weighted best credit per requirement);
* the graph's full-text indexes over profiles (``expert_text``) and publications
  (``publication_text``), queried with the task's text folded into a Lucene OR query
  (``registry.fulltext.lucene_query(any_word=True)``; the words held by more than
  ``COMMON_WORD_SHARE`` of the experts left out), the two indexes at once, each
  publication's score (halved) credited to its authors by the process's search index
  (``registry.search_index``; in Cypher until that is read);
* the evidence ranker's topic space (``matching.text.TextModel.evidence_scores``: one dense
  product over every expert's profile vector): the ``EVIDENCE_HITS`` experts nearest to the
  task's text, who may share no skill and no word with it (their papers are on the task's
  subject in other words). Until the evidence ranker is first fitted this source is empty
  and the full-text hits stand for the text. The evidence score is also part of every
  candidate's pre-score.

Visibility is applied here with the caller's ``Viewer`` (the API passes it), and so is the
optional ``ExpertFilter`` of the search API. Beyond ``limit`` candidates the lowest
pre-scores are cut; ``CandidateSet.total`` says how many matched before the cut.

``CandidateSet.reference`` are the experts retrieved for the task whoever asks (no
visibility, no filter, the same cut): the text-similarity feature is scaled by the best
match among them (``matching.text``), so a candidate's features do not depend on who looks.

The skill pre-score reads the skill-major copy of the levels (who holds each neighbour
skill), so retrieval costs what the task's skills are held by, not the registry's size;
the full-text hits of a task text are remembered until what the full-text indexes hold
changes (an expert added or removed, a name or document changed: ``ExpertIndex.cached``).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from operator import itemgetter

import numpy as np

from matching.features import task_areas, task_query
from matching.snapshot import COL, VISIBILITY_CODES, ExpertIndex, language_columns
from matching.task import TaskSpec
from registry import search_index
from registry.db import Database
from registry.errors import Code, ValidationError
from registry.fulltext import lucene_query, words
from registry.search import ExpertFilter, Viewer

__all__ = ["MAX_CANDIDATES", "CandidateSet", "filter_mask", "retrieve", "visible_mask"]

MAX_CANDIDATES = 3000
TEXT_HITS = 2000
EVIDENCE_HITS = 500
"""Experts retrieved by evidence similarity alone: the nearest of everyone alive, and the
nearest of those the viewer may see (and that pass the filter)."""
# A word held by more than this share of the experts' evidence texts is left out of a task
# text's full-text query: Lucene walks most of its postings to score it, and it tells the
# experts apart little. Measured at 100,000 experts (114 task texts, one process, with and
# without): the two full-text calls' wait p50 34.9 -> 26.7 ms, p95 51.3 -> 39.9; 106 of 114
# ranked first pages identical, the other 8 at most one expert of 20 apart. At 0.3 the wait
# hardly moved (32.3 ms). None searches every word.
COMMON_WORD_SHARE: float | None = 0.1
_TEXT_SHARE = 0.5  # a full-text hit's pre-score weight against the skills'
_EVIDENCE_SHARE = 0.5  # likewise for the evidence score, over the best one

# The task text against profiles and against publications (each publication's score, halved,
# counts for each of its authors), before the search index is read: two statements, sent at
# once (each keeps a core busy) while the ranking thread makes the text's query vectors.
_EXPERT_TEXT = """
CALL db.index.fulltext.queryNodes('expert_text', $q, {limit: $hits}) YIELD node, score
RETURN collect(node.id) AS ids, collect(score) AS scores
"""
_PUBLICATION_TEXT = """
CALL db.index.fulltext.queryNodes('publication_text', $q, {limit: $hits}) YIELD node, score
MATCH (node)<-[:AUTHORED]-(e:Expert)
RETURN collect(e.id) AS ids, collect(score * 0.5) AS scores
"""
_FULLTEXT_QUERIES = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fulltext")
ANONYMOUS = Viewer()
_AVAILABILITY = {"FULL_TIME": 1, "PART_TIME": 2, "ADVISORY": 3, "UNAVAILABLE": 4}


@dataclass(frozen=True)
class CandidateSet:
    rows: np.ndarray  # best pre-score first
    total: int
    text_hits: int
    reference: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    """The task's retrieved experts regardless of viewer and filter (text scaling)."""
    evidence_hits: int = 0
    """Candidates among the task's nearest experts by evidence (before the cut)."""

    @property
    def truncated(self) -> bool:
        return self.total > len(self.rows)


def visible_mask(index: ExpertIndex, viewer: Viewer) -> np.ndarray:
    """Rows the viewer may see: by visibility level, and always their own profile."""
    n = index.n_rows
    allowed = np.zeros(max(VISIBILITY_CODES.values()) + 1, dtype=bool)
    allowed[[VISIBILITY_CODES[v] for v in viewer.visibilities]] = True
    mask = allowed[index.visibility[:n]] & index.alive_mask()  # a look-up, not np.isin
    own = index.row_of.get(viewer.expert_id) if viewer.expert_id else None
    if own is not None:
        mask[own] = index.alive[own]
    return mask


def fulltext_hits(db: Database, text: str, hits: int = TEXT_HITS, *,
                  in_memory: bool = True) -> dict[str, float]:
    """Experts whose profile or publications match any word of ``text`` (folded): the
    ``hits`` best by the sum of their scores."""
    return send_fulltext(db, text, hits, in_memory=in_memory)()


def send_fulltext(db: Database, text: str, hits: int = TEXT_HITS, *, in_memory: bool = True,
                  leave_out: Collection[str] = ()) -> Callable[[], dict[str, float]]:
    """Start :func:`fulltext_hits` on helper threads; the function returned waits for the
    answer. The process's search index (``registry.search_index``), once read, credits the
    publications' hits to their authors in memory: the two full-text calls return node ids
    (at 100,000 experts a task text's publication call takes ~25 ms instead of ~35 with
    the authors expanded in Cypher). Until it is read (or with ``in_memory=False``) the two
    statements below; either way the two indexes are asked at once, and the answers are the
    same. Words in ``leave_out`` are not searched for."""
    q = lucene_query(text, any_word=True, leave_out=leave_out)
    if q is None:
        return lambda: {}
    index = search_index.index_for(db) if in_memory else None
    if index is not None:  # each index on its own connection, at once (a core each)
        halves = [_FULLTEXT_QUERIES.submit(db.read, index.hits, q, hits, (part,))
                  for part in search_index.TEXT_PARTS]
        return lambda: _best_hits(index, [h.result() for h in halves], hits)
    sent = [_FULLTEXT_QUERIES.submit(db.query, statement, q=q, hits=hits)
            for statement in (_EXPERT_TEXT, _PUBLICATION_TEXT)]

    def receive() -> dict[str, float]:
        total: dict[str, float] = {}
        for rows in (s.result() for s in sent):  # one row of two lists: quick to decode
            for e, score in zip(rows[0]["ids"], rows[0]["scores"]) if rows else ():
                total[e] = total.get(e, 0.0) + score
        if len(total) > hits:
            total = dict(sorted(total.items(), key=itemgetter(1), reverse=True)[:hits])
        return total

    return receive


def _best_hits(index: search_index.SearchIndex, halves: list[tuple[np.ndarray, np.ndarray]],
               hits: int) -> dict[str, float]:
    """The ``hits`` best experts by the sum of their scores in both halves, by expert id."""
    rows, scores = search_index.summed(np.concatenate([rows for rows, _ in halves]),
                                       np.concatenate([s for _, s in halves]))
    if len(rows) > hits:
        keep = np.argsort(-scores, kind="stable")[:hits]
        rows, scores = rows[keep], scores[keep]
    return dict(zip(index.ids(rows), scores.tolist(), strict=True))


def _skill_prescore(index: ExpertIndex, task: TaskSpec) -> np.ndarray:
    """Weighted best credit per requirement (held at any level), from the postings of the
    requirement's neighbour skills only."""
    n = index.n_rows
    score = np.zeros(n)
    total = task.total_weight or 1.0
    by_skill = index.levels_by_skill()
    for req in task.requirements:
        neighbours = index.graph.neighbours(req.skill)
        if not neighbours:
            continue
        best = np.zeros(n)
        for nb in neighbours:
            lo, hi = by_skill.indptr[nb.index], by_skill.indptr[nb.index + 1]
            holders = by_skill.indices[lo:hi][by_skill.data[lo:hi] > 0]
            best[holders] = np.maximum(best[holders], nb.credit)
        score += req.weight / total * best
    return score


def _holders(index: ExpertIndex, cols: Iterable[int]) -> np.ndarray:
    """Rows holding any of the skill columns (a stored level, as ``getnnz`` counts)."""
    by_skill = index.levels_by_skill()
    mask = np.zeros(index.n_rows, dtype=bool)
    for c in cols:
        mask[by_skill.indices[by_skill.indptr[c]:by_skill.indptr[c + 1]]] = True
    return mask


def filter_mask(index: ExpertIndex, f: ExpertFilter, *,
                text_hits: Mapping[str, float] | None = None) -> np.ndarray:
    """Rows that pass the search API's filter (same meaning as ``registry.search``);
    ``text_hits`` are the full-text hits of ``f.text`` (:func:`filter_text_hits`)."""
    n = index.n_rows
    mask = np.ones(n, dtype=bool)
    num = index.num[:n]
    graph = index.graph
    if f.skills:
        groups = [[graph.index[s] for s in graph.narrower_closure(k) if s in graph.index]
                  for k in f.skills]
        has = [_holders(index, g) for g in groups]
        mask &= np.logical_and.reduce(has) if f.skills_mode == "ALL" \
            else np.logical_or.reduce(has)
    if f.areas:
        cols = [graph.area_index[a] for a in _areas(f.areas) if a in graph.area_index]
        mask &= (index.areas[:, cols].getnnz(axis=1) > 0) if cols else False
    if f.countries:
        mask &= np.isin(index.country[:n], list(f.countries))
    if f.availability:
        mask &= np.isin(num[:, COL["availability"]],
                        [_AVAILABILITY[a] for a in f.availability if a in _AVAILABILITY])
    if f.min_years is not None:
        mask &= num[:, COL["years_experience"]] >= f.min_years
    if f.min_h_index is not None:
        mask &= num[:, COL["h_index"]] >= f.min_h_index
    if f.verified is not None:
        mask &= (num[:, COL["verified"]] > 0) == f.verified
    if f.languages:
        cols = language_columns(f.languages)
        enough = len(cols) == len(set(f.languages))
        mask &= (index.languages[:, cols].getnnz(axis=1) == len(cols)) if enough else False
    if f.diaspora or f.organization:
        for row in np.flatnonzero(mask):
            r = index.records[row]
            if r is None or (f.diaspora and r.diaspora not in f.diaspora) or (
                    f.organization and f.organization not in r.organizations):
                mask[row] = False
    if f.text:
        if text_hits is None:
            raise ValueError("a text filter needs its full-text hits (filter_text_hits)")
        text_mask = np.zeros(n, dtype=bool)
        text_mask[index.rows(text_hits)] = True
        mask &= text_mask
    return mask


def filter_text_hits(db: Database, f: ExpertFilter | None) -> dict[str, float] | None:
    """The full-text hits a filter's ``text`` needs (``None`` without one)."""
    if f is None or not f.text:
        return None
    if lucene_query(f.text) is None:
        raise ValidationError.at("filter.text", Code.NO_SEARCHABLE_WORDS, "has no searchable words")
    return fulltext_hits(db, f.text, hits=10 * TEXT_HITS)


def _areas(areas: Iterable[str]) -> frozenset[str]:
    return task_areas(TaskSpec(title="", requirements=(), areas=tuple(areas)))


@dataclass(frozen=True)
class Hits:
    """What retrieval needs from the graph, read before the index is locked."""

    task: TextHits
    filter: dict[str, float] | None
    text: str | None = None  # the task text the hits are for


@dataclass(frozen=True)
class TextHits:
    """A task text's full-text hits as index rows and their scores over the best one."""

    rows: np.ndarray
    values: np.ndarray

    @classmethod
    def of(cls, index: ExpertIndex, found: Mapping[str, float]) -> TextHits:
        row_of = index.row_of
        pairs = [(row_of[e], s) for e, s in found.items() if e in row_of]
        if not pairs:
            return cls(np.zeros(0, dtype=np.intp), np.zeros(0))
        rows, values = (np.array(x) for x in zip(*pairs))
        rows, values = rows.astype(np.intp), values / values.max()
        rows.flags.writeable = values.flags.writeable = False  # shared through the cache
        return cls(rows, values)


def graph_hits(db: Database, index: ExpertIndex, task: TaskSpec,
               filter: ExpertFilter | None = None) -> Hits:
    """The full-text hits of the task's text (and of the filter's), remembered by the index
    until the text it indexes changes."""
    text = task_query(task, index.graph)

    def search() -> TextHits:
        common = (index.text.common_words(words(text, None), COMMON_WORD_SHARE)
                  if COMMON_WORD_SHARE is not None else ())
        receive = send_fulltext(db, text, leave_out=common)
        index.text.prepare(text)  # the text's query vectors, made while Neo4j searches
        return TextHits.of(index, receive())

    task_hits = index.cached(("fulltext", text), search)
    filter_hits = (index.cached(("filter", f.text), lambda: filter_text_hits(db, f))
                   if (f := filter) is not None and f.text else None)
    return Hits(task_hits, filter_hits, text)


def select(index: ExpertIndex, task: TaskSpec, hits: Hits, *, viewer: Viewer = ANONYMOUS,
           filter: ExpertFilter | None = None, limit: int = MAX_CANDIDATES,
           include: Iterable[str] = ()) -> CandidateSet:
    """The in-memory half of retrieval; the caller holds ``index.lock`` for as long as it
    uses the rows returned."""
    score = _skill_prescore(index, task)
    matched = score > 0
    text_rows, values = hits.task.rows, hits.task.values
    if len(text_rows):
        score[text_rows] += _TEXT_SHARE * values
        matched[text_rows] = True
    alive = index.alive_mask()
    matched &= alive
    evidence = _evidence_prescore(index, hits)
    nearest = _nearest(evidence, alive)
    matched[nearest] = True
    reference = _best(np.flatnonzero(matched), score + evidence, limit)
    extra = index.rows(include)
    matched[extra] = True
    allowed = visible_mask(index, viewer)
    if filter is not None:
        allowed &= filter_mask(index, filter, text_hits=hits.filter)
    # The viewer's own nearest: as deep a reach into what they may see as anyone's.
    nearest = np.union1d(nearest, _nearest(evidence, allowed))
    matched[nearest] = True
    matched &= allowed
    rows = np.flatnonzero(matched)
    pre = score[rows] + evidence[rows]
    pre[np.isin(rows, extra)] = np.inf
    order = _order(rows, pre, limit)
    return CandidateSet(rows[order], len(rows), len(text_rows), reference,
                        int(np.count_nonzero(matched[nearest])))


def _evidence_prescore(index: ExpertIndex, hits: Hits) -> np.ndarray:
    """Each row's evidence score over the best alive row's, times its share (zeros when the
    evidence ranker is not fitted yet: the full-text hits then stand for the text)."""
    n = index.n_rows
    raw = index.text.evidence_scores(hits.text) if hits.text else None
    if raw is None:
        return np.zeros(n)
    score = np.zeros(n)
    m = min(n, len(raw))
    score[:m] = raw[:m]
    top = float(score[index.alive_mask()].max(initial=0.0))
    return _EVIDENCE_SHARE * score / top if top > 0 else score


def _nearest(evidence: np.ndarray, among: np.ndarray) -> np.ndarray:
    """The :data:`EVIDENCE_HITS` rows of the mask ``among`` with the best evidence scores
    (above 0; ties: lower row first)."""
    rows = np.flatnonzero(among & (evidence > 0))
    return _best(rows, evidence, EVIDENCE_HITS)


def _order(rows: np.ndarray, pre: np.ndarray, limit: int) -> np.ndarray:
    """Positions of the ``limit`` best pre-scores, best first (ties: lower row first)."""
    if len(rows) > limit:  # a partial sort first: the cut is all that is needed of the rest
        kth = np.partition(-pre, limit - 1)[limit - 1]
        keep = np.flatnonzero(-pre <= kth)
        order = keep[np.lexsort((rows[keep], -pre[keep]))]
        return order[:limit]
    return np.lexsort((rows, -pre))


def _best(rows: np.ndarray, score: np.ndarray, limit: int) -> np.ndarray:
    return rows[_order(rows, score[rows], limit)]


def retrieve(db: Database, index: ExpertIndex, task: TaskSpec, *, viewer: Viewer = ANONYMOUS,
             filter: ExpertFilter | None = None, limit: int = MAX_CANDIDATES,
             include: Iterable[str] = ()) -> CandidateSet:
    """The task's candidates the viewer may see, best pre-score first, at most ``limit``.

    ``include`` adds experts regardless of skills and text (for example those already
    decided on), still subject to visibility and the filter. Rows stay valid while the
    caller holds ``index.lock``; take it before calling if the rows are used afterwards.
    """
    hits = graph_hits(db, index, task, filter)
    with index.lock:
        return select(index, task, hits, viewer=viewer, filter=filter, limit=limit,
                      include=include)
