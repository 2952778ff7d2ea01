"""Root fields of organizations: ``organizations(filter, first, after)``."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.organizations.filters import OrganizationFilter
from api.organizations.types import OrganizationConnection, OrganizationType
from api.pagination import DEFAULT_PAGE, PageInfo, check_first
from registry import organizations

__all__ = ["OrganizationQueries"]


@strawberry.type
class OrganizationQueries:
    @strawberry.field(description="Organizations by name (then id); `after` is the previous "
                                  "page's `pageInfo.endCursor`.")
    async def organizations(self, info: strawberry.Info[Context, None],
                            filter: OrganizationFilter | None = None,
                            first: int = DEFAULT_PAGE,
                            after: str | None = None) -> OrganizationConnection:
        check_first(first, minimum=1)
        f = filter or OrganizationFilter()
        ctx = info.context
        which = {"query": f.query, "country": f.country, "kind": f.kind.value if f.kind else None}
        page = await ctx.db_call(organizations.list_organizations, ctx.db, **which, first=first,
                                 after=after)
        return OrganizationConnection(
            nodes=[OrganizationType.from_registry(o) for o in page.items],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            count=lambda: ctx.db_call(organizations.count_organizations, ctx.db, **which))
