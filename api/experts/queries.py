"""Root fields of experts: ``expert(id)``, ``experts(filter, sort, first, after)``, ``facets``."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.experts.filters import ExpertFilter, ExpertSort, registry_filter, registry_sort
from api.experts.loaders import visible_experts
from api.experts.types import ExpertType
from api.pagination import DEFAULT_PAGE, PageInfo, check_first
from api.taxonomy.types import TechAreaType
from registry import search
from registry.experts import read_cards

__all__ = ["ExpertQueries", "ExpertConnection", "ExpertEdge", "Facets"]


@strawberry.type
class ExpertEdge:
    cursor: str
    node: ExpertType
    relevance: float = strawberry.field(description="Full-text score (0 without `text`).")


@strawberry.type(description="A page of search results.")
class ExpertConnection:
    edges: list[ExpertEdge]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Experts matching the filter, all pages.")


@strawberry.type
class FacetCount:
    value: str
    count: int


@strawberry.type
class TechAreaCount:
    count: int
    tech_area_id: strawberry.Private[str]

    @strawberry.field
    async def tech_area(self, info: strawberry.Info[Context, None]) -> TechAreaType | None:
        return await info.context.loaders.tech_area.load(self.tech_area_id)


@strawberry.type(description="How the experts matching a filter divide up.")
class Facets:
    total_count: int
    tech_areas: list[TechAreaCount]
    countries: list[FacetCount]
    diaspora: list[FacetCount]
    availability: list[FacetCount] = strawberry.field(
        description="`UNKNOWN` counts profiles that do not say.")


def _counts(buckets: list[dict]) -> list[FacetCount]:
    return [FacetCount(value=str(b["key"]), count=b["count"]) for b in buckets
            if b["key"] is not None]


@strawberry.type
class ExpertQueries:
    @strawberry.field(description="One expert, or null when there is none the caller may see.")
    async def expert(self, info: strawberry.Info[Context, None],
                     id: strawberry.ID) -> ExpertType | None:
        return await info.context.loaders.expert.load(str(id))

    @strawberry.field(description="Search experts. At most 100 per page; `after` is the "
                                  "previous page's `pageInfo.endCursor`.")
    async def experts(self, info: strawberry.Info[Context, None],
                      filter: ExpertFilter | None = None,
                      sort: ExpertSort = ExpertSort.RELEVANCE, first: int = DEFAULT_PAGE,
                      after: str | None = None) -> ExpertConnection:
        ctx = info.context
        check_first(first)
        # The page's profiles are read in the search's transaction (one thread hop, one
        # transaction) and shown by the expert loader's visibility rule, then primed there.
        page = await ctx.db_call(
            search.search_experts, ctx.db, filter=registry_filter(filter),
            sort=registry_sort(sort), first=first, after=after, viewer=ctx.viewer,
            read_page=read_cards)
        nodes = visible_experts(ctx, page.ids, page.docs)
        ctx.loaders.expert.prime_many(dict(zip(page.ids, nodes, strict=True)))
        edges = [ExpertEdge(cursor=cursor, node=node, relevance=score)
                 for cursor, node, score in zip(page.cursors, nodes, page.scores, strict=True)
                 if node is not None]
        return ExpertConnection(
            edges=edges, total_count=page.total_count,
            page_info=PageInfo(has_next_page=page.has_next,
                               end_cursor=page.cursors[-1] if page.cursors else None))

    @strawberry.field(description="Counts by strategic-technology group, country of "
                                  "residence, diaspora status and availability, for the same "
                                  "filter as `experts`.")
    async def facets(self, info: strawberry.Info[Context, None],
                     filter: ExpertFilter | None = None) -> Facets:
        ctx = info.context
        row = await ctx.db_call(search.facets, ctx.db, filter=registry_filter(filter),
                                viewer=ctx.viewer)
        return Facets(
            total_count=row["total"],
            tech_areas=[TechAreaCount(count=b["count"], tech_area_id=b["key"])
                        for b in row["areas"]],
            countries=_counts(row["countries"]), diaspora=_counts(row["diaspora"]),
            availability=_counts(row["availability"]))
