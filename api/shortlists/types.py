"""GraphQL types of shortlists."""

from __future__ import annotations

import datetime as dt

import strawberry

from api.context import Context
from api.experts.types import ExpertType
from api.tasks.types import TaskType
from registry import decisions

__all__ = ["ShortlistType", "ShortlistEntryType"]


@strawberry.type(name="ShortlistEntry")
class ShortlistEntryType:
    expert_id: strawberry.ID
    added_at: dt.datetime
    note: str | None

    @strawberry.field(description="Null when the profile is no longer visible to the caller.")
    async def expert(self, info: strawberry.Info[Context, None]) -> ExpertType | None:
        return await info.context.loaders.expert.load(str(self.expert_id))


@strawberry.type(name="Shortlist", description="An account's working list of experts for a "
                                               "task. It is not a decision and teaches the "
                                               "matcher nothing.")
class ShortlistType:
    id: strawberry.ID
    name: str
    task_id: strawberry.ID | None
    created_at: dt.datetime
    entries: list[ShortlistEntryType] = strawberry.field(description="Oldest first.")

    @strawberry.field
    async def task(self, info: strawberry.Info[Context, None]) -> TaskType | None:
        return await info.context.loaders.task.load(str(self.task_id)) if self.task_id else None

    @classmethod
    def from_registry(cls, s: decisions.Shortlist) -> ShortlistType:
        return cls(
            id=strawberry.ID(s.id), name=s.name,
            task_id=strawberry.ID(s.task_id) if s.task_id else None, created_at=s.created_at,
            entries=[ShortlistEntryType(expert_id=strawberry.ID(e.expert_id),
                                        added_at=e.added_at, note=e.note) for e in s.entries])
