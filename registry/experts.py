"""Data access for the Expert aggregate: a profile and everything it owns.

A profile is one document (see ``registry.profile``): scalar fields plus lists of skills,
employment, education, publications, patents, projects and awards. Every write replaces the
whole document in one transaction (import, seed and API edits share this one path), so a
profile is never half-written. Updates check the version the caller read under a write lock.
Publications, patents and projects are shared nodes: co-authors who list the same work meet
there, which is where co-authorship comes from. An organization a profile brought in (not
reference data) goes when a rewrite or a delete leaves it with no link at all.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from neo4j import ManagedTransaction

from registry import audit
from registry.db import Database, run, run_single
from registry.errors import NotFound, VersionConflict
from registry.names import fold
from registry.profile import (
    SCALAR_FIELDS,
    content_hash,
    derived_fields,
    validate_profile,
)

__all__ = [
    "write_profiles",
    "read_profiles",
    "read_cards",
    "read_parts",
    "PROFILE_PARTS",
    "read_profile",
    "create_expert",
    "update_expert",
    "delete_expert",
    "existing_hashes",
    "expert_exists",
]

_OWNED_RELS = "HAS_SKILL|WORKS_AT|STUDIED_AT|AUTHORED|INVENTED|LED|CONTRIBUTED|RECEIVED"

_UPSERT_EXPERTS = """
UNWIND $rows AS r
MERGE (e:Expert {id: r.id})
ON CREATE SET e.createdAt = datetime(), e.version = 0
SET e += r.props, e.updatedAt = datetime(), e.version = e.version + 1
"""

_DROP_OWNED = f"""
UNWIND $ids AS id
MATCH (e:Expert {{id: id}})-[rel:{_OWNED_RELS}]->(w)
DELETE rel
WITH DISTINCT w
WHERE (w:Publication OR w:Patent OR w:Project OR w:Award) AND NOT EXISTS {{ (w)<--() }}
  AND NOT w.id IN $keep
DETACH DELETE w
"""

_SKILLS = """
UNWIND $rows AS r
MATCH (e:Expert {id: r.expert})
MATCH (s:Skill {id: r.skill})
CREATE (e)-[:HAS_SKILL {level: r.level, years: r.years, source: r.source}]->(s)
"""

_ORGS = """
UNWIND $rows AS r
MERGE (o:Organization {id: r.id})
ON CREATE SET o.name = r.name, o.nameFolded = r.nameFolded, o.country = r.country,
              o.city = r.city, o.kind = r.kind, o.source = 'PROFILE'
"""

_WORKS_AT = """
UNWIND $rows AS r
MATCH (e:Expert {id: r.expert})
MATCH (o:Organization {id: r.org})
CREATE (e)-[:WORKS_AT {title: r.title, from: r.from, to: r.to, position: r.position}]->(o)
"""

_STUDIED_AT = """
UNWIND $rows AS r
MATCH (e:Expert {id: r.expert})
MATCH (o:Organization {id: r.org})
CREATE (e)-[:STUDIED_AT {degree: r.degree, field: r.field, year: r.year,
                         position: r.position}]->(o)
