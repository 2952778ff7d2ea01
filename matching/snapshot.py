"""The matcher's in-memory index of every expert, kept current by incremental refresh.

``ExpertIndex.build`` reads the whole registry in a few batched statements (one listing, one
``read_profiles`` per thousand experts, one for the skill taxonomy) and lays it out for
vectorised scoring: a numeric column per profile figure, sparse expert x skill matrices of
levels and years, expert x language and expert x area memberships, and (built on demand) the
works x experts incidence from which collaboration is read.

``refresh`` asks the graph only for experts whose ``updatedAt`` is at or after the watermark
(less a few seconds, so that a transaction that committed late is not missed; a row whose
``(version, updatedAt)`` is unchanged is skipped) and, when the expert count says some were
deleted, for the ids. Only those rows are rewritten, each in O(nnz) of the matrices, so a
profile change is in the next ranking without a rebuild. A row keeps its number for the life
of the index; a removed expert's row is blanked and marked dead.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from matching.eligibility import SchemeResult, evaluate_facts
from matching.records import AVAILABILITY_LEVELS, ExpertRecord, led_counts, record_from_profile
from matching.skillgraph import SkillGraph
from matching.sparse import coo_rows, replace_rows
from matching.text import TextModel
from registry.db import Database, run
from registry.experts import read_profiles
from registry.validation import ISO_639_1

__all__ = ["COL", "NUMERIC", "VISIBILITY_CODES", "ExpertIndex", "RefreshReport"]

log = logging.getLogger(__name__)

NUMERIC = ("years_experience", "h_index", "citations", "availability", "available_from",
           "willing_to_relocate", "remote_ok", "verified", "led_total", "led_high_scale",
           "led_applied", "led_interdisciplinary", "patents_total", "patents_granted",
           "patents_applied", "last_active")
COL = {name: i for i, name in enumerate(NUMERIC)}
VISIBILITY_CODES = {"PUBLIC": 0, "REGISTERED": 1, "PRIVATE": 2}
_AVAILABILITY = {a: i + 1 for i, a in enumerate(AVAILABILITY_LEVELS)}  # 0 = not stated
_LANGS = sorted(ISO_639_1)
_LANG_INDEX = {code: i for i, code in enumerate(_LANGS)}
_OVERLAP_SECONDS = 5
_BATCH = 1000

_LIST = "MATCH (e:Expert) RETURN e.id AS id, e.version AS version, e.updatedAt AS updatedAt"
_CHANGED = """
MATCH (e:Expert)
WHERE e.updatedAt >= $since - duration({seconds: $overlap})
RETURN e.id AS id, e.version AS version, e.updatedAt AS updatedAt
"""
_COUNT = "MATCH (e:Expert) RETURN count(e) AS n"
_IDS = "MATCH (e:Expert) RETURN e.id AS id"


@dataclass(frozen=True)
class RefreshReport:
    """What one refresh read and changed."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    queries: int = 0
    seconds: float = 0.0

    @property
    def touched(self) -> tuple[str, ...]:
        return self.added + self.updated + self.removed


@dataclass
class _Caches:
    percentiles: dict[tuple[str, frozenset[str]], np.ndarray] = field(default_factory=dict)
    works: sp.csc_matrix | None = None
    eligibility: dict[int, list[SchemeResult]] = field(default_factory=dict)


