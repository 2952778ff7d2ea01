"""Root field ``shortlists``: the caller's own shortlists."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.permissions import IsAuthenticated, guard
from api.shortlists.types import ShortlistType
from registry import decisions

__all__ = ["ShortlistQueries"]


@strawberry.type
class ShortlistQueries:
    @strawberry.field(extensions=[guard(IsAuthenticated(), silent=False)], description=(
        "The caller's shortlists, oldest first; with `taskId`, only those for that task."))
    async def shortlists(self, info: strawberry.Info[Context, None],
                         task_id: strawberry.ID | None = None) -> list[ShortlistType]:
        ctx = info.context
        found = await ctx.db_call(decisions.shortlists_for, ctx.db, account_id=ctx.account_id,
                                  task_id=str(task_id) if task_id is not None else None)
        return [ShortlistType.from_registry(s) for s in found]
