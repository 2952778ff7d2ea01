"""Reading programmes and tasks: by id (for the per-request loaders), and listed newest first
in pages with keyset cursors and filters."""

from __future__ import annotations

import base64
import binascii
import json
import re
from typing import Any

from neo4j import ManagedTransaction

from registry.db import Database, run
from registry.errors import Code, NotFound
from registry.programme_types import (
    TASK_STATUSES,
    Programme,
    ProgrammePage,
    Requirement,
    Task,
    TaskPage,
    programme_from_row,
    requirements_from_rows,
    task_from_row,
)
from registry.validation import Validator

__all__ = [
    "count_programmes",
    "count_tasks",
    "get_programme",
    "get_programmes",
    "get_task",
    "get_tasks",
    "list_programmes",
    "list_tasks",
    "task_requirements",
]

# What Cypher's toString(datetime) gives, so a tampered cursor is refused before Cypher parses it.
_INSTANT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})")

_PROGRAMME = """p {.id, .code, .title, .description, .techListId, .createdAt,
  areas: [(p)-[:IN_AREA]->(area:TechArea) | area.id],
  leadAccountId: head([(leader:Account)-[:LEADS]->(p) | leader.id]),
  sortKey: toString(p.createdAt)}"""
_GET_PROGRAMMES = f"UNWIND $ids AS id MATCH (p:Programme {{id: id}}) RETURN {_PROGRAMME} AS p"
_PROGRAMMES = """
MATCH (p:Programme)
WHERE ($lead IS NULL OR EXISTS { (:Account {id: $lead})-[:LEADS]->(p) })
"""
_LIST_PROGRAMMES = _PROGRAMMES + f"""
  AND ($afterKey IS NULL OR p.createdAt < datetime($afterKey)
       OR (p.createdAt = datetime($afterKey) AND p.id < $afterId))
RETURN {_PROGRAMME} AS p ORDER BY p.createdAt DESC, p.id DESC LIMIT $limit
"""

_TASK = """t {.*, areas: [(t)-[:IN_AREA]->(area:TechArea) | area.id],
  requirements: [(t)-[req:REQUIRES]->(sk:Skill) | {skill: sk.id, weight: req.weight,
                 mustHave: req.mustHave, minLevel: req.minLevel}],
  programmeId: head([(t)-[:PART_OF]->(prog:Programme) | prog.id]),
  postedBy: head([(poster:Account)-[:POSTED]->(t) | poster.id]), sortKey: toString(t.createdAt)}"""
_GET_TASKS = f"UNWIND $ids AS id MATCH (t:Task {{id: id}}) RETURN {_TASK} AS t"
# A draft is listed to every caller of the registry itself (``allDrafts``); the API lists
# one only to its poster (``viewer``) and administrators, in the statement, so pages are full.
_TASKS = """
MATCH (t:Task)
WHERE ($status IS NULL OR t.status = $status)
  AND ($area IS NULL OR EXISTS { (t)-[:IN_AREA]->(:TechArea {id: $area}) })
  AND ($programmeId IS NULL OR EXISTS { (t)-[:PART_OF]->(:Programme {id: $programmeId}) })
  AND ($postedBy IS NULL OR EXISTS { (:Account {id: $postedBy})-[:POSTED]->(t) })
  AND (t.status <> 'DRAFT' OR $allDrafts
       OR EXISTS { (:Account {id: $viewer})-[:POSTED]->(t) })
"""
_LIST_TASKS = _TASKS + f"""
  AND ($afterKey IS NULL OR t.createdAt < datetime($afterKey)
       OR (t.createdAt = datetime($afterKey) AND t.id < $afterId))
RETURN {_TASK} AS t ORDER BY t.createdAt DESC, t.id DESC LIMIT $limit
"""
_REQUIREMENTS = """
UNWIND $ids AS id
MATCH (:Task {id: id})-[r:REQUIRES]->(s:Skill)
RETURN id, collect({skill: s.id, weight: r.weight, mustHave: r.mustHave,
                    minLevel: r.minLevel}) AS requirements
"""


def _encode_cursor(kind: str, key: str, ident: str) -> str:
    return base64.urlsafe_b64encode(json.dumps([kind, key, ident]).encode()).decode()


def _decode_cursor(v: Validator, kind: str, cursor: str | None) -> tuple[str | None, ...]:
    if cursor is None:
        return None, None
    try:
        got, key, ident = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        if got == kind and isinstance(key, str) and isinstance(ident, str) \
                and _INSTANT.fullmatch(key):
            return key, ident
    except (ValueError, TypeError, AttributeError, binascii.Error):
        pass
    v.add("after", Code.INVALID_CURSOR, "is not a cursor of this list; pass the endCursor of the previous page")
    return None, None


