"""Who an imported profile row is: the stored expert it names, found by every identifier.

A row can name its expert by id, ORCID iD, external key and e-mail. Its id, when the row
gives none, is derived from the strongest of the others (``registry.profile.derive_expert_id``),
so the same record imported first with an e-mail and later with an ORCID iD added would
derive two different ids. The import therefore looks the row up by *each* identifier it
carries, in one statement per batch, and:

* no stored expert matches: the row creates a new expert under its own id;
* every match is the same expert: the row updates that expert (whatever id it derived);
* the identifiers point to different experts, an explicit id names another expert than the
  other identifiers do, or the match holds a different ORCID iD than the row: a *conflict*
  (``Code.IDENTITY_CONFLICT``, the experts reached in its ``value``), reported for the row and
  nothing written for it.

``keys`` gives the identifiers of a validated document, which the importer also uses to find
two rows of one file that are the same expert.

Two imports running at once could both find no stored expert for one new person named by
different identifiers (one by e-mail, the other by ORCID iD and that e-mail) and create two.
So a writing transaction first takes ``hold``: an exclusive lock on a lock record for each of
its rows' identifiers (hashed onto ``LOCK_STRIPES`` records, in one order, so two batches
cannot wait for each other), and resolves after it. Of two transactions sharing an identifier
the second waits until the first commits and then finds what it wrote.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from registry.db import run
from registry.errors import Code, FieldError

if TYPE_CHECKING:
    from neo4j import ManagedTransaction

__all__ = ["LOCK_STRIPES", "Identified", "hold", "keys", "label", "matched_by", "resolve"]

# The identifiers, strongest first, with the words a report uses for them.
_LABELS = {"id": "expert id", "orcid": "ORCID iD", "externalKey": "external key",
           "email": "e-mail"}

# Each identifier is looked up through its own index (id and orcid are unique, externalKey
# and email have range indexes); an e-mail shared by two experts returns both.
_RESOLVE = """
UNWIND $rows AS r
RETURN r.i AS i, COLLECT {
  MATCH (e:Expert {id: r.id}) RETURN e {.id, .orcid, .externalKey, .email, .contentHash,
                                        .verified, .registeredBy} AS e
  UNION
  MATCH (e:Expert {orcid: r.orcid}) RETURN e {.id, .orcid, .externalKey, .email, .contentHash,
                                              .verified, .registeredBy} AS e
  UNION
  MATCH (e:Expert {externalKey: r.externalKey}) RETURN e {.id, .orcid, .externalKey, .email,
                                                           .contentHash, .verified,
                                                           .registeredBy} AS e
  UNION
  MATCH (e:Expert {email: r.email}) RETURN e {.id, .orcid, .externalKey, .email, .contentHash,
                                              .verified, .registeredBy} AS e
} AS found
"""

LOCK_STRIPES = 64
# MERGE is safe under the uniqueness constraint on the stripe (migration 0005); setting and
# removing a property takes the record's write lock until commit and leaves it unchanged.
_HOLD = """
UNWIND $stripes AS s
MERGE (l:IdentityLock {stripe: s})
SET l.held = true
REMOVE l.held
"""


@dataclass(frozen=True)
class Identified:
    """What a row is: ``stored`` (the expert's identity fields and bookkeeping) when it
    names one, ``None`` when it is new; ``conflict`` says why it may not be written."""

    stored: dict[str, Any] | None
    conflict: FieldError | None = None


def keys(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """The identifiers a validated document carries, as (field, value), strongest first."""
    out = [("id", doc["id"])]
    for field in ("orcid", "externalKey", "email"):
        if doc.get(field):
            value = str(doc[field])
            out.append((field, value.lower() if field == "email" else value))
    return out


def label(field: str) -> str:
    """How a report names an identifier field (``email`` is "e-mail")."""
    return _LABELS[field]


def _describe(doc: dict[str, Any], found: list[dict[str, Any]]) -> str:
    """Which identifier of the row points to which expert, for the report."""
    parts = []
    for field, label in _LABELS.items():
        value = doc.get(field)
        if not value:
            continue
        owners = sorted(e["id"] for e in found if e.get(field) == value)
        if owners:
            parts.append(f"{label} {value} is expert {' and '.join(owners)}")
    return "; ".join(parts)


def _conflict(reason: str, experts: list[str], advice: str = "") -> Identified:
    return Identified(None, FieldError(
        "", Code.IDENTITY_CONFLICT, f"identity conflict: {reason}; nothing was written for this "
        f"row{advice}", {"value": sorted(experts)}))


def _judge(doc: dict[str, Any], explicit_id: bool, found: list[dict[str, Any]]) -> Identified:
    by_id = {e["id"]: e for e in found}
    if explicit_id and by_id and set(by_id) != {doc["id"]}:
        return _conflict(f"the row's id is {doc['id']} but {_describe(doc, found)}", list(by_id))
    if len(by_id) > 1:
        return _conflict(f"the row names {len(by_id)} different experts "
                         f"({_describe(doc, found)})", list(by_id),
                         " (merge or correct the stored experts first)")
    if not by_id:
        return Identified(None)
    stored = next(iter(by_id.values()))
    if doc.get("orcid") and stored.get("orcid") and stored["orcid"] != doc["orcid"]:
        return _conflict(f"{_describe(doc, found)}, which has ORCID iD {stored['orcid']}, not "
                         f"{doc['orcid']}", [stored["id"]])
    return Identified(stored)


def matched_by(doc: dict[str, Any], explicit_id: bool, stored: dict[str, Any]) -> str:
    """The strongest identifier the row gave that reached ``stored``: the field a refusal of
    the row names (an id the row derived rather than gave is named after what it came from)."""
    given = _LABELS if explicit_id else [f for f in _LABELS if f != "id"]
    found = next((f for f in given if doc.get(f) and doc.get(f) == stored.get(f)), None)
    return found or next((f for f in given if doc.get(f)), "id")


def _stripe(field: str, value: str) -> int:
    digest = hashlib.blake2b(f"{field}\x00{value}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % LOCK_STRIPES


def hold(tx: ManagedTransaction, docs: list[dict[str, Any]]) -> None:
    """Lock the identifiers of ``docs`` until ``tx`` ends (see the module docstring)."""
    stripes = sorted({_stripe(field, value) for doc in docs for field, value in keys(doc)})
    run(tx, _HOLD, stripes=stripes)


def resolve(tx: ManagedTransaction, docs: list[dict[str, Any]], explicit_ids: list[bool]
            ) -> list[Identified]:
    """Identify validated documents against the stored experts, in one statement.
    ``explicit_ids[i]`` says whether the row gave its id (rather than derived it)."""
    rows = [{"i": i, "id": d["id"], "orcid": d.get("orcid"), "externalKey": d.get("externalKey"),
             "email": d.get("email")} for i, d in enumerate(docs)]
    found = {r["i"]: r["found"] for r in run(tx, _RESOLVE, rows=rows)}
    return [_judge(doc, explicit, found.get(i) or [])
            for i, (doc, explicit) in enumerate(zip(docs, explicit_ids, strict=True))]
