"""Decisions on candidates for a task, and the shortlists HR agencies keep.

Owns ``(Decision {id, kind, reason, at})-[:FOR]->(Task)``, ``(Decision)-[:ABOUT]->(Expert)``,
``(Account)-[:MADE]->(Decision)`` and ``(Account)-[:KEEPS]->(Shortlist {id, taskId, name,
createdAt})-[:INCLUDES {addedAt, note}]->(Expert)``.

Decisions are append-only: a later decision on the same candidate supersedes an earlier one
but never erases it, so the history of a selection stays readable and the matcher learns from
``training_pairs``. Only the lead who posted the task, or an admin, records decisions on it.
A shortlist is an agency's working list, not a decision: it teaches the matcher nothing.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from neo4j import ManagedTransaction

from registry import audit
from registry.db import Database, run, run_single
from registry.errors import NotAllowed, NotAllowedCode, NotFound
from registry.validation import Validator

__all__ = [
    "DECISION_KINDS", "STAGE_WEIGHTS", "Decision", "TrainingPair", "Shortlist",
    "ShortlistEntry", "record_decision", "decisions_for_task", "decisions_for_expert",
    "latest_decision_by_candidate", "training_pairs", "add_to_shortlist",
    "remove_from_shortlist", "shortlists_for",
]

DECISION_KINDS = ("SHORTLISTED", "CONTACTED", "INTERVIEWED", "SELECTED", "REJECTED")
# How sure a decision is, as a training signal: a selection is the strongest positive, a
# shortlisting the weakest (it was made on the profile alone); a rejection is a full negative.
STAGE_WEIGHTS = {"SHORTLISTED": 0.4, "CONTACTED": 0.5, "INTERVIEWED": 0.7, "SELECTED": 1.0,
                 "REJECTED": 1.0}
_NAMESPACE = uuid.UUID("0f5f1c7e-3a53-4d0c-9a8e-5e1ec7ed1157")
_DEFAULT_SHORTLIST = "Danh sách ngắn"


@dataclass(frozen=True)
class Decision:
    id: str
    task_id: str
    expert_id: str
    actor_id: str | None
    kind: str
    reason: str | None
    at: dt.datetime


@dataclass(frozen=True)
class TrainingPair:
    """One (task, expert) example: ``label`` 1 or 0, ``weight`` from the latest ``kind``."""

    task_id: str
    expert_id: str
    label: int
    weight: float
    kind: str


@dataclass(frozen=True)
class ShortlistEntry:
    expert_id: str
    added_at: dt.datetime
    note: str | None


@dataclass(frozen=True)
class Shortlist:
    id: str
    account_id: str
    task_id: str | None
    name: str
    created_at: dt.datetime
    entries: tuple[ShortlistEntry, ...]


_FIELDS = """d {.id, .kind, .reason, .at, taskId: t.id, expertId: e.id,
               actorId: head([(maker:Account)-[:MADE]->(d) | maker.id])}"""

_TASK_POSTER = """
MATCH (t:Task {id: $taskId})
RETURN head([(a:Account)-[:POSTED]->(t) | a.id]) AS postedBy,
       EXISTS { MATCH (:Expert {id: $expertId}) } AS expertKnown,
       EXISTS { MATCH (:Account {id: $actorId}) } AS actorKnown
