"""Root fields of programmes and tasks: ``tasks``, ``task``, ``programmes``, ``programme``.

Signed-in callers only. A DRAFT task is seen only by the lead who posted it and by admins.
"""

from __future__ import annotations

import strawberry

from api.context import Context
from api.pagination import DEFAULT_PAGE, PageInfo, check_first
from api.permissions import IsAuthenticated, guard, may_view_task
from api.tasks.filters import TaskFilter
from api.tasks.types import ProgrammeConnection, ProgrammeType, TaskConnection, TaskType
from registry import programme_reads

__all__ = ["TaskQueries"]

_SIGNED_IN = [guard(IsAuthenticated(), silent=False)]


@strawberry.type
class TaskQueries:
    @strawberry.field(extensions=_SIGNED_IN, description="Tasks, newest first; `after` is the "
                                                         "previous page's `pageInfo.endCursor`.")
    async def tasks(self, info: strawberry.Info[Context, None],
                    filter: TaskFilter | None = None, first: int = DEFAULT_PAGE,
                    after: str | None = None) -> TaskConnection:
        ctx = info.context
        check_first(first, minimum=1)
        f = filter or TaskFilter()
        # Drafts of other leads are left out by the statement (pages are full); the check
        # below is the rule itself, kept at the boundary.
        which = {"status": f.status.value if f.status else None,
                 "area": str(f.tech_area_id) if f.tech_area_id else None,
                 "programme_id": str(f.programme_id) if f.programme_id else None,
                 "posted_by": ctx.account_id if f.mine else None,
                 "viewer": ctx.account_id, "all_drafts": ctx.is_admin}
        page = await ctx.db_call(programme_reads.list_tasks, ctx.db, **which, first=first,
                                 after=after)
        return TaskConnection(
            nodes=[TaskType.from_registry(t) for t in page.items if may_view_task(ctx, t)],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            count=lambda: ctx.db_call(programme_reads.count_tasks, ctx.db, **which))

    @strawberry.field(extensions=_SIGNED_IN, description="One task, or null.")
    async def task(self, info: strawberry.Info[Context, None],
                   id: strawberry.ID) -> TaskType | None:
        return await info.context.loaders.task.load(str(id))

    @strawberry.field(extensions=_SIGNED_IN, description="Programmes, newest first.")
    async def programmes(self, info: strawberry.Info[Context, None],
                         lead_account_id: strawberry.ID | None = None,
                         first: int = DEFAULT_PAGE,
                         after: str | None = None) -> ProgrammeConnection:
        ctx = info.context
        check_first(first, minimum=1)
        lead = str(lead_account_id) if lead_account_id else None
        page = await ctx.db_call(programme_reads.list_programmes, ctx.db, lead_account_id=lead,
                                 first=first, after=after)
        return ProgrammeConnection(
            nodes=[ProgrammeType.from_registry(p) for p in page.items],
            page_info=PageInfo(has_next_page=page.has_next_page, end_cursor=page.end_cursor),
            count=lambda: ctx.db_call(programme_reads.count_programmes, ctx.db,
                                      lead_account_id=lead))

    @strawberry.field(extensions=_SIGNED_IN, description="One programme, or null.")
    async def programme(self, info: strawberry.Info[Context, None],
                        id: strawberry.ID) -> ProgrammeType | None:
        return await info.context.loaders.programme.load(str(id))
