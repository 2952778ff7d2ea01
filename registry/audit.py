"""The audit trail: who read which contact details, who changed what, and when.

Owns ``(:AuditEvent {id, at, actorId, action, subjectKind, subjectId, detail})`` and
``(Account)-[:DID]->(AuditEvent)``. Events are append-only; nothing here changes or deletes one.

``record`` and ``record_many`` take either a ``Database`` (the event is its own transaction) or
the caller's ``ManagedTransaction``, so an action and its audit record commit or fail together:
contact details are never shown without the read being logged. ``actorId`` is kept as a
property as well as through ``DID`` because the actor may be the system (``None``) or an
account that was removed later; the trail must still say who it was.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from neo4j import ManagedTransaction

from registry.db import Database, run
from registry.errors import Code
from registry.validation import Validator

__all__ = ["AuditAction", "SUBJECT_KINDS", "AuditEvent", "record", "record_many", "events"]


class AuditAction(StrEnum):
    """What happened. The store keeps the plain string; unknown actions are refused."""

    CONTACT_READ = "CONTACT_READ"
    PROFILE_UPDATED = "PROFILE_UPDATED"
    EXPERT_REGISTERED = "EXPERT_REGISTERED"
    EXPERT_VERIFIED = "EXPERT_VERIFIED"
    EXPERT_DELETED = "EXPERT_DELETED"
    IMPORT = "IMPORT"
    EXPORT = "EXPORT"
    ACCOUNT_CREATED = "ACCOUNT_CREATED"
    TOKEN_ROTATED = "TOKEN_ROTATED"
    TOKEN_REVOKED = "TOKEN_REVOKED"
    PROGRAMME_CREATED = "PROGRAMME_CREATED"
    PROGRAMME_DELETED = "PROGRAMME_DELETED"
    TASK_POSTED = "TASK_POSTED"
    TASK_UPDATED = "TASK_UPDATED"
    TASK_CLOSED = "TASK_CLOSED"
    TASK_DELETED = "TASK_DELETED"
    DECISION_RECORDED = "DECISION_RECORDED"
    SHORTLIST_CHANGED = "SHORTLIST_CHANGED"
    ORGANIZATIONS_SYNCED = "ORGANIZATIONS_SYNCED"


SUBJECT_KINDS = (
    "Account", "Decision", "Expert", "Import", "Organization", "Programme", "Shortlist", "Task",
)
_MAX_DETAIL = 4000
_MAX_FIRST = 1000


@dataclass(frozen=True)
class AuditEvent:
    id: str
    at: dt.datetime
    actor_id: str | None
    action: str
    subject_kind: str
    subject_id: str
    detail: str | None


_CREATE = """
UNWIND $rows AS r
CREATE (ev:AuditEvent {id: r.id, at: datetime(), actorId: $actorId, action: $action,
                       subjectKind: $subjectKind, subjectId: r.subjectId, detail: $detail})
WITH ev
OPTIONAL MATCH (a:Account {id: ev.actorId})
FOREACH (acc IN CASE WHEN a IS NULL THEN [] ELSE [a] END | CREATE (acc)-[:DID]->(ev))
RETURN ev {.*} AS ev
"""

_FILTERS = """
WHERE ($actorId IS NULL OR ev.actorId = $actorId)
  AND ($subjectId IS NULL OR ev.subjectId = $subjectId)
  AND ($action IS NULL OR ev.action = $action)
