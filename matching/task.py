"""What the matcher needs to know about a task, from a saved task or an unsaved input.

A saved task is read with ``registry.programme_reads.get_tasks``; an unsaved one (the API's
``matchTask``) arrives as a mapping of the same shape as the input of
``registry.programmes.create_task`` and is checked here field by field, every problem
reported at once (``requirements.1.minLevel``). The skills must exist in the taxonomy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from registry.errors import Code
from registry.programme_types import CHIEF_ENGINEER_KINDS, ONSITE_MODES, ROLES_SOUGHT
from registry.validation import Validator
from seed.reference import load_tech_lists

__all__ = [
    "KINDS",
    "ONSITE",
    "ROLES",
    "Requirement",
    "TaskSpec",
    "task_from_input",
    "task_from_saved",
]

ROLES, KINDS, ONSITE = ROLES_SOUGHT, CHIEF_ENGINEER_KINDS, ONSITE_MODES  # the registry's
_KEYS = frozenset((
    "code", "title", "description", "objectives", "products", "roleSought",
    "chiefEngineerKind", "minYears", "languages", "location", "onsite", "start",
    "durationMonths", "budgetUsd", "awardMode", "status", "techListId", "areas",
    "requirements", "programmeId"))


@dataclass(frozen=True)
class Requirement:
    skill: str
    weight: float = 1.0
    must_have: bool = False
    min_level: int = 1


@dataclass(frozen=True)
class TaskSpec:
    title: str
    requirements: tuple[Requirement, ...]
    id: str | None = None
    description: str = ""
    objectives: str | None = None
    products: tuple[str, ...] = ()
    role_sought: str = "MEMBER"
    chief_engineer_kind: str | None = None
    min_years: int = 0
    languages: tuple[str, ...] = ()
    location_country: str | None = None
    location_city: str | None = None
    onsite: str = "REMOTE"
    start: dt.date | None = None
    areas: tuple[str, ...] = ()
    tech_list_id: str | None = None

    @property
    def total_weight(self) -> float:
        return float(sum(r.weight for r in self.requirements))


def task_from_saved(task: Any) -> TaskSpec:
    """A ``registry.programme_types.Task`` as a :class:`TaskSpec`."""
    loc = task.location
    return TaskSpec(
        id=task.id, title=task.title, description=task.description or "",
        objectives=task.objectives, products=tuple(task.products),
        role_sought=task.role_sought, chief_engineer_kind=task.chief_engineer_kind,
        min_years=task.min_years or 0, languages=tuple(task.languages),
        location_country=loc.country if loc else None, location_city=loc.city if loc else None,
        onsite=task.onsite, start=task.start, areas=tuple(task.areas),
        tech_list_id=task.tech_list_id,
        requirements=tuple(Requirement(r.skill, float(r.weight), bool(r.must_have),
                                       int(r.min_level)) for r in task.requirements))


def _given(raw: Mapping[str, Any], key: str, default: Any) -> Any:
    value = raw.get(key)
    return default if value is None else value


def task_from_input(raw: Any, *, known_skills: Any = None) -> TaskSpec:
    """Check an unsaved task (same keys as a saved task's input) and return its spec.

    Only the fields the matcher reads are required: ``title``, ``roleSought`` and at least
    one requirement; the rest take the defaults a new task would get. ``known_skills`` (a
    container of skill ids) makes unknown skills an error.
    """
    v = Validator()
    if not isinstance(raw, Mapping):
        v.add("task", Code.NOT_OBJECT, "must be a mapping of task fields")
        v.raise_if_any()
    for key in sorted(str(k) for k in raw if k not in _KEYS)[:10]:
        v.add(key, Code.UNKNOWN_FIELD, "is not a task field")
    title = v.required_str("title", raw.get("title"), max_length=200)
    description = v.optional_str("description", raw.get("description"), max_length=20000,
                                 multiline=True)
    objectives = v.optional_str("objectives", raw.get("objectives"), max_length=10000,
                                multiline=True)
    products = [v.optional_str(f"products.{i}", p, max_length=500)
                for i, p in enumerate(v.list_max("products", raw.get("products") or [],
                                                 max_items=30) or [])]
    role = v.choice("roleSought", _given(raw, "roleSought", "MEMBER"), ROLES)
    kind = None
    if role == "CHIEF_ENGINEER":
        kind = v.choice("chiefEngineerKind", raw.get("chiefEngineerKind"), KINDS)
    elif raw.get("chiefEngineerKind") is not None:
        v.add("chiefEngineerKind", Code.NOT_APPLICABLE,
              "applies only when roleSought is CHIEF_ENGINEER",
              field="roleSought", value="CHIEF_ENGINEER")
    min_years = v.integer("minYears", _given(raw, "minYears", 0), min=0, max=60)
    languages = v.languages("languages", _given(raw, "languages", []), required=False) or []
    onsite = v.choice("onsite", _given(raw, "onsite", "REMOTE"), ONSITE)
    country = city = None
    location = raw.get("location")
    if location is not None and not isinstance(location, Mapping):
        v.add("location", Code.NOT_OBJECT, "must be a mapping with country and city")
    elif location is not None:
        country = v.country("location.country", location.get("country"))
        city = v.optional_str("location.city", location.get("city"), max_length=100)
    elif onsite in ("ONSITE", "HYBRID"):
        v.add("location", Code.REQUIRED, "is required unless onsite is REMOTE")
    start = v.date("start", raw.get("start"), required=False)
    list_id = v.slug("techListId", raw.get("techListId"), max_length=100, required=False)
    areas = [v.slug(f"areas.{i}", a, max_length=100)
             for i, a in enumerate(v.list_max("areas", raw.get("areas") or [], max_items=20)
                                   or [])]
    _check_areas(v, areas, list_id)
    requirements = _requirements(v, raw, known_skills)
    v.raise_if_any()
    return TaskSpec(
        id=None, title=title or "", description=description or "", objectives=objectives,
        products=tuple(p for p in products if p), role_sought=role, chief_engineer_kind=kind,
        min_years=min_years or 0, languages=tuple(languages), location_country=country,
        location_city=city, onsite=onsite, start=start, areas=tuple(a for a in areas if a),
        tech_list_id=list_id, requirements=tuple(requirements))


def _check_areas(v: Validator, areas: list[str | None], list_id: str | None) -> None:
    lists = load_tech_lists()
    if list_id is not None and list_id not in {t.id for t in lists.lists}:
        v.add("techListId", Code.UNKNOWN_REFERENCE,
              f"is not a strategic-technology list (got {list_id!r})", kind="techList",
              value=str(list_id))
        list_id = None
    for i, area in enumerate(areas):
        if area is None:
            continue
        try:
            group = lists.group(area)
        except KeyError:
            v.add(f"areas.{i}", Code.UNKNOWN_REFERENCE,
                  f"is not a strategic-technology group (got {area!r})", kind="techArea",
                  value=str(area))
            continue
        if list_id is not None and group.list_id != list_id:
            v.add(f"areas.{i}", Code.NOT_IN_LIST, f"is not a group of list {list_id}",
                  list=list_id, value=area)


def _requirements(v: Validator, raw: Mapping[str, Any], known: Any) -> list[Requirement]:
    items = v.list_max("requirements", raw.get("requirements"), max_items=50)
    if items == []:
        v.add("requirements", Code.TOO_FEW, "must name at least one skill", min=1)
    out: list[Requirement] = []
    for i, item in enumerate(items or []):
        p = f"requirements.{i}"
        if not isinstance(item, Mapping):
            v.add(p, Code.NOT_OBJECT, "must be a mapping with skill, weight, mustHave and minLevel")
            continue
        skill = v.slug(f"{p}.skill", item.get("skill"), max_length=100)
        if skill is not None and known is not None and skill not in known:
            v.add(f"{p}.skill", Code.UNKNOWN_REFERENCE,
                  f"is not a skill of the taxonomy ({skill!r})", kind="skill", value=skill)
        if skill is not None and any(r.skill == skill for r in out):
            v.add(f"{p}.skill", Code.DUPLICATE, f"is listed twice ({skill})", value=skill)
        weight = v.number(f"{p}.weight", _given(item, "weight", 1.0), min=0, max=1)
        if weight == 0:
            v.add(f"{p}.weight", Code.NOT_POSITIVE, "must be greater than 0 (leave the skill out instead)")
        must = _given(item, "mustHave", False)
        if not isinstance(must, bool):
            v.add(f"{p}.mustHave", Code.NOT_BOOLEAN, f"must be true or false (got {must!r})")
        level = v.integer(f"{p}.minLevel", _given(item, "minLevel", 1), min=1, max=5)
        if skill and weight and level:
            out.append(Requirement(skill, float(weight), must is True, int(level)))
    return out
