"""A fingerprint of the whole graph: counts by label and type, and one digest of all content.

``graph_fingerprint`` is how tests and reliability checks prove that two graphs are the same
(an export restored into an empty database, a seed run twice) without comparing them record
by record. Schema and lock records are left out; reference data is included.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import neo4j.time
from neo4j import ManagedTransaction

from registry.db import Database

__all__ = ["graph_fingerprint"]

# ---------------------------------------------------------------------------------------------

_ALL_NODES = """
MATCH (n) WHERE NOT (n:SchemaMigration OR n:IdentityLock)
RETURN elementId(n) AS eid, labels(n) AS labels, properties(n) AS props
"""
_ALL_RELATIONSHIPS = """
MATCH (a)-[r]->(b) WHERE NOT a:SchemaMigration AND NOT b:SchemaMigration
RETURN type(r) AS type, properties(r) AS props,
       elementId(a) AS aEid, labels(a) AS aLabels, coalesce(a.id, a.code) AS aKey,
       elementId(b) AS bEid, labels(b) AS bLabels, coalesce(b.id, b.code) AS bKey
"""


def _canonical(value: Any) -> Any:
    if isinstance(value, neo4j.time.DateTime | neo4j.time.Date | neo4j.time.Time):
        return {"$t": value.iso_format()}
    if isinstance(value, float):
        return {"$f": repr(value)}
    if isinstance(value, list):
        return [_canonical(v) for v in value]
    return value


def _digest(item: Any) -> bytes:
    text = json.dumps(item, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).digest()


def graph_fingerprint(
    db: Database,
    *,
    ignore_properties: Iterable[str] = (),
    natural_keys: Mapping[str, str] | None = None,
    anonymous_labels: Iterable[str] = (),
) -> dict[str, Any]:
    """Counts of nodes per label and relationships per type, and one SHA-256 over every node's
    labels and properties and every relationship's type, ends and properties (order-free).

    Schema records are left out. Nodes are known by ``id`` (``code`` for countries). To compare
    two runs of a deterministic process whose ids or timestamps are random by design:
    ``ignore_properties`` are dropped everywhere; nodes of a label in ``natural_keys`` (label ->
    property, e.g. ``{"Task": "code"}``) are known by that property and their ``id`` is
    dropped; nodes of ``anonymous_labels`` drop their ``id`` and are known by label alone.
    """
    ignored = frozenset(ignore_properties)
    natural = dict(natural_keys or {})
    anonymous = frozenset(anonymous_labels)

    def special(labels: list[str]) -> str | None:
        return next((lb for lb in sorted(labels) if lb in natural or lb in anonymous), None)

    # Streamed straight from the result (not through ``run``, which builds a list), so a
    # large graph is hashed without holding its records; only the keys of nodes with natural
    # or anonymous keys are remembered, for their relationships.
    def work(tx: ManagedTransaction) -> dict[str, Any]:
        labels: Counter[str] = Counter()
        types: Counter[str] = Counter()
        digests: list[bytes] = []
        keys: dict[str, str] = {}
        for rec in tx.run(_ALL_NODES):
            labels.update(rec["labels"])
            props = {k: v for k, v in rec["props"].items() if k not in ignored}
            label = special(rec["labels"])
            if label is not None:
                key = props.get(natural[label]) if label in natural else None
                keys[rec["eid"]] = f"{label}/{key}" if key is not None else label
                props.pop("id", None)
            digests.append(_digest([sorted(rec["labels"]),
                                    {k: _canonical(v) for k, v in props.items()}]))
        node_count = len(digests)

        def key_of(eid: str, node_labels: list[str], key: Any) -> str:
            return keys.get(eid) or f"{':'.join(sorted(node_labels))}/{key}"

        for rec in tx.run(_ALL_RELATIONSHIPS):
            types[rec["type"]] += 1
            digests.append(_digest([rec["type"], key_of(rec["aEid"], rec["aLabels"], rec["aKey"]),
                                    key_of(rec["bEid"], rec["bLabels"], rec["bKey"]),
                                    {k: _canonical(v) for k, v in rec["props"].items()
                                     if k not in ignored}]))
        digests.sort()
        total = hashlib.sha256()
        for d in digests:
            total.update(d)
        return {"nodes": dict(sorted(labels.items())),
                "relationships": dict(sorted(types.items())), "nodeCount": node_count,
                "relationshipCount": len(digests) - node_count, "sha256": total.hexdigest()}

    return db.read(work)
