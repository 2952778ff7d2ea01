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
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
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
from registry.validation import Validator

__all__ = [
    "ROLES_SOUGHT", "CHIEF_ENGINEER_KINDS", "ONSITE_MODES", "AWARD_MODES", "TASK_STATUSES",
    "Requirement", "Location", "Programme", "ProgrammePage", "Task", "TaskPage",
    "create_programme", "get_programme", "get_programmes", "list_programmes",
    "delete_programme", "create_task", "update_task", "close_task", "delete_task", "get_task",
    "get_tasks", "list_tasks", "task_requirements",
]

ROLES_SOUGHT = ("CHIEF_ENGINEER", "PRINCIPAL_INVESTIGATOR", "MEMBER", "ADVISOR")
CHIEF_ENGINEER_KINDS = ("SYSTEM", "PROJECT", "ARCHITECT")
ONSITE_MODES = ("ONSITE", "HYBRID", "REMOTE")
AWARD_MODES = ("OPEN_SELECTION", "DIRECT_ASSIGNMENT")
TASK_STATUSES = ("DRAFT", "OPEN", "CLOSED")
_POSTER_ROLES = ("ADMIN", "PROGRAMME_LEAD")
_CODE = re.compile(r"[A-ZĐ0-9]+(?:[-./][A-ZĐ0-9]+)*")
# What Cypher's toString(datetime) gives, so a tampered cursor is refused before Cypher parses it.
_INSTANT = re.compile(
    r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})")
_TASK_KEYS = frozenset((
    "code", "title", "description", "objectives", "products", "roleSought",
    "chiefEngineerKind", "minYears", "languages", "location", "onsite", "start",
    "durationMonths", "budgetUsd", "awardMode", "status", "techListId", "areas",
    "requirements", "programmeId"))
_REQUIREMENT_KEYS = frozenset(("skill", "weight", "mustHave", "minLevel"))
_PROGRAMME_KEYS = frozenset(("code", "title", "description", "techListId", "areas",
                             "leadAccountId"))


@dataclass(frozen=True)
class Requirement:
    skill: str
    weight: float
    must_have: bool
    min_level: int


@dataclass(frozen=True)
class Location:
    country: str
    city: str | None


@dataclass(frozen=True)
class Programme:
    id: str
    code: str
    title: str
    description: str | None
    tech_list_id: str
    areas: tuple[str, ...]
    lead_account_id: str | None
    created_at: dt.datetime


@dataclass(frozen=True)
class Task:
    id: str
    code: str
    title: str
    description: str
    objectives: str | None
    products: tuple[str, ...]
    role_sought: str
    chief_engineer_kind: str | None
    min_years: int
    languages: tuple[str, ...]
    location: Location | None
    onsite: str
    start: dt.date | None
    duration_months: int | None
    budget_usd: float | None
    award_mode: str
    status: str
    tech_list_id: str
    areas: tuple[str, ...]
    requirements: tuple[Requirement, ...]
    programme_id: str | None
    posted_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    version: int


@dataclass(frozen=True)
class ProgrammePage:
    items: tuple[Programme, ...]
    end_cursor: str | None
    has_next_page: bool


@dataclass(frozen=True)
class TaskPage:
    items: tuple[Task, ...]
    end_cursor: str | None
    has_next_page: bool


_ACCOUNT = "MATCH (a:Account {id: $id}) RETURN a.role AS role, a.revoked AS revoked"

# ``registry.taxonomy`` links each group to its list with IN_LIST; a group of another list is
# refused (a task names one list version and groups of that version).
_REFERENCES = """
OPTIONAL MATCH (p:Programme {id: $programmeId})
RETURN [s IN $skills WHERE NOT EXISTS { MATCH (:Skill {id: s}) }] AS missingSkills,
       [a IN $areas WHERE NOT EXISTS { MATCH (:TechArea {id: a}) }] AS missingAreas,
       [a IN $areas WHERE EXISTS { MATCH (:TechArea {id: a}) } AND NOT EXISTS {
          MATCH (:TechArea {id: a})-[:IN_LIST]->(:TaxonomyVersion {id: $techListId}) }]
         AS otherListAreas,
       EXISTS { MATCH (:TaxonomyVersion {id: $techListId}) } AS listKnown,
       p IS NOT NULL AS programmeKnown,
       head([(l:Account)-[:LEADS]->(p) | l.id]) AS programmeLead
"""

