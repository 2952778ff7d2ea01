"""GraphQL types of the taxonomy: strategic-technology lists, their groups, and skills."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from api.context import Context
from registry import taxonomy

__all__ = ["TechListType", "TechAreaType", "SkillType"]


@strawberry.type(name="TechArea", description="A strategic-technology group of an official list.")
class TechAreaType:
    id: strawberry.ID
    code: str
    name_vi: str
    name_en: str
    list_id: strawberry.ID
    confirmed: bool = strawberry.field(
        description="False when the group's title is reported but not confirmed against the "
                    "official text.")

    @classmethod
    def from_registry(cls, a: taxonomy.TechArea) -> TechAreaType:
        return cls(id=strawberry.ID(a.id), code=a.code, name_vi=a.name_vi, name_en=a.name_en,
                   list_id=strawberry.ID(a.list_id), confirmed=a.confirmed)


@strawberry.type(name="TechList", description="An official list of strategic technologies "
                                              "(one version, with its validity dates).")
class TechListType:
    id: strawberry.ID
    decision: str | None
    name_vi: str | None
    name_en: str | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    uncertain: bool
    source: str | None

    @strawberry.field
    async def areas(self, info: strawberry.Info[Context, None]) -> list[TechAreaType]:
        return await info.context.loaders.tech_areas_by_list.load(str(self.id))

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> TechListType:
        def day(value: Any) -> dt.date | None:
            return dt.date.fromisoformat(value) if value else None

        return cls(id=strawberry.ID(row["id"]), decision=row.get("decision"),
                   name_vi=row.get("nameVi"), name_en=row.get("nameEn"),
                   valid_from=day(row.get("validFrom")), valid_to=day(row.get("validTo")),
                   uncertain=bool(row.get("uncertain")), source=row.get("source"))


@strawberry.type(name="Skill", description="A skill of the bilingual taxonomy; `broader` and "
                                           "`narrower` walk its tree.")
class SkillType:
    id: strawberry.ID
    name_en: str
    name_vi: str
    aliases_en: list[str]
    aliases_vi: list[str]
    broader_ids: strawberry.Private[tuple[str, ...]]
    narrower_ids: strawberry.Private[tuple[str, ...]]
    area_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="The more general skills this one belongs to.")
    async def broader(self, info: strawberry.Info[Context, None]) -> list[SkillType]:
        found = await info.context.loaders.skill.load_many(list(self.broader_ids))
        return [s for s in found if s is not None]

    @strawberry.field(description="The more specific skills under this one.")
    async def narrower(self, info: strawberry.Info[Context, None]) -> list[SkillType]:
        found = await info.context.loaders.skill.load_many(list(self.narrower_ids))
        return [s for s in found if s is not None]

    @strawberry.field(description="Strategic-technology groups the skill serves.")
    async def areas(self, info: strawberry.Info[Context, None]) -> list[TechAreaType]:
        found = await info.context.loaders.tech_area.load_many(list(self.area_ids))
        return [a for a in found if a is not None]

    @classmethod
    def from_registry(cls, s: taxonomy.Skill) -> SkillType:
        return cls(id=strawberry.ID(s.id), name_en=s.name_en, name_vi=s.name_vi,
                   aliases_en=list(s.aliases_en), aliases_vi=list(s.aliases_vi),
                   broader_ids=s.broader, narrower_ids=s.narrower, area_ids=s.areas)
