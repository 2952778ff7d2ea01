"""Inputs of the programme and task mutations.

Field names are the registry's task and programme documents (``registry.programmes``), so
problems come back at the input's paths (``requirements.1.weight``, ``location.country``).
Defaults that the schema does not show are the registry's: weight 1, mustHave false,
minLevel 1, minYears 0, awardMode OPEN_SELECTION, status DRAFT.
"""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry import UNSET

from api.enums import AwardMode, ChiefEngineerKind, OnsiteMode, TaskRole, TaskStatus

__all__ = ["LocationInput", "RequirementInput", "CreateProgrammeInput", "PostTaskInput",
           "UpdateTaskInput", "CloseTaskInput"]


@strawberry.input
class LocationInput:
    country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    city: str | None = None


@strawberry.input(description="A skill of the taxonomy that the task needs.")
class RequirementInput:
    skill: strawberry.ID
    weight: float | None = strawberry.field(default=None,
                                            description="Importance in (0, 1]; 1 if left out.")
    must_have: bool | None = strawberry.field(
        default=None, description="A candidate without it is not eligible (default false).")
    min_level: int | None = strawberry.field(default=None,
                                             description="Lowest acceptable level 1-5 "
                                                         "(default 1).")


@strawberry.input(description="A programme; its lead is the caller unless an administrator "
                              "names another (`leadAccountId`).")
class CreateProgrammeInput:
    code: str
    title: str
    tech_list_id: strawberry.ID = strawberry.field(description="The strategic-technology list "
                                                               "(and version) it follows.")
    description: str | None = None
    areas: list[strawberry.ID] | None = None
    lead_account_id: strawberry.ID | None = None


@strawberry.input(description="A task to post. Without `code` one is given (NV-<year>-<n>).")
class PostTaskInput:
    title: str
    description: str
    role_sought: TaskRole
    onsite: OnsiteMode
    tech_list_id: strawberry.ID
    areas: list[strawberry.ID]
    requirements: list[RequirementInput]
    code: str | None = None
    objectives: str | None = None
    products: list[str] | None = None
    chief_engineer_kind: ChiefEngineerKind | None = strawberry.field(
        default=None, description="Required when roleSought is CHIEF_ENGINEER.")
    min_years: int | None = None
    languages: list[str] | None = strawberry.field(default=None, description="ISO 639-1.")
    location: LocationInput | None = strawberry.field(
        default=None, description="Required unless onsite is REMOTE.")
    start: dt.date | None = None
    duration_months: int | None = None
    budget_usd: float | None = None
    award_mode: AwardMode | None = None
    status: TaskStatus | None = strawberry.field(
        default=None, description="DRAFT (seen only by its lead and administrators) unless "
                                  "OPEN is given.")
    programme_id: strawberry.ID | None = None


@strawberry.input(description="Change a task read at `version`. Fields left out stay as they "
                              "are; `null` clears an optional one. The code never changes.")
class UpdateTaskInput:
    id: strawberry.ID
    version: int
    title: str | None = UNSET
    description: str | None = UNSET
    role_sought: TaskRole | None = UNSET
    onsite: OnsiteMode | None = UNSET
    tech_list_id: strawberry.ID | None = UNSET
    areas: list[strawberry.ID] | None = UNSET
    requirements: list[RequirementInput] | None = UNSET
    objectives: str | None = UNSET
    products: list[str] | None = UNSET
    chief_engineer_kind: ChiefEngineerKind | None = UNSET
    min_years: int | None = UNSET
    languages: list[str] | None = UNSET
    location: LocationInput | None = UNSET
    start: dt.date | None = UNSET
    duration_months: int | None = UNSET
    budget_usd: float | None = UNSET
    award_mode: AwardMode | None = UNSET
    status: TaskStatus | None = UNSET
    programme_id: strawberry.ID | None = UNSET


@strawberry.input
class CloseTaskInput:
    id: strawberry.ID
    version: int