"""
_RECORD = f"""
MATCH (t:Task {{id: $taskId}}), (e:Expert {{id: $expertId}}), (a:Account {{id: $actorId}})
CREATE (d:Decision {{id: $id, kind: $kind, reason: $reason, at: datetime()}})
CREATE (d)-[:FOR]->(t), (d)-[:ABOUT]->(e), (a)-[:MADE]->(d)
RETURN {_FIELDS} AS d
"""
_FOR_TASK = f"""
MATCH (t:Task {{id: $id}})<-[:FOR]-(d:Decision)-[:ABOUT]->(e:Expert)
RETURN {_FIELDS} AS d ORDER BY d.at DESC, d.id DESC
"""
_FOR_EXPERT = f"""
MATCH (e:Expert {{id: $id}})<-[:ABOUT]-(d:Decision)-[:FOR]->(t:Task)
RETURN {_FIELDS} AS d ORDER BY d.at DESC, d.id DESC
"""
_LATEST = f"""
UNWIND $expertIds AS eid
MATCH (t:Task {{id: $taskId}})<-[:FOR]-(d:Decision)-[:ABOUT]->(e:Expert {{id: eid}})
WITH t, e, d ORDER BY d.at DESC, d.id DESC
WITH t, e, head(collect(d)) AS d
RETURN {_FIELDS} AS d
"""
_PAIRS = """
MATCH (t:Task)<-[:FOR]-(d:Decision)-[:ABOUT]->(e:Expert)
WITH t, e, d ORDER BY d.at DESC, d.id DESC
WITH t.id AS taskId, e.id AS expertId, head(collect(d.kind)) AS kind
RETURN taskId, expertId, kind ORDER BY taskId, expertId
"""

_SHORTLIST = """s {.id, .taskId, .name, .createdAt,
  accountId: head([(keeper:Account)-[:KEEPS]->(s) | keeper.id]),
  entries: [(s)-[inc:INCLUDES]->(x:Expert) | {expertId: x.id, addedAt: inc.addedAt,
                                               note: inc.note}]}"""
_SHORTLIST_REFS = """
RETURN EXISTS { MATCH (:Account {id: $accountId}) } AS account,
       EXISTS { MATCH (:Expert {id: $expertId}) } AS expert,
       $taskId IS NULL OR EXISTS { MATCH (:Task {id: $taskId}) } AS task
"""
_ADD = f"""
MATCH (a:Account {{id: $accountId}}), (e:Expert {{id: $expertId}})
MERGE (s:Shortlist {{id: $id}})
ON CREATE SET s.taskId = $taskId, s.name = $name, s.createdAt = datetime()
MERGE (a)-[:KEEPS]->(s)
MERGE (s)-[i:INCLUDES]->(e)
ON CREATE SET i.addedAt = datetime()
SET i.note = coalesce($note, i.note)
RETURN {_SHORTLIST} AS s
"""
_REMOVE = f"""
MATCH (s:Shortlist {{id: $id}})
OPTIONAL MATCH (s)-[i:INCLUDES]->(:Expert {{id: $expertId}})
DELETE i
WITH DISTINCT s
RETURN {_SHORTLIST} AS s
"""
_KEPT_BY = """
MATCH (a:Account {id: $accountId})-[:KEEPS]->(s:Shortlist)
WHERE $taskId IS NULL OR s.taskId = $taskId
RETURN """ + _SHORTLIST + """ AS s ORDER BY s.createdAt, s.id
"""


def _decision(r: dict[str, Any]) -> Decision:
    return Decision(id=r["id"], task_id=r["taskId"], expert_id=r["expertId"],
                    actor_id=r.get("actorId"), kind=r["kind"], reason=r.get("reason"),
                    at=r["at"].to_native())


def _shortlist(r: dict[str, Any]) -> Shortlist:
    entries = sorted(r["entries"], key=lambda x: (x["addedAt"], x["expertId"]))
    return Shortlist(
        id=r["id"], account_id=r["accountId"], task_id=r.get("taskId"), name=r["name"],
        created_at=r["createdAt"].to_native(),
        entries=tuple(ShortlistEntry(x["expertId"], x["addedAt"].to_native(), x.get("note"))
                      for x in entries))


def record_decision(
    db: Database, *, task_id: str, expert_id: str, actor_id: str, kind: str,
    reason: str | None = None, is_admin: bool = False,
) -> Decision:
    """Record a decision about a candidate; only the task's poster or an admin may."""
    v = Validator()
    clean_kind = v.choice("kind", kind, DECISION_KINDS)
    clean_reason = v.optional_str("reason", reason, max_length=2000, multiline=True)
    v.raise_if_any()

    def work(tx: ManagedTransaction) -> Decision:
        row = run_single(tx, _TASK_POSTER, taskId=task_id, expertId=expert_id, actorId=actor_id)
        if row is None:
            raise NotFound("Task", task_id)
        if not is_admin and row["postedBy"] != actor_id:
            raise NotAllowed(NotAllowedCode.NOT_OWNER,
                             "only the lead who posted the task or an admin records decisions")
        if not row["expertKnown"]:
            raise NotFound("Expert", expert_id)
        if not row["actorKnown"]:
            raise NotFound("Account", actor_id)
        created = run_single(tx, _RECORD, id=str(uuid.uuid4()), taskId=task_id,
                             expertId=expert_id, actorId=actor_id, kind=clean_kind,
                             reason=clean_reason)
        assert created is not None
        decision = _decision(created["d"])
        audit.record(tx, actor_id=actor_id, action=audit.AuditAction.DECISION_RECORDED,
                     subject_kind="Decision", subject_id=decision.id,
                     detail={"task": task_id, "expert": expert_id, "kind": clean_kind})
        return decision

    return db.write(work)


