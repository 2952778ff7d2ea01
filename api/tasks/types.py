"""GraphQL types of programmes and tasks.

``TaskType`` is ``TaskFields`` (below) plus the field groups other domains contribute through
``api.tasks.extensions``; see there how the matcher adds ``candidates``.
"""

from __future__ import annotations

import datetime as dt

import strawberry

from api.context import Context
from api.enums import AwardMode, ChiefEngineerKind, OnsiteMode, TaskRole, TaskStatus, enum_value
from api.pagination import Counted, PageInfo
from api.tasks.extensions import task_field_groups
from api.taxonomy.types import SkillType, TechAreaType
from registry import programme_types

__all__ = ["RequirementType", "LocationType", "ProgrammeType", "TaskFields", "TaskType",
           "TaskConnection", "ProgrammeConnection"]


async def _areas(info: strawberry.Info[Context, None], ids: tuple[str, ...]
                 ) -> list[TechAreaType]:
    found = await info.context.loaders.tech_area.load_many(list(ids))
    return [a for a in found if a is not None]


@strawberry.type(name="Requirement", description="A skill a task needs.")
class RequirementType:
    weight: float = strawberry.field(description="Importance, in (0, 1].")
    must_have: bool = strawberry.field(description="A candidate without it is not eligible.")
    min_level: int = strawberry.field(description="Lowest acceptable level, 1-5.")
    skill_id: strawberry.Private[str]

    @strawberry.field
    async def skill(self, info: strawberry.Info[Context, None]) -> SkillType | None:
        return await info.context.loaders.skill.load(self.skill_id)


@strawberry.type(name="Location")
class LocationType:
    country: str
    city: str | None


@strawberry.type(name="Programme", description="A national programme that tasks belong to.")
class ProgrammeType:
    id: strawberry.ID
    code: str
    title: str
    description: str | None
    tech_list_id: strawberry.ID
    lead_account_id: strawberry.ID | None
    created_at: dt.datetime
    area_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field
    async def areas(self, info: strawberry.Info[Context, None]) -> list[TechAreaType]:
        return await _areas(info, self.area_ids)

    @classmethod
    def from_registry(cls, p: programme_types.Programme) -> ProgrammeType:
        lead = strawberry.ID(p.lead_account_id) if p.lead_account_id else None
        return cls(id=strawberry.ID(p.id), code=p.code, title=p.title,
                   description=p.description, tech_list_id=strawberry.ID(p.tech_list_id),
                   lead_account_id=lead, created_at=p.created_at, area_ids=p.areas)


@strawberry.type(description="The task's own fields; `Task` adds the extension groups.")
class TaskFields:
    id: strawberry.ID
    code: str
    title: str
    description: str
    objectives: str | None
    products: list[str]
    role_sought: TaskRole
    chief_engineer_kind: ChiefEngineerKind | None
    min_years: int
    languages: list[str]
    location: LocationType | None
    onsite: OnsiteMode | None
    start: dt.date | None
    duration_months: int | None
    budget_usd: float | None
    award_mode: AwardMode | None
    status: TaskStatus
    tech_list_id: strawberry.ID
    posted_by: strawberry.ID | None = strawberry.field(description="Account that posted it.")
    created_at: dt.datetime
    updated_at: dt.datetime
    closed_at: dt.datetime | None
    version: int
    record: strawberry.Private[programme_types.Task]

    @strawberry.field
    def requirements(self) -> list[RequirementType]:
        return [RequirementType(weight=r.weight, must_have=r.must_have, min_level=r.min_level,
                                skill_id=r.skill) for r in self.record.requirements]

    @strawberry.field(description="Strategic-technology groups of the task's list.")
    async def areas(self, info: strawberry.Info[Context, None]) -> list[TechAreaType]:
        return await _areas(info, self.record.areas)

    @strawberry.field
    async def programme(self, info: strawberry.Info[Context, None]) -> ProgrammeType | None:
        pid = self.record.programme_id
        return await info.context.loaders.programme.load(pid) if pid else None


@strawberry.type(name="Task", description="Something a programme must build, and who it seeks.")
class TaskType(TaskFields, *task_field_groups()):
    @classmethod
    def from_registry(cls, t: programme_types.Task) -> TaskType:
        loc = LocationType(country=t.location.country, city=t.location.city) \
            if t.location else None
        return cls(
            id=strawberry.ID(t.id), code=t.code, title=t.title, description=t.description,
            objectives=t.objectives, products=list(t.products),
            role_sought=TaskRole(t.role_sought),
            chief_engineer_kind=enum_value(ChiefEngineerKind, t.chief_engineer_kind),
            min_years=t.min_years, languages=list(t.languages), location=loc,
            onsite=enum_value(OnsiteMode, t.onsite), start=t.start,
            duration_months=t.duration_months, budget_usd=t.budget_usd,
            award_mode=enum_value(AwardMode, t.award_mode), status=TaskStatus(t.status),
            tech_list_id=strawberry.ID(t.tech_list_id),
            posted_by=strawberry.ID(t.posted_by) if t.posted_by else None,
            created_at=t.created_at, updated_at=t.updated_at, closed_at=t.closed_at,
            version=t.version, record=t)


@strawberry.type(description="A page of tasks, newest first.")
class TaskConnection(Counted):
    nodes: list[TaskType]
    page_info: PageInfo


@strawberry.type(description="A page of programmes, newest first.")
class ProgrammeConnection(Counted):
    nodes: list[ProgrammeType]
    page_info: PageInfo