"""

_PUBLICATIONS = """
UNWIND $rows AS r
MERGE (p:Publication {id: r.id})
SET p += r.props
WITH p, r
MATCH (e:Expert {id: r.expert})
CREATE (e)-[:AUTHORED {position: r.position}]->(p)
"""

_PATENTS = """
UNWIND $rows AS r
MERGE (p:Patent {id: r.id})
SET p += r.props
WITH p, r
MATCH (e:Expert {id: r.expert})
CREATE (e)-[:INVENTED {position: r.position}]->(p)
"""

# LED and CONTRIBUTED are separate relationship types: Cypher cannot take a type as a parameter.
_PROJECTS_LED = """
UNWIND $rows AS r
MERGE (p:Project {id: r.id})
SET p += r.props
WITH p, r
MATCH (e:Expert {id: r.expert})
CREATE (e)-[:LED {role: r.role, position: r.position}]->(p)
"""

_PROJECTS_CONTRIBUTED = """
UNWIND $rows AS r
MERGE (p:Project {id: r.id})
SET p += r.props
WITH p, r
MATCH (e:Expert {id: r.expert})
CREATE (e)-[:CONTRIBUTED {role: r.role, position: r.position}]->(p)
"""

# A project's areas are the written document's: a kept project loses the ones it no longer has.
_PROJECT_AREAS = """
UNWIND $rows AS r
MATCH (p:Project {id: r.project})
OPTIONAL MATCH (p)-[old:IN_AREA]->()
DELETE old
WITH DISTINCT p, r
UNWIND r.areas AS area
MATCH (a:TechArea {id: area})
MERGE (p)-[:IN_AREA]->(a)
"""

_AWARDS = """
UNWIND $rows AS r
MERGE (a:Award {id: r.id})
SET a += r.props
WITH a, r
MATCH (e:Expert {id: r.expert})
CREATE (e)-[:RECEIVED {position: r.position}]->(a)
"""

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

# The lists a profile owns, as map-projection entries over `e` (see ``_clean`` for their order).
_PARTS = """
  skills: [(e)-[h:HAS_SKILL]->(s:Skill) |
           {skill: s.id, level: h.level, years: h.years, source: h.source}],
  employment: [(e)-[w:WORKS_AT]->(o:Organization) |
           {organization: o {.id, .name, .country, .city, .kind}, title: w.title,
            from: w.from, to: w.to, position: w.position}],
  education: [(e)-[d:STUDIED_AT]->(o:Organization) |
           {organization: o {.id, .name, .country, .city, .kind}, degree: d.degree,
            field: d.field, year: d.year, position: d.position}],
  publications: [(e)-[a:AUTHORED]->(p:Publication) | p {.*, position: a.position}],
  patents: [(e)-[i:INVENTED]->(p:Patent) | p {.*, position: i.position}],
  projects: [(e)-[l:LED|CONTRIBUTED]->(p:Project) |
           p {.*, relation: type(l), role: l.role, position: l.position,
              areas: [(p)-[:IN_AREA]->(t:TechArea) | t.id]}],
  awards: [(e)-[r:RECEIVED]->(a:Award) | a {.*, position: r.position}]
"""
PROFILE_PARTS = ("skills", "employment", "education", "publications", "patents", "projects",
                 "awards")
_BY_ID = "UNWIND $ids AS id\nMATCH (e:Expert {id: id})\n"
_READ = _BY_ID + "RETURN e {.*, " + _PARTS + "} AS doc"
# A card's two instants come as [epoch seconds, nanosecond]: the driver's DateTime hydration
# cost more than the rest of a card together (``read_cards`` makes them datetimes in UTC).
_READ_CARDS = _BY_ID + """RETURN e {.*,
  createdAt: [e.createdAt.epochSeconds, e.createdAt.nanosecond],
  updatedAt: [e.updatedAt.epochSeconds, e.updatedAt.nanosecond]} AS doc"""
_READ_PARTS = _BY_ID + "RETURN e {.id, " + _PARTS + "} AS doc"

_LOCK = """
MATCH (e:Expert {id: $id})
SET e._lock = true
REMOVE e._lock
RETURN e.version AS version
"""

_HASHES = """
UNWIND $ids AS id
MATCH (e:Expert {id: id})
RETURN e.id AS id, e.contentHash AS hash
"""


def _rows(docs: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Flatten validated documents into one parameter list per statement."""
    out: dict[str, list[dict[str, Any]]] = {k: [] for k in (
        "experts", "skills", "orgs", "works_at", "studied_at", "publications", "patents",
        "led", "contributed", "project_areas", "awards")}
    seen_orgs: set[str] = set()
    for doc in docs:
        eid = doc["id"]
        props = {k: doc.get(k) for k in SCALAR_FIELDS if k != "id"}
        props.update(derived_fields(doc))
        props["contentHash"] = content_hash(doc)
        out["experts"].append({"id": eid, "props": props})
        for s in doc.get("skills", ()):
            out["skills"].append({"expert": eid, **s})
        for key, rel in (("employment", "works_at"), ("education", "studied_at")):
            for pos, item in enumerate(doc.get(key, ())):
                org = item["organizationRef"]
                if org["id"] not in seen_orgs:
                    seen_orgs.add(org["id"])
                    out["orgs"].append({**org, "nameFolded": fold(org["name"])})
                row = {k: v for k, v in item.items() if k not in ("organization", "organizationRef")}
                out[rel].append({"expert": eid, "org": org["id"], "position": pos, **row})
        for pos, p in enumerate(doc.get("publications", ())):
            out["publications"].append({"expert": eid, "id": p["id"], "position": pos,
                                        "props": {k: v for k, v in p.items() if k != "id"}})
        for pos, p in enumerate(doc.get("patents", ())):
            out["patents"].append({"expert": eid, "id": p["id"], "position": pos,
                                   "props": {k: v for k, v in p.items() if k != "id"}})
        for pos, p in enumerate(doc.get("projects", ())):
            props_p = {k: v for k, v in p.items() if k not in ("id", "relation", "role", "areas")}
            row = {"expert": eid, "id": p["id"], "position": pos, "role": p.get("role"),
                   "props": props_p}
            out["led" if p["relation"] == "LED" else "contributed"].append(row)
            out["project_areas"].append({"project": p["id"], "areas": list(p.get("areas", ()))})
        for pos, a in enumerate(doc.get("awards", ())):
            out["awards"].append({"expert": eid, "id": a["id"], "position": pos,
                                  "props": {k: v for k, v in a.items() if k != "id"}})
    return out


