"""The free-text search's hits summed, filtered and paged in memory.

A text search (``registry.search``) asks Neo4j's full-text indexes for the best profiles and
publications, then credits each publication's score (halved) to every author, sums per expert,
applies the filters and sorts. In Cypher, crediting the authors alone (the publications' 5,000
hits expanded to ~8,000 authors, each one's ``id`` read) cost more than both full-text calls, and
the filters and the sort ran over the ~9,000 experts in Neo4j's row-at-a-time runtime: about
30 ms of the server's CPU per search at 100,000 experts.

:class:`SearchIndex` keeps what that work reads, per expert: the filters' fields, the sort
keys, and who authored which work, all keyed by the graph's internal node ids (the full-text
calls then return numbers, not properties). The answer is the Cypher statement's answer: the
same hits (the same two full-text calls with the same limits), the same sums in the same
order, the same predicates (nulls fail them as in Cypher), the same order of the page
(Cypher's ``DESC`` puts nulls first). A test compares the two for many filters and sorts.

It is kept in step at the start of every search, inside the search's transaction and in the
statement that asks for the hits: the experts whose ``updatedAt`` moved since the last look
(the server's clock then, less an overlap for late commits; deduplicated by version and
time), and how many experts there are. Only those are read again; a count that disagrees
with the index lists every expert (a deletion, or a restore that kept old stamps); a hit on
a node the index does not know reads that node's experts before the answer is made. Every
change of a profile (its skills, career and works included) moves its ``updatedAt``, only
experts author works and orphan works are deleted, so a search sees every change committed
before it started, as the Cypher statement does. Skill and area filters are resolved in the
graph on each search (the taxonomy's closure), so the taxonomy is never cached here.

The matcher asks it for a task text's hits as well (``matching.candidates.send_fulltext``:
the two indexes in two statements at once, ``hits(..., parts=...)``).

Memory at 100,000 experts and 787,395 works: 86 MB by Python's own count (about 190 MB of
the process's resident memory). A registry of up to ``SYNC_BUILD`` experts is read on its
first text search (a second or two); a larger one is read in a background thread started by
the first search (or by the server at start-up: :func:`warm`), and searches use the Cypher
statement until it is ready.
"""

from __future__ import annotations

import logging
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from neo4j import ManagedTransaction

from registry.db import Database, run

if TYPE_CHECKING:
    from registry.search import ExpertFilter, Viewer

__all__ = ["SYNC_BUILD", "TEXT_PARTS", "SearchIndex", "index_for", "summed", "warm"]

log = logging.getLogger("chuyengia.search")

SYNC_BUILD = 20_000  # experts: read in the first search's own thread up to this size
_OVERLAP_SECONDS = 5
_FOLD_SHARE = 0.05  # changed experts' works kept apart until this share of experts

