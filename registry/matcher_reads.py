"""Lean reads for the matcher's in-memory index (``matching.snapshot``, ``matching.text``).

``registry.experts.read_profiles`` returns whole profile documents (every property of every
work, organization details, positions) and costs about 1-2 ms per expert to decode. The
matcher needs a fraction of that, so these reads return only the fields it uses, in the
shape ``read_profiles`` gives them (``matching.records.record_from_profile`` and
``matching.eligibility.compute_facts`` accept both):

* :func:`read_matcher_profiles` - one statement per batch of ids (UNWIND), lists as
  positional tuples decoded here;
* :func:`document_pages` - every publication and project with its text and authors, plus
  each expert's headline and bio, streamed in pages ordered by id (for the evidence ranker's
  background fit);
* :func:`read_expert_documents` - the documents of a few experts (the explanations of one
  page of a ranking, a fit sample).

The birth year is read because a decree's age limit needs it (eligibility facts); no other
protected attribute is read. Every statement is constant Cypher with ``$parameters``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from neo4j import ManagedTransaction

from registry.db import Database, run

__all__ = [
    "DOCUMENT_PAGE",
    "ExpertDocument",
    "document_pages",
    "list_experts",
    "read_expert_documents",
    "read_matcher_profiles",
]

DOCUMENT_PAGE = 10_000

_SCALARS = ("visibility", "residenceCountry", "city", "diaspora", "languages", "availability",
            "availableFrom", "willingToRelocate", "remoteOk", "verified", "yearsExperience",
            "hIndex", "citations", "headline", "bio", "birthYear", "honorific",
            "nationalities", "currentForeignResearchPost", "fullName", "nameSearch")

_PROFILES = """
UNWIND $ids AS id
MATCH (e:Expert {id: id})
RETURN e.id AS id, e.version AS version, e.updatedAt AS updatedAt,
  [e.visibility, e.residenceCountry, e.city, e.diaspora, e.languages, e.availability,
   e.availableFrom, e.willingToRelocate, e.remoteOk, e.verified, e.yearsExperience,
   e.hIndex, e.citations, e.headline, e.bio, e.birthYear, e.honorific, e.nationalities,
   e.currentForeignResearchPost, e.fullName, e.nameSearch] AS p,
  [(e)-[h:HAS_SKILL]->(s:Skill) | [s.id, h.level, h.years]] AS skills,
  [(e)-[w:WORKS_AT]->(o:Organization) | [w.position, o.id, o.kind, o.country, w.from, w.to]]
    AS jobs,
  [(e)-[d:STUDIED_AT]->(o:Organization) | [d.position, o.id, d.degree]] AS degrees,
  [(e)-[a:AUTHORED]->(w:Publication) | [a.position, w.id, w.title, w.abstract, w.year]]
    AS pubs,
  [(e)-[i:INVENTED]->(w:Patent) | [i.position, w.granted, w.applied, w.year]] AS patents,
  [(e)-[l:LED|CONTRIBUTED]->(w:Project) |
    [l.position, w.id, w.title, w.summary, w.startYear, w.endYear, type(l), w.scale,
     w.outcome, w.interdisciplinary, [(w)-[:IN_AREA]->(t:TechArea) | t.id]]] AS projects,
  [(e)-[r:RECEIVED]->(w:Award) | [r.position, w.international]] AS awards
"""

_LIST = "MATCH (e:Expert) RETURN e.id AS id, e.version AS version, e.updatedAt AS updatedAt"

# Pages by id (the uniqueness constraints' indexes give the order without a sort).
_PUBLICATIONS = """
MATCH (w:Publication) WHERE w.id > $after
WITH w ORDER BY w.id LIMIT $limit
RETURN w.id AS id, w.title AS title, w.abstract AS text,
       [(e:Expert)-[:AUTHORED]->(w) | e.id] AS authors
"""
_PROJECTS = """
MATCH (w:Project) WHERE w.id > $after
WITH w ORDER BY w.id LIMIT $limit
RETURN w.id AS id, w.title AS title, w.summary AS text,
       [(e:Expert)-[:LED|CONTRIBUTED]->(w) | e.id] AS authors
"""
_PROFILE_TEXT = """
MATCH (e:Expert) WHERE e.id > $after
WITH e ORDER BY e.id LIMIT $limit
RETURN e.id AS id, e.headline AS title, e.bio AS text
"""

_EXPERT_DOCUMENTS = """
UNWIND $ids AS id
MATCH (e:Expert {id: id})
RETURN id, e.headline AS headline, e.bio AS bio,
  [(e)-[a:AUTHORED]->(w:Publication) |
    [a.position, w.id, 'PUBLICATION', w.title, w.abstract, w.year]] +
  [(e)-[l:LED|CONTRIBUTED]->(w:Project) |
    [1000000 + l.position, w.id, 'PROJECT', w.title, w.summary,
     coalesce(w.endYear, w.startYear)]] AS docs
