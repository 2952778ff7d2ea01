"""Batch functions behind the taxonomy's per-request DataLoaders (one statement per batch)."""

from __future__ import annotations

from collections.abc import Sequence

from api.context import Context
from api.taxonomy.types import SkillType, TechAreaType
from registry import taxonomy

__all__ = ["load_skills", "load_tech_areas", "load_tech_areas_by_list"]


async def load_skills(ctx: Context, ids: Sequence[str]) -> list[SkillType | None]:
    found = await ctx.read(taxonomy.get_skills, list(ids))
    return [SkillType.from_registry(found[i]) if i in found else None for i in ids]


async def _all_areas(ctx: Context) -> list[TechAreaType]:
    # The lists hold a few dozen groups: reading them all is one small statement.
    return [TechAreaType.from_registry(a)
            for a in await ctx.db_call(taxonomy.list_tech_areas, ctx.db)]


async def load_tech_areas(ctx: Context, ids: Sequence[str]) -> list[TechAreaType | None]:
    by_id = {str(a.id): a for a in await _all_areas(ctx)}
    return [by_id.get(i) for i in ids]


async def load_tech_areas_by_list(ctx: Context, list_ids: Sequence[str]
                                  ) -> list[list[TechAreaType]]:
    areas = await _all_areas(ctx)
    return [[a for a in areas if str(a.list_id) == list_id] for list_id in list_ids]