_STAMP = "e.updatedAt.epochSeconds * 1000000000 + e.updatedAt.nanosecond"  # ns, exact
_FIELDS = f"""
RETURN id(e) AS node, e.id AS id, e.version AS version, {_STAMP} AS updated,
  [e.visibility, e.residenceCountry, e.diaspora, e.availability, e.yearsExperience,
   e.hIndex, e.languages, e.verified, e.nameSort] AS p,
  [(e)-[:HAS_SKILL]->(s:Skill) | s.id] AS skills,
  [(e)-[:WORKS_AT|STUDIED_AT]->(o:Organization) | o.id] AS orgs,
  [(e)-[:AUTHORED]->(w) | id(w)] AS works
"""
_PAGE = "MATCH (e:Expert) WHERE e.id > $after WITH e ORDER BY e.id LIMIT $limit" + _FIELDS
_BUILD_PAGE = 10_000  # experts read at a time (the decoded rows are the build's peak)
_SOME = "UNWIND $ids AS id MATCH (e:Expert {id: id})" + _FIELDS
# What changed since the last look, and the text's hits: one round trip. The two full-text
# calls are the Cypher statement's (``registry.search._TEXT_SOURCE``), returning node ids: a
# profile's score counts once, a publication's half for each of its authors. A caller may
# ask for one of the two only (the matcher sends both halves at once, on two connections).
_CHANGED = f"""
CALL () {{
  MATCH (e:Expert) WHERE e.updatedAt >= datetime({{epochSeconds: $since, nanosecond: 0}})
  RETURN collect([e.id, e.version, {_STAMP}]) AS changed
}}
"""
_TEXT_CALLS = {
    "profiles": """
CALL () {
  CALL db.index.fulltext.queryNodes('expert_text', $q, {limit: $hits}) YIELD node, score
  RETURN collect(id(node)) AS profiles, collect(score) AS profile_scores
}
""",
    "works": """
CALL () {
  CALL db.index.fulltext.queryNodes('publication_text', $q, {limit: $hits}) YIELD node, score
  RETURN collect(id(node)) AS works, collect(score * 0.5) AS work_scores
}
""",
    # The names as written (``registry.search``: a text typed with diacritics), not summed
    # with the others: the search adds them to the experts the two calls above match.
    "names": """
CALL () {
  CALL db.index.fulltext.queryNodes('expert_name_exact', $exact, {limit: $hits})
  YIELD node, score
  RETURN collect(id(node)) AS names, collect(score) AS name_scores
}
""",
}
_RETURNED = {"profiles": ("profiles", "profile_scores"), "works": ("works", "work_scores"),
             "names": ("names", "name_scores")}
TEXT_PARTS = ("profiles", "works")


def _look(parts: tuple[str, ...]) -> str:
    returned = [name if part in parts else f"[] AS {name}"
                for part in _RETURNED for name in _RETURNED[part]]
    return (_CHANGED + "".join(_TEXT_CALLS[p] for p in parts)
            + "RETURN changed, COUNT { (:Expert) } AS total, datetime().epochSeconds AS now, "
            + ", ".join(returned))


_LOOK = {parts: _look(parts) for parts in (TEXT_PARTS, (*TEXT_PARTS, "names"), ("profiles",),
                                           ("works",))}
_LISTING = f"""
MATCH (e:Expert)
RETURN e.id AS id, e.version AS version, id(e) AS node, {_STAMP} AS updated
"""
# Experts behind node ids the index does not know (hits of a change it has not seen).
_WHO = """
UNWIND $experts AS n MATCH (e:Expert) WHERE id(e) = n RETURN e.id AS id
UNION
UNWIND $works AS n MATCH (w) WHERE id(w) = n MATCH (w)<-[:AUTHORED]-(e:Expert) RETURN e.id AS id
"""

_NULL = -1  # code of a missing value in the coded columns


class _Codes:
    """Small integer codes for a column's values (``_NULL`` for a missing one)."""

    def __init__(self) -> None:
        self.of: dict[Any, int] = {}

    def code(self, value: Any) -> int:
        if value is None:
            return _NULL
        return self.of.setdefault(value, len(self.of))

    def lookup(self, values: Iterable[Any]) -> list[int]:
        return [self.of[v] for v in values if v in self.of]


@dataclass(slots=True)
class _Expert:
    """What a search reads of one expert besides the coded columns (their works are in the
    works' table; the strings and language sets are shared between experts)."""

    version: Any
    updated: int | None
    languages: frozenset[str] | None
    skills: tuple[str, ...]
    orgs: tuple[str, ...]


def _float(value: Any) -> float:
    return np.nan if value is None else float(value)


