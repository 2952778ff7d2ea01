"""Programmes and the tasks posted under them: what must be built, and who is sought.

Owns ``(:Programme)``, ``(:Task)`` and their links: ``(Account)-[:LEADS]->(Programme)``,
``(Account)-[:POSTED]->(Task)``, ``(Task)-[:PART_OF]->(Programme)``,
``(Task|Programme)-[:IN_AREA]->(TechArea)`` and ``(Task)-[:REQUIRES {weight, mustHave,
minLevel}]->(Skill)``. Skills, areas and the strategic-technology list must already be in the
graph; they are checked in the transaction that writes. A task is one document, validated as a
whole on every write with every problem reported by path (``requirements.1.weight``); updates
check the version the caller read, under a write lock, as experts do. Only the lead who posted
a task, or an admin, may change it. Dates are stored as ``YYYY-MM-DD`` text, like a profile's
``availableFrom``, so the two compare in Cypher.

This module writes; the records are in ``registry.programme_types``, the reads and pages in
``registry.programme_reads`` and the document checks in ``registry.task_validation``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from typing import Any

from neo4j import ManagedTransaction

from registry import audit
from registry.db import Database, run, run_single
from registry.errors import (
    Code,
    NotAllowed,
    NotAllowedCode,
    NotFound,
    ValidationError,
    VersionConflict,
)
from registry.programme_reads import (
    count_programmes,
    count_tasks,
    get_programme,
    get_programmes,
    get_task,
    get_tasks,
    list_programmes,
    list_tasks,
    task_requirements,
)
from registry.programme_types import (
    AWARD_MODES,
    CHIEF_ENGINEER_KINDS,
    ONSITE_MODES,
    ROLES_SOUGHT,
    TASK_STATUSES,
    Location,
    Programme,
    ProgrammePage,
    Requirement,
    Task,
    TaskPage,
)
from registry.task_validation import (
    check_references,
    task_as_input,
    validate_programme,
    validate_task,
)
from registry.validation import Validator

# The records and the reads are defined next door and named here too, so that callers keep
# one entry point for the aggregate.
__all__ = [
    "ROLES_SOUGHT", "CHIEF_ENGINEER_KINDS", "ONSITE_MODES", "AWARD_MODES", "TASK_STATUSES",
    "Requirement", "Location", "Programme", "ProgrammePage", "Task", "TaskPage",
    "create_programme", "get_programme", "get_programmes", "list_programmes",
    "delete_programme", "create_task", "update_task", "close_task", "delete_task", "get_task",
    "get_tasks", "list_tasks", "task_requirements", "count_programmes", "count_tasks",
]

_POSTER_ROLES = ("ADMIN", "PROGRAMME_LEAD")

_ACCOUNT = "MATCH (a:Account {id: $id}) RETURN a.role AS role, a.revoked AS revoked"

_CREATE_PROGRAMME = """
MATCH (lead:Account {id: $lead})
CREATE (p:Programme {id: $id})
SET p += $props, p.createdAt = datetime()
CREATE (lead)-[:LEADS]->(p)
WITH p
UNWIND $areas AS area
MATCH (a:TechArea {id: area})
CREATE (p)-[:IN_AREA]->(a)
"""
_DELETE_PROGRAMME = """
MATCH (p:Programme {id: $id})
RETURN head([(l:Account)-[:LEADS]->(p) | l.id]) AS lead, EXISTS { (:Task)-[:PART_OF]->(p) } AS used
"""

_LOCK_TASK = """
MATCH (t:Task {id: $id})
SET t._lock = true
REMOVE t._lock
RETURN t.version AS version, t.status AS status,
       head([(a:Account)-[:POSTED]->(t) | a.id]) AS postedBy,
       EXISTS { (:Decision)-[:FOR]->(t) } AS decided
"""
_NEXT_CODE = """
MERGE (s:Sequence {id: $sequence})
ON CREATE SET s.value = 0
SET s.value = s.value + 1
RETURN s.value AS value
"""
_TASK_CODE_TAKEN = "MATCH (t:Task {code: $code}) RETURN t.id AS id LIMIT 1"
_PROGRAMME_CODE_TAKEN = "MATCH (p:Programme {code: $code}) RETURN p.id AS id LIMIT 1"
_CREATE_TASK = """
MATCH (a:Account {id: $postedBy})
CREATE (t:Task {id: $id})
SET t += $props, t.createdAt = datetime(), t.updatedAt = datetime(), t.version = 1
CREATE (a)-[:POSTED]->(t)
"""
_UPDATE_TASK = """
MATCH (t:Task {id: $id})
SET t += $props, t.updatedAt = datetime(), t.version = t.version + 1
"""
_RELINK_TASK = """
MATCH (t:Task {id: $id})
OPTIONAL MATCH (t)-[old:REQUIRES|IN_AREA|PART_OF]->()
DELETE old
WITH DISTINCT t
CALL (t) {
  UNWIND $requirements AS r
  MATCH (s:Skill {id: r.skill})
  CREATE (t)-[:REQUIRES {weight: r.weight, mustHave: r.mustHave, minLevel: r.minLevel}]->(s)
}
CALL (t) {
  UNWIND $areas AS area
  MATCH (a:TechArea {id: area})
  CREATE (t)-[:IN_AREA]->(a)
}
CALL (t) {
  MATCH (p:Programme {id: $programmeId})
  CREATE (t)-[:PART_OF]->(p)
}
"""
_CLOSE_TASK = """
MATCH (t:Task {id: $id})
SET t.status = 'CLOSED', t.closedAt = datetime(), t.updatedAt = datetime(),
    t.version = t.version + 1
