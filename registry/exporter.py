"""Whole-registry export and restore (JSON Lines), and a fingerprint to prove they agree.

``export_graph`` writes one record per line, ``{"kind": ..., ...}``:

* ``organization``: organizations that profiles created (reference ones come with the data);
* ``expert``: the full profile document, import-compatible (``chuyengia import experts`` takes
  these lines), with ``id``, ``version`` and ``verified``; ``meta`` keeps the bookkeeping
  (``createdAt``, ``updatedAt``, ``contentHash``) and ``links`` any relationship the profile
  does not own (an endorsement, say);
* ``account``, ``programme``, ``task``, ``shortlist``, ``decision``, ``audit``, ``sequence``:
  the node's properties and its outgoing relationships (type, target, properties). Accounts
  carry their token *digests*, never tokens, so restored accounts keep working.

Neo4j values JSON cannot hold (date-times, dates, times) are written as ``{"$datetime":
"2026-11-01T08:00:00.123456789+00:00"}`` and restored to the same value, so ``export`` then
``import_graph`` into an empty registry gives the same ``graph_fingerprint``: the same node and
relationship counts by label and type, and the same SHA-256 over every property map,
timestamps included (``registry.fingerprint``). The export is read page by page and is not a point-in-time snapshot;
stop writers first when that matters.

Labels, relationship types and the Cypher built from them come from the allow-lists below; a
label or outgoing relationship the export does not know makes it fail loudly rather than
silently leave data behind.
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter, defaultdict
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import neo4j.time
from neo4j import ManagedTransaction

from registry.db import Database, run
from registry.errors import Code, NotAllowed, NotAllowedCode, RegistryError, ValidationError
from registry.experts import read_profiles, write_profiles
from registry.profile import INPUT_KEYS, SCALAR_FIELDS, derived_fields, validate_profile

__all__ = ["KINDS", "ExportError", "export_graph", "import_graph"]

log = logging.getLogger(__name__)

# Record kind -> label of the aggregates exported as plain nodes with their links.
_NODE_KINDS = {"account": "Account", "programme": "Programme", "task": "Task",
               "shortlist": "Shortlist", "decision": "Decision", "audit": "AuditEvent",
               "sequence": "Sequence"}
KINDS = ("organization", "expert", *_NODE_KINDS)
# Labels that are reference data, schema or lock records (migrate() loads the first, imports
# make the last): export skips them.
_REFERENCE_LABELS = frozenset(("Skill", "TechArea", "TaxonomyVersion", "SchemaMigration",
                               "Country", "EligibilityScheme", "IdentityLock"))
# Labels the profile path writes (works and organizations).
_PROFILE_LABELS = frozenset(("Expert", "Organization", "Publication", "Patent", "Project",
                             "Award"))
_OWNED_BY_PROFILE = frozenset(("HAS_SKILL", "WORKS_AT", "STUDIED_AT", "AUTHORED", "INVENTED",
                               "LED", "CONTRIBUTED", "RECEIVED"))
_LINK_TYPES = frozenset(("IS", "POSTED", "LEADS", "MADE", "KEEPS", "DID", "IN_AREA",
                         "REQUIRES", "PART_OF", "FOR", "ABOUT", "INCLUDES", "ENDORSED"))
_LINK_TARGETS = ("Expert", "Account", "Programme", "Task", "Shortlist", "Decision",
                 "AuditEvent", "Skill", "TechArea", "Organization")
_PAGE = 500
_FIELD_ORDER = (*SCALAR_FIELDS, "skills", "employment", "education", "publications", "patents",
                "projects", "awards")


class ExportError(RegistryError):
    """The graph holds something the export cannot carry yet; nothing useful was written."""


# ---------------------------------------------------------------------------------------------
# Values: Neo4j temporal types <-> JSON
# ---------------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if isinstance(value, neo4j.time.DateTime):
        tagged = "$datetime" if value.tzinfo is not None else "$localdatetime"
        return {tagged: value.iso_format()}
    if isinstance(value, neo4j.time.Date):
        return {"$date": value.iso_format()}
    if isinstance(value, neo4j.time.Time):
        return {"$time": value.iso_format()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise ExportError(f"cannot export a property value of type {type(value).__name__}; "
                      "teach registry.exporter._encode about it")


def _decode(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) == 1:
            (tag, text), = value.items()
            if tag in ("$datetime", "$localdatetime"):
                return neo4j.time.DateTime.from_iso_format(text)
            if tag == "$date":
                return neo4j.time.Date.from_iso_format(text)
            if tag == "$time":
                return neo4j.time.Time.from_iso_format(text)
        raise ValidationError.at("props", Code.INVALID_VALUE, f"is not a property value: {value!r}")
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


def _encode_map(props: dict[str, Any]) -> dict[str, Any]:
    return {k: _encode(v) for k, v in props.items()}


def _decode_map(props: dict[str, Any]) -> dict[str, Any]:
    return {k: _decode(v) for k, v in props.items()}


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------

_LABEL_COUNTS = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS n"
_EXPERT_IDS = """
MATCH (e:Expert) WHERE $after IS NULL OR e.id > $after
RETURN e.id AS id ORDER BY e.id LIMIT $limit
"""
_EXPERT_LINKS = f"""
UNWIND $ids AS id
MATCH (e:Expert {{id: id}})-[r]->(m)
WHERE NOT type(r) IN {sorted(_OWNED_BY_PROFILE)!r}
RETURN e.id AS id, type(r) AS type, properties(r) AS props, labels(m) AS labels, m.id AS target
"""
_PROFILE_ORGS = """
MATCH (o:Organization) WHERE o.source = 'PROFILE' AND ($after IS NULL OR o.id > $after)
RETURN o.id AS id, properties(o) AS props ORDER BY o.id LIMIT $limit
"""


@cache
def _node_page_query(label: str) -> str:
    if label not in _NODE_KINDS.values():
        raise ExportError(f"no export for label {label}")
    return (f"MATCH (n:{label}) WHERE $after IS NULL OR n.id > $after "
            "WITH n ORDER BY n.id LIMIT $limit "
            "RETURN n.id AS id, properties(n) AS props, "
            "[(n)-[r]->(m) | {type: type(r), props: properties(r), labels: labels(m), "
            "target: m.id}] AS links")


def _link(source: str, raw: dict[str, Any]) -> dict[str, Any]:
    target = next((lb for lb in _LINK_TARGETS if lb in raw["labels"]), None)
    if raw["type"] not in _LINK_TYPES or target is None or raw["target"] is None:
        raise ExportError(
            f"{source} has a {raw['type']} relationship to {':'.join(raw['labels'])} that the "
            "export does not know; add it to registry.exporter._LINK_TYPES/_LINK_TARGETS")
    link = {"type": raw["type"], "to": target, "id": raw["target"]}
    if raw["props"]:
        link["props"] = _encode_map(raw["props"])
    return link


def _check_labels(db: Database) -> None:
    known = _REFERENCE_LABELS | _PROFILE_LABELS | frozenset(_NODE_KINDS.values())
    unknown = sorted(r["label"] for r in db.query(_LABEL_COUNTS) if r["label"] not in known)
    if unknown:
        raise ExportError(f"the graph has nodes labelled {', '.join(unknown)}, which the "
                          "export does not know; add a record kind for them in "
                          "registry.exporter before exporting")


def _paged(db: Database, query: str, **params: Any) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        rows = db.query(query, after=after, limit=_PAGE, **params)
        yield from rows
        if len(rows) < _PAGE:
            return
        after = rows[-1]["id"]


def _expert_records(db: Database) -> Iterator[dict[str, Any]]:
    derived = frozenset(derived_fields({"fullName": "A"}))
    profile_keys = INPUT_KEYS | {"id"}
    after = None
    while True:
        ids = [r["id"] for r in db.query(_EXPERT_IDS, after=after, limit=_PAGE)]
        if not ids:
            return

        def work(tx: ManagedTransaction, ids: list[str] = ids) -> tuple[dict, list]:
            return read_profiles(tx, ids), run(tx, _EXPERT_LINKS, ids=ids)

        docs, links = db.read(work)
        by_expert: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for raw in links:
            by_expert[raw["id"]].append(_link(f"Expert {raw['id']}", raw))
        for eid in ids:
            doc = docs[eid]
            record: dict[str, Any] = {"kind": "expert"}
            # Profile fields in the document's own order, so an export reads like a profile.
            record.update((k, doc[k]) for k in _FIELD_ORDER if k in doc)
            record.update((k, v) for k, v in doc.items() if k in profile_keys and k not in record)
            record["version"] = doc.get("version")
            record["meta"] = _encode_map({
                k: v for k, v in doc.items()
                if k not in profile_keys and k not in derived and k != "version"})
            if by_expert.get(eid):
                record["links"] = by_expert[eid]
            yield record
        after = ids[-1]


def _records(db: Database) -> Iterator[dict[str, Any]]:
    for row in _paged(db, _PROFILE_ORGS):
        yield {"kind": "organization", "props": _encode_map(row["props"])}
    yield from _expert_records(db)
    for kind, label in _NODE_KINDS.items():
        for row in _paged(db, _node_page_query(label)):
            record: dict[str, Any] = {"kind": kind, "props": _encode_map(row["props"])}
            links = [_link(f"{label} {row['id']}", raw) for raw in row["links"]]
            if links:
                record["links"] = links
            yield record


def export_graph(db: Database, path: Path | str) -> dict[str, int]:
    """Write the whole registry (not the reference data) as JSON Lines; returns record counts
    by kind. The file appears only when complete (written beside it, then renamed)."""
    path = Path(path)
    _check_labels(db)
    counts: Counter[str] = Counter()
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "w", encoding="utf-8") as out:
            for record in _records(db):
                out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
                out.write("\n")
                counts[record["kind"]] += 1
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return {kind: counts[kind] for kind in KINDS if counts[kind]}


# ---------------------------------------------------------------------------------------------
# Restore
# ---------------------------------------------------------------------------------------------

_NOT_EMPTY = """
MATCH (n) WHERE n:Expert OR n:Account OR n:Programme OR n:Task OR n:Decision OR n:AuditEvent
             OR n:Shortlist OR n:Sequence OR (n:Organization AND n.source = 'PROFILE')