_PROGRAMME = """p {.id, .code, .title, .description, .techListId, .createdAt,
  areas: [(p)-[:IN_AREA]->(area:TechArea) | area.id],
  leadAccountId: head([(leader:Account)-[:LEADS]->(p) | leader.id]),
  sortKey: toString(p.createdAt)}"""
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
_GET_PROGRAMMES = f"UNWIND $ids AS id MATCH (p:Programme {{id: id}}) RETURN {_PROGRAMME} AS p"
_LIST_PROGRAMMES = f"""
MATCH (p:Programme)
WHERE ($lead IS NULL OR EXISTS {{ (:Account {{id: $lead}})-[:LEADS]->(p) }})
  AND ($afterKey IS NULL OR p.createdAt < datetime($afterKey)
       OR (p.createdAt = datetime($afterKey) AND p.id < $afterId))
RETURN {_PROGRAMME} AS p ORDER BY p.createdAt DESC, p.id DESC LIMIT $limit
"""
_DELETE_PROGRAMME = """
MATCH (p:Programme {id: $id})
RETURN head([(l:Account)-[:LEADS]->(p) | l.id]) AS lead, EXISTS { (:Task)-[:PART_OF]->(p) } AS used
"""

_TASK = """t {.*, areas: [(t)-[:IN_AREA]->(area:TechArea) | area.id],
  requirements: [(t)-[req:REQUIRES]->(sk:Skill) | {skill: sk.id, weight: req.weight,
                 mustHave: req.mustHave, minLevel: req.minLevel}],
  programmeId: head([(t)-[:PART_OF]->(prog:Programme) | prog.id]),
  postedBy: head([(poster:Account)-[:POSTED]->(t) | poster.id]), sortKey: toString(t.createdAt)}"""
