"""The matcher's in-memory index of every expert, kept current by incremental refresh.

``ExpertIndex.build`` reads the whole registry in batches of ``_BATCH`` experts (one lean
statement each, ``registry.matcher_reads``; the next batch is read while the previous one is
laid out) and lays it out for vectorised scoring: a numeric column per profile figure,
sparse expert x skill matrices of levels and years (and a skill-major copy for retrieval,
made on first use after a change), expert x language and expert x area memberships, each
expert's works (as 64-bit keys, for collaboration), and the text model's rows. Nothing of
the profiles' text stays in memory: the text model keeps term frequencies and topic-space
vectors, and the explanations read a page's documents back (:meth:`documents`, cached).

``refresh`` asks the graph only for experts whose ``updatedAt`` is at or after the watermark
(the server's clock when the last look began, less a few seconds, so that a transaction that
committed late is not missed; a row whose ``(version, updatedAt)`` is unchanged is skipped)
and, when the expert count disagrees with what that finds (a deletion, or experts committed
with older stamps), lists them all. Only those rows are rewritten, each in O(nnz) of the
matrices, so a profile change is in the next ranking without a rebuild. A row keeps its
number for the life of the index; a removed expert's row is blanked and marked dead.
"""

from __future__ import annotations

import datetime as dt
import gc
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import scipy.sparse as sp

from matching.eligibility import ELIGIBLE, NOT_ELIGIBLE, POSSIBLY_ELIGIBLE, SchemeResult
from matching.records import (
    AVAILABILITY_LEVELS,
    EvidenceText,
    ParsedProfile,
    parse_profile,
    stamp,
)
from matching.skillgraph import SkillGraph
from matching.sparse import coo_rows, gather_ragged, replace_ragged, replace_rows
from matching.text import TextModel, release_memory
from registry.db import Database, run
from registry.matcher_reads import (
    document_pages,
    list_experts,
    read_expert_documents,
    read_matcher_profiles,
)
from registry.validation import ISO_639_1
from seed.reference import load_eligibility

__all__ = ["COL", "NUMERIC", "STATUS_RANK", "VISIBILITY_CODES", "ExpertIndex", "GraphCorpus", "RefreshReport"]

log = logging.getLogger(__name__)

NUMERIC = ("years_experience", "h_index", "citations", "availability", "available_from",
           "willing_to_relocate", "remote_ok", "verified", "led_total", "led_high_scale",
           "led_applied", "led_interdisciplinary", "patents_total", "patents_granted",
           "patents_applied", "last_active",
           # per eligibility scheme: its verdict as a rank (2 eligible, 1 possibly, 0 not)
           *(f"scheme:{s.id}" for s in load_eligibility().schemes))
COL = {name: i for i, name in enumerate(NUMERIC)}
_SCHEMES = tuple(s.id for s in load_eligibility().schemes)
STATUS_RANK = {ELIGIBLE: 2, POSSIBLY_ELIGIBLE: 1, NOT_ELIGIBLE: 0}
VISIBILITY_CODES = {"PUBLIC": 0, "REGISTERED": 1, "PRIVATE": 2}
_AVAILABILITY = {a: i + 1 for i, a in enumerate(AVAILABILITY_LEVELS)}  # 0 = not stated
_LANGS = sorted(ISO_639_1)
_LANG_INDEX = {code: i for i, code in enumerate(_LANGS)}
_OVERLAP_SECONDS = 5
_BATCH = 5000
_CACHED_DOCUMENTS = 4096  # experts whose documents the explanations keep at hand
_CACHED_HITS = 128
_FREEZE_FROM = 5000  # experts

_CHANGED = """
MATCH (e:Expert)
WHERE e.updatedAt >= $since - duration({seconds: $overlap})
RETURN e.id AS id, e.version AS version, e.updatedAt AS updatedAt
"""
# First in a look's transaction: what the look will compare with, and the server's clock
# before it reads anything (the next look's watermark).
_COUNT = "RETURN COUNT { (:Expert) } AS n, datetime() AS now"
_LIST = "MATCH (e:Expert) RETURN e.id AS id, e.version AS version, e.updatedAt AS updatedAt"


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
    """Derived data. A change of rows carries the percentile references over (the changed
    rows' old values out, their new ones in) and the column-major levels when the levels
    matrix is the same object (no skill changed); everything else is dropped."""

    percentiles: dict[tuple[str, frozenset[str]], np.ndarray] = field(default_factory=dict)
    everyone: set[tuple[str, frozenset[str]]] = field(default_factory=set)
    """Keys whose reference is every alive expert (nobody alive was in the areas)."""
    levels_csc: sp.csc_matrix | None = None