"""

ExpertDocument = tuple[str, str, str, str, Any]
"""(document id, kind PUBLICATION | PROJECT | PROFILE, title, text, year)."""


def list_experts(db: Database) -> list[dict[str, Any]]:
    """Every expert's id, version and ``updatedAt``."""
    return db.query(_LIST)


def _by_position(items: Iterable[list[Any]]) -> list[list[Any]]:
    return sorted(items, key=lambda x: (x[0] is None, x[0] or 0))


def _profile(row: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = dict(zip(_SCALARS, row["p"]))
    doc["id"], doc["version"], doc["updatedAt"] = row["id"], row["version"], row["updatedAt"]
    doc["skills"] = sorted(({"skill": s, "level": lvl, "years": yrs}
                            for s, lvl, yrs in row["skills"]), key=lambda s: s["skill"])
    doc["employment"] = [{"organization": {"id": oid, "kind": kind, "country": country},
                          "from": start, "to": end}
                         for _, oid, kind, country, start, end in _by_position(row["jobs"])]
    doc["education"] = [{"organization": {"id": oid}, "degree": degree}
                        for _, oid, degree in _by_position(row["degrees"])]
    doc["publications"] = [{"id": wid, "title": title, "abstract": abstract, "year": year}
                           for _, wid, title, abstract, year in _by_position(row["pubs"])]
    doc["patents"] = [{"granted": granted, "applied": applied, "year": year}
                      for _, granted, applied, year in _by_position(row["patents"])]
    doc["projects"] = [
        {"id": wid, "title": title, "summary": summary, "startYear": start, "endYear": end,
         "relation": relation, "scale": scale, "outcome": outcome,
         "interdisciplinary": inter, "areas": areas}
        for _, wid, title, summary, start, end, relation, scale, outcome, inter, areas
        in _by_position(row["projects"])]
    doc["awards"] = [{"international": international}
                     for _, international in _by_position(row["awards"])]
    return doc


def read_matcher_profiles(tx: ManagedTransaction, ids: Sequence[str]
                          ) -> dict[str, dict[str, Any]]:
    """The fields of these experts that the matcher reads, as ``read_profiles`` shapes them
    (missing ids are left out). One statement."""
    return {row["id"]: _profile(row) for row in run(tx, _PROFILES, ids=list(ids))}


def read_expert_documents(tx: ManagedTransaction, ids: Sequence[str]
                          ) -> dict[str, list[ExpertDocument]]:
    """Each expert's documents in profile order: the headline and bio (``profile:<id>``,
    when either is set), then publications, then projects. One statement."""
    out: dict[str, list[ExpertDocument]] = {}
    for row in run(tx, _EXPERT_DOCUMENTS, ids=list(ids)):
        docs: list[ExpertDocument] = []
        if row["headline"] or row["bio"]:
            docs.append((f"profile:{row['id']}", "PROFILE", row["headline"] or "",
                         row["bio"] or "", None))
        docs.extend((wid, kind, title or "", text or "", year)
                    for _, wid, kind, title, text, year in _by_position(row["docs"]))
        out[row["id"]] = docs
    return out


def document_pages(db: Database, *, page: int = DOCUMENT_PAGE
                   ) -> Iterator[list[tuple[str, str, tuple[str, ...]]]]:
    """Every document as ``(id, "title\\ntext", authors)``, a page at a time: publications,
    projects, then each expert's headline and bio as ``profile:<id>`` (authored by that
    expert; only when one of them is set). Each page is its own read transaction."""
    for statement in (_PUBLICATIONS, _PROJECTS):
        after = ""
        while True:
            rows = db.query(statement, after=after, limit=page)
            if not rows:
                break
            yield [(r["id"], f"{r['title'] or ''}\n{r['text'] or ''}", tuple(r["authors"]))
                   for r in rows]
            after = rows[-1]["id"]
    after = ""
    while True:
        rows = db.query(_PROFILE_TEXT, after=after, limit=page)
        if not rows:
            break
        docs = [(f"profile:{r['id']}", f"{r['title'] or ''}\n{r['text'] or ''}", (r["id"],))
                for r in rows if r["title"] or r["text"]]
        if docs:
            yield docs
        after = rows[-1]["id"]