_GET_TASKS = f"UNWIND $ids AS id MATCH (t:Task {{id: id}}) RETURN {_TASK} AS t"
_LIST_TASKS = f"""
MATCH (t:Task)
WHERE ($status IS NULL OR t.status = $status)
  AND ($area IS NULL OR EXISTS {{ (t)-[:IN_AREA]->(:TechArea {{id: $area}}) }})
  AND ($programmeId IS NULL OR EXISTS {{ (t)-[:PART_OF]->(:Programme {{id: $programmeId}}) }})
  AND ($postedBy IS NULL OR EXISTS {{ (:Account {{id: $postedBy}})-[:POSTED]->(t) }})
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


# Rows and cursors -------------------------------------------------------------------------

def _native(value: Any) -> Any:
    return value.to_native() if value is not None else None


def _programme(r: dict[str, Any]) -> Programme:
    return Programme(
        id=r["id"], code=r["code"], title=r["title"], description=r.get("description"),
        tech_list_id=r["techListId"], areas=tuple(sorted(r["areas"])),
        lead_account_id=r.get("leadAccountId"), created_at=_native(r["createdAt"]))


def _requirements(rows: list[dict[str, Any]]) -> tuple[Requirement, ...]:
    return tuple(Requirement(r["skill"], r["weight"], r["mustHave"], r["minLevel"])
                 for r in sorted(rows, key=lambda r: r["skill"]))


def _task(r: dict[str, Any]) -> Task:
    country = r.get("locationCountry")
    return Task(
        id=r["id"], code=r["code"], title=r["title"], description=r["description"],
        objectives=r.get("objectives"), products=tuple(r.get("products") or ()),
        role_sought=r["roleSought"], chief_engineer_kind=r.get("chiefEngineerKind"),
        min_years=r.get("minYears") or 0, languages=tuple(r.get("languages") or ()),
        location=Location(country, r.get("locationCity")) if country else None,
        onsite=r["onsite"], start=dt.date.fromisoformat(r["start"]) if r.get("start") else None,
        duration_months=r.get("durationMonths"), budget_usd=r.get("budgetUsd"),
        award_mode=r["awardMode"], status=r["status"], tech_list_id=r["techListId"],
        areas=tuple(sorted(r["areas"])), requirements=_requirements(r["requirements"]),
        programme_id=r.get("programmeId"), posted_by=r.get("postedBy"),
        created_at=_native(r["createdAt"]), updated_at=_native(r["updatedAt"]),
        closed_at=_native(r.get("closedAt")), version=r["version"])


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


# Validation -------------------------------------------------------------------------------

def _given(raw: Mapping[str, Any], key: str, default: Any) -> Any:
    value = raw.get(key)
    return default if value is None else value


def _code(v: Validator, value: Any, *, required: bool) -> str | None:
    text = v.required_str("code", value, max_length=40, required=required)
    if text is not None and not _CODE.fullmatch(text):
        v.add("code", Code.INVALID_CODE, "must be upper-case letters and digits joined by '-', '.' or '/', "
                      "such as NV-2026-001")
        return None
    return text


def _areas(v: Validator, raw: Mapping[str, Any], *, required: bool) -> list[str | None]:
    items = v.list_max("areas", raw.get("areas") or [], max_items=20) or []
    if required and not items and not any(e.path == "areas" for e in v.errors):
        v.add("areas", Code.TOO_FEW, "must name at least one strategic-technology group", min=1)
    out: list[str | None] = []
    for i, item in enumerate(items):
        area = v.slug(f"areas.{i}", item, max_length=100)
        if area is not None and area in out:
            v.add(f"areas.{i}", Code.DUPLICATE, f"is listed twice ({area})", value=area)
        out.append(area)
    return out


def _flag(v: Validator, path: str, value: Any) -> bool:
    if not isinstance(value, bool):
        v.add(path, Code.NOT_BOOLEAN, f"must be true or false (got {value!r})")
    return value is True


def _requirement_list(v: Validator, raw: Mapping[str, Any]) -> list[dict[str, Any]]:
    items = v.list_max("requirements", raw.get("requirements"), max_items=50)
    if items == []:
        v.add("requirements", Code.TOO_FEW, "must name at least one skill", min=1)
    out: list[dict[str, Any]] = []
    for i, item in enumerate(items or []):
        p = f"requirements.{i}"
        if not isinstance(item, Mapping):
            v.add(p, Code.NOT_OBJECT, "must be a mapping with skill, weight, mustHave and minLevel")
            out.append({"skill": None})
            continue
        for key in sorted(k for k in item if k not in _REQUIREMENT_KEYS):
            v.add(f"{p}.{key}", Code.UNKNOWN_FIELD, "is not a requirement field")
        skill = v.slug(f"{p}.skill", item.get("skill"), max_length=100)
        if skill is not None and any(r["skill"] == skill for r in out):
            v.add(f"{p}.skill", Code.DUPLICATE, f"is listed twice ({skill})", value=skill)
        weight = v.number(f"{p}.weight", _given(item, "weight", 1.0), min=0, max=1)
        if weight == 0:
            v.add(f"{p}.weight", Code.NOT_POSITIVE, "must be greater than 0 (leave the skill out instead)")
        out.append({"skill": skill, "weight": weight,
                    "mustHave": _flag(v, f"{p}.mustHave", _given(item, "mustHave", False)),
                    "minLevel": v.integer(f"{p}.minLevel", _given(item, "minLevel", 1),
                                          min=1, max=5)})
    return out


def _validate_task(raw: Any) -> tuple[Validator, dict[str, Any]]:
    """Check a task document without the database; returns the collector and the document."""
    v = Validator()
    if not isinstance(raw, Mapping):
        raise ValidationError.at("task", Code.NOT_OBJECT, "must be a mapping of task fields")
    for key in sorted(str(k) for k in raw if k not in _TASK_KEYS)[:10]:
        v.add(key, Code.UNKNOWN_FIELD, "is not a task field")
    d: dict[str, Any] = {"code": _code(v, raw.get("code"), required=False)}
    d["title"] = v.required_str("title", raw.get("title"), max_length=200)
    d["description"] = v.required_str("description", raw.get("description"),
                                      max_length=10000, multiline=True)
    d["objectives"] = v.optional_str("objectives", raw.get("objectives"), max_length=5000,
                                     multiline=True)
    products = v.list_max("products", raw.get("products") or [], max_items=30) or []
    d["products"] = [v.required_str(f"products.{i}", p, max_length=300)
                     for i, p in enumerate(products)]
    d["roleSought"] = v.choice("roleSought", raw.get("roleSought"), ROLES_SOUGHT)
    d["chiefEngineerKind"] = None
    if d["roleSought"] == "CHIEF_ENGINEER":
        d["chiefEngineerKind"] = v.choice("chiefEngineerKind", raw.get("chiefEngineerKind"),
                                          CHIEF_ENGINEER_KINDS)
    elif d["roleSought"] is not None and raw.get("chiefEngineerKind") is not None:
        v.add("chiefEngineerKind", Code.NOT_APPLICABLE,
              "applies only when roleSought is CHIEF_ENGINEER",
              field="roleSought", value="CHIEF_ENGINEER")
    d["minYears"] = v.integer("minYears", _given(raw, "minYears", 0), min=0, max=60)
    d["languages"] = v.languages("languages", _given(raw, "languages", []), required=False)
    d["onsite"] = v.choice("onsite", raw.get("onsite"), ONSITE_MODES)
    d["locationCountry"] = d["locationCity"] = None
    location = raw.get("location")
    if location is None and d["onsite"] in ("ONSITE", "HYBRID"):
        v.add("location", Code.REQUIRED, "is required unless onsite is REMOTE")
    elif location is not None and not isinstance(location, Mapping):
        v.add("location", Code.NOT_OBJECT, "must be a mapping with country and city")
    elif location is not None:
        d["locationCountry"] = v.country("location.country", location.get("country"))
        d["locationCity"] = v.optional_str("location.city", location.get("city"),
                                           max_length=100)
    start = v.date("start", raw.get("start"), required=False)
    d["start"] = start.isoformat() if start else None
    d["durationMonths"] = v.integer("durationMonths", raw.get("durationMonths"), min=1,
                                    max=120, required=False)
    d["budgetUsd"] = v.number("budgetUsd", raw.get("budgetUsd"), min=0, max=1e12,
                              required=False)
    d["awardMode"] = v.choice("awardMode", _given(raw, "awardMode", "OPEN_SELECTION"),
                              AWARD_MODES)
    d["status"] = v.choice("status", _given(raw, "status", "DRAFT"), ("DRAFT", "OPEN"))
    d["techListId"] = v.slug("techListId", raw.get("techListId"), max_length=100)
    d["areas"] = _areas(v, raw, required=True)
    d["requirements"] = _requirement_list(v, raw)
    d["programmeId"] = v.required_str("programmeId", raw.get("programmeId"), max_length=100,
                                      normalize=False, required=False)
    return v, d


def _check_references(tx: ManagedTransaction, v: Validator, d: dict[str, Any]) -> str | None:
    """Record every reference the graph lacks; returns the programme's lead, if any."""
    skills = [r["skill"] for r in d.get("requirements", ()) if r["skill"]]
    areas = [a for a in d["areas"] if a]
    row = run_single(tx, _REFERENCES, skills=skills, areas=areas, techListId=d["techListId"],
                     programmeId=d.get("programmeId"))
    assert row is not None
    if d["techListId"] and not row["listKnown"]:
        v.add("techListId", Code.UNKNOWN_REFERENCE, "is not a strategic-technology list in "
              f"the registry (got {d['techListId']!r})", kind="techList", value=d["techListId"])
    for i, area in enumerate(d["areas"]):
        if area in row["missingAreas"]:
            v.add(f"areas.{i}", Code.UNKNOWN_REFERENCE,
                  f"is not a strategic-technology group (got {area!r})", kind="techArea",
                  value=area)
        elif area in row["otherListAreas"] and row["listKnown"]:
            v.add(f"areas.{i}", Code.NOT_IN_LIST, f"is not a group of list {d['techListId']}",
                  list=d["techListId"], value=area)
    for i, r in enumerate(d.get("requirements", ())):
        if r["skill"] in row["missingSkills"]:
            v.add(f"requirements.{i}.skill", Code.UNKNOWN_REFERENCE,
                  f"is not a skill of the taxonomy ({r['skill']!r})", kind="skill",
                  value=r["skill"])
    if d.get("programmeId") and not row["programmeKnown"]:
        v.add("programmeId", Code.UNKNOWN_REFERENCE, "is not a programme in the registry",
              kind="programme", value=d["programmeId"])
    return row["programmeLead"]


