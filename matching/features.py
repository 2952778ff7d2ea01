"""Features of (task, expert) pairs, computed for all candidates of a task at once.

Every feature lies in [0, 1], higher meaning a better fit, and has a name (``FEATURES``) that
the rankers' weights and the explanations refer to:

skill_coverage   weighted share of the required skills held, with partial credit through the
                 taxonomy (exact 1, one link 0.5, two links 0.25; ``matching.skillgraph``)
                 times the level fit (level / minLevel, at most 1)
text_similarity  task text (title, description, objectives, products, required skills' names
                 and aliases in both languages) against the expert's evidence
                 (``matching.text``; 1 = the best match among the experts retrieved for the
                 task, whoever asks)
area_years       years with the skills of the task's areas or its required skills, /10
experience       years of experience against the task's ``minYears`` (or /15 without one);
                 not stated 0.5, as for availability: unknown is neither a beginner nor a
                 veteran
leadership       projects led (/3), of national or international scale (/2), applied or
                 transferred (/2): 0.4, 0.3 and 0.3 of the feature
patents          patents put into use (/2, 0.7 of it) and granted (/2, 0.3 of it)
impact           mean percentile of h-index, citations and patents among the experts who
                 share the task's areas
availability     FULL_TIME 1, PART_TIME 0.7, ADVISORY 1 for an advisor and 0.4 otherwise,
                 not stated 0.5, UNAVAILABLE or available only after the start 0
language         share of the task's languages the expert speaks (1 when none is asked)
place            onsite/hybrid task: same city 1, same country 0.9, abroad and willing to
                 relocate 0.7, abroad and remote work possible (hybrid only) 0.5, else 0.1;
                 remote task: 1 if the expert works remotely, else 0.5
collaboration    works shared with the experts already chosen (/2); 0 when none is chosen
recency          latest publication, patent or project: 1 within a year, 0 after ten
verified         the profile is verified

Protected attributes (``registry.profile.PROTECTED_FIELDS``) do not reach this module:
``matching.records`` does not copy them, and the eligibility facts are not read here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.records import to_skill_areas
from matching.skillgraph import SkillGraph
from matching.snapshot import ExpertIndex, language_columns
from matching.task import TaskSpec

__all__ = ["FEATURES", "F", "FeatureMatrix", "compute_features", "task_areas", "task_query"]

FEATURES: tuple[str, ...] = (
    "skill_coverage", "text_similarity", "area_years", "experience", "leadership", "patents",
    "impact", "availability", "language", "place", "collaboration", "recency", "verified",
)
F = {name: i for i, name in enumerate(FEATURES)}

_AVAILABILITY_FIT = np.array([0.5, 1.0, 0.7, 0.4, 0.0])  # by code: none, FT, PT, ADV, UNAV
_ADVISORY = 3
UNSTATED_EXPERIENCE = 0.5  # the experience feature of a profile that gives no years

TextScorer = Callable[[str, np.ndarray, np.ndarray], np.ndarray]
"""(task text, rows, reference rows) -> a score in [0, 1] for each of the rows, scaled by
the best among the reference rows."""


@dataclass
class FeatureMatrix:
    """Features of one task's candidates, and the details the explanations need."""

    task: TaskSpec
    rows: np.ndarray
    ids: list[str]
    X: np.ndarray
    credit: np.ndarray  # n x R: credit earned per requirement
    matched: np.ndarray  # n x R: skill index that earned it, -1 for none
    hops: np.ndarray  # n x R: taxonomy links between required and matched skill
    matched_level: np.ndarray  # n x R
    area_years: np.ndarray
    shared: np.ndarray  # n x m: works shared with each chosen expert
    chosen: tuple[str, ...]

    def column(self, name: str) -> np.ndarray:
        return self.X[:, F[name]]

    def subset(self, positions: np.ndarray) -> FeatureMatrix:
        return FeatureMatrix(
            self.task, self.rows[positions], [self.ids[i] for i in positions],
            self.X[positions], self.credit[positions], self.matched[positions],
            self.hops[positions], self.matched_level[positions], self.area_years[positions],
            self.shared[positions], self.chosen)


def task_query(task: TaskSpec, graph: SkillGraph) -> str:
    """The task's text for the text-similarity feature and full-text retrieval."""
    parts = [task.title, task.description or "", task.objectives or "", *task.products]
    for r in task.requirements:
        parts.extend(graph.terms(r.skill))
    return "\n".join(p for p in parts if p)


def task_areas(task: TaskSpec) -> frozenset[str]:
    """The task's areas as groups of the skill taxonomy's list."""
    return to_skill_areas(task.areas)


def _skill_credit(index: ExpertIndex, task: TaskSpec, rows: np.ndarray
                  ) -> tuple[np.ndarray, ...]:
    n, reqs = len(rows), task.requirements
    credit = np.zeros((n, len(reqs)))
    matched = np.full((n, len(reqs)), -1, dtype=np.intp)
    hops = np.zeros((n, len(reqs)), dtype=np.intp)
    level = np.zeros((n, len(reqs)))
    levels = index.levels[rows]
    for j, req in enumerate(reqs):
        neighbours = index.graph.neighbours(req.skill)
        if not neighbours or n == 0:
            continue
        cols = np.array([nb.index for nb in neighbours])
        held = levels[:, cols].toarray()
        value = np.minimum(1.0, held / max(req.min_level, 1)) * np.array(
            [nb.credit for nb in neighbours])
        best = value.argmax(axis=1)
        credit[:, j] = value[np.arange(n), best]
        has = credit[:, j] > 0
        matched[has, j] = cols[best[has]]
        hops[:, j] = np.array([nb.hops for nb in neighbours])[best]
        level[:, j] = held[np.arange(n), best]
    return credit, matched, hops, level


