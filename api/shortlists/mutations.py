"""``addToShortlist`` and ``removeFromShortlist``: an account's working lists of experts.

HR agencies, programme leads and administrators keep shortlists (``mutation_guard``); each
account changes only its own, which the registry checks in the write transaction. An expert
or a task the caller may not see is ``NotFound``, as if it did not exist.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import ADMIN, HR_AGENCY, PROGRAMME_LEAD, Context
from api.errors import NotAllowed, NotFound, ValidationFailed
from api.guards import MutationGuard, mutation_guard, require_visible_expert, require_visible_task
from api.permissions import HasRole
from api.shortlists.inputs import AddToShortlistInput, RemoveFromShortlistInput
from api.shortlists.types import ShortlistType
from registry import decisions

__all__ = ["ShortlistMutations", "ShortlistChanged", "SHORTLIST_KEEPERS"]

SHORTLIST_KEEPERS = (HR_AGENCY, PROGRAMME_LEAD, ADMIN)


@strawberry.type
class ShortlistChanged:
    shortlist: ShortlistType


AddToShortlistResult = Annotated[ShortlistChanged | ValidationFailed | NotFound | NotAllowed,
                                 strawberry.union("AddToShortlistResult")]
RemoveFromShortlistResult = Annotated[ShortlistChanged | NotFound | NotAllowed,
                                      strawberry.union("RemoveFromShortlistResult")]


def _keepers() -> list[MutationGuard]:
    return mutation_guard(HasRole(*SHORTLIST_KEEPERS),
                          "only HR agencies, programme leads and administrators keep shortlists")


@strawberry.type
class ShortlistMutations:
    @strawberry.mutation(extensions=_keepers(), description=(
        "Put an expert on one of the caller's shortlists."))
    async def add_to_shortlist(self, info: strawberry.Info[Context, None],
                               input: AddToShortlistInput) -> AddToShortlistResult:
        ctx = info.context
        await require_visible_expert(ctx, str(input.expert_id))
        task_id = str(input.task_id) if input.task_id is not None else None
        if task_id is not None:
            await require_visible_task(ctx, task_id)
        shortlist = await ctx.db_call(
            decisions.add_to_shortlist, ctx.db, account_id=ctx.account_id,
            expert_id=str(input.expert_id), task_id=task_id, name=input.name, note=input.note)
        return ShortlistChanged(shortlist=ShortlistType.from_registry(shortlist))

    @strawberry.mutation(extensions=_keepers(), description=(
        "Take an expert off one of the caller's shortlists (an expert not on it is ignored)."))
    async def remove_from_shortlist(self, info: strawberry.Info[Context, None],
                                    input: RemoveFromShortlistInput
                                    ) -> RemoveFromShortlistResult:
        ctx = info.context
        shortlist = await ctx.db_call(
            decisions.remove_from_shortlist, ctx.db, account_id=ctx.account_id,
            shortlist_id=str(input.shortlist_id), expert_id=str(input.expert_id))
        return ShortlistChanged(shortlist=ShortlistType.from_registry(shortlist))
