"""Expert search: free text, filters, sorting, facets and cursor pagination.

The Cypher is assembled only from constant fragments chosen by allow-list (one per filter and
per sort key); every value a caller gives travels as a ``$parameter``. Free text goes through
the folding full-text indexes over profiles and publications, so ``nguyen duc`` finds
``Nguyễn Đức``. Visibility is part of every query: anonymous callers see PUBLIC profiles,
signed-in callers PUBLIC and REGISTERED ones, admins all; an expert also sees their own.

Folding finds every spelling, and a search typed with diacritics prefers the one typed: the
experts it matches whose name holds a typed word as written (``Đặng`` rather than ``Đăng``
or ``Dang``, ``Hùng`` rather than ``Hưng``) get that word's score in the index of names as
written (``expert_name_exact``), times ``EXACT_NAME_WEIGHT``, added to their relevance. Who
matches does not change.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

import numpy as np
from neo4j import ManagedTransaction

from registry.db import Database, run
from registry.errors import Code, ValidationError
from registry.fulltext import exact_name_query, lucene_query
from registry.search_index import SearchIndex, index_for
from registry.taxonomy import narrower_closure, skills_in_areas

__all__ = ["ExpertFilter", "ExpertSort", "Viewer", "SearchPage", "search_experts", "facets",
           "encode_cursor", "decode_cursor", "MAX_PAGE"]

MAX_PAGE = 100
TEXT_HITS = 5000  # full-text hits considered per index before filtering
# A name that holds a typed word as written gains this many times that word's score there:
# enough to put the spelling typed before the others (whose folded scores include the
# folded name variants), not so much that a name outweighs a text that matches much better.
EXACT_NAME_WEIGHT = 3.0


class ExpertSort(str, Enum):
    RELEVANCE = "RELEVANCE"
    NAME = "NAME"
    H_INDEX = "H_INDEX"
    EXPERIENCE = "EXPERIENCE"
    UPDATED = "UPDATED"


# Sort key -> (ORDER BY fragment, key expression). Only these strings reach Cypher.
_ORDER = {
    ExpertSort.RELEVANCE: ("relevance DESC, e.nameSort ASC, e.id ASC", "relevance"),
    ExpertSort.NAME: ("e.nameSort ASC, e.id ASC", "e.nameSort"),
    ExpertSort.H_INDEX: ("e.hIndex DESC, e.nameSort ASC, e.id ASC", "e.hIndex"),
    # Unknown experience (null) last: Cypher would put nulls first in a descending order.
    ExpertSort.EXPERIENCE: ("e.yearsExperience IS NULL, e.yearsExperience DESC, "
                            "e.nameSort ASC, e.id ASC",
                            "e.yearsExperience"),
    ExpertSort.UPDATED: ("e.updatedAt DESC, e.id ASC", "e.updatedAt"),
}


@dataclass(frozen=True)
class Viewer:
    """Who is searching: decides which visibility levels are included."""

    signed_in: bool = False
    admin: bool = False
    expert_id: str | None = None

    @property
    def visibilities(self) -> list[str]:
        if self.admin:
            return ["PUBLIC", "REGISTERED", "PRIVATE"]
        return ["PUBLIC", "REGISTERED"] if self.signed_in else ["PUBLIC"]


@dataclass(frozen=True)
class ExpertFilter:
    text: str | None = None
    skills: tuple[str, ...] = ()
    skills_mode: str = "ANY"  # ANY | ALL
    areas: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    diaspora: tuple[str, ...] = ()
    availability: tuple[str, ...] = ()
    min_years: int | None = None
    min_h_index: int | None = None
    languages: tuple[str, ...] = ()
    organization: str | None = None
    verified: bool | None = None


@dataclass
class SearchPage:
    ids: list[str]
    scores: list[float]
    total_count: int
    offset: int
    has_next: bool
    cursors: list[str] = field(default_factory=list)
    docs: Any = None  # what ``read_page`` read for ``ids``, in the search's transaction


def encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, path: str = "after") -> int:
    if cursor is None:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        offset = json.loads(raw)["o"]
        if isinstance(offset, int) and not isinstance(offset, bool) and 0 <= offset < 10**7:
            return offset
    except (binascii.Error, ValueError, KeyError, TypeError, UnicodeDecodeError):
        pass
    raise ValidationError.at(path, Code.INVALID_CURSOR, "is not a cursor this API returned")


_TEXT_SOURCE = """
CALL () {
  CALL db.index.fulltext.queryNodes('expert_text', $q, {limit: $hits}) YIELD node, score
  RETURN node AS e, score
  UNION ALL
  CALL db.index.fulltext.queryNodes('publication_text', $q, {limit: $hits}) YIELD node, score
  MATCH (node)<-[:AUTHORED]-(e)
  RETURN e, score * 0.5 AS score
}
WITH e, sum(score) AS relevance
"""  # only experts author (registry.experts): no label check on the thousands of authors
_ALL_SOURCE = "MATCH (e:Expert) WITH e, 0.0 AS relevance\n"
# The names that hold a typed word as written (by node id), and the bonus they get once
# matched (``search_index`` asks for them with its hits, in the same round trip).
_EXACT_NAMES = """
CALL db.index.fulltext.queryNodes('expert_name_exact', $exact, {limit: $hits}) YIELD node, score
RETURN collect(id(node)) AS nodes, collect(score) AS scores
"""
_EXACT_BONUS = "WITH e, relevance + coalesce($exact[toString(id(e))], 0.0) AS relevance\n"


def _exact_scores(tx: ManagedTransaction, query: str | None) -> dict[str, float]:
    """Node id (as text) -> bonus of the names the exact-name ``query`` finds."""
    if query is None:
        return {}
    row = run(tx, _EXACT_NAMES, exact=query, hits=TEXT_HITS)[0]
    return {str(n): EXACT_NAME_WEIGHT * score for n, score in zip(row["nodes"], row["scores"],
                                                                  strict=True)}

# Filter name -> Cypher predicate over `e`; included only when the filter is given.
_PREDICATES = {
    "visibility": "(e.visibility IN $visibilities OR e.id = $self)",
    "skills_any": "EXISTS { (e)-[:HAS_SKILL]->(s:Skill) WHERE s.id IN $skillAny }",
    "skills_all": "ALL(g IN $skillGroups WHERE EXISTS { (e)-[:HAS_SKILL]->(s:Skill) "
                  "WHERE s.id IN g })",
    "areas": "EXISTS { (e)-[:HAS_SKILL]->(:Skill)-[:IN_AREA]->(a:TechArea) "
             "WHERE a.id IN $areas }",
    "countries": "e.residenceCountry IN $countries",
    "diaspora": "e.diaspora IN $diaspora",
    "availability": "e.availability IN $availability",
    "min_years": "e.yearsExperience >= $minYears",
    "min_h_index": "e.hIndex >= $minHIndex",
    "languages": "ALL(l IN $languages WHERE l IN e.languages)",
    "organization": "EXISTS { (e)-[:WORKS_AT|STUDIED_AT]->(:Organization {id: $org}) }",
    "verified": "e.verified = $verified",
}


def _where(tx: ManagedTransaction, f: ExpertFilter, viewer: Viewer) -> tuple[str, dict[str, Any]]:
    names = ["visibility"]
    params: dict[str, Any] = {"visibilities": viewer.visibilities, "self": viewer.expert_id}
    if f.skills:
        if f.skills_mode == "ALL":
            names.append("skills_all")
            params["skillGroups"] = [narrower_closure(tx, [s]) for s in f.skills]
        else:
            names.append("skills_any")
            params["skillAny"] = narrower_closure(tx, list(f.skills))
    for name, key, value in (
        ("areas", "areas", list(f.areas)), ("countries", "countries", list(f.countries)),
        ("diaspora", "diaspora", list(f.diaspora)),
        ("availability", "availability", list(f.availability)),
        ("languages", "languages", list(f.languages)),
    ):
        if value:
            names.append(name)
            params[key] = value
    for name, key, value in (
        ("min_years", "minYears", f.min_years), ("min_h_index", "minHIndex", f.min_h_index),
        ("organization", "org", f.organization), ("verified", "verified", f.verified),
    ):
        if value is not None:
            names.append(name)
            params[key] = value
    return "WHERE " + "\n  AND ".join(_PREDICATES[n] for n in names) + "\n", params


def _source(f: ExpertFilter) -> tuple[str, dict[str, Any]]:
    q = lucene_query(f.text or "") if f.text else None
    if f.text and q is None:
        raise ValidationError.at("filter.text", Code.NO_SEARCHABLE_WORDS, "has no searchable words")
    return (_TEXT_SOURCE, {"q": q, "hits": TEXT_HITS}) if q else (_ALL_SOURCE, {})


# The page and the count of a full-text search in one statement: the hits are read, filtered
# and counted once (a separate count would repeat all of it), and only the page is sorted out
# of them (a top-k, not a sort of every match: 7 % less time at 100,000 experts). Without text
# the matches are the whole registry, so the page is a top-k read and the count its own
# statement (``_total``).
_RANKED_PAGE = """
WITH collect({{e: e, relevance: relevance}}) AS rows
CALL (rows) {{
  UNWIND rows AS row
  WITH row.e AS e, row.relevance AS relevance
  ORDER BY {order} SKIP $skip LIMIT $first
  RETURN collect({{id: e.id, relevance: relevance}}) AS page
}}
RETURN size(rows) AS total, page
"""


def _total(tx: ManagedTransaction, matches: str, params: dict[str, Any], offset: int,
           first: int, got: int) -> int:
    """How many experts match: known from the page itself when it is the last one."""
    if (got < first or first == 0) and (got or offset == 0):
        return offset + got
    return run(tx, matches + "RETURN count(e) AS n", **params)[0]["n"]


def search_experts(
    db: Database, *, filter: ExpertFilter, sort: ExpertSort = ExpertSort.RELEVANCE,
    first: int = 20, after: str | None = None, viewer: Viewer = Viewer(),
    read_page: Callable[[ManagedTransaction, list[str]], Any] | None = None,
    in_memory: bool = True,
) -> SearchPage:
    """One page of experts matching ``filter`` that ``viewer`` may find. ``read_page(tx,
    ids)``, when given, reads what the caller shows of the page (e.g.
    ``registry.experts.read_cards``) in the same transaction, saving a round trip; its result
    is the page's ``docs``. A text search sums, filters and pages its full-text hits in
    ``registry.search_index`` once that is read (``in_memory=False``: in Cypher, as before
    it is read; the answers are the same)."""
    if not 0 <= first <= MAX_PAGE:
        raise ValidationError.at("first", Code.OUT_OF_RANGE, f"must be between 0 and {MAX_PAGE}",
                                 min=0, max=MAX_PAGE)
    offset = decode_cursor(after)
    source, sparams = _source(filter)
    if sort == ExpertSort.RELEVANCE and not sparams:
        sort = ExpertSort.NAME
    order, _ = _ORDER[sort]
    index = index_for(db) if sparams and in_memory else None

    def work(tx: ManagedTransaction) -> SearchPage:
        if index is not None:
            ids, scores, total = _ranked_in_memory(tx, index, filter, viewer, sort, sparams["q"],
                                                   offset, first)
            return _page(tx, ids, scores, total, offset, read_page)
        where, params = _where(tx, filter, viewer)
        params.update(sparams, skip=offset, first=first)
        if sparams:  # full text: the hits are bounded, so one statement ranks and counts
            params["exact"] = _exact_scores(tx, exact_name_query(filter.text or ""))
            row = run(tx, source + _EXACT_BONUS + where + _RANKED_PAGE.format(order=order),
                      **params)[0]
            page, total = row["page"], row["total"]
        else:
            page = run(tx, source + where + f"RETURN e.id AS id, relevance ORDER BY {order} "
                       "SKIP $skip LIMIT $first", **params)
            total = _total(tx, source + where, params, offset, first, len(page))
        return _page(tx, [r["id"] for r in page], [float(r["relevance"]) for r in page],
                     total, offset, read_page)

    return db.read(work)


def _page(tx: ManagedTransaction, ids: list[str], scores: list[float], total: int,
          offset: int, read_page: Callable[[ManagedTransaction, list[str]], Any] | None
          ) -> SearchPage:
    return SearchPage(
        ids=ids, scores=scores, total_count=total, offset=offset,
        has_next=offset + len(ids) < total,
        cursors=[encode_cursor(offset + i + 1) for i in range(len(ids))],
        docs=read_page(tx, ids) if read_page is not None else None,
    )


def _ranked_in_memory(tx: ManagedTransaction, index: SearchIndex, f: ExpertFilter,
                      viewer: Viewer, sort: ExpertSort, q: str, offset: int, first: int
                      ) -> tuple[list[str], list[float], int]:
    """The page and count of a text search, as the Cypher statement gives them, from the
    full-text hits and ``index`` (``registry.search_index``)."""
    exact = exact_name_query(f.text or "")
    if exact is None:
        rows, relevance = index.hits(tx, q, TEXT_HITS)
    else:  # the bonus is added once the sum is made, as the statement adds it
        rows, relevance, (named, bonus) = index.hits_and_names(tx, q, TEXT_HITS, exact)
        if len(rows) and len(named):  # names of experts the text does not match add nothing
            at = np.minimum(np.searchsorted(rows, named), len(rows) - 1)
            matched = rows[at] == named
            relevance[at[matched]] += EXACT_NAME_WEIGHT * bonus[matched]
    mask = index.passing(
        rows, f, viewer, closure=lambda skills: narrower_closure(tx, list(skills)),
        area_skills=lambda areas: skills_in_areas(tx, list(areas)))
    rows, relevance = rows[mask], relevance[mask]
    page = index.order(rows, relevance, sort.value)[offset:offset + first]
    return index.ids(rows[page]), [float(x) for x in relevance[page]], len(rows)


_FACETS = """
WITH collect(e) AS es
CALL (es) {
  UNWIND es AS e
  MATCH (e)-[:HAS_SKILL]->(:Skill)-[:IN_AREA]->(a:TechArea)
  WITH a.id AS key, count(DISTINCT e) AS n
  RETURN collect({key: key, count: n}) AS areas
}
CALL (es) {
  UNWIND es AS e
  WITH e.residenceCountry AS key, count(*) AS n
  RETURN collect({key: key, count: n}) AS countries
}
CALL (es) {
  UNWIND es AS e
  WITH e.diaspora AS key, count(*) AS n
  RETURN collect({key: key, count: n}) AS diaspora
}
CALL (es) {
  UNWIND es AS e
  WITH coalesce(e.availability, 'UNKNOWN') AS key, count(*) AS n
  RETURN collect({key: key, count: n}) AS availability
}
RETURN size(es) AS total, areas, countries, diaspora, availability
"""


def facets(db: Database, *, filter: ExpertFilter, viewer: Viewer = Viewer()) -> dict[str, Any]:
    """Counts by strategic-technology group, country, diaspora status and availability."""
    source, sparams = _source(filter)

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        where, params = _where(tx, filter, viewer)
        params.update(sparams)
        row = run(tx, source + where + _FACETS, **params)[0]
        for key in ("areas", "countries", "diaspora", "availability"):
            row[key] = sorted(row[key], key=lambda b: (-b["count"], str(b["key"])))
        return row

    return db.read(work)