def decisions_for_task(db: Database, *, task_id: str) -> list[Decision]:
    """Every decision on the task's candidates, newest first."""
    return [_decision(r["d"]) for r in db.query(_FOR_TASK, id=task_id)]


def decisions_for_expert(db: Database, *, expert_id: str) -> list[Decision]:
    """Every decision about the expert, on any task, newest first."""
    return [_decision(r["d"]) for r in db.query(_FOR_EXPERT, id=expert_id)]


def latest_decision_by_candidate(
    tx: ManagedTransaction, task_id: str, expert_ids: list[str]
) -> dict[str, Decision]:
    """The newest decision on each candidate of a task, in one statement; undecided left out."""
    rows = run(tx, _LATEST, taskId=task_id, expertIds=list(expert_ids))
    return {r["d"]["expertId"]: _decision(r["d"]) for r in rows}


def training_pairs(db: Database) -> list[TrainingPair]:
    """One example per decided (task, expert), from the latest decision on the pair.

    Label 1 for SHORTLISTED, CONTACTED, INTERVIEWED and SELECTED, weighted by how far the
    candidate got (``STAGE_WEIGHTS``); label 0 for REJECTED. The latest decision counts because
    it is the lead's final word: a candidate rejected after an interview is a negative.
    """
    return [
        TrainingPair(r["taskId"], r["expertId"], 0 if r["kind"] == "REJECTED" else 1,
                     STAGE_WEIGHTS[r["kind"]], r["kind"])
        for r in db.query(_PAIRS)
    ]


# Shortlists -------------------------------------------------------------------------------

def add_to_shortlist(
    db: Database, *, account_id: str, expert_id: str, task_id: str | None = None,
    name: str | None = None, note: str | None = None,
) -> Shortlist:
    """Put an expert on the account's shortlist for ``task_id`` called ``name`` (made on first
    use). Adding an expert again keeps the first ``addedAt`` and replaces the note if given."""
    v = Validator()
    clean_name = v.optional_str("name", name, max_length=100) or _DEFAULT_SHORTLIST
    clean_note = v.optional_str("note", note, max_length=1000, multiline=True)
    v.raise_if_any()
    # A stable id per (account, task, name) lets MERGE make the list once under concurrency.
    sid = str(uuid.uuid5(_NAMESPACE, f"{account_id}\x1f{task_id or ''}\x1f{clean_name}"))

    def work(tx: ManagedTransaction) -> Shortlist:
        refs = run_single(tx, _SHORTLIST_REFS, accountId=account_id, expertId=expert_id,
                          taskId=task_id)
        assert refs is not None
        for key, kind, ident in (("account", "Account", account_id),
                                 ("expert", "Expert", expert_id), ("task", "Task", task_id)):
            if not refs[key]:
                raise NotFound(kind, str(ident))
        row = run_single(tx, _ADD, id=sid, accountId=account_id, expertId=expert_id,
                         taskId=task_id, name=clean_name, note=clean_note)
        assert row is not None
        return _shortlist(row["s"])

    return db.write(work)


def remove_from_shortlist(
    db: Database, *, account_id: str, shortlist_id: str, expert_id: str
) -> Shortlist:
    """Take an expert off one of the account's shortlists; absent experts are ignored."""

    def work(tx: ManagedTransaction) -> Shortlist:
        owner = run_single(tx, "MATCH (a:Account)-[:KEEPS]->(s:Shortlist {id: $id}) "
                               "RETURN a.id AS id", id=shortlist_id)
        if owner is None:
            raise NotFound("Shortlist", shortlist_id)
        if owner["id"] != account_id:
            raise NotAllowed(NotAllowedCode.NOT_OWNER,
                             "only the account that keeps a shortlist may change it")
        row = run_single(tx, _REMOVE, id=shortlist_id, expertId=expert_id)
        assert row is not None
        return _shortlist(row["s"])

    return db.write(work)


def shortlists_for(
    db: Database, *, account_id: str, task_id: str | None = None
) -> list[Shortlist]:
    """The account's shortlists, oldest first; with ``task_id`` only those for that task."""
    return [_shortlist(r["s"]) for r in db.query(_KEPT_BY, accountId=account_id,
                                                 taskId=task_id)]