class ExpertIndex:
    """Every expert of the registry, as arrays the features are computed from.

    Use :meth:`build`; then :meth:`refresh` before each use. Reads are safe while a refresh
    runs in another thread (``lock`` serialises writers and readers that need a consistent
    view).
    """

    def __init__(self, graph: SkillGraph, text: TextModel, *, on: dt.date | None = None):
        self.graph = graph
        self.text = text
        self.on = on
        self.lock = threading.RLock()
        self.records: list[ExpertRecord | None] = []
        self.row_of: dict[str, int] = {}
        self.alive = np.zeros(0, dtype=bool)
        self.num = np.zeros((0, len(NUMERIC)))
        self.country = np.zeros(0, dtype=object)
        self.visibility = np.zeros(0, dtype=np.int8)
        n_skills, n_areas = len(graph), len(graph.area_ids)
        self.levels = sp.csr_matrix((0, n_skills), dtype=np.float32)
        self.skill_years = sp.csr_matrix((0, n_skills), dtype=np.float32)
        self.languages = sp.csr_matrix((0, len(_LANGS)), dtype=np.float32)
        self.areas = sp.csr_matrix((0, n_areas), dtype=np.float32)
        self.watermark: Any = None
        self.seen: dict[str, tuple[int, Any]] = {}
        self.version = 0
        self._caches = _Caches()
        self._skill_areas = {s: graph.skills[s].areas for s in graph.skills}

    # Building and refreshing -----------------------------------------------------------

    @classmethod
    def build(cls, db: Database, *, text: TextModel | None = None,
              graph: SkillGraph | None = None, on: dt.date | None = None,
              batch: int = _BATCH) -> ExpertIndex:
        """Read every expert (batched) and fit the text model."""
        started = time.perf_counter()
        graph = graph or SkillGraph.load(db)
        index = cls(graph, text or TextModel(), on=on)
        listing = db.query(_LIST)
        ids = sorted(r["id"] for r in listing)
        docs: dict[str, dict[str, Any]] = {}
        for i in range(0, len(ids), batch):
            docs.update(db.read(read_profiles, ids[i:i + batch]))
        records = [index._record(docs[e]) for e in ids if e in docs]
        with index.lock:
            index._apply(records, [], fit_text=True)
            index._advance_watermark(listing)
        log.info("matcher index built: %d experts in %.2fs", len(records),
                 time.perf_counter() - started)
        return index

    def refresh(self, db: Database) -> RefreshReport:
        """Bring changed, new and removed experts up to date; touches nothing else.

        The graph is read without holding ``lock`` (rankings go on meanwhile); only the
        rewrite of the changed rows takes it. Callers serialise refreshes (the matcher does).
        """
        started = time.perf_counter()
        changed, total, docs = db.read(self._read_changes)
        statements = 2 + bool(docs)
        known_after = len(self.row_of) + sum(1 for e in docs if e not in self.row_of)
        present = None
        if total < known_after:  # someone was deleted
            present = {r["id"] for r in db.query(_IDS)}
            statements += 1
        records = [self._record(d) for d in docs.values()]
        with self.lock:
            removed = sorted(e for e in self.row_of if e not in present and e not in docs) \
                if present is not None else []
            added = tuple(sorted(r.id for r in records if r.id not in self.row_of))
            updated = tuple(sorted(r.id for r in records if r.id in self.row_of))
            if records or removed:
                self._apply(records, removed, fit_text=False)
            self._advance_watermark(changed)
        return RefreshReport(added, updated, tuple(removed), statements,
                             time.perf_counter() - started)

    def _read_changes(self, tx: Any) -> tuple[list[dict[str, Any]], int, dict[str, Any]]:
        if self.watermark is None:
            changed = run(tx, _LIST)
        else:
            changed = run(tx, _CHANGED, since=self.watermark, overlap=_OVERLAP_SECONDS)
        total = run(tx, _COUNT)[0]["n"]
        stale = [r["id"] for r in changed
                 if self.seen.get(r["id"]) != (r["version"], r["updatedAt"])]
        docs = read_profiles(tx, stale) if stale else {}
        return changed, total, docs

    def _advance_watermark(self, listing: Iterable[dict[str, Any]]) -> None:
        for r in listing:
            if r["updatedAt"] is not None and (self.watermark is None
                                               or r["updatedAt"] > self.watermark):
                self.watermark = r["updatedAt"]

    def _record(self, doc: dict[str, Any]) -> ExpertRecord:
        return record_from_profile(doc, self._skill_areas, on=self.on)

    def _apply(self, records: Sequence[ExpertRecord], removed: Sequence[str], *,
               fit_text: bool) -> None:
        rows = []
        for r in records:
            if r.id not in self.row_of:
                self.row_of[r.id] = len(self.records)
                self.records.append(None)
            rows.append(self.row_of[r.id])
        gone = [(self.row_of.pop(e), e) for e in removed if e in self.row_of]
        n = len(self.records)
        self._grow(n)
        for row, r in zip(rows, records):
            self.records[row] = r
            self.seen[r.id] = (r.version, r.updated_at)
            self.alive[row] = True
            self.num[row] = _numeric(r)
            self.country[row] = r.residence_country
            self.visibility[row] = VISIBILITY_CODES.get(r.visibility, 1)
        for row, e in gone:
            self.records[row] = None
            self.seen.pop(e, None)
            self.alive[row] = False
            self.num[row] = 0.0
            self.country[row] = None
        all_rows = np.asarray(rows + [row for row, _ in gone], dtype=np.intp)
        blank: list[ExpertRecord | None] = [*records, *([None] * len(gone))]
        self.levels = replace_rows(self.levels, all_rows, self._skill_block(blank, 0), n)
        self.skill_years = replace_rows(self.skill_years, all_rows,
                                        self._skill_block(blank, 1), n)
        self.languages = replace_rows(self.languages, all_rows, _lang_block(blank), n)
        self.areas = replace_rows(self.areas, all_rows, self._area_block(blank), n)
        if fit_text:
            self.text.fit(self.records)
        else:
            self.text.update(list(zip(rows, records)), gone, n)
        self.version += 1
        self._caches = _Caches()

    def _grow(self, n: int) -> None:
        have = len(self.alive)
        if n <= have:
            return
        cap = max(n, 2 * have, 64)
        self.alive = np.concatenate([self.alive, np.zeros(cap - have, dtype=bool)])
        self.num = np.vstack([self.num, np.zeros((cap - have, len(NUMERIC)))])
        self.country = np.concatenate([self.country, np.full(cap - have, None, dtype=object)])
        self.visibility = np.concatenate([self.visibility, np.ones(cap - have, dtype=np.int8)])

    def _skill_block(self, records: Sequence[ExpertRecord | None], which: int) -> sp.csr_matrix:
        entries = [(i, self.graph.index[s], float(v[which]) or (1e-3 if which else 0.0))
                   for i, r in enumerate(records) if r for s, v in r.skills.items()
                   if s in self.graph.index]
        return coo_rows(entries, (len(records), len(self.graph)))

    def _area_block(self, records: Sequence[ExpertRecord | None]) -> sp.csr_matrix:
        index = self.graph.area_index
        entries = [(i, index[a], 1.0) for i, r in enumerate(records) if r
                   for a in r.areas if a in index]
        return coo_rows(entries, (len(records), len(index)))

    # Reading ---------------------------------------------------------------------------

    @property
    def n_rows(self) -> int:
        return len(self.records)

    def alive_mask(self) -> np.ndarray:
        return self.alive[: self.n_rows]

    def record(self, expert_id: str) -> ExpertRecord | None:
        row = self.row_of.get(expert_id)
        return None if row is None else self.records[row]

    def rows(self, expert_ids: Iterable[str]) -> np.ndarray:
        return np.asarray([self.row_of[e] for e in expert_ids if e in self.row_of],
                          dtype=np.intp)

    def ids(self, rows: Iterable[int]) -> list[str]:
        return [self.records[r].id for r in rows]  # type: ignore[union-attr]

    def column(self, name: str, rows: np.ndarray) -> np.ndarray:
        return self.num[rows, COL[name]]

    def percentile(self, name: str, areas: frozenset[str], rows: np.ndarray) -> np.ndarray:
        """Where each row's ``name`` value stands among the experts of ``areas`` (all experts
        when none is in them), as a mid-rank in [0, 1]; a value of 0 stands at 0."""
        key = (name, areas)
        ref = self._caches.percentiles.get(key)
        if ref is None:
            alive = self.alive_mask()
            members = alive
            if areas:
                cols = [self.graph.area_index[a] for a in areas if a in self.graph.area_index]
                in_area = np.asarray(self.areas[:, cols].sum(axis=1)).ravel() > 0
                if (in_area & alive).any():
                    members = in_area & alive
            ref = np.sort(self.num[: self.n_rows][members, COL[name]])
            self._caches.percentiles[key] = ref
        values = self.num[rows, COL[name]]
        if len(ref) == 0:
            return np.zeros(len(rows))
        below = np.searchsorted(ref, values, side="left")
        upto = np.searchsorted(ref, values, side="right")
        return np.where(values > 0, (below + upto) / (2.0 * len(ref)), 0.0)

    def works_matrix(self) -> sp.csc_matrix:
        """Works x experts incidence (publications and projects), built on first use."""
        if self._caches.works is None:
            work_index: dict[str, int] = {}
            entries = []
            for row, r in enumerate(self.records):
                for w in r.works if r else ():
                    entries.append((work_index.setdefault(w, len(work_index)), row, 1.0))
            # CSC: the callers pick expert columns.
            self._caches.works = coo_rows(entries, (max(len(work_index), 1),
                                                    self.n_rows)).tocsc()
        return self._caches.works

    def shared_works(self, rows: np.ndarray, with_rows: np.ndarray) -> np.ndarray:
        """For each row, works shared with the experts of ``with_rows`` (n x m counts)."""
        if len(with_rows) == 0 or len(rows) == 0:
            return np.zeros((len(rows), len(with_rows)))
        w = self.works_matrix()
        return np.asarray((w[:, rows].T @ w[:, with_rows]).todense())

    def eligibility(self, row: int) -> list[SchemeResult]:
        """Every scheme's verdict for the expert of ``row`` (cached until the row changes)."""
        found = self._caches.eligibility.get(row)
        if found is None:
            record = self.records[row]
            found = evaluate_facts(record.facts) if record else []
            self._caches.eligibility[row] = found
        return found


def _numeric(r: ExpertRecord) -> np.ndarray:
    led_total, led_high, led_applied, led_inter = led_counts(r)
    return np.array([
        r.years_experience, r.h_index, r.citations, _AVAILABILITY.get(r.availability, 0),
        r.available_from.toordinal() if r.available_from else 0.0, r.willing_to_relocate,
        r.remote_ok, r.verified, led_total, led_high, led_applied, led_inter, r.patents_total,
        r.patents_granted, r.patents_applied, r.last_active or 0.0], dtype=float)


def _lang_block(records: Sequence[ExpertRecord | None]) -> sp.csr_matrix:
    entries = [(i, _LANG_INDEX[lang], 1.0) for i, r in enumerate(records) if r
               for lang in r.languages if lang in _LANG_INDEX]
    return coo_rows(entries, (len(records), len(_LANGS)))


def language_columns(codes: Iterable[str]) -> list[int]:
    return [_LANG_INDEX[c] for c in codes if c in _LANG_INDEX]