RETURN ev {.*} AS ev
ORDER BY ev.at DESC, ev.id DESC
LIMIT $first
"""
# One statement per entry point, so each filter starts from its own index (subjectId,
# actorId, or the time index read backwards) instead of scanning every event.
_BY_SUBJECT = "MATCH (ev:AuditEvent {subjectId: $subjectId})" + _FILTERS
_BY_ACTOR = "MATCH (ev:AuditEvent {actorId: $actorId})" + _FILTERS
_RECENT = "MATCH (ev:AuditEvent) WHERE ev.at IS NOT NULL WITH ev" + _FILTERS


def _event(row: dict[str, Any]) -> AuditEvent:
    return AuditEvent(
        id=row["id"], at=row["at"].to_native(), actor_id=row.get("actorId"),
        action=row["action"], subject_kind=row["subjectKind"], subject_id=row["subjectId"],
        detail=row.get("detail"),
    )


def _detail(v: Validator, detail: str | Mapping[str, Any] | None) -> str | None:
    if detail is None:
        return None
    if isinstance(detail, Mapping):
        # Node properties cannot hold maps; a JSON text keeps structured details readable.
        detail = json.dumps(detail, sort_keys=True, ensure_ascii=False, default=str)
    if not isinstance(detail, str):
        v.add("detail", Code.INVALID_VALUE, "must be text or a mapping")
        return None
    if len(detail) > _MAX_DETAIL:
        v.add("detail", Code.TOO_LONG,
              f"must be at most {_MAX_DETAIL} characters (got {len(detail)})",
              limit=_MAX_DETAIL, actual=len(detail))
        return None
    return detail


def _params(
    actor_id: str | None, action: str, subject_kind: str, subject_ids: list[Any],
    detail: str | Mapping[str, Any] | None,
) -> dict[str, Any]:
    v = Validator()
    if actor_id is not None and not isinstance(actor_id, str):
        v.add("actorId", Code.INVALID_VALUE, "must be an account id or None for the system")
    act = v.choice("action", str(action) if action else action, [a.value for a in AuditAction])
    kind = v.choice("subjectKind", subject_kind, SUBJECT_KINDS)
    ids = [
        v.required_str(f"subjectId.{i}", s, max_length=200, normalize=False)
        for i, s in enumerate(subject_ids)
    ]
    text = _detail(v, detail)
    v.raise_if_any()
    rows = [{"id": str(uuid.uuid4()), "subjectId": s} for s in ids]
    return {"rows": rows, "actorId": actor_id, "action": act, "subjectKind": kind,
            "detail": text}


def _write(tx_or_db: ManagedTransaction | Database, params: dict[str, Any]) -> list[AuditEvent]:
    def work(tx: ManagedTransaction) -> list[AuditEvent]:
        return [_event(r["ev"]) for r in run(tx, _CREATE, **params)]

    if isinstance(tx_or_db, Database):
        return tx_or_db.write(work)
    return work(tx_or_db)


def record(
    tx_or_db: ManagedTransaction | Database,
    *,
    actor_id: str | None,
    action: AuditAction | str,
    subject_kind: str,
    subject_id: str,
    detail: str | Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Record one event. Given a transaction, the event commits (or not) with it."""
    params = _params(actor_id, action, subject_kind, [subject_id], detail)
    return _write(tx_or_db, params)[0]


def record_many(
    tx_or_db: ManagedTransaction | Database,
    *,
    actor_id: str | None,
    action: AuditAction | str,
    subject_kind: str,
    subject_ids: Iterable[str],
    detail: str | Mapping[str, Any] | None = None,
) -> list[AuditEvent]:
    """One event per subject in one statement, e.g. a page of experts whose contacts showed."""
    ids = list(subject_ids)
    params = _params(actor_id, action, subject_kind, ids, detail)
    return _write(tx_or_db, params) if ids else []


def events(
    db: Database,
    *,
    subject_id: str | None = None,
    actor_id: str | None = None,
    action: AuditAction | str | None = None,
    first: int = 50,
) -> list[AuditEvent]:
    """Events matching every given filter, newest first."""
    v = Validator()
    act = v.choice("action", str(action) if action else None, [a.value for a in AuditAction],
                   required=False)
    limit = v.integer("first", first, min=1, max=_MAX_FIRST)
    v.raise_if_any()
    query = _BY_SUBJECT if subject_id is not None else _BY_ACTOR if actor_id is not None \
        else _RECENT
    rows = db.query(query, subjectId=subject_id, actorId=actor_id, action=act, first=limit)
    return [_event(r["ev"]) for r in rows]
