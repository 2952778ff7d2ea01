"""Checking programme and task documents: every field by its rules, every problem reported by
path (``requirements.1.weight``), then the references the graph must hold (skills, areas of
the named strategic-technology list, the programme), in the transaction that writes."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from neo4j import ManagedTransaction

from registry.db import run_single
from registry.errors import Code, ValidationError
from registry.programme_types import (
    AWARD_MODES,
    CHIEF_ENGINEER_KINDS,
    ONSITE_MODES,
    ROLES_SOUGHT,
    Task,
)
from registry.validation import Validator

__all__ = ["check_references", "task_as_input", "validate_programme", "validate_task"]

_CODE = re.compile(r"[A-ZĐ0-9]+(?:[-./][A-ZĐ0-9]+)*")
_TASK_KEYS = frozenset((
    "code", "title", "description", "objectives", "products", "roleSought",
    "chiefEngineerKind", "minYears", "languages", "location", "onsite", "start",
    "durationMonths", "budgetUsd", "awardMode", "status", "techListId", "areas",
    "requirements", "programmeId"))
_REQUIREMENT_KEYS = frozenset(("skill", "weight", "mustHave", "minLevel"))
_PROGRAMME_KEYS = frozenset(("code", "title", "description", "techListId", "areas",
                             "leadAccountId"))


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


def validate_task(raw: Any) -> tuple[Validator, dict[str, Any]]:
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


def check_references(tx: ManagedTransaction, v: Validator, d: dict[str, Any]) -> str | None:
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



def task_as_input(t: Task) -> dict[str, Any]:
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



def validate_programme(raw: Any) -> tuple[Validator, dict[str, Any]]:
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