def _profile_orgs(tx: ManagedTransaction, ids: list[str]) -> list[str]:
    row = run_single(tx, _PROFILE_ORGS, ids=ids)
    return row["orgs"] if row else []


def _drop_orphan_orgs(tx: ManagedTransaction, orgs: list[str]) -> None:
    """Delete the profile-made organizations among ``orgs`` that nothing links to any more."""
    if orgs:
        run(tx, _DROP_ORPHAN_ORGS, orgs=orgs)


def write_profiles(tx: ManagedTransaction, docs: list[dict[str, Any]]) -> None:
    """Create or replace whole validated profiles, in batch, inside the caller's transaction."""
    if not docs:
        return
    linked_before = _profile_orgs(tx, [d["id"] for d in docs])
    rows = _rows(docs)
    run(tx, _UPSERT_EXPERTS, rows=rows["experts"])
    # Works the new documents list again are kept, not deleted and re-created: a co-author
    # written at the same time may already have matched the node.
    keep = [w["id"] for d in docs for k in ("publications", "patents", "projects", "awards")
            for w in d.get(k) or ()]
    run(tx, _DROP_OWNED, ids=[d["id"] for d in docs], keep=keep)
    for statement, key in (
        (_SKILLS, "skills"), (_ORGS, "orgs"), (_WORKS_AT, "works_at"),
        (_STUDIED_AT, "studied_at"), (_PUBLICATIONS, "publications"), (_PATENTS, "patents"),
        (_PROJECTS_LED, "led"), (_PROJECTS_CONTRIBUTED, "contributed"),
        (_PROJECT_AREAS, "project_areas"), (_AWARDS, "awards"),
    ):
        if rows[key]:
            run(tx, statement, rows=rows[key])
    _drop_orphan_orgs(tx, linked_before)


def _clean(doc: dict[str, Any]) -> dict[str, Any]:
    for key in ("employment", "education", "publications", "patents", "projects", "awards"):
        doc[key] = sorted(doc.get(key) or [], key=lambda x: x.get("position", 0))
        for item in doc[key]:
            item.pop("position", None)
    doc["skills"] = sorted(doc.get("skills") or [], key=lambda s: s["skill"])
    return doc


