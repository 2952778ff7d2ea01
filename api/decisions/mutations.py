"""``recordDecision``: a programme lead's decision about a candidate for one of their tasks.

Programme leads and administrators (``mutation_guard``); that the lead posted the task is
checked by the registry in the write transaction, which also writes the DECISION_RECORDED
audit event. A candidate whose profile the caller may not see is ``NotFound``.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import ADMIN, PROGRAMME_LEAD, Context
from api.decisions.inputs import RecordDecisionInput
from api.decisions.types import DecisionType
from api.errors import NotAllowed, NotFound, ValidationFailed
from api.guards import mutation_guard, require_visible_expert
from api.permissions import HasRole
from registry import decisions

__all__ = ["DecisionMutations", "DecisionRecorded"]


@strawberry.type
class DecisionRecorded:
    decision: DecisionType


RecordDecisionResult = Annotated[DecisionRecorded | ValidationFailed | NotFound | NotAllowed,
                                 strawberry.union("RecordDecisionResult")]


@strawberry.type
class DecisionMutations:
    @strawberry.mutation(
        extensions=mutation_guard(HasRole(PROGRAMME_LEAD, ADMIN),
                                  "only programme leads and administrators record decisions"),
        description="Record a decision about a candidate for a task the caller posted "
                    "(administrators: any task). The latest decision on a candidate counts; "
                    "earlier ones are kept.")
    async def record_decision(self, info: strawberry.Info[Context, None],
                              input: RecordDecisionInput) -> RecordDecisionResult:
        ctx = info.context
        await require_visible_expert(ctx, str(input.expert_id))
        decision = await ctx.db_call(
            decisions.record_decision, ctx.db, task_id=str(input.task_id),
            expert_id=str(input.expert_id), actor_id=ctx.account_id, kind=input.kind.value,
            reason=input.reason, is_admin=ctx.is_admin)
        return DecisionRecorded(decision=DecisionType.from_registry(decision))
