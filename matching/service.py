"""The matcher's facade for the API and the CLI: rank, similar experts, teams, eligibility.

One :class:`Matcher` per process (:func:`get_matcher`). It holds the expert index
(``matching.snapshot``), refreshed before each use when older than ``max_staleness`` seconds
(an incremental read of what changed), and the model loader (``matching.models``), which
picks up a newly trained model without a restart.

A ranking runs: retrieve candidates the viewer may see (``matching.candidates``; a few
thousand at most), compute their features in one vectorised pass over those rows only
(``matching.features``; text similarity is one sparse and one dense product over the
candidates' rows, ``matching.text``), apply the hard rules (``matching.hard_rules``; failures
go to ``excluded`` with their reasons), score with the model in use, sort, and explain the
requested page only (``matching.explain``; the page's documents are read back from the
graph, cached per expert). The result names the model (``transparent-v1`` or a learned
model's id) and the strategic-technology list the task refers to. Speed and memory:
``python -m bench.match_latency`` (figures in ``docs/benchmarks.md``).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from matching.candidates import (
    ANONYMOUS,
    CandidateSet,
    Hits,
    graph_hits,
    select,
    visible_mask,
)
from matching.eligibility import SchemeResult
from matching.explain import (
    Evidence,
    MissingSkill,
    Reason,
    SkillMatch,
    evidence_items,
    reasons,
    skill_matches,
)
from matching.features import FEATURES, FeatureMatrix, compute_features, task_query
from matching.hard_rules import (
    AVAILABILITY,
    ROLE_ELIGIBILITY,
    HardRuleOutcome,
    RuleFailure,
    check_hard_rules,
    role_schemes,
)
from matching.models import LoadedModel, ModelLoader, ModelStore
from matching.rankers import contributions
from matching.similar import SimilarExpert, similar_experts
from matching.snapshot import ExpertIndex, RefreshReport
from matching.task import TaskSpec, task_from_input, task_from_saved
from matching.teams import Team, form_team
from matching.text import TextModel
from matching.threads import limit as math_threads_limit
from registry.db import Database
from registry.errors import Code, NotFound, ValidationError
from registry.search import ExpertFilter, Viewer, decode_cursor, encode_cursor
from registry.settings import get_settings
from seed.reference import load_eligibility

__all__ = [
    "MAX_FIRST",
    "Candidate",
    "Excluded",
    "Matcher",
    "Ranking",
    "get_matcher",
    "resolve_task",
]

MAX_FIRST = 100
MAX_EXCLUDED = 200
ADMIN = Viewer(admin=True)


@dataclass(frozen=True)
class Candidate:
    expert_id: str
    score: float
    rank: int
    reasons: tuple[Reason, ...]
    matched_skills: tuple[SkillMatch, ...]
    missing_skills: tuple[MissingSkill, ...]
    evidence: tuple[Evidence, ...]
    eligibility: tuple[SchemeResult, ...]
    """The schemes that concern the task's role (for the record; they do not change the score)."""
    role_eligibility: SchemeResult | None
    """For a chief-engineer task: the Decree 231 verdict that let the candidate through."""
    features: Mapping[str, float]
    cursor: str


@dataclass(frozen=True)
class Excluded:
    expert_id: str
    score: float
    rules: tuple[RuleFailure, ...]
    role_eligibility: SchemeResult | None


@dataclass(frozen=True)
class Ranking:
    task_id: str | None
    candidates: tuple[Candidate, ...]
    excluded: tuple[Excluded, ...]
    excluded_total: int
    total_count: int
    has_next_page: bool
    end_cursor: str | None
    model_id: str
    tech_list_id: str | None
    retrieved: int
    truncated: bool
    role_schemes: tuple[str, ...]


@dataclass
class _Scored:
    fm: FeatureMatrix
    scores: np.ndarray
    rules: HardRuleOutcome
    model: LoadedModel
    candidates: CandidateSet


