"""GraphQL types of decisions."""

from __future__ import annotations

import datetime as dt
from enum import Enum

import strawberry

from api.context import Context
from api.experts.types import ExpertType
from api.tasks.types import TaskType
from registry import decisions

__all__ = ["DecisionKind", "DecisionType"]

DecisionKind = strawberry.enum(
    Enum("DecisionKind", {k: k for k in decisions.DECISION_KINDS}),
    description="How far a candidate got; the latest decision on a candidate counts.")


@strawberry.type(name="Decision", description="A decision about a candidate for a task. "
                                               "Decisions are never changed: a later one "
                                               "supersedes an earlier one.")
class DecisionType:
    id: strawberry.ID
    kind: DecisionKind
    reason: str | None
    at: dt.datetime
    task_id: strawberry.ID
    expert_id: strawberry.ID
    actor_id: strawberry.ID | None = strawberry.field(description="The account that made it.")

    @strawberry.field
    async def task(self, info: strawberry.Info[Context, None]) -> TaskType | None:
        return await info.context.loaders.task.load(str(self.task_id))

    @strawberry.field(description="Null when the profile is hidden from the caller.")
    async def expert(self, info: strawberry.Info[Context, None]) -> ExpertType | None:
        return await info.context.loaders.expert.load(str(self.expert_id))

    @classmethod
    def from_registry(cls, d: decisions.Decision) -> DecisionType:
        return cls(id=strawberry.ID(d.id), kind=DecisionKind(d.kind), reason=d.reason, at=d.at,
                   task_id=strawberry.ID(d.task_id), expert_id=strawberry.ID(d.expert_id),
                   actor_id=strawberry.ID(d.actor_id) if d.actor_id else None)
