"""Input of ``matchTask``: a task that is not saved (yet).

The same fields as ``PostTaskInput`` (``api.tasks.inputs``), but only what the matcher needs
is required: a title and at least one requirement. The rest take the defaults a new task would
get (role MEMBER, REMOTE, no minimum years). Problems are reported at the input's paths
(``requirements.1.minLevel``), every one at once (``matching.task.task_from_input``).
"""

from __future__ import annotations

import datetime as dt

import strawberry

from api.enums import AwardMode, ChiefEngineerKind, OnsiteMode, TaskRole
from api.tasks.inputs import LocationInput, RequirementInput

__all__ = ["TaskInput"]


@strawberry.input(description="A task to match before it is posted; only `title` and "
                              "`requirements` are required.")
class TaskInput:
    title: str
    requirements: list[RequirementInput]
    description: str | None = None
    objectives: str | None = None
    products: list[str] | None = None
    role_sought: TaskRole | None = strawberry.field(default=None,
                                                    description="MEMBER if left out.")
    chief_engineer_kind: ChiefEngineerKind | None = strawberry.field(
        default=None, description="Only when roleSought is CHIEF_ENGINEER (then required).")
    min_years: int | None = None
    languages: list[str] | None = strawberry.field(default=None, description="ISO 639-1.")
    location: LocationInput | None = strawberry.field(
        default=None, description="Required unless onsite is REMOTE.")
    onsite: OnsiteMode | None = strawberry.field(default=None, description="REMOTE if left "
                                                                           "out.")
    start: dt.date | None = None
    duration_months: int | None = None
    budget_usd: float | None = None
    award_mode: AwardMode | None = None
    tech_list_id: strawberry.ID | None = None
    areas: list[strawberry.ID] | None = None
    programme_id: strawberry.ID | None = None