def _task_props(d: dict[str, Any], code: str) -> dict[str, Any]:
    skip = ("areas", "requirements", "programmeId")
    return {**{k: val for k, val in d.items() if k not in skip}, "code": code}


def _task_input(t: Task) -> dict[str, Any]:
    loc = t.location
    return {
        "code": t.code, "title": t.title, "description": t.description,
        "objectives": t.objectives, "products": list(t.products), "roleSought": t.role_sought,
        "chiefEngineerKind": t.chief_engineer_kind, "minYears": t.min_years,
        "languages": list(t.languages), "onsite": t.onsite,
        "location": {"country": loc.country, "city": loc.city} if loc else None,
        "start": t.start, "durationMonths": t.duration_months, "budgetUsd": t.budget_usd,
        "awardMode": t.award_mode, "status": t.status, "techListId": t.tech_list_id,
        "areas": list(t.areas), "programmeId": t.programme_id,
        "requirements": [{"skill": r.skill, "weight": r.weight, "mustHave": r.must_have,
                          "minLevel": r.min_level} for r in t.requirements],
    }


def _account_role(tx: ManagedTransaction, account_id: str, action: str) -> str:
    row = run_single(tx, _ACCOUNT, id=account_id)
    if row is None or row["revoked"] or row["role"] not in _POSTER_ROLES:
        raise NotAllowed(NotAllowedCode.ROLE, f"only a programme lead or an admin may {action}")
    return row["role"]


