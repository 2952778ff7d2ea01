"""Writing whole profiles in batch: the one write path of import, seed, restore and API edits.

``write_profiles`` replaces validated profile documents inside the caller's transaction in a
fixed number of statements whatever the batch size: the experts (created or updated, each
locked before its content hash is compared), the profile-made organizations the rewritten ones
link to, the owned sub-graph they drop, the sub-graph they get (one statement per kind of list:
skills, organizations, employment, education, projects and their areas, publications, patents,
awards; only the non-empty ones), and the dropping of those organizations nothing links any
more; nothing per row.
Publications, patents, projects and awards are shared nodes merged by id: co-authors who list
the same work meet there.

Two rules keep shared works whole when profiles are rewritten concurrently:

* a rewrite keeps the works its new documents list again instead of deleting and re-creating
  them, so a co-author written at the same time never links to a node about to go;
* a work a rewrite no longer lists is deleted only when, under its write lock, nothing else
  links to it. A transaction that links the work takes the same lock (it writes the work's
  properties or its relationship), so the check cannot miss a link made concurrently: either
  the link is committed first and the work is kept, or the work is deleted first and the
  linking transaction, which the driver retries on the deadlock or outdated read Neo4j reports,
  merges it again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from registry.db import run, run_single
from registry.names import fold
from registry.profile import SCALAR_FIELDS, content_hash, derived_fields

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

__all__ = ["OWNED_RELS", "drop_orphan_orgs", "drop_owned", "expert_row", "profile_orgs",
           "subgraph_rows", "write_profiles"]

OWNED_RELS = "HAS_SKILL|WORKS_AT|STUDIED_AT|AUTHORED|INVENTED|LED|CONTRIBUTED|RECEIVED"

# ``created`` is what MERGE did, not what a read before it saw: of two overlapping imports of
# one new expert exactly one creates it. The write lock is taken before the content hash is
# compared, so an import that waited for another one's identical write skips the row.
_UPSERT_EXPERTS = """
UNWIND $rows AS r
MERGE (e:Expert {id: r.id})
ON CREATE SET e._new = true, e.createdAt = datetime(), e.version = 0
SET e._lock = true
WITH e, r, e._new IS NOT NULL AS created
REMOVE e._lock, e._new
WITH e, r, created
WHERE created OR $force OR e.contentHash IS NULL OR e.contentHash <> r.props.contentHash
SET e += r.props, e.updatedAt = datetime(), e.version = e.version + 1
RETURN e.id AS id, created
"""

_DROP_OWNED = f"""
UNWIND $ids AS id
MATCH (e:Expert {{id: id}})-[rel:{OWNED_RELS}]->(w)
DELETE rel
WITH DISTINCT w
WHERE (w:Publication OR w:Patent OR w:Project OR w:Award) AND NOT w.id IN $keep
SET w._lock = true
REMOVE w._lock
WITH w
WHERE NOT EXISTS {{ (w)<--() }}
DETACH DELETE w
"""

# A work's properties are written only when they differ from what is stored: a shared work
# listed again by each co-author is not rewritten (nor re-indexed for full-text search) each
# time. ``r.props`` holds the work's id and its non-null properties, so ``=`` compares it whole.
_MERGE_WORK = """
MATCH (e:Expert {{id: r.expert}})
MERGE (w:{label} {{id: r.props.id}})
FOREACH (_ IN CASE WHEN properties(w) <> r.props THEN [1] ELSE [] END | SET w = r.props)
"""

# (parameter, label, relationship type) of the works linked the same way; constants, since
# Cypher takes neither a label nor a type as a parameter.
_SIMPLE_WORKS = (("publications", "Publication", "AUTHORED"), ("patents", "Patent", "INVENTED"),
                 ("awards", "Award", "RECEIVED"))

# The sub-graph, one statement per kind of list, each with that one list parameter (the caller
# sends only the non-empty ones). Neo4j plans a statement per combination of its list
# parameters' sizes (in buckets): one statement over all nine lists took a fresh plan, 0.3-1 s,
# for most single-profile writes (the kinds of list a profile has, and how many, vary).
# Organizations come before the links to them, projects before their areas.
_SUBGRAPH_PARTS: tuple[tuple[str, str], ...] = (
    ("skills", """
