"""The strategic-technology lists and the skill taxonomy, in the graph.

Reference data (``seed/data``) is the source: ``sync_reference`` writes it into the graph once
per data version (``TaxonomyVersion`` nodes record which lists are present), so tasks and
matches can say which list they refer to. Reads here serve the API's taxonomy fields and the
matcher's partial credit through broader/narrower links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from registry.db import Database, run
from registry.fulltext import lucene_query
from registry.names import fold

__all__ = [
    "TechArea", "Skill", "sync_reference", "list_tech_areas", "list_tech_lists", "search_skills",
    "get_skills", "narrower_closure", "skill_neighbours", "all_skills",
]


@dataclass(frozen=True)
class TechArea:
    id: str
    code: str
    name_vi: str
    name_en: str
    list_id: str
    confirmed: bool


@dataclass(frozen=True)
class Skill:
    id: str
    name_en: str
    name_vi: str
    aliases_en: tuple[str, ...]
    aliases_vi: tuple[str, ...]
    broader: tuple[str, ...]
    narrower: tuple[str, ...]
    areas: tuple[str, ...]


_SYNC_LISTS = """
UNWIND $lists AS l
MERGE (v:TaxonomyVersion {id: l.id})
SET v += l.props
WITH v, l
UNWIND l.groups AS g
MERGE (a:TechArea {id: g.id})
SET a += g.props, a.listId = l.id
MERGE (a)-[:IN_LIST]->(v)
"""

_SYNC_REPLACES = """
UNWIND $rows AS r
MATCH (n:TechArea {id: r.new}), (o:TechArea {id: r.old})
MERGE (n)-[:REPLACES]->(o)
"""

_SYNC_SKILLS = """
UNWIND $skills AS s
MERGE (k:Skill {id: s.id})
SET k += s.props
WITH k
OPTIONAL MATCH (k)-[old:BROADER|IN_AREA]->()
DELETE old
"""

_SYNC_SKILL_LINKS = """
UNWIND $skills AS s
MATCH (k:Skill {id: s.id})
CALL (k, s) {
  UNWIND s.broader AS b
  MATCH (p:Skill {id: b})
  MERGE (k)-[:BROADER]->(p)
}
CALL (k, s) {
  UNWIND s.areas AS a
  MATCH (t:TechArea {id: a})
  MERGE (k)-[:IN_AREA]->(t)
}
"""

_SKILL_FIELDS = """
s {.id, .nameEn, .nameVi, .aliasesEn, .aliasesVi,
   broader: [(s)-[:BROADER]->(b) | b.id], narrower: [(s)<-[:BROADER]-(n) | n.id],
   areas: [(s)-[:IN_AREA]->(a) | a.id]} AS skill
