"""Batch functions behind the task and programme loaders; task visibility is applied here."""

from __future__ import annotations

from collections.abc import Sequence

from api.context import Context
from api.permissions import may_view_task
from api.tasks.types import ProgrammeType, TaskType
from registry import programme_reads

__all__ = ["load_tasks", "load_programmes"]


async def load_tasks(ctx: Context, ids: Sequence[str]) -> list[TaskType | None]:
    found = await ctx.read(programme_reads.get_tasks, list(ids))
    return [TaskType.from_registry(found[i]) if i in found and may_view_task(ctx, found[i])
            else None for i in ids]


async def load_programmes(ctx: Context, ids: Sequence[str]) -> list[ProgrammeType | None]:
    if ctx.account is None:
        return [None] * len(ids)
    found = await ctx.read(programme_reads.get_programmes, list(ids))
    return [ProgrammeType.from_registry(found[i]) if i in found else None for i in ids]