def resolve_task(db: Database, task: Any, *, known_skills: Any = None) -> TaskSpec:
    """A task id, a saved ``registry.programme_types.Task``, a :class:`TaskSpec`, or an unsaved
    task input (a mapping of the same shape as a saved task's input)."""
    if isinstance(task, TaskSpec):
        return task
    if isinstance(task, str):
        from registry.programme_reads import get_tasks

        found = db.read(get_tasks, [task]).get(task)
        if found is None:
            raise NotFound("Task", task)
        return task_from_saved(found)
    if isinstance(task, Mapping):
        return task_from_input(task, known_skills=known_skills)
    return task_from_saved(task)


def _scores(model: LoadedModel, X: np.ndarray) -> np.ndarray:
    estimator = model.estimator
    if len(X) == 0:
        return np.zeros(0)
    if hasattr(estimator, "predict_proba") and len(getattr(estimator, "classes_", ())) == 2:
        return estimator.predict_proba(X)[:, 1]
    return np.asarray(estimator.decision_function(X), dtype=float)


class Matcher:
    """Ranks experts for tasks. Thread-safe; one per process is enough.

    Parameters
    ----------
    model_dir : path, optional
        Where trained models live (default: ``settings.model_dir``).
    max_staleness : float
        Seconds an index may go without a refresh before it is used.
    poll_seconds : float
        How often the model loader looks at the ``current`` pointer.
    text_refit : {"background", "sync", "never"}
        When the evidence ranker is refitted after profiles changed (``matching.text``).
    today : date, optional
        Reference date for recency and age (tests pin it).
    math_threads : int, optional
        Threads numpy's BLAS and OpenMP pools may use in this process (process-wide, set
        here; default ``settings.math_threads``, 1: see :func:`matching.threads.limit`).
    """

    def __init__(self, *, model_dir: Any = None, max_staleness: float = 0.25,
                 poll_seconds: float = 1.0, text_refit: str = "background",
                 text_refit_delay: float = 30.0, use_evidence: bool = True,
                 today: dt.date | None = None, math_threads: int | None = None):
        settings = get_settings()
        math_threads_limit(settings.math_threads if math_threads is None else math_threads)
        self.store = ModelStore(model_dir or settings.model_dir)
        self.models = ModelLoader(self.store, poll_seconds=poll_seconds)
        self.max_staleness = max_staleness
        self.text_refit = text_refit
        self.text_refit_delay = text_refit_delay
        self.use_evidence = use_evidence
        self.today = today
        self._index: ExpertIndex | None = None
        self._refreshed = float("-inf")
        self._lock = threading.RLock()
        self.last_refresh: RefreshReport | None = None

    # The index ---------------------------------------------------------------------------

    def rebuild(self, db: Database) -> ExpertIndex:
        text = TextModel(use_evidence=self.use_evidence, refit=self.text_refit,
                         refit_delay=self.text_refit_delay)
        index = ExpertIndex.build(db, text=text, on=self.today)
        with self._lock:
            self._index, self._refreshed = index, time.monotonic()
        return index

    def refresh(self, db: Database) -> RefreshReport:
        """Apply what changed in the registry since the last look (builds on first use)."""
        with self._lock:
            if self._index is None:
                self.rebuild(db)
                return RefreshReport()
            report = self._index.refresh(db)
            self._refreshed = time.monotonic()
            self.last_refresh = report
            return report

    def index(self, db: Database) -> ExpertIndex:
        with self._lock:
            if self._index is None or time.monotonic() - self._refreshed >= self.max_staleness:
                self.refresh(db)
            assert self._index is not None
            return self._index

    @property
    def model(self) -> LoadedModel:
        return self.models.get()

    # Scoring -----------------------------------------------------------------------------

    def task(self, db: Database, task: Any, index: ExpertIndex | None = None) -> TaskSpec:
        graph = (index or self.index(db)).graph
        return resolve_task(db, task, known_skills=graph.skills)

    def _score(self, index: ExpertIndex, spec: TaskSpec, hits: Hits, *, viewer: Viewer,
               filter: ExpertFilter | None, include: Iterable[str] = (),
               chosen: Sequence[str] = (), rules: Sequence[str] | None = None) -> _Scored:
        """Candidates, features, hard rules and scores. The caller holds ``index.lock``
        until it is done with the rows (a concurrent refresh may blank a removed expert's
        row); ``hits`` are read from the graph before taking it."""
        found = select(index, spec, hits, viewer=viewer, filter=filter, include=include)
        fm = compute_features(index, spec, found.rows, chosen=chosen, today=self.today,
                              reference=found.reference)
        outcome = (check_hard_rules(index, spec, fm.rows) if rules is None
                   else check_hard_rules(index, spec, fm.rows, rules=rules))
        model = self.model
        return _Scored(fm, _scores(model, fm.X), outcome, model, found)

    def features_for(self, db: Database, task: Any, expert_ids: Sequence[str], *,
                     viewer: Viewer = ADMIN) -> tuple[FeatureMatrix, np.ndarray]:
        """Features of the given experts for a task, computed among the task's candidates
        (so relative features mean what they mean at ranking time). Returns the matrix and
        a mask of the experts found."""
        index = self.index(db)
        spec = self.task(db, task, index)
        hits = graph_hits(db, index, spec)
        with index.lock:
            scored = self._score(index, spec, hits, viewer=viewer, filter=None,
                                 include=expert_ids)
        pos = {e: i for i, e in enumerate(scored.fm.ids)}
        found = np.array([e in pos for e in expert_ids], dtype=bool)
        picks = np.array([pos[e] for e in expert_ids if e in pos], dtype=np.intp)
        return scored.fm.subset(picks), found

    # Public API --------------------------------------------------------------------------

    def rank(self, db: Database, task: Any, *, first: int = 20, after: str | None = None,
             viewer: Viewer = ANONYMOUS, filter: ExpertFilter | None = None,
             chosen: Sequence[str] = (), excluded: int = MAX_EXCLUDED) -> Ranking:
        """Ranked candidates for a saved task (id or object) or an unsaved task input.

        ``first``/``after`` page through the candidates that pass the hard rules; the
        ``excluded`` list (best scores first, the first ``excluded`` of them, at most 200,
        with the rules each fails; ``excluded_total`` counts all) comes with every page.
        """
        for name, value, most in (("first", first, MAX_FIRST),
                                  ("excluded", excluded, MAX_EXCLUDED)):
            if not 0 <= value <= most:
                raise ValidationError.at(name, Code.OUT_OF_RANGE,
                                         f"must be between 0 and {most}", min=0, max=most)
        offset = decode_cursor(after)
        index = self.index(db)
        spec = self.task(db, task, index)
        hits = graph_hits(db, index, spec, filter)
        with index.lock:
            s = self._score(index, spec, hits, viewer=viewer, filter=filter, chosen=chosen)
            passed = s.rules.passed
            ids = np.array(s.fm.ids, dtype=str)  # sorts in C, in the order of str
            ok = np.flatnonzero(passed)
            ok = ok[np.lexsort((ids[ok], -s.scores[ok]))]
            page = ok[offset:offset + first]
            bad = np.flatnonzero(~passed)
            bad = bad[np.lexsort((ids[bad], -s.scores[bad]))]
            candidates = self._explain(db, index, spec, s, page, offset)
            left_out = tuple(Excluded(s.fm.ids[i], round(float(s.scores[i]), 6),
                                      tuple(s.rules.failures_of(i)), s.rules.role[i])
                             for i in bad[:excluded])
        return Ranking(
            task_id=spec.id, candidates=candidates, excluded=left_out, excluded_total=len(bad),
            total_count=len(ok), has_next_page=offset + len(page) < len(ok),
            end_cursor=candidates[-1].cursor if candidates else None,
            model_id=s.model.model_id, tech_list_id=spec.tech_list_id,
            retrieved=len(s.fm.ids), truncated=s.candidates.truncated,
            role_schemes=tuple(sch.id for sch in role_schemes(spec)))

    def _explain(self, db: Database, index: ExpertIndex, spec: TaskSpec, s: _Scored,
                 page: np.ndarray, offset: int) -> tuple[Candidate, ...]:
        """The page's candidates with their reasons, skills and evidence (only the page is
        explained; its documents are read back from the graph, cached per expert)."""
        if len(page) == 0:
            return ()
        contrib = contributions(s.model.estimator, s.fm.X[page], reference=s.fm.X.mean(axis=0))
        documents = index.documents(db, [s.fm.ids[i] for i in page])
        found = index.text.evidence(task_query(spec, index.graph), documents)
        schemes = {sch.id for sch in load_eligibility().for_role(spec.role_sought)}
        out = []
        for k, i in enumerate(page):
            matched, missing = skill_matches(s.fm, i, index)
            row = int(s.fm.rows[i])
            out.append(Candidate(
                expert_id=s.fm.ids[i], score=round(float(s.scores[i]), 6), rank=offset + k + 1,
                reasons=tuple(reasons(s.fm, i, contrib[k], index)),
                matched_skills=tuple(matched), missing_skills=tuple(missing),
                evidence=tuple(evidence_items(found.get(s.fm.ids[i], []))),
                eligibility=tuple(r for r in index.eligibility(row) if r.scheme_id in schemes),
                role_eligibility=s.rules.role[i],
                features={f: round(float(v), 6) for f, v in zip(FEATURES, s.fm.X[i])},
                cursor=encode_cursor(offset + k + 1)))
        return tuple(out)

    def similar_experts(self, db: Database, expert_id: str, *, first: int = 10,
                        viewer: Viewer = ANONYMOUS) -> list[SimilarExpert]:
        if not 0 <= first <= MAX_FIRST:
            raise ValidationError.at("first", Code.OUT_OF_RANGE,
                                     f"must be between 0 and {MAX_FIRST}", min=0, max=MAX_FIRST)
        index = self.index(db)
        with index.lock:
            visible = visible_mask(index, viewer)
            row = index.row_of.get(expert_id)
            if row is None or not visible[row]:
                raise NotFound("Expert", expert_id)
            return similar_experts(index, expert_id, visible, first=first)

    def recommend_team(self, db: Database, task: Any, size: int, *,
                       viewer: Viewer = ANONYMOUS) -> Team:
        """A lead eligible for the task's role and members covering its required skills."""
        if not 1 <= size <= 30:
            raise ValidationError.at("size", Code.OUT_OF_RANGE, "must be between 1 and 30",
                                     min=1, max=30)
        index = self.index(db)
        spec = self.task(db, task, index)
        hits = graph_hits(db, index, spec)
        with index.lock:
            s = self._score(index, spec, hits, viewer=viewer, filter=None,
                            rules=(AVAILABILITY, ROLE_ELIGIBILITY))
            return form_team(index, s.fm, s.scores, size=size, lead_ok=s.rules.passed,
                             member_ok=s.rules.available, lead_eligibility=s.rules.role,
                             model_id=s.model.model_id)

    def eligibility(self, db: Database, expert_id: str) -> list[SchemeResult]:
        """Every scheme's verdict for an expert (from the index, so as fresh as a ranking)."""
        index = self.index(db)
        row = index.row_of.get(expert_id)
        if row is None:
            raise NotFound("Expert", expert_id)
        with index.lock:
            return list(index.eligibility(row))


_instance: Matcher | None = None
_instance_lock = threading.Lock()


def get_matcher() -> Matcher:
    """The process-wide matcher (created on first use)."""
    global _instance
    with _instance_lock:
        if _instance is None:
            _instance = Matcher()
        return _instance