"""


def _skill(row: dict[str, Any]) -> Skill:
    s = row["skill"]
    return Skill(s["id"], s["nameEn"], s["nameVi"], tuple(s.get("aliasesEn") or ()),
                 tuple(s.get("aliasesVi") or ()), tuple(sorted(s["broader"])),
                 tuple(sorted(s["narrower"])), tuple(sorted(s["areas"])))


def sync_reference(db: Database, *, force: bool = False) -> bool:
    """Write the reference data into the graph unless this data version is there already."""
    from seed.reference import (
        DATA_VERSION, load_organizations, load_skills, load_tech_lists,
    )
    from registry.organizations import sync_reference_organizations

    marker = f"reference-data:{DATA_VERSION}"
    if not force and db.query("MATCH (m:SchemaMigration {id: $id}) RETURN m.id AS id", id=marker):
        return False
    lists, replaces = [], []
    for lst in load_tech_lists().lists:
        groups = []
        for g in lst.groups:
            groups.append({"id": g.id, "props": {
                "code": g.code, "nameVi": g.name_vi, "nameEn": g.name_en,
                "confirmed": g.confirmed, "uncertain": g.uncertain}})
            replaces.extend({"new": g.id, "old": old} for old in g.replaces)
        lists.append({"id": lst.id, "groups": groups, "props": {
            "decision": lst.decision, "nameVi": lst.name_vi, "nameEn": lst.name_en,
            "validFrom": lst.valid_from.isoformat(),
            "validTo": lst.valid_to.isoformat() if lst.valid_to else None,
            "uncertain": lst.uncertain, "source": lst.source}})
    skills = []
    for s in load_skills():
        aliases = list(s.aliases_en) + list(s.aliases_vi)
        skills.append({"id": s.id, "broader": list(s.broader), "areas": list(s.areas), "props": {
            "nameEn": s.name_en, "nameVi": s.name_vi, "aliasesEn": list(s.aliases_en),
            "aliasesVi": list(s.aliases_vi), "nameFolded": fold(s.name_vi + " " + s.name_en),
            "aliasText": " ".join([fold(a) for a in aliases]),
        }})

    def work(tx: ManagedTransaction) -> None:
        run(tx, _SYNC_LISTS, lists=lists)
        run(tx, _SYNC_REPLACES, rows=replaces)
        run(tx, _SYNC_SKILLS, skills=skills)
        run(tx, _SYNC_SKILL_LINKS, skills=skills)
        run(tx, "MERGE (m:SchemaMigration {id: $id}) SET m.appliedAt = datetime(), "
                "m.description = 'reference data'", id=marker)

    db.write(work)
    sync_reference_organizations(db, load_organizations())
    return True


def list_tech_lists(db: Database) -> list[dict[str, Any]]:
    return db.query("MATCH (v:TaxonomyVersion) RETURN v {.*} AS list ORDER BY v.validFrom")


def list_tech_areas(db: Database, *, list_id: str | None = None) -> list[TechArea]:
    rows = db.query(
        "MATCH (a:TechArea) WHERE $list IS NULL OR a.listId = $list "
        "RETURN a {.*} AS a ORDER BY a.listId, a.code", list=list_id)
    return [TechArea(r["a"]["id"], r["a"]["code"], r["a"]["nameVi"], r["a"]["nameEn"],
                     r["a"]["listId"], r["a"]["confirmed"]) for r in rows]


def search_skills(db: Database, *, query: str | None, first: int = 20) -> list[Skill]:
    """Skills whose Vietnamese or English names or aliases match, diacritics ignored."""
    lucene = lucene_query(query or "", prefix_last=True)
    if lucene is None:
        rows = db.query(f"MATCH (s:Skill) RETURN {_SKILL_FIELDS} ORDER BY s.id LIMIT $first",
                        first=first)
    else:
        rows = db.query(
            "CALL db.index.fulltext.queryNodes('skill_text', $q, {limit: $first}) "
            f"YIELD node AS s, score RETURN {_SKILL_FIELDS} ORDER BY score DESC, s.id",
            q=lucene, first=first)
    return [_skill(r) for r in rows]


def get_skills(tx: ManagedTransaction, ids: list[str]) -> dict[str, Skill]:
    rows = run(tx, f"UNWIND $ids AS id MATCH (s:Skill {{id: id}}) RETURN {_SKILL_FIELDS}",
               ids=ids)
    return {r["skill"]["id"]: _skill(r) for r in rows}


def all_skills(db: Database) -> list[Skill]:
    return [_skill(r) for r in db.query(f"MATCH (s:Skill) RETURN {_SKILL_FIELDS} ORDER BY s.id")]


def narrower_closure(tx: ManagedTransaction, ids: list[str]) -> list[str]:
    """The skills and every skill below them (a filter on a skill includes its narrower ones)."""
    rows = run(tx, "UNWIND $ids AS id MATCH (s:Skill {id: id})<-[:BROADER*0..5]-(n:Skill) "
                   "RETURN DISTINCT n.id AS id", ids=ids)
    return sorted(r["id"] for r in rows)


def skills_in_areas(tx: ManagedTransaction, areas: list[str]) -> list[str]:
    """The skills that belong to any of these strategic-technology groups."""
    rows = run(tx, "MATCH (s:Skill)-[:IN_AREA]->(a:TechArea) WHERE a.id IN $areas "
                   "RETURN DISTINCT s.id AS id", areas=areas)
    return sorted(r["id"] for r in rows)


def skill_neighbours(db: Database) -> dict[str, tuple[str, ...]]:
    """Every skill's direct broader skills (the matcher's partial-credit graph)."""
    rows = db.query("MATCH (s:Skill) RETURN s.id AS id, [(s)-[:BROADER]->(b) | b.id] AS up")
    return {r["id"]: tuple(r["up"]) for r in rows}
