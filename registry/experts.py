"""Data access for the Expert aggregate: a profile and everything it owns.

A profile is one document (see ``registry.profile``): scalar fields plus lists of skills,
employment, education, publications, patents, projects and awards. Every write replaces the
whole document in one transaction (import, seed and API edits share this one path,
``registry.profile_write``), so a profile is never half-written. Updates check the version the
caller read under a write lock. Publications, patents and projects are shared nodes: co-authors
who list the same work meet there, which is where co-authorship comes from. An organization a
profile brought in (not reference data) goes when a rewrite or a delete leaves it with no link.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from neo4j import ManagedTransaction

from registry import audit
from registry.db import Database, run, run_single
from registry.errors import NotFound, VersionConflict
from registry.profile import validate_profile
from registry.profile_write import drop_orphan_orgs, drop_owned, profile_orgs, write_profiles

__all__ = [
    "PROFILE_PARTS",
    "create_expert",
    "delete_expert",
    "expert_exists",
    "read_cards",
    "read_parts",
    "read_profile",
    "read_profiles",
    "update_expert",
    "write_profiles",
]

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
        linked_before = profile_orgs(tx, [expert_id])
        drop_owned(tx, [expert_id], [])
        run(tx, "MATCH (e:Expert {id: $id}) DETACH DELETE e", id=expert_id)
        drop_orphan_orgs(tx, linked_before)

    db.write(work)