def _place(index: ExpertIndex, task: TaskSpec, rows: np.ndarray) -> np.ndarray:
    remote_ok = index.column("remote_ok", rows) > 0
    if task.onsite == "REMOTE" or not task.location_country:
        return np.where(remote_ok, 1.0, 0.5)
    country = index.country[rows]
    same = country == task.location_country
    same_city = (index.city[rows] == task.location_city.casefold() if task.location_city
                 else np.zeros(len(rows), dtype=bool))
    relocate = index.column("willing_to_relocate", rows) > 0
    abroad = np.where(relocate, 0.7, np.where(remote_ok & (task.onsite == "HYBRID"), 0.5, 0.1))
    out = np.where(same, np.where(same_city, 1.0, 0.9), abroad)
    return np.where(np.equal(country, None), 0.5, out)


def compute_features(index: ExpertIndex, task: TaskSpec, rows: np.ndarray, *,
                     chosen: Sequence[str] = (), text: TextScorer | None = None,
                     reference: np.ndarray | None = None,
                     today: dt.date | None = None) -> FeatureMatrix:
    """Features of every row in ``rows`` for ``task`` (vectorised over the rows; nothing is
    computed for the rest of the registry).

    ``chosen`` are experts already on the team (for ``collaboration``); ``text`` scores the
    task text against the rows, scaled by the best of the ``reference`` rows (default: the
    rows themselves) (default scorer: the index's text model).
    """
    rows = np.asarray(rows, dtype=np.intp)
    n = len(rows)
    day = today or index.on or dt.date.today()
    X = np.zeros((n, len(FEATURES)))
    credit, matched, hops, level = _skill_credit(index, task, rows)
    weights = np.array([r.weight for r in task.requirements])
    if weights.sum() > 0:
        X[:, F["skill_coverage"]] = credit @ weights / weights.sum()

    scorer = text or index.text.similarity
    ref = rows if reference is None else np.asarray(reference, dtype=np.intp)
    X[:, F["text_similarity"]] = scorer(task_query(task, index.graph), rows, ref) if n else 0.0

    areas = task_areas(task)
    mask = index.graph.area_mask(areas)
    for r in task.requirements:
        if r.skill in index.graph.index:
            mask[index.graph.index[r.skill]] = True
    years = (np.asarray(index.skill_years[rows][:, np.flatnonzero(mask)].max(axis=1).todense())
             .ravel() if mask.any() and n else np.zeros(n))
    X[:, F["area_years"]] = np.minimum(1.0, years / 10.0)

    experience = index.column("years_experience", rows)
    stated = ~np.isnan(experience)
    X[:, F["experience"]] = np.where(
        stated, np.minimum(1.0, np.where(stated, experience, 0.0) / (task.min_years or 15)),
        UNSTATED_EXPERIENCE)

    col = index.column
    X[:, F["leadership"]] = (0.4 * np.minimum(1, col("led_total", rows) / 3)
                             + 0.3 * np.minimum(1, col("led_high_scale", rows) / 2)
                             + 0.3 * np.minimum(1, col("led_applied", rows) / 2))
    X[:, F["patents"]] = (0.7 * np.minimum(1, col("patents_applied", rows) / 2)
                          + 0.3 * np.minimum(1, col("patents_granted", rows) / 2))
    X[:, F["impact"]] = np.mean([index.percentile(c, areas, rows)
                                 for c in ("h_index", "citations", "patents_total")], axis=0)

    code = col("availability", rows).astype(int)
    fit = _AVAILABILITY_FIT[code]
    if task.role_sought == "ADVISOR":
        fit = np.where(code == _ADVISORY, 1.0, fit)
    if task.start is not None:
        fit = np.where(col("available_from", rows) > task.start.toordinal(), 0.0, fit)
    X[:, F["availability"]] = fit

    langs = language_columns(task.languages)
    if langs:
        X[:, F["language"]] = np.asarray(index.languages[rows][:, langs].sum(axis=1)).ravel() \
            / len(task.languages)
    else:
        X[:, F["language"]] = 1.0
    X[:, F["place"]] = _place(index, task, rows)

    chosen_rows = index.rows(chosen)
    shared = index.shared_works(rows, chosen_rows)
    if len(chosen_rows):
        shared[rows[:, None] == chosen_rows[None, :]] = 0  # not one's own collaborator
        X[:, F["collaboration"]] = np.minimum(1.0, shared.sum(axis=1) / 2.0)

    last = col("last_active", rows)
    X[:, F["recency"]] = np.where(last > 0, np.clip(1 - (day.year - last - 1) / 9, 0, 1), 0.0)
    X[:, F["verified"]] = col("verified", rows)
    return FeatureMatrix(task, rows, index.ids(rows), X, credit, matched, hops, level, years,
                         shared, tuple(chosen))