def _validate_programme(raw: Any) -> tuple[Validator, dict[str, Any]]:
    v = Validator()
    if not isinstance(raw, Mapping):
        raise ValidationError.at("programme", Code.NOT_OBJECT,
                                 "must be a mapping of programme fields")
    for key in sorted(str(k) for k in raw if k not in _PROGRAMME_KEYS)[:10]:
        v.add(key, Code.UNKNOWN_FIELD, "is not a programme field")
    d = {"code": _code(v, raw.get("code"), required=True),
         "title": v.required_str("title", raw.get("title"), max_length=200),
         "description": v.optional_str("description", raw.get("description"),
                                       max_length=10000, multiline=True),
         "techListId": v.slug("techListId", raw.get("techListId"), max_length=100),
         "areas": _areas(v, raw, required=False),
         "leadAccountId": v.required_str("leadAccountId", raw.get("leadAccountId"),
                                         max_length=100, normalize=False, required=False)}
    return v, d


# Programmes -------------------------------------------------------------------------------

def create_programme(db: Database, *, created_by: str, data: Mapping[str, Any]) -> Programme:
    """Create a programme led by ``data['leadAccountId']`` (default: its creator).

    Only programme leads and admins create programmes; only an admin names someone else.
    """
    v0, doc = _validate_programme(data)
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
        _check_references(tx, v, doc)
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


def get_programmes(tx: ManagedTransaction, ids: list[str]) -> dict[str, Programme]:
    """Programmes by id in one statement; unknown ids are left out."""
    return {r["p"]["id"]: _programme(r["p"]) for r in run(tx, _GET_PROGRAMMES, ids=list(ids))}


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
    return ProgrammePage(tuple(_programme(p) for p in page), end, len(rows) > limit)


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
    v0, doc = _validate_task(data)

    def work(tx: ManagedTransaction) -> Task:
        role = _account_role(tx, posted_by, "post tasks")
        v = Validator()
        v.errors.extend(v0.errors)
        lead = _check_references(tx, v, doc)
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
        base = _task_input(current)
        if changes.get("roleSought", "CHIEF_ENGINEER") != "CHIEF_ENGINEER":
            base["chiefEngineerKind"] = None  # a kind only fits a chief engineer
        v, doc = _validate_task({**base, **changes})
        if "code" in changes and changes["code"] != current.code:
            v.add("code", Code.IMMUTABLE, "cannot change once the task is posted")
        lead = _check_references(tx, v, doc)
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


def get_tasks(tx: ManagedTransaction, ids: list[str]) -> dict[str, Task]:
    """Tasks by id in one statement (for per-request loaders); unknown ids are left out."""
    return {r["t"]["id"]: _task(r["t"]) for r in run(tx, _GET_TASKS, ids=list(ids))}


def get_task(db: Database, *, task_id: str) -> Task:
    found = db.read(get_tasks, [task_id]).get(task_id)
    if found is None:
        raise NotFound("Task", task_id)
    return found


def list_tasks(
    db: Database, *, status: str | None = None, area: str | None = None,
    programme_id: str | None = None, posted_by: str | None = None, first: int = 20,
    after: str | None = None,
) -> TaskPage:
    """Tasks matching every given filter, newest first; ``after`` is the previous page's
    ``endCursor``. Each task appears once across the pages of one listing."""
    v = Validator()
    clean_status = v.choice("status", status, TASK_STATUSES, required=False)
    limit = v.integer("first", first, min=1, max=100)
    after_key, after_id = _decode_cursor(v, "task", after)
    v.raise_if_any()
    rows = db.query(_LIST_TASKS, status=clean_status, area=area, programmeId=programme_id,
                    postedBy=posted_by, afterKey=after_key, afterId=after_id, limit=limit + 1)
    page, end = _page(rows, limit, "task", "t")
    return TaskPage(tuple(_task(t) for t in page), end, len(rows) > limit)


def task_requirements(
    tx: ManagedTransaction, task_ids: list[str]
) -> dict[str, tuple[Requirement, ...]]:
    """Requirements of many tasks in one statement; a task without any maps to ``()``."""
    found = {r["id"]: _requirements(r["requirements"])
             for r in run(tx, _REQUIREMENTS, ids=list(task_ids))}
    return {tid: found.get(tid, ()) for tid in task_ids}
