"""Programmes and tasks as the registry hands them out: the records, their fixed vocabularies,
and how a row of the graph becomes one.

``registry.programmes`` writes them, ``registry.programme_reads`` reads and pages them and
``registry.task_validation`` checks the documents they are written from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

__all__ = [
    "AWARD_MODES",
    "CHIEF_ENGINEER_KINDS",
    "ONSITE_MODES",
    "ROLES_SOUGHT",
    "TASK_STATUSES",
    "Location",
    "Programme",
    "ProgrammePage",
    "Requirement",
    "Task",
    "TaskPage",
    "programme_from_row",
    "requirements_from_rows",
    "task_from_row",
]

ROLES_SOUGHT = ("CHIEF_ENGINEER", "PRINCIPAL_INVESTIGATOR", "MEMBER", "ADVISOR")
CHIEF_ENGINEER_KINDS = ("SYSTEM", "PROJECT", "ARCHITECT")
ONSITE_MODES = ("ONSITE", "HYBRID", "REMOTE")
AWARD_MODES = ("OPEN_SELECTION", "DIRECT_ASSIGNMENT")
TASK_STATUSES = ("DRAFT", "OPEN", "CLOSED")


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


def _native(value: Any) -> Any:
    return value.to_native() if value is not None else None


def programme_from_row(r: dict[str, Any]) -> Programme:
    return Programme(
        id=r["id"], code=r["code"], title=r["title"], description=r.get("description"),
        tech_list_id=r["techListId"], areas=tuple(sorted(r["areas"])),
        lead_account_id=r.get("leadAccountId"), created_at=_native(r["createdAt"]))


def requirements_from_rows(rows: list[dict[str, Any]]) -> tuple[Requirement, ...]:
    return tuple(Requirement(r["skill"], r["weight"], r["mustHave"], r["minLevel"])
                 for r in sorted(rows, key=lambda r: r["skill"]))


def task_from_row(r: dict[str, Any]) -> Task:
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
        areas=tuple(sorted(r["areas"])), requirements=requirements_from_rows(r["requirements"]),
        programme_id=r.get("programmeId"), posted_by=r.get("postedBy"),
        created_at=_native(r["createdAt"]), updated_at=_native(r["updatedAt"]),
        closed_at=_native(r.get("closedAt")), version=r["version"])