class SearchIndex:
    """Every expert's filter fields and sort keys, and the works' authors (see the module)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.experts: list[_Expert | None] = []
        self.row_of: dict[str, int] = {}
        self._node_of_row: list[int] = []
        self._id_of_row: list[str] = []  # kept when the expert is deleted
        self._codes = {k: _Codes() for k in ("visibility", "country", "diaspora", "availability")}
        self.alive = np.zeros(0, dtype=bool)
        self.coded = {k: np.zeros(0, dtype=np.int32) for k in self._codes}
        self.years = np.zeros(0)
        self.h_index = np.zeros(0)
        self.verified = np.zeros(0, dtype=np.int8)
        self.updated = np.zeros(0, dtype=np.int64)
        self.has_updated = np.zeros(0, dtype=bool)
        self.name_sort: list[str | None] = []
        self.checked = 0  # the server's time at the last look for changes (epoch seconds)
        self._ranks: tuple[np.ndarray, np.ndarray] | None = None  # (name, id) order
        self._nodes: tuple[np.ndarray, np.ndarray] | None = None  # sorted node ids, rows
        # Works: a base (as built) and the works of experts changed since.
        self._work_keys = np.zeros(0, dtype=np.int64)
        self._work_ptr = np.zeros(1, dtype=np.int64)
        self._work_authors = np.zeros(0, dtype=np.int64)  # expert rows
        self._moved: set[int] = set()  # rows whose base works no longer count
        self._moved_rows: np.ndarray | None = None  # the same, sorted (made when asked)
        self._extra: dict[int, set[int]] = {}  # work -> rows of changed experts
        self._works_of: dict[int, np.ndarray] = {}  # works of the experts read since the fold
        self._strings: dict[str, str] = {}  # skill and organization ids, one object each
        self._language_sets: dict[frozenset[str], frozenset[str]] = {}

    # -- reading the graph ---------------------------------------------------------------

    @classmethod
    def build(cls, db: Database) -> SearchIndex:
        started = time.perf_counter()
        index = cls()
        # Changes made while the pages are read are looked for from the start (less the
        # overlap) by the first search.
        index.checked = db.query("RETURN datetime().epochSeconds AS now")[0]["now"]
        after = ""
        while True:
            rows = db.read(lambda tx: run(tx, _PAGE, after=after, limit=_BUILD_PAGE))
            if not rows:
                break
            with index.lock:
                index._grow(len(index.experts) + len(rows))
                for row in rows:
                    index._put(row, building=True)
            after = rows[-1]["id"]
        with index.lock:
            index._fold_works()
        log.info("search index built: %d experts in %.2fs", len(index.row_of),
                 time.perf_counter() - started)
        return index

    def _catch_up(self, tx: ManagedTransaction, top: dict[str, Any]) -> int:
        """Bring changed, new and deleted experts up to date from a look for changes (in the
        search's transaction); returns how many were read again or dropped."""
        stale = [c[0] for c in top["changed"]
                 if c[0] is not None and self._seen(c[0]) != (c[1], c[2])]
        known_after = len(self.row_of) + sum(1 for e in stale if e not in self.row_of)
        present = None
        if top["total"] != known_after:  # a deletion, or experts written with older stamps
            listing = run(tx, _LISTING)
            present = {r["id"] for r in listing}
            stale = [r["id"] for r in listing if self._seen(r["id"]) != (r["version"], r["updated"])
                     or self._node_of_row[self.row_of[r["id"]]] != r["node"]]
        changed = self._reread(tx, stale, present)
        self.checked = max(self.checked, top["now"])
        return changed

    def _reread(self, tx: ManagedTransaction, stale: Sequence[str],
                present: set[str] | None = None) -> int:
        fresh = run(tx, _SOME, ids=list(stale)) if stale else []
        if not fresh and present is None:
            return 0
        with self.lock:
            gone = [e for e in self.row_of if e not in present] if present is not None else []
            for e in gone:
                self._drop(self.row_of.pop(e))
            self._grow(len(self.experts) + len(fresh))
            for row in fresh:
                self._put(row)
            if len(self._moved) > _FOLD_SHARE * max(len(self.row_of), 1):
                self._fold_works()
        return len(fresh) + len(gone)

    def _seen(self, expert_id: str) -> tuple[Any, int | None] | None:
        row = self.row_of.get(expert_id)
        e = self.experts[row] if row is not None else None
        return None if e is None else (e.version, e.updated)

    # -- rows ----------------------------------------------------------------------------

    def _grow(self, n: int) -> None:
        have = len(self.alive)
        if n <= have:
            return
        extra = max(n, 2 * have) - have

        def more(a: np.ndarray, fill: Any) -> np.ndarray:
            return np.concatenate([a, np.full(extra, fill, dtype=a.dtype)])

        self.alive = more(self.alive, False)
        self.coded = {k: more(v, _NULL) for k, v in self.coded.items()}
        self.years, self.h_index = more(self.years, np.nan), more(self.h_index, np.nan)
        self.verified = more(self.verified, _NULL)
        self.updated, self.has_updated = more(self.updated, 0), more(self.has_updated, False)

    def _put(self, r: dict[str, Any], *, building: bool = False) -> None:
        """Write one expert's row (``building``: the works are laid out after the last)."""
        (visibility, country, diaspora, availability, years, h_index, languages, verified,
         name_sort) = r["p"]
        row = self.row_of.get(r["id"])
        if row is None:
            row = len(self.experts)
            self.experts.append(None)
            self._node_of_row.append(r["node"])
            self._id_of_row.append(r["id"])
            self.name_sort.append(None)
            self.row_of[r["id"]] = row
            self._nodes = None
        elif self._node_of_row[row] != r["node"]:
            self._node_of_row[row] = r["node"]
            self._nodes = None
        old = self.experts[row]
        works = np.array(sorted(set(r["works"])), dtype=np.int64)
        self.experts[row] = _Expert(
            r["version"], r["updated"], self._languages(languages),
            self._shared(r["skills"]), self._shared(r["orgs"]))
        self.alive[row] = True
        for key, value in (("visibility", visibility), ("country", country),
                           ("diaspora", diaspora), ("availability", availability)):
            self.coded[key][row] = self._codes[key].code(value)
        self.years[row], self.h_index[row] = _float(years), _float(h_index)
        self.verified[row] = _NULL if verified is None else int(bool(verified))
        self.has_updated[row] = r["updated"] is not None
        self.updated[row] = r["updated"] or 0
        if self.name_sort[row] != name_sort or old is None:
            self.name_sort[row] = name_sort
            self._ranks = None
        if building:
            self._works_of[row] = works
        else:
            self._move_works(row, works)

    def _shared(self, ids: Iterable[str]) -> tuple[str, ...]:
        return tuple(sorted(self._strings.setdefault(i, i) for i in set(ids)))

    def _languages(self, languages: Iterable[str] | None) -> frozenset[str] | None:
        if languages is None:
            return None
        key = frozenset(languages)
        return self._language_sets.setdefault(key, key)

    def _drop(self, row: int) -> None:
        old = self.experts[row]
        self.experts[row] = None
        self.alive[row] = False
        self._node_of_row[row] = -1
        self._nodes = None
        if old is not None:
            self._move_works(row, np.zeros(0, dtype=np.int64))

    def _move_works(self, row: int, new: np.ndarray) -> None:
        """The row's works are now ``new``: its entries in the table stop counting, and its
        works are kept apart until the next fold."""
        for w in self._works_of.get(row, np.zeros(0, dtype=np.int64)).tolist():
            authors = self._extra.get(w)
            if authors is not None:
                authors.discard(row)
                if not authors:
                    del self._extra[w]
        if row not in self._moved:
            self._moved.add(row)
            self._moved_rows = None
        self._works_of[row] = new
        for w in new.tolist():
            self._extra.setdefault(w, set()).add(row)

    def _fold_works(self) -> None:
        """One sorted table of who authored what: the table's entries that still count and
        the works of the experts read since (no overlay afterwards)."""
        authors = self._work_authors
        works = np.repeat(self._work_keys, np.diff(self._work_ptr))
        if self._moved:
            keep = ~np.isin(authors, self._moved_array())
            works, authors = works[keep], authors[keep]
        later = list(self._works_of.items())
        works = np.concatenate([works, *(w for _, w in later)])
        authors = np.concatenate([authors, *(np.full(len(w), r, dtype=np.int64)
                                             for r, w in later)])
        order = np.argsort(works, kind="stable")
        works, authors = works[order], authors[order]
        keys, starts = np.unique(works, return_index=True)
        self._work_keys = keys
        self._work_ptr = np.append(starts, len(works)).astype(np.int64)
        self._work_authors = authors
        self._moved, self._moved_rows, self._extra, self._works_of = set(), None, {}, {}

    def _moved_array(self) -> np.ndarray:
        if self._moved_rows is None:
            self._moved_rows = np.array(sorted(self._moved), dtype=np.int64)
        return self._moved_rows

    def _rows_of_nodes(self, nodes: np.ndarray) -> np.ndarray:
        """Rows of these expert node ids (-1 for a node that is not a known expert)."""
        if self._nodes is None:
            node_of = np.array(self._node_of_row, dtype=np.int64)
            order = np.argsort(node_of, kind="stable")
            self._nodes = (node_of[order], order.astype(np.int64))
        keys, rows = self._nodes
        if len(keys) == 0:
            return np.full(len(nodes), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(keys, nodes), len(keys) - 1)
        return np.where(keys[at] == nodes, rows[at], -1)

    def _authors(self, works: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Each work's authors (rows), in the works' order, and the position in ``works``
        of the work each one authored."""
        keys, ptr = self._work_keys, self._work_ptr
        at = np.minimum(np.searchsorted(keys, works), max(len(keys) - 1, 0))
        found = (keys[at] == works) if len(keys) else np.zeros(len(works), dtype=bool)
        start = np.where(found, ptr[at], 0)
        count = np.where(found, ptr[np.minimum(at + 1, len(ptr) - 1)] - ptr[at], 0)
        if len(self._extra):
            extra = [sorted(self._extra.get(w, ())) for w in works.tolist()]
            count_extra = np.array([len(x) for x in extra], dtype=np.int64)
        else:
            extra, count_extra = None, np.zeros(len(works), dtype=np.int64)
        # Per work: its base authors (those not moved), then its moved authors' rows.
        index = np.repeat(start - np.cumsum(count) + count, count) + np.arange(count.sum())
        base = self._work_authors[index]
        which = np.repeat(np.arange(len(works)), count)
        moved = self._moved_array()
        keep = ~np.isin(base, moved) if len(moved) else slice(None)
        base, which = base[keep], which[keep]
        if extra is not None and count_extra.any():
            more = np.array([r for x in extra for r in x], dtype=np.int64)
            more_which = np.repeat(np.arange(len(works)), count_extra)
            base = np.concatenate([base, more])
            which = np.concatenate([which, more_which])
            order = np.argsort(which, kind="stable")
            base, which = base[order], which[order]
        return base, which

    # -- searching -----------------------------------------------------------------------

    def hits(self, tx: ManagedTransaction, q: str, limit: int,
             parts: tuple[str, ...] = TEXT_PARTS) -> tuple[np.ndarray, np.ndarray]:
        """Rows (ascending) and summed scores of the experts the text finds (unfiltered),
        the index first brought up to date (in the search's transaction). ``parts``: both
        full-text indexes, or one of ``TEXT_PARTS`` only."""
        rows, scores, _ = self._hits(tx, q, limit, parts, None)
        return rows, scores

    def hits_and_names(self, tx: ManagedTransaction, q: str, limit: int, exact: str
                       ) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        """``hits`` of both indexes, and the rows and scores of the names as written that
        the query ``exact`` finds (``registry.search``), in the same round trip."""
        return self._hits(tx, q, limit, (*TEXT_PARTS, "names"), exact)

    def _hits(self, tx: ManagedTransaction, q: str, limit: int, parts: tuple[str, ...],
              exact: str | None) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray]]:
        # Whatever changed before the last look (less the overlap) was seen then.
        top = run(tx, _LOOK[parts], since=self.checked - _OVERLAP_SECONDS, q=q, hits=limit,
                  exact=exact)[0]
        self._catch_up(tx, top)
        p_nodes = np.array(top["profiles"], dtype=np.int64)
        w_nodes = np.array(top["works"], dtype=np.int64)
        w_scores = np.array(top["work_scores"], dtype=np.float64)
        for attempt in range(2):
            with self.lock:
                p_rows = self._rows_of_nodes(p_nodes)
                w_rows, w_of = self._authors(w_nodes)
            unknown_works = np.flatnonzero(np.bincount(w_of, minlength=len(w_nodes)) == 0)
            if attempt or (p_rows >= 0).all() and len(unknown_works) == 0:
                break
            # Only experts author works and orphan works are deleted, so an unknown node is
            # a change this index has not seen yet: read its experts, then map again.
            who = run(tx, _WHO, experts=p_nodes[p_rows < 0].tolist(),
                      works=w_nodes[unknown_works].tolist())
            self._reread(tx, [r["id"] for r in who])
        rows = np.concatenate([p_rows, w_rows])
        scores = np.concatenate([np.array(top["profile_scores"], dtype=np.float64),
                                 w_scores[w_of]])
        ok = rows >= 0
        with self.lock:  # names the look found: their experts are known by now
            n_rows = self._rows_of_nodes(np.array(top["names"], dtype=np.int64))
        n_scores = np.array(top["name_scores"], dtype=np.float64)
        return (*summed(rows[ok], scores[ok]), (n_rows[n_rows >= 0], n_scores[n_rows >= 0]))

    def passing(self, rows: np.ndarray, f: ExpertFilter, viewer: Viewer,
                closure: Callable[[Sequence[str]], list[str]],
                area_skills: Callable[[Sequence[str]], list[str]]) -> np.ndarray:
        """Mask of ``rows`` that the viewer may find and that pass ``f`` (its text aside)."""
        with self.lock:
            mask = self.alive[rows].copy()
            seen = self.coded["visibility"][rows]
            visible = np.isin(seen, self._codes["visibility"].lookup(viewer.visibilities))
            own = self.row_of.get(viewer.expert_id) if viewer.expert_id else None
            if own is not None:
                visible |= rows == own
            mask &= visible
            for key, values in (("country", f.countries), ("diaspora", f.diaspora),
                                ("availability", f.availability)):
                if values:
                    mask &= np.isin(self.coded[key][rows], self._codes[key].lookup(values))
            with np.errstate(invalid="ignore"):
                if f.min_years is not None:
                    mask &= self.years[rows] >= f.min_years
                if f.min_h_index is not None:
                    mask &= self.h_index[rows] >= f.min_h_index
            if f.verified is not None:
                mask &= self.verified[rows] == int(f.verified)
            checks = self._set_checks(f, closure, area_skills)
            if checks:
                for k in np.flatnonzero(mask):
                    e = self.experts[rows[k]]
                    if e is None or not all(check(e) for check in checks):
                        mask[k] = False
        return mask

    @staticmethod
    def _set_checks(f: ExpertFilter, closure: Callable[[Sequence[str]], list[str]],
                    area_skills: Callable[[Sequence[str]], list[str]]
                    ) -> list[Callable[[_Expert], bool]]:
        checks: list[Callable[[_Expert], bool]] = []
        if f.skills:
            if f.skills_mode == "ALL":
                groups = [frozenset(closure([s])) for s in f.skills]
                checks.append(lambda e: all(not g.isdisjoint(e.skills) for g in groups))
            else:
                anyof = frozenset(closure(list(f.skills)))
                checks.append(lambda e: not anyof.isdisjoint(e.skills))
        if f.areas:
            in_areas = frozenset(area_skills(list(f.areas)))
            checks.append(lambda e: not in_areas.isdisjoint(e.skills))
        if f.languages:
            wanted = frozenset(f.languages)
            checks.append(lambda e: e.languages is not None and wanted <= e.languages)
        if f.organization is not None:
            org = f.organization
            checks.append(lambda e: org in e.orgs)
        return checks

    def order(self, rows: np.ndarray, relevance: np.ndarray, sort: str) -> np.ndarray:
        """Positions of ``rows`` in the order of ``registry.search._ORDER[sort]``."""
        with self.lock:
            name_rank, id_rank = self._order_ranks()
            names, ids = name_rank[rows], id_rank[rows]
            if sort == "RELEVANCE":
                keys = (ids, names, -relevance)
            elif sort == "NAME":
                keys = (ids, names)
            elif sort == "H_INDEX":  # DESC: nulls first, as Cypher orders them
                h = self.h_index[rows]
                keys = (ids, names, -np.where(np.isnan(h), np.inf, h))
            elif sort == "EXPERIENCE":  # nulls last (the statement says so)
                y = self.years[rows]
                keys = (ids, names, -np.where(np.isnan(y), 0.0, y), np.isnan(y))
            elif sort == "UPDATED":  # DESC: nulls first
                keys = (ids, -self.updated[rows], self.has_updated[rows])
            else:
                raise ValueError(f"unknown sort {sort!r}")
        return np.lexsort(keys)

    def _order_ranks(self) -> tuple[np.ndarray, np.ndarray]:
        """Each row's place by name key (nulls last) and by id, over all rows."""
        if self._ranks is None:
            n = len(self.experts)
            ids = self._id_of_row
            by_id = sorted(range(n), key=ids.__getitem__)
            id_rank = np.empty(n, dtype=np.int64)
            id_rank[by_id] = np.arange(n)
            names = self.name_sort
            by_name = sorted(range(n), key=lambda r: (names[r] is None, names[r] or ""))
            # equal keys share a rank, so the id decides between them
            steps = [k > 0 and names[r] != names[by_name[k - 1]] for k, r in enumerate(by_name)]
            name_rank = np.empty(n, dtype=np.int64)
            name_rank[by_name] = np.cumsum(steps)
            self._ranks = (name_rank, id_rank)
        return self._ranks

    def ids(self, rows: Iterable[int]) -> list[str]:
        with self.lock:
            return [self._id_of_row[r] for r in rows]


def summed(rows: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct row (ascending) with the sum of its scores. ``bincount`` adds in input
    order, as Cypher's ``sum()`` does: the same floats."""
    unique, inverse = np.unique(rows, return_inverse=True)
    # (bincount of nothing gives integers, even with weights)
    sums = np.bincount(inverse, weights=scores, minlength=len(unique))
    return unique, sums.astype(np.float64, copy=False)


# -- one index per database ----------------------------------------------------------------

# None while being read
_indexes: weakref.WeakKeyDictionary[Database, SearchIndex | None] = weakref.WeakKeyDictionary()
_guard = threading.Lock()


def index_for(db: Database) -> SearchIndex | None:
    """The database's index, or ``None`` while it is read in the background (a registry
    larger than ``SYNC_BUILD``; the first call starts that read)."""
    with _guard:
        if db in _indexes:
            return _indexes[db]
        _indexes[db] = None
    size = db.query("MATCH (e:Expert) RETURN count(e) AS n")[0]["n"]
    if size <= SYNC_BUILD:
        return _install(db)
    threading.Thread(target=_install, args=(db,), name="search-index", daemon=True).start()
    return None


def _install(db: Database) -> SearchIndex | None:
    try:
        index = SearchIndex.build(db)
    except Exception:  # the Cypher statement serves meanwhile; the next search tries again
        log.exception("the search index could not be read")
        with _guard:
            _indexes.pop(db, None)
        return None
    with _guard:
        _indexes[db] = index
    return index


def warm(db: Database) -> None:
    """Read the database's index on a helper thread now (the server's start-up), so the
    first searches need not wait for it nor run in Cypher."""
    threading.Thread(target=index_for, args=(db,), name="search-index-warm",
                     daemon=True).start()