def _page(rows: list[dict[str, Any]], limit: int, kind: str, key: str) -> tuple[list, str | None]:
    page = [r[key] for r in rows[:limit]]
    end = _encode_cursor(kind, page[-1]["sortKey"], page[-1]["id"]) if page else None
    return page, end



def get_programmes(tx: ManagedTransaction, ids: list[str]) -> dict[str, Programme]:
    """Programmes by id in one statement; unknown ids are left out."""
    return {r["p"]["id"]: programme_from_row(r["p"]) for r in run(tx, _GET_PROGRAMMES, ids=list(ids))}


def get_programme(db: Database, *, programme_id: str) -> Programme:
    found = db.read(get_programmes, [programme_id]).get(programme_id)
    if found is None:
        raise NotFound("Programme", programme_id)
    return found


def list_programmes(
    db: Database, *, lead_account_id: str | None = None, first: int = 50,
    after: str | None = None,
) -> ProgrammePage:
    """Programmes, newest first; ``after`` is the ``endCursor`` of the previous page."""
    v = Validator()
    limit = v.integer("first", first, min=1, max=200)
    after_key, after_id = _decode_cursor(v, "programme", after)
    v.raise_if_any()
    rows = db.query(_LIST_PROGRAMMES, lead=lead_account_id, afterKey=after_key,
                    afterId=after_id, limit=limit + 1)
    page, end = _page(rows, limit, "programme", "p")
    return ProgrammePage(tuple(programme_from_row(p) for p in page), end, len(rows) > limit)


def count_programmes(db: Database, *, lead_account_id: str | None = None) -> int:
    """How many programmes ``list_programmes`` lists, over all its pages."""
    return db.query(_PROGRAMMES + "RETURN count(p) AS n", lead=lead_account_id)[0]["n"]


def get_tasks(tx: ManagedTransaction, ids: list[str]) -> dict[str, Task]:
    """Tasks by id in one statement (for per-request loaders); unknown ids are left out."""
    return {r["t"]["id"]: task_from_row(r["t"]) for r in run(tx, _GET_TASKS, ids=list(ids))}


def get_task(db: Database, *, task_id: str) -> Task:
    found = db.read(get_tasks, [task_id]).get(task_id)
    if found is None:
        raise NotFound("Task", task_id)
    return found


def _task_filter(v: Validator, status: str | None, area: str | None,
                 programme_id: str | None, posted_by: str | None, viewer: str | None,
                 all_drafts: bool) -> dict[str, Any]:
    return {"status": v.choice("status", status, TASK_STATUSES, required=False),
            "area": area, "programmeId": programme_id, "postedBy": posted_by,
            "viewer": viewer, "allDrafts": all_drafts}


def list_tasks(
    db: Database, *, status: str | None = None, area: str | None = None,
    programme_id: str | None = None, posted_by: str | None = None, first: int = 20,
    after: str | None = None, viewer: str | None = None, all_drafts: bool = True,
) -> TaskPage:
    """Tasks matching every given filter, newest first; ``after`` is the previous page's
    ``endCursor``. Each task appears once across the pages of one listing. Without
    ``all_drafts``, a DRAFT is listed only to the account that posted it (``viewer``)."""
    v = Validator()
    params = _task_filter(v, status, area, programme_id, posted_by, viewer, all_drafts)
    limit = v.integer("first", first, min=1, max=100)
    after_key, after_id = _decode_cursor(v, "task", after)
    v.raise_if_any()
    rows = db.query(_LIST_TASKS, **params, afterKey=after_key, afterId=after_id,
                    limit=limit + 1)
    page, end = _page(rows, limit, "task", "t")
    return TaskPage(tuple(task_from_row(t) for t in page), end, len(rows) > limit)


def count_tasks(
    db: Database, *, status: str | None = None, area: str | None = None,
    programme_id: str | None = None, posted_by: str | None = None,
    viewer: str | None = None, all_drafts: bool = True,
) -> int:
    """How many tasks ``list_tasks`` lists with the same filters, over all its pages."""
    v = Validator()
    params = _task_filter(v, status, area, programme_id, posted_by, viewer, all_drafts)
    v.raise_if_any()
    return db.query(_TASKS + "RETURN count(t) AS n", **params)[0]["n"]


def task_requirements(
    tx: ManagedTransaction, task_ids: list[str]
) -> dict[str, tuple[Requirement, ...]]:
    """Requirements of many tasks in one statement; a task without any maps to ``()``."""
    found = {r["id"]: requirements_from_rows(r["requirements"])
             for r in run(tx, _REQUIREMENTS, ids=list(task_ids))}
    return {tid: found.get(tid, ()) for tid in task_ids}
