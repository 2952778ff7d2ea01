"""Root fields of the taxonomy: ``techLists``, ``techAreas(listId)`` and ``skills(query)``."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.pagination import DEFAULT_PAGE, check_first
from api.taxonomy.types import SkillType, TechAreaType, TechListType
from registry import taxonomy

__all__ = ["TaxonomyQueries"]


@strawberry.type
class TaxonomyQueries:
    @strawberry.field(description="The official lists of strategic technologies, oldest first.")
    async def tech_lists(self, info: strawberry.Info[Context, None]) -> list[TechListType]:
        rows = await info.context.db_call(taxonomy.list_tech_lists, info.context.db)
        return [TechListType.from_row(r["list"]) for r in rows]

    @strawberry.field(description="Strategic-technology groups, of one list or of all lists.")
    async def tech_areas(self, info: strawberry.Info[Context, None],
                         list_id: strawberry.ID | None = None) -> list[TechAreaType]:
        ctx = info.context
        found = await ctx.db_call(taxonomy.list_tech_areas, ctx.db,
                                  list_id=str(list_id) if list_id is not None else None)
        return [TechAreaType.from_registry(a) for a in found]

    @strawberry.field(description="Skills whose Vietnamese or English name or alias matches "
                                  "`query` (diacritics ignored; the last word may be a prefix). "
                                  "Without `query`, skills by id.")
    async def skills(self, info: strawberry.Info[Context, None], query: str | None = None,
                     first: int = DEFAULT_PAGE) -> list[SkillType]:
        check_first(first)
        ctx = info.context
        found = await ctx.db_call(taxonomy.search_skills, ctx.db, query=query, first=first)
        return [SkillType.from_registry(s) for s in found]