def read_profiles(tx: ManagedTransaction, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Whole profile documents by id (missing ids are absent)."""
    return {row["doc"]["id"]: _clean(row["doc"]) for row in run(tx, _READ, ids=ids)}


def read_cards(tx: ManagedTransaction, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The scalar fields of profiles (no ``PROFILE_PARTS``): what a result list shows, read
    without the lists, which are most of a profile's bytes."""
    docs = {row["doc"]["id"]: row["doc"] for row in run(tx, _READ_CARDS, ids=ids)}
    for doc in docs.values():
        for key in ("createdAt", "updatedAt"):
            seconds, nanos = doc[key]
            doc[key] = None if seconds is None else dt.datetime.fromtimestamp(
                seconds, dt.UTC).replace(microsecond=nanos // 1000)
    return docs


def read_parts(tx: ManagedTransaction, ids: list[str]) -> dict[str, dict[str, Any]]:
    """The ``PROFILE_PARTS`` of profiles (and their ``id``); with ``read_cards``, the same as
    ``read_profiles``."""
    return {row["doc"]["id"]: _clean(row["doc"]) for row in run(tx, _READ_PARTS, ids=ids)}


def read_profile(db: Database, expert_id: str) -> dict[str, Any]:
    doc = db.read(read_profiles, [expert_id]).get(expert_id)
    if doc is None:
        raise NotFound("Expert", expert_id)
    return doc


def existing_hashes(tx: ManagedTransaction, ids: list[str]) -> dict[str, str]:
    return {r["id"]: r["hash"] for r in run(tx, _HASHES, ids=ids)}


def expert_exists(tx: ManagedTransaction, expert_id: str) -> bool:
    return run_single(tx, "MATCH (e:Expert {id: $id}) RETURN true AS ok", id=expert_id) is not None


def create_expert(db: Database, raw: dict[str, Any], *, registered_by: str | None = None
                  ) -> dict[str, Any]:
    """Validate and create a new profile; refuses an id that exists already. The registration
    is written to the audit trail (EXPERT_REGISTERED by ``registered_by``, None for the
    system) in the same transaction."""
    doc = validate_profile(raw)
    if registered_by:
        doc["registeredBy"] = registered_by

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        if expert_exists(tx, doc["id"]):
            from registry.errors import Code, ValidationError

            raise ValidationError.at("id", Code.ALREADY_EXISTS,
                                     "an expert with this id exists already")
        write_profiles(tx, [doc])
        audit.record(tx, actor_id=registered_by, action=audit.AuditAction.EXPERT_REGISTERED,
                     subject_kind="Expert", subject_id=doc["id"])
        return read_profiles(tx, [doc["id"]])[doc["id"]]

    return db.write(work)


def update_expert(
    db: Database,
    expert_id: str,
    version: int,
    change: Callable[[dict[str, Any]], dict[str, Any]],
    *,
    actor_id: str | None = None,
    action: audit.AuditAction | None = None,
) -> dict[str, Any]:
    """Apply ``change`` to the profile read at ``version``; a stale version is a conflict.

    The expert node is write-locked before its version is compared, so of concurrent updates
    made from the same version exactly one wins and the others get ``VersionConflict``.
    With ``action`` the change is written to the audit trail (by ``actor_id``, with the names
    of the fields that changed) in the same transaction.
    """

    def work(tx: ManagedTransaction) -> dict[str, Any]:
        row = run_single(tx, _LOCK, id=expert_id)
        if row is None:
            raise NotFound("Expert", expert_id)
        if row["version"] != version:
            raise VersionConflict("Expert", expert_id, version, row["version"])
        current = _editable(read_profiles(tx, [expert_id])[expert_id])
        proposed = change(dict(current))
        proposed["id"] = expert_id
        doc = validate_profile(proposed)
        write_profiles(tx, [doc])
        if action is not None:
            changed = sorted(k for k in proposed if proposed.get(k) != current.get(k))
            audit.record(tx, actor_id=actor_id, action=action, subject_kind="Expert",
                         subject_id=expert_id, detail={"fields": changed})
        return read_profiles(tx, [expert_id])[expert_id]

    return db.write(work)


def _editable(doc: dict[str, Any]) -> dict[str, Any]:
    """A stored profile as an input document (drops bookkeeping and derived fields)."""
    from registry.profile import INPUT_KEYS

    return {k: v for k, v in doc.items() if k in INPUT_KEYS}


def delete_expert(db: Database, expert_id: str, version: int) -> None:
    def work(tx: ManagedTransaction) -> None:
        row = run_single(tx, _LOCK, id=expert_id)
        if row is None:
            raise NotFound("Expert", expert_id)
        if row["version"] != version:
            raise VersionConflict("Expert", expert_id, version, row["version"])
        linked_before = _profile_orgs(tx, [expert_id])
        run(tx, _DROP_OWNED, ids=[expert_id], keep=[])
        run(tx, "MATCH (e:Expert {id: $id}) DETACH DELETE e", id=expert_id)
        _drop_orphan_orgs(tx, linked_before)

    db.write(work)