class GraphCorpus:
    """The registry's documents for the text model's fits (``matching.text.Corpus``)."""

    def __init__(self, db: Database):
        self.db = db

    def pages(self) -> Iterable[list[tuple[str, str, tuple[str, ...]]]]:
        return document_pages(self.db)

    def documents_of(self, expert_ids: Sequence[str]) -> dict[str, tuple[EvidenceText, ...]]:
        found = self.db.read(read_expert_documents, list(expert_ids))
        return {e: tuple(EvidenceText(i, kind, title, year, text)
                         for i, kind, title, text, year in docs) for e, docs in found.items()}


class _Block:
    """Rows laid out in bulk while the index is built."""

    def __init__(self) -> None:
        self.num: list[np.ndarray] = []
        self.skills: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.languages: list[sp.csr_matrix] = []
        self.areas: list[sp.csr_matrix] = []
        self.works: list[np.ndarray] = []


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
        self.records: list[Any] = []
        self.row_of: dict[str, int] = {}
        self.alive = np.zeros(0, dtype=bool)
        self.num = np.zeros((0, len(NUMERIC)))
        self.id_of = np.zeros(0, dtype=object)  # each row's expert id (kept when removed)
        self.country = np.zeros(0, dtype=object)
        self.city = np.zeros(0, dtype=object)  # case-folded, for the place feature
        self.visibility = np.zeros(0, dtype=np.int8)
        n_skills, n_areas = len(graph), len(graph.area_ids)
        self.levels = sp.csr_matrix((0, n_skills), dtype=np.float32)
        self.skill_years = sp.csr_matrix((0, n_skills), dtype=np.float32)
        self.languages = sp.csr_matrix((0, len(_LANGS)), dtype=np.float32)
        self.areas = sp.csr_matrix((0, n_areas), dtype=np.float32)
        self.works_indptr = np.zeros(1, dtype=np.int64)
        self.works_keys = np.zeros(0, dtype=np.int64)
        self.watermark: Any = None
        self.version = 0  # every change of the rows
        self.text_version = 0  # changes of what the graph's full-text indexes hold (cached)
        self._caches = _Caches()
        self._documents: OrderedDict[str, tuple[Any, tuple[EvidenceText, ...]]] = OrderedDict()
        self._hits: OrderedDict[Any, tuple[int, Any]] = OrderedDict()
        self._skill_areas = {s: graph.skills[s].areas for s in graph.skills}
        self._lock_docs = threading.Lock()

    # Building and refreshing -----------------------------------------------------------

    @classmethod
    def build(cls, db: Database, *, text: TextModel | None = None,
              graph: SkillGraph | None = None, on: dt.date | None = None,
              batch: int = _BATCH) -> ExpertIndex:
        """Read every expert (batched) and fit the text model."""
        started = time.perf_counter()
        graph = graph or SkillGraph.load(db)
        index = cls(graph, text or TextModel(), on=on)
        index.watermark = db.query(_COUNT)[0]["now"]  # before the listing: nothing is missed
        listing = list_experts(db)
        ids = sorted(r["id"] for r in listing)
        chunks = [ids[i:i + batch] for i in range(0, len(ids), batch)]
        block = _Block()
        index.text.begin(GraphCorpus(db))
        with index.lock, ThreadPoolExecutor(1, thread_name_prefix="matcher-read") as pool:
            ahead = pool.submit(db.read, read_matcher_profiles, chunks[0]) if chunks else None
            for k, chunk in enumerate(chunks):
                assert ahead is not None
                docs = ahead.result()
                if k + 1 < len(chunks):  # read the next batch while this one is laid out
                    ahead = pool.submit(db.read, read_matcher_profiles, chunks[k + 1])
                parsed = [index._parse(docs[e]) for e in chunk if e in docs]
                del docs
                rows = index._append(parsed, block)
                index.text.add(rows, parsed)
            index._finish(block)
        release_memory()
        index.text.finish(index.n_rows)
        if len(index.row_of) >= _FREEZE_FROM:
            # The index's objects live as long as it does: out of the cyclic collector's
            # sight, full collections do not walk them (0.1 s at 10,000 experts, a second
            # at 100,000). They are still freed by reference counting (no cycles).
            gc.collect()
            gc.freeze()
        # Changes committed while the experts were read are applied now, and the refresh's
        # statements are planned by Neo4j here rather than on the first change after start
        # (a refresh reads a few profiles: Neo4j plans that read apart from the build's
        # batches of thousands, a third of a second the first time).
        index.refresh(db)
        if ids:
            db.read(read_matcher_profiles, ids[:1])
        log.info("matcher index built: %d experts in %.2fs", len(index.row_of),
                 time.perf_counter() - started)
        return index

    def refresh(self, db: Database) -> RefreshReport:
        """Bring changed, new and removed experts up to date; touches nothing else.

        The graph is read without holding ``lock`` (rankings go on meanwhile); only the
        rewrite of the changed rows takes it. Callers serialise refreshes (the matcher does).
        """
        started = time.perf_counter()
        now, present, docs = db.read(self._read_changes)
        statements = 2 + (present is not None) + bool(docs)
        parsed = [self._parse(d) for d in docs.values()]
        with self.lock:
            removed = sorted(e for e in self.row_of if e not in present and e not in docs) \
                if present is not None else []
            added = tuple(sorted(p.record.id for p in parsed if p.record.id not in self.row_of))
            updated = tuple(sorted(p.record.id for p in parsed if p.record.id in self.row_of))
            if parsed or removed:
                self._apply(parsed, removed)
            self.watermark = now
        return RefreshReport(added, updated, tuple(removed), statements,
                             time.perf_counter() - started)

    def _read_changes(self, tx: Any) -> tuple[Any, set[str] | None, dict[str, Any]]:
        """The server's time before the look, every expert's id when the count called for
        a full listing (else ``None``), and the changed profiles. The look starts at the
        previous look's time, not at the newest ``updatedAt`` seen: after a bulk write the
        experts of its last seconds would otherwise be listed again by every look."""
        top = run(tx, _COUNT)[0]
        changed = (run(tx, _CHANGED, since=self.watermark, overlap=_OVERLAP_SECONDS)
                   if self.watermark is not None else [])
        stale = [r["id"] for r in changed
                 if self._seen(r["id"]) != (r["version"], stamp(r["updatedAt"]))]
        present = None
        if top["n"] != len(self.row_of) + sum(1 for e in stale if e not in self.row_of):
            listing = run(tx, _LIST)  # a deletion, or experts committed with older stamps
            present = {r["id"] for r in listing}
            stale = [r["id"] for r in listing
                     if self._seen(r["id"]) != (r["version"], stamp(r["updatedAt"]))]
        docs = read_matcher_profiles(tx, stale) if stale else {}
        return top["now"], present, docs

    def _seen(self, expert_id: str) -> tuple[int, str | None] | None:
        row = self.row_of.get(expert_id)
        record = self.records[row] if row is not None else None
        return None if record is None else (record.version, record.updated_at)

    def _parse(self, doc: dict[str, Any]) -> ParsedProfile:
        return parse_profile(doc, self._skill_areas, on=self.on)

    def _append(self, parsed: Sequence[ParsedProfile], block: _Block) -> list[int]:
        """New rows at the end (the build); laid out in bulk by :meth:`_finish`."""
        first = len(self.records)
        rows = list(range(first, first + len(parsed)))
        for row, p in zip(rows, parsed):
            self.row_of[p.record.id] = row
            self.records.append(p.record)
        if not parsed:
            return rows
        block.num.append(np.array([_numeric(p.record) for p in parsed], dtype=float))
        r_idx, c_idx, lvl, yrs = self._skill_entries(parsed)
        block.skills.append((r_idx + first, c_idx, lvl, yrs))
        block.languages.append(_lang_block(parsed))
        block.areas.append(self._area_block(parsed))
        block.works.extend(_work_keys(p) for p in parsed)
        return rows

    def _finish(self, block: _Block) -> None:
        n = len(self.records)
        self._grow(n)
        self.alive[:n] = True
        self.id_of[:n] = [r.id for r in self.records]
        if block.num:
            self.num[:n] = np.vstack(block.num)
        self.country[:n] = [r.residence_country for r in self.records]
        self.city[:n] = [_city(r.city) for r in self.records]
        self.visibility[:n] = [VISIBILITY_CODES.get(r.visibility, 1) for r in self.records]
        shape = (n, len(self.graph))
        if block.skills:
            r_idx, c_idx, lvl, yrs = (np.concatenate(x) for x in zip(*block.skills))
        else:
            r_idx = c_idx = np.zeros(0, dtype=np.intp)
            lvl = yrs = np.zeros(0, dtype=np.float32)
        self.levels = sp.csr_matrix((lvl, (r_idx, c_idx)), shape=shape, dtype=np.float32)
        self.skill_years = sp.csr_matrix((yrs, (r_idx, c_idx)), shape=shape, dtype=np.float32)
        self.languages = _stack(block.languages, (n, len(_LANGS)))
        self.areas = _stack(block.areas, (n, len(self.graph.area_index)))
        lengths = [len(w) for w in block.works]
        self.works_indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.works_indptr[1:])
        self.works_keys = (np.concatenate(block.works) if block.works
                           else np.zeros(0, dtype=np.int64))
        self.version += 1
        self.text_version += 1
        self._caches = _Caches()

    def _apply(self, parsed: Sequence[ParsedProfile], removed: Sequence[str]) -> None:
        rows = []
        docs_changed = []
        for p in parsed:
            row = self.row_of.get(p.record.id)
            old = self.records[row] if row is not None else None
            if old is None or old.doc_key != p.record.doc_key:
                docs_changed.append(p.record.id)
            if row is None:
                row = self.row_of[p.record.id] = len(self.records)
                self.records.append(None)
            rows.append(row)
        gone = [(self.row_of.pop(e), e) for e in removed if e in self.row_of]
        n = len(self.records)
        self._grow(n)
        all_rows = np.asarray(rows + [row for row, _ in gone], dtype=np.intp)
        before = self._reference_entries(all_rows)
        levels = self.levels
        for row, p in zip(rows, parsed):
            r = p.record
            self.records[row] = r
            self.alive[row] = True
            self.id_of[row] = r.id
            self.num[row] = _numeric(r)
            self.country[row] = r.residence_country
            self.city[row] = _city(r.city)
            self.visibility[row] = VISIBILITY_CODES.get(r.visibility, 1)
        for row, _ in gone:
            self.records[row] = None
            self.alive[row] = False
            self.num[row] = 0.0
            self.country[row] = None
            self.city[row] = None
        everyone: list[ParsedProfile | None] = [*parsed, *([None] * len(gone))]
        r_idx, c_idx, lvl, yrs = self._skill_entries(everyone)
        shape = (len(everyone), len(self.graph))
        self.levels = replace_rows(self.levels, all_rows,
                                   sp.csr_matrix((lvl, (r_idx, c_idx)), shape=shape), n)
        self.skill_years = replace_rows(self.skill_years, all_rows,
                                        sp.csr_matrix((yrs, (r_idx, c_idx)), shape=shape), n)
        self.languages = replace_rows(self.languages, all_rows, _lang_block(everyone), n)
        self.areas = replace_rows(self.areas, all_rows, self._area_block(everyone), n)
        self.works_indptr, self.works_keys = replace_ragged(
            self.works_indptr, self.works_keys, all_rows,
            [_work_keys(p) if p else np.zeros(0, dtype=np.int64) for p in everyone], n)
        self.text.update(list(zip(rows, parsed)), gone, n, documents_changed=docs_changed)
        self.version += 1
        if docs_changed or gone:  # an expert added or removed, or their text changed
            self.text_version += 1
        self._caches = self._carried(before, all_rows, levels)

    def _grow(self, n: int) -> None:
        have = len(self.alive)
        if n <= have:
            return
        cap = max(n, 2 * have, 64)
        self.alive = np.concatenate([self.alive, np.zeros(cap - have, dtype=bool)])
        self.num = np.vstack([self.num, np.zeros((cap - have, len(NUMERIC)))])
        self.id_of = np.concatenate([self.id_of, np.full(cap - have, None, dtype=object)])
        self.country = np.concatenate([self.country, np.full(cap - have, None, dtype=object)])
        self.city = np.concatenate([self.city, np.full(cap - have, None, dtype=object)])
        self.visibility = np.concatenate([self.visibility, np.ones(cap - have, dtype=np.int8)])

    def _skill_entries(self, parsed: Sequence[ParsedProfile | None]
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(row in ``parsed``, skill column, level, years) of every skill held; a skill held
        with no years counts a token 0.001 years (so that it is stored)."""
        index = self.graph.index
        entries = [(i, index[s], lvl, yrs) for i, p in enumerate(parsed) if p
                   for s, lvl, yrs in p.skills if s in index]
        if not entries:
            z = np.zeros(0, dtype=np.intp)
            return z, z, np.zeros(0, np.float32), np.zeros(0, np.float32)
        r, c, lvl, yrs = zip(*entries)
        years = np.asarray(yrs, dtype=np.float32)
        return (np.asarray(r, dtype=np.intp), np.asarray(c, dtype=np.intp),
                np.asarray(lvl, dtype=np.float32), np.where(years > 0, years, 1e-3))

    def _area_block(self, parsed: Sequence[ParsedProfile | None]) -> sp.csr_matrix:
        index = self.graph.area_index
        entries = [(i, index[a], 1.0) for i, p in enumerate(parsed) if p
                   for a in p.record.areas if a in index]
        return coo_rows(entries, (len(parsed), len(index)))

    # Reading ---------------------------------------------------------------------------

    @property
    def n_rows(self) -> int:
        return len(self.records)

    def alive_mask(self) -> np.ndarray:
        return self.alive[: self.n_rows]

    def record(self, expert_id: str) -> Any:
        row = self.row_of.get(expert_id)
        return None if row is None else self.records[row]

    def rows(self, expert_ids: Iterable[str]) -> np.ndarray:
        return np.asarray([self.row_of[e] for e in expert_ids if e in self.row_of],
                          dtype=np.intp)

    def ids(self, rows: Iterable[int]) -> list[str]:
        return self.id_of[np.asarray(rows, dtype=np.intp)].tolist()

    def column(self, name: str, rows: np.ndarray) -> np.ndarray:
        return self.num[rows, COL[name]]

    def levels_by_skill(self) -> sp.csc_matrix:
        """``levels`` in skill-major order (who holds a skill), made on first use after a
        change."""
        if self._caches.levels_csc is None:
            self._caches.levels_csc = self.levels.tocsc()
        return self._caches.levels_csc

    def percentile(self, name: str, areas: frozenset[str], rows: np.ndarray) -> np.ndarray:
        """Where each row's ``name`` value stands among the experts of ``areas`` (all experts
        when none is in them), as a mid-rank in [0, 1]; a value of 0 stands at 0."""
        key = (name, areas)
        caches = self._caches
        ref = caches.percentiles.get(key)
        if ref is None:
            alive = self.alive_mask()
            members = alive
            in_area = (np.asarray(self.areas[:, self._area_cols(areas)].sum(axis=1)).ravel() > 0
                       if areas else None)
            if in_area is not None and (in_area & alive).any():
                members = in_area & alive
            else:
                caches.everyone.add(key)
            ref = np.sort(self.num[: self.n_rows][members, COL[name]])
            caches.percentiles[key] = ref
        values = self.num[rows, COL[name]]
        if len(ref) == 0:
            return np.zeros(len(rows))
        below = np.searchsorted(ref, values, side="left")
        upto = np.searchsorted(ref, values, side="right")
        return np.where(values > 0, (below + upto) / (2.0 * len(ref)), 0.0)

    def _area_cols(self, areas: frozenset[str]) -> list[int]:
        return [self.graph.area_index[a] for a in areas if a in self.graph.area_index]

    def _held_areas(self, rows: np.ndarray) -> np.ndarray:
        """Which areas each of ``rows`` holds a skill in (dense: a few rows)."""
        out = np.zeros((len(rows), self.areas.shape[1]), dtype=bool)
        laid = rows < self.areas.shape[0]  # a row added by this change is not laid out yet
        out[laid] = self.areas[rows[laid]].toarray() > 0
        return out

    def _reference_entries(self, rows: np.ndarray, held: np.ndarray | None = None
                           ) -> dict[Any, tuple[np.ndarray, np.ndarray]]:
        """For each cached percentile reference: which of ``rows`` are in it, and their
        values (taken before and after a change, to carry the reference over); ``held``:
        :meth:`_held_areas` of the rows, when the caller has it."""
        out: dict[Any, tuple[np.ndarray, np.ndarray]] = {}
        if not self._caches.percentiles:
            return out
        alive = self.alive[rows]
        if held is None:
            held = self._held_areas(rows)
        for key in self._caches.percentiles:
            name, areas = key
            in_ref = alive.copy()
            if key not in self._caches.everyone and areas:
                in_ref &= held[:, self._area_cols(areas)].any(axis=1)
            out[key] = (in_ref, self.num[rows, COL[name]].copy())
        return out

    def _carried(self, before: dict[Any, tuple[np.ndarray, np.ndarray]], rows: np.ndarray,
                 levels: sp.csr_matrix) -> _Caches:
        """The caches after ``rows`` changed: each percentile reference with the rows' old
        values taken out and their new ones put in (exactly what a fresh sort gives);
        a reference whose footing moved (its areas' first or last member) is dropped."""
        old = self._caches
        out = _Caches(levels_csc=old.levels_csc if self.levels is levels else None)
        if not old.percentiles:
            return out
        held = self._held_areas(rows)
        after = self._reference_entries(rows, held)
        held &= self.alive[rows][:, None]
        for key, ref in old.percentiles.items():
            if key not in before or key not in after:
                continue
            was_in, was = before[key]
            now_in, now = after[key]
            if key in old.everyone and key[1] and held[:, self._area_cols(key[1])].any():
                continue  # someone is in the areas now: the reference changes footing
            if not (np.array_equal(was_in, now_in) and np.array_equal(was[was_in], now[now_in])):
                ref = _sorted_without(ref, was[was_in])
                if ref is None or (len(ref) == 0 and not now_in.any()):
                    continue
                new = np.sort(now[now_in])
                ref = np.insert(ref, np.searchsorted(ref, new), new)
            out.percentiles[key] = ref  # as it was when the rows' values here did not change
            if key in old.everyone:
                out.everyone.add(key)
        return out

    def shared_works(self, rows: np.ndarray, with_rows: np.ndarray) -> np.ndarray:
        """For each row, works shared with the experts of ``with_rows`` (n x m counts)."""
        rows = np.asarray(rows, dtype=np.intp)
        with_rows = np.asarray(with_rows, dtype=np.intp)
        if len(with_rows) == 0 or len(rows) == 0:
            return np.zeros((len(rows), len(with_rows)))
        ka, pa = gather_ragged(self.works_indptr, self.works_keys, rows)
        kb, pb = gather_ragged(self.works_indptr, self.works_keys, with_rows)
        if len(ka) == 0 or len(kb) == 0:
            return np.zeros((len(rows), len(with_rows)))
        keys, inverse = np.unique(np.concatenate([ka, kb]), return_inverse=True)
        a = sp.csr_matrix((np.ones(len(ka)), (pa, inverse[:len(ka)])),
                          shape=(len(rows), len(keys)))
        b = sp.csr_matrix((np.ones(len(kb)), (pb, inverse[len(ka):])),
                          shape=(len(with_rows), len(keys)))
        return np.asarray((a @ b.T).todense())

    def eligibility(self, row: int) -> list[SchemeResult]:
        """Every scheme's verdict for the expert of ``row`` (made with the record)."""
        record = self.records[row]
        return list(record.eligibility) if record else []

    def documents(self, db: Database, expert_ids: Sequence[str]
                  ) -> dict[str, tuple[EvidenceText, ...]]:
        """The documents of these experts (the explanations of a page), read from the graph
        in one statement for those not cached since their last change."""
        out: dict[str, tuple[EvidenceText, ...]] = {}
        missing = []
        with self._lock_docs:
            for e in expert_ids:
                record = self.record(e)
                hit = self._documents.get(e)
                if record is not None and hit is not None and hit[0] == record.doc_key:
                    out[e] = hit[1]
                    self._documents.move_to_end(e)
                else:
                    missing.append(e)
        if missing:
            found = GraphCorpus(db).documents_of(missing)
            with self._lock_docs:
                for e in missing:
                    docs = found.get(e, ())
                    out[e] = docs
                    record = self.record(e)
                    if record is not None:
                        self._documents[e] = (record.doc_key, docs)
                while len(self._documents) > _CACHED_DOCUMENTS:
                    self._documents.popitem(last=False)
        return out

    def cached(self, key: Any, compute: Any) -> Any:
        """``compute()`` (full-text hits), remembered for ``key`` until what the graph's
        full-text indexes hold changes: an expert added or removed, or a name or document
        changed (``ExpertRecord.doc_key``). Other changes (skills, availability, visibility,
        contact, history) leave the indexes' answers as they were, and the hits are kept:
        they are retrieval only, every candidate's features are read from the rows."""
        version = self.text_version
        hit = self._hits.get(key)
        if hit is not None and hit[0] == version:
            return hit[1]
        value = compute()
        with self._lock_docs:
            self._hits[key] = (version, value)
            self._hits.move_to_end(key)
            while len(self._hits) > _CACHED_HITS:
                self._hits.popitem(last=False)
        return value

    def nbytes(self) -> dict[str, int]:
        """Bytes held by the largest arrays (benchmarks)."""
        def size(m: Any) -> int:
            return m.data.nbytes + m.indices.nbytes + m.indptr.nbytes

        out = {"numeric": self.num.nbytes,
               "skills": size(self.levels) + size(self.skill_years),
               "languages+areas": size(self.languages) + size(self.areas),
               "works": self.works_indptr.nbytes + self.works_keys.nbytes}
        out.update({f"text.{k}": v for k, v in self.text.nbytes().items()})
        return out


def _sorted_without(ref: np.ndarray, values: np.ndarray) -> np.ndarray | None:
    """``ref`` (sorted) with one occurrence of each of ``values`` taken out; None when one
    is not there."""
    if len(values) == 0:
        return ref
    values = np.sort(values)
    first = np.searchsorted(values, values, side="left")
    at = np.searchsorted(ref, values, side="left") + (np.arange(len(values)) - first)
    if at.max() >= len(ref) or not np.array_equal(ref[at], values):
        return None
    return np.delete(ref, at)


def _numeric(r: Any) -> list[float]:
    led_total, led_high, led_applied, led_inter = r.led
    # Unknown experience is NaN: no ``>=`` filter matches it and features.py reads it as such.
    years = np.nan if r.years_experience is None else r.years_experience
    return [years, r.h_index, r.citations, _AVAILABILITY.get(r.availability, 0),
            r.available_from.toordinal() if r.available_from else 0.0, r.willing_to_relocate,
            r.remote_ok, r.verified, led_total, led_high, led_applied, led_inter,
            r.patents_total, r.patents_granted, r.patents_applied, r.last_active or 0.0,
            *_scheme_ranks(r)]


def _scheme_ranks(r: Any) -> list[int]:
    rank = {v.scheme_id: STATUS_RANK[v.status] for v in r.eligibility}
    return [rank.get(s, 0) for s in _SCHEMES]


def _city(city: str | None) -> str | None:
    return city.casefold() if city else None


def _work_keys(p: ParsedProfile) -> np.ndarray:
    return np.unique(np.array([hash(w) for w in p.works], dtype=np.int64))


def _stack(blocks: list[sp.csr_matrix], shape: tuple[int, int]) -> sp.csr_matrix:
    if not blocks:
        return sp.csr_matrix(shape, dtype=np.float32)
    return sp.csr_matrix(sp.vstack(blocks, format="csr"), dtype=np.float32)


def _lang_block(parsed: Sequence[ParsedProfile | None]) -> sp.csr_matrix:
    entries = [(i, _LANG_INDEX[lang], 1.0) for i, p in enumerate(parsed) if p
               for lang in p.record.languages if lang in _LANG_INDEX]
    return coo_rows(entries, (len(parsed), len(_LANGS)))


def language_columns(codes: Iterable[str]) -> list[int]:
    return [_LANG_INDEX[c] for c in codes if c in _LANG_INDEX]