UNWIND $skills AS r
MATCH (e:Expert {id: r.expert})
MATCH (s:Skill {id: r.skill})
CREATE (e)-[:HAS_SKILL {level: r.level, years: r.years, source: r.source}]->(s)
"""),
    ("orgs", """
UNWIND $orgs AS r
MERGE (o:Organization {id: r.id})
ON CREATE SET o.name = r.name, o.nameFolded = r.nameFolded, o.country = r.country,
              o.city = r.city, o.kind = r.kind, o.source = 'PROFILE'
"""),
    ("works_at", """
UNWIND $works_at AS r
MATCH (e:Expert {id: r.expert})
MATCH (o:Organization {id: r.org})
CREATE (e)-[:WORKS_AT {title: r.title, from: r.from, to: r.to, position: r.position}]->(o)
"""),
    ("studied_at", """
UNWIND $studied_at AS r
MATCH (e:Expert {id: r.expert})
MATCH (o:Organization {id: r.org})
CREATE (e)-[:STUDIED_AT {degree: r.degree, field: r.field, year: r.year,
                         position: r.position}]->(o)
"""),
    ("projects", "UNWIND $projects AS r" + _MERGE_WORK.format(label="Project") + """
FOREACH (_ IN CASE WHEN r.led THEN [1] ELSE [] END |
  CREATE (e)-[:LED {role: r.role, position: r.position}]->(w))
FOREACH (_ IN CASE WHEN r.led THEN [] ELSE [1] END |
  CREATE (e)-[:CONTRIBUTED {role: r.role, position: r.position}]->(w))
"""),
    # A project's areas are the written document's (the last one listing it, when several
    # do); one row per project, and links replaced only when they differ.
    ("project_areas", """
UNWIND $project_areas AS r
MATCH (w:Project {id: r.id})
WITH w, r, [(w)-[:IN_AREA]->(t:TechArea) | t.id] AS current
WHERE size(current) <> size(r.areas) OR any(a IN r.areas WHERE NOT a IN current)
CALL {
  WITH w
  MATCH (w)-[old:IN_AREA]->()
  DELETE old
}
CALL {
  WITH w, r
  UNWIND r.areas AS area
  MATCH (t:TechArea {id: area})
  CREATE (w)-[:IN_AREA]->(t)
}
"""),
    *((param, "UNWIND $" + param + " AS r" + _MERGE_WORK.format(label=label)
       + "CREATE (e)-[:" + rel + " {position: r.position}]->(w)\n")
      for param, label, rel in _SIMPLE_WORKS),
)

# Organizations that profiles created (reference ones are kept whatever links they have).
_PROFILE_ORGS = """
UNWIND $ids AS id
MATCH (:Expert {id: id})-[:WORKS_AT|STUDIED_AT]->(o:Organization {source: 'PROFILE'})
RETURN collect(DISTINCT o.id) AS orgs
"""

# Locked before the check, so a link another transaction commits meanwhile is seen.
_DROP_ORPHAN_ORGS = """
UNWIND $orgs AS id
MATCH (o:Organization {id: id})
WHERE o.source = 'PROFILE'
SET o._lock = true
REMOVE o._lock
WITH o
WHERE NOT EXISTS { (o)--() }
DELETE o
"""

_WORK_KINDS = ("publications", "patents", "projects", "awards")


def _work_props(item: dict[str, Any], *, drop: tuple[str, ...] = ()) -> dict[str, Any]:
    return {k: v for k, v in item.items() if v is not None and k not in drop}


def subgraph_rows(docs: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The parameters of ``_SUBGRAPH_PARTS``: one list per kind of owned link, all documents."""
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "skills", "orgs", "works_at", "studied_at", *_WORK_KINDS)}
    seen_orgs: set[str] = set()
    areas: dict[str, list[str]] = {}
    for doc in docs:
        eid = doc["id"]
        out["skills"].extend({"expert": eid, **s} for s in doc.get("skills") or ())
        for key, rel in (("employment", "works_at"), ("education", "studied_at")):
            for pos, item in enumerate(doc.get(key) or ()):
                org = item["organizationRef"]
                if org["id"] not in seen_orgs:
                    seen_orgs.add(org["id"])
                    out["orgs"].append({**org, "nameFolded": fold(org["name"])})
                row = {k: v for k, v in item.items() if k not in ("organization", "organizationRef")}
                out[rel].append({"expert": eid, "org": org["id"], "position": pos, **row})
        for key in ("publications", "patents", "awards"):
            out[key].extend({"expert": eid, "position": pos, "props": _work_props(w)}
                            for pos, w in enumerate(doc.get(key) or ()))
        out["projects"].extend(
            {"expert": eid, "position": pos, "led": p["relation"] == "LED", "role": p.get("role"),
             "props": _work_props(p, drop=("relation", "role", "areas"))}
            for pos, p in enumerate(doc.get("projects") or ()))
        areas.update((p["id"], sorted(set(p.get("areas") or ()))) for p in doc.get("projects") or ())
    out["project_areas"] = [{"id": pid, "areas": a} for pid, a in areas.items()]
    return out