"""


def _task_props(d: dict[str, Any], code: str) -> dict[str, Any]:
    skip = ("areas", "requirements", "programmeId")
    return {**{k: val for k, val in d.items() if k not in skip}, "code": code}



def _account_role(tx: ManagedTransaction, account_id: str, action: str) -> str:
    row = run_single(tx, _ACCOUNT, id=account_id)
    if row is None or row["revoked"] or row["role"] not in _POSTER_ROLES:
        raise NotAllowed(NotAllowedCode.ROLE, f"only a programme lead or an admin may {action}")
    return row["role"]


# Programmes -------------------------------------------------------------------------------

def create_programme(db: Database, *, created_by: str, data: Mapping[str, Any]) -> Programme:
    """Create a programme led by ``data['leadAccountId']`` (default: its creator).

    Only programme leads and admins create programmes; only an admin names someone else.
    """
    v0, doc = validate_programme(data)
    lead = doc["leadAccountId"] or created_by

    def work(tx: ManagedTransaction) -> Programme:
        role = _account_role(tx, created_by, "create programmes")
        if lead != created_by and role != "ADMIN":
            raise NotAllowed(NotAllowedCode.ROLE,
                             "only an admin may create a programme led by someone else")
        v = Validator()
        v.errors.extend(v0.errors)
        if lead != created_by:
            row = run_single(tx, _ACCOUNT, id=lead)
            if row is None or row["revoked"] or row["role"] not in _POSTER_ROLES:
                v.add("leadAccountId", Code.WRONG_ROLE,
                      "must be the account of a programme lead or an admin",
                      allowed=["PROGRAMME_LEAD", "ADMIN"])
        check_references(tx, v, doc)
        if doc["code"] and run_single(tx, _PROGRAMME_CODE_TAKEN, code=doc["code"]):
            v.add("code", Code.ALREADY_USED, f"is used by another programme ({doc['code']})",
                  value=doc["code"])
        v.raise_if_any()
        pid = str(uuid.uuid4())
        props = {k: doc[k] for k in ("code", "title", "description", "techListId")}
        run(tx, _CREATE_PROGRAMME, id=pid, lead=lead, props=props, areas=doc["areas"])
        audit.record(tx, actor_id=created_by, action=audit.AuditAction.PROGRAMME_CREATED,
                     subject_kind="Programme", subject_id=pid, detail={"code": doc["code"]})
        return get_programmes(tx, [pid])[pid]

    return db.write(work)



def delete_programme(
    db: Database, *, programme_id: str, actor_id: str, is_admin: bool = False
) -> None:
    """Delete a programme that has no tasks; only its lead or an admin may."""

    def work(tx: ManagedTransaction) -> None:
        row = run_single(tx, _DELETE_PROGRAMME, id=programme_id)
        if row is None:
            raise NotFound("Programme", programme_id)
        if not is_admin and row["lead"] != actor_id:
            raise NotAllowed(NotAllowedCode.NOT_OWNER,
                             "only the programme's lead or an admin may delete it")
        if row["used"]:
            raise NotAllowed(NotAllowedCode.HAS_TASKS,
                             "the programme has tasks; close them instead of deleting it")
        run(tx, "MATCH (p:Programme {id: $id}) DETACH DELETE p", id=programme_id)
        audit.record(tx, actor_id=actor_id, action=audit.AuditAction.PROGRAMME_DELETED,
                     subject_kind="Programme", subject_id=programme_id)

    db.write(work)


# Tasks ------------------------------------------------------------------------------------

def _next_code(tx: ManagedTransaction) -> str:
    year = dt.date.today().year
    while True:  # skips numbers a lead already chose by hand
        row = run_single(tx, _NEXT_CODE, sequence=f"task-code-{year}")
        assert row is not None
        code = f"NV-{year}-{row['value']:03d}"
        if run_single(tx, _TASK_CODE_TAKEN, code=code) is None:
            return code


def _relink(tx: ManagedTransaction, task_id: str, d: dict[str, Any]) -> None:
    run(tx, _RELINK_TASK, id=task_id, requirements=d["requirements"], areas=d["areas"],
        programmeId=d["programmeId"])


def _check_programme(d: dict[str, Any], lead: str | None, actor_id: str, admin: bool) -> None:
    if d["programmeId"] and not admin and lead != actor_id:
        raise NotAllowed(NotAllowedCode.NOT_OWNER,
                         "only the programme's lead or an admin may put tasks under it")


def create_task(db: Database, *, posted_by: str, data: Mapping[str, Any]) -> Task:
    """Validate and post a task (status DRAFT unless ``data['status']`` is OPEN).

    ``posted_by`` must be a programme lead's or an admin's account. Without a ``code`` one is
    given (``NV-<year>-<n>``). Every invalid field is reported at once.
    """
    v0, doc = validate_task(data)

    def work(tx: ManagedTransaction) -> Task:
        role = _account_role(tx, posted_by, "post tasks")
        v = Validator()
        v.errors.extend(v0.errors)
        lead = check_references(tx, v, doc)
        if doc["code"] and run_single(tx, _TASK_CODE_TAKEN, code=doc["code"]):
            v.add("code", Code.ALREADY_USED, f"is used by another task ({doc['code']})",
                  value=doc["code"])
        v.raise_if_any()
        _check_programme(doc, lead, posted_by, role == "ADMIN")
        task_id, code = str(uuid.uuid4()), doc["code"] or _next_code(tx)
        run(tx, _CREATE_TASK, postedBy=posted_by, id=task_id, props=_task_props(doc, code))
        _relink(tx, task_id, doc)
        audit.record(tx, actor_id=posted_by, action=audit.AuditAction.TASK_POSTED,
                     subject_kind="Task", subject_id=task_id, detail={"code": code})
        return get_tasks(tx, [task_id])[task_id]

    return db.write(work)


def _lock_for_change(
    tx: ManagedTransaction, task_id: str, version: int, actor_id: str, is_admin: bool
) -> dict[str, Any]:
    row = run_single(tx, _LOCK_TASK, id=task_id)
    if row is None:
        raise NotFound("Task", task_id)
    if not is_admin and row["postedBy"] != actor_id:
        raise NotAllowed(NotAllowedCode.NOT_OWNER,
                         f"only the lead who posted task {task_id!r} or an admin may change it")
    if row["version"] != version:
        raise VersionConflict("Task", task_id, version, row["version"])
    return row


def update_task(
    db: Database, *, task_id: str, version: int, changes: Mapping[str, Any], actor_id: str,
    is_admin: bool = False,
) -> Task:
    """Apply ``changes`` (task fields; None clears an optional one) to the task read at
    ``version``. The code cannot change, and a CLOSED task is final."""
    if not isinstance(changes, Mapping):
        raise ValidationError.at("changes", Code.NOT_OBJECT, "must be a mapping of task fields")

    def work(tx: ManagedTransaction) -> Task:
        _lock_for_change(tx, task_id, version, actor_id, is_admin)
        current = get_tasks(tx, [task_id])[task_id]
        if current.status == "CLOSED":
            raise NotAllowed(NotAllowedCode.TASK_CLOSED,
                             f"task {current.code} is closed; a closed task is kept as decided")
        base = task_as_input(current)
        if changes.get("roleSought", "CHIEF_ENGINEER") != "CHIEF_ENGINEER":
            base["chiefEngineerKind"] = None  # a kind only fits a chief engineer
        v, doc = validate_task({**base, **changes})
        if "code" in changes and changes["code"] != current.code:
            v.add("code", Code.IMMUTABLE, "cannot change once the task is posted")
        lead = check_references(tx, v, doc)
        v.raise_if_any()
        if doc["programmeId"] != current.programme_id:
            _check_programme(doc, lead, actor_id, is_admin)
        run(tx, _UPDATE_TASK, id=task_id, props=_task_props(doc, current.code))
        _relink(tx, task_id, doc)
        audit.record(tx, actor_id=actor_id, action=audit.AuditAction.TASK_UPDATED,
                     subject_kind="Task", subject_id=task_id,
                     detail={"fields": sorted(str(k) for k in changes)})
        return get_tasks(tx, [task_id])[task_id]

    return db.write(work)


def close_task(
    db: Database, *, task_id: str, version: int, actor_id: str, is_admin: bool = False
) -> Task:
    """Close a task (no more candidates are sought); closing a closed task changes nothing."""

    def work(tx: ManagedTransaction) -> Task:
        row = _lock_for_change(tx, task_id, version, actor_id, is_admin)
        if row["status"] != "CLOSED":
            run(tx, _CLOSE_TASK, id=task_id)
            audit.record(tx, actor_id=actor_id, action=audit.AuditAction.TASK_CLOSED,
                         subject_kind="Task", subject_id=task_id)
        return get_tasks(tx, [task_id])[task_id]

    return db.write(work)


def delete_task(
    db: Database, *, task_id: str, version: int, actor_id: str, is_admin: bool = False
) -> None:
    """Delete a DRAFT task without decisions; any other task is closed instead, not deleted,
    because decisions on it are what the matcher learns from."""

    def work(tx: ManagedTransaction) -> None:
        row = _lock_for_change(tx, task_id, version, actor_id, is_admin)
        if row["status"] != "DRAFT" or row["decided"]:
            raise NotAllowed(NotAllowedCode.HAS_DECISIONS,
                             "only a DRAFT task without decisions can be deleted; close it")
        run(tx, "MATCH (t:Task {id: $id}) DETACH DELETE t", id=task_id)
        audit.record(tx, actor_id=actor_id, action=audit.AuditAction.TASK_DELETED,
                     subject_kind="Task", subject_id=task_id)

    db.write(work)