RETURN count(n) AS n
"""
_RESTORE_ORGS = """
UNWIND $rows AS r
MERGE (o:Organization {id: r.id})
SET o = r.props
"""
_RESTORE_EXPERT_META = """
UNWIND $rows AS r
MATCH (e:Expert {id: r.id})
SET e += r.meta, e.version = r.version
"""


@cache
def _create_query(label: str) -> str:
    if label not in _NODE_KINDS.values():
        raise ValidationError.at("kind", Code.CANNOT_RESTORE,
                                 f"cannot restore nodes labelled {label}", value=label)
    return f"UNWIND $rows AS r CREATE (n:{label}) SET n = r"


@cache
def _link_query(source: str, rel: str, target: str) -> str:
    if source not in (*_NODE_KINDS.values(), "Expert") or rel not in _LINK_TYPES \
            or target not in _LINK_TARGETS:
        raise ValidationError.at("links", Code.CANNOT_RESTORE,
                                 f"cannot restore ({source})-[:{rel}]->({target})", value=rel)
    return (f"UNWIND $rows AS r MATCH (a:{source} {{id: r.source}}) "
            f"MATCH (b:{target} {{id: r.target}}) CREATE (a)-[x:{rel}]->(b) SET x = r.props "
            "RETURN count(x) AS n")


def _read_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding="utf-8-sig") as f:
        for line, text in enumerate(f, start=1):
            if not text.strip():
                continue
            try:
                record = json.loads(text)
            except json.JSONDecodeError as exc:
                raise ValidationError.at(f"line {line}", Code.INVALID_JSON,
                                         f"is not valid JSON ({exc.msg})") from exc
            if not isinstance(record, dict) or record.get("kind") not in KINDS:
                raise ValidationError.at(f"line {line}", Code.NOT_A_RECORD,
                                         "is not a record of a chuyengia export")
            yield line, record


def _write_experts(db: Database, batch: list[tuple[int, dict[str, Any]]]) -> None:
    docs, meta = [], []
    for line, record in batch:
        profile = {k: v for k, v in record.items() if k not in ("kind", "meta", "links")}
        try:
            docs.append(validate_profile(profile))
        except ValidationError as exc:
            raise ValidationError([e.at(f"line {line}: {e.path}") for e in exc.errors]) from exc
        meta.append({"id": docs[-1]["id"], "version": record.get("version") or 1,
                     "meta": _decode_map(record.get("meta") or {})})

    def work(tx: ManagedTransaction) -> None:
        write_profiles(tx, docs)
        run(tx, _RESTORE_EXPERT_META, rows=meta)

    db.write(work)


def import_graph(db: Database, path: Path | str, *, batch_size: int = 500) -> dict[str, int]:
    """Restore an ``export_graph`` file into an empty registry; returns record counts by kind.

    Experts go through the profile path (validated, written by ``write_profiles``) and get
    their version and timestamps back; the other records are recreated as they were. Every
    relationship is restored after every node exists. A registry that already holds data is
    refused. A failure part-way leaves a partial graph: wipe it and run again.
    """
    path = Path(path)
    if db.query(_NOT_EMPTY)[0]["n"]:
        raise NotAllowed(NotAllowedCode.NOT_EMPTY, "import graph restores an export into an empty registry, and this one "
                         "holds experts, accounts or tasks already; use a fresh database")
    counts: Counter[str] = Counter()
    experts: list[tuple[int, dict[str, Any]]] = []
    nodes: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def flush_nodes(label: str) -> None:
        rows = nodes.pop(label, [])
        if rows:
            db.execute(_create_query(label), rows=rows)

    orgs: list[dict[str, Any]] = []
    for line, record in _read_records(path):
        kind = record["kind"]
        counts[kind] += 1
        if kind != "organization" and orgs:
            db.execute(_RESTORE_ORGS, rows=orgs)
            orgs = []
        if kind == "expert":
            experts.append((line, record))
            if len(experts) >= batch_size:
                _write_experts(db, experts)
                experts = []
        elif kind == "organization":
            props = _decode_map(record["props"])
            orgs.append({"id": props["id"], "props": props})
            if len(orgs) >= batch_size:
                db.execute(_RESTORE_ORGS, rows=orgs)
                orgs = []
        else:
            label = _NODE_KINDS[kind]
            nodes[label].append(_decode_map(record["props"]))
            if len(nodes[label]) >= batch_size:
                flush_nodes(label)
    if orgs:
        db.execute(_RESTORE_ORGS, rows=orgs)
    if experts:
        _write_experts(db, experts)
    for label in list(nodes):
        flush_nodes(label)
    _restore_links(db, path, batch_size)
    return {kind: counts[kind] for kind in KINDS if counts[kind]}


def _restore_links(db: Database, path: Path, batch_size: int) -> None:
    groups: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)

    def flush(key: tuple[str, str, str]) -> None:
        rows = groups.pop(key, [])
        if not rows:
            return
        made = db.execute(_link_query(*key), rows=rows)[0]["n"]
        if made != len(rows):
            raise ValidationError.at(
                "links", Code.BROKEN_LINKS, f"{len(rows) - made} of {len(rows)} "
                f"({key[0]})-[:{key[1]}]->({key[2]}) relationships point at nodes that are "
                "not in the registry", actual=len(rows) - made, limit=len(rows))

    for _, record in _read_records(path):
        kind = record["kind"]
        if not record.get("links"):
            continue
        if kind == "expert":
            source, source_id = "Expert", record["id"]
        else:
            source, source_id = _NODE_KINDS[kind], record["props"]["id"]
        for link in record["links"]:
            key = (source, link["type"], link["to"])
            groups[key].append({"source": source_id, "target": link["id"],
                                "props": _decode_map(link.get("props") or {})})
            if len(groups[key]) >= batch_size:
                flush(key)
    for key in list(groups):
        flush(key)