def expert_row(doc: dict[str, Any]) -> dict[str, Any]:
    props = {k: doc.get(k) for k in SCALAR_FIELDS if k != "id"}
    props.update(derived_fields(doc))
    props["contentHash"] = content_hash(doc)
    return {"id": doc["id"], "props": props}


def profile_orgs(tx: ManagedTransaction, ids: list[str]) -> list[str]:
    """The profile-made organizations the experts link to (read before a rewrite)."""
    row = run_single(tx, _PROFILE_ORGS, ids=ids)
    return row["orgs"] if row else []


def drop_orphan_orgs(tx: ManagedTransaction, orgs: list[str]) -> None:
    """Delete the profile-made organizations among ``orgs`` that nothing links to any more."""
    if orgs:
        run(tx, _DROP_ORPHAN_ORGS, orgs=orgs)


def drop_owned(tx: ManagedTransaction, ids: list[str], keep: list[str]) -> None:
    """Unlink the experts' owned sub-graph and delete the works nobody else links to, except
    the ``keep`` ones (see the module docstring for why that is safe concurrently)."""
    if ids:
        run(tx, _DROP_OWNED, ids=ids, keep=keep)


def write_profiles(tx: ManagedTransaction, docs: list[dict[str, Any]], *,
                   skip_unchanged: bool = False) -> dict[str, bool]:
    """Create or replace whole validated profiles, in batch, inside the caller's transaction.

    Returns ``{expert id: created}`` for the profiles written. With ``skip_unchanged`` a
    profile whose stored content hash equals the document's is left alone (not returned, its
    version kept); the comparison is made under the expert's write lock.
    """
    if not docs:
        return {}
    written = {r["id"]: r["created"] for r in run(
        tx, _UPSERT_EXPERTS, rows=[expert_row(d) for d in docs], force=not skip_unchanged)}
    docs = [d for d in docs if d["id"] in written]
    if not docs:
        return written
    # Works the new documents list again are kept, not deleted and re-created: a co-author
    # written at the same time may already have matched the node.
    keep = [w["id"] for d in docs for k in _WORK_KINDS for w in d.get(k) or ()]
    rewritten = [d["id"] for d in docs if not written[d["id"]]]
    linked_before = profile_orgs(tx, rewritten) if rewritten else []
    drop_owned(tx, rewritten, keep)
    rows = subgraph_rows(docs)
    for param, statement in _SUBGRAPH_PARTS:
        if rows[param]:
            run(tx, statement, **{param: rows[param]})
    drop_orphan_orgs(tx, linked_before)
    return written
