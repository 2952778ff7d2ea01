"""Mutations of programmes and tasks: ``createProgramme``, ``postTask``, ``updateTask``,
``closeTask``.

Programme leads and administrators only (``mutation_guard``). That a lead changes only the
tasks they posted, and puts tasks only under programmes they lead, is checked by the registry
in the write transaction (an administrator may do all); it answers ``NotAllowed`` like the
guard. Each change is audited by the registry in the same transaction (PROGRAMME_CREATED,
TASK_POSTED, TASK_UPDATED, TASK_CLOSED).
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import ADMIN, PROGRAMME_LEAD, Context
from api.errors import NotAllowed, NotFound, ValidationFailed, VersionConflict
from api.guards import MutationGuard, mutation_guard
from api.inputs import as_document
from api.permissions import HasRole
from api.tasks.inputs import CloseTaskInput, CreateProgrammeInput, PostTaskInput, UpdateTaskInput
from api.tasks.types import ProgrammeType, TaskType
from registry import programme_types, programmes

__all__ = ["TaskMutations", "ProgrammeCreated", "TaskPosted", "TaskUpdated", "TaskClosed"]


@strawberry.type
class ProgrammeCreated:
    programme: ProgrammeType


@strawberry.type
class TaskPosted:
    task: TaskType


@strawberry.type
class TaskUpdated:
    task: TaskType


@strawberry.type
class TaskClosed:
    task: TaskType


CreateProgrammeResult = Annotated[ProgrammeCreated | ValidationFailed | NotAllowed,
                                  strawberry.union("CreateProgrammeResult")]
PostTaskResult = Annotated[TaskPosted | ValidationFailed | NotAllowed,
                           strawberry.union("PostTaskResult")]
UpdateTaskResult = Annotated[
    TaskUpdated | ValidationFailed | VersionConflict | NotFound | NotAllowed,
    strawberry.union("UpdateTaskResult")]
CloseTaskResult = Annotated[TaskClosed | VersionConflict | NotFound | NotAllowed,
                            strawberry.union("CloseTaskResult")]


def _leads() -> list[MutationGuard]:
    return mutation_guard(HasRole(PROGRAMME_LEAD, ADMIN),
                          "only programme leads and administrators manage programmes and tasks")


def _task(ctx: Context, task: programme_types.Task) -> TaskType:
    """The written task, also primed in the request's loader (the caller posted it or is an
    administrator, so the loader's draft rule would show it too)."""
    found = TaskType.from_registry(task)
    ctx.loaders.task.prime(task.id, found, force=True)
    return found


@strawberry.type
class TaskMutations:
    @strawberry.mutation(extensions=_leads(), description=(
        "Create a programme. A lead creates programmes they lead; an administrator may name "
        "another lead."))
    async def create_programme(self, info: strawberry.Info[Context, None],
                               input: CreateProgrammeInput) -> CreateProgrammeResult:
        ctx = info.context
        created = await ctx.db_call(programmes.create_programme, ctx.db,
                                    created_by=ctx.account_id, data=as_document(input))
        programme = ProgrammeType.from_registry(created)
        ctx.loaders.programme.prime(created.id, programme, force=True)
        return ProgrammeCreated(programme=programme)

    @strawberry.mutation(extensions=_leads(), description=(
        "Post a task: what must be built and who is sought. It is a DRAFT, seen only by the "
        "caller and administrators, until it is OPEN."))
    async def post_task(self, info: strawberry.Info[Context, None],
                        input: PostTaskInput) -> PostTaskResult:
        ctx = info.context
        task = await ctx.db_call(programmes.create_task, ctx.db, posted_by=ctx.account_id,
                                 data=as_document(input))
        return TaskPosted(task=_task(ctx, task))

    @strawberry.mutation(extensions=_leads(), description=(
        "Change a task read at `version`; only the lead who posted it, or an administrator. "
        "A CLOSED task is final."))
    async def update_task(self, info: strawberry.Info[Context, None],
                          input: UpdateTaskInput) -> UpdateTaskResult:
        ctx = info.context
        changes = {k: v for k, v in as_document(input).items() if k not in ("id", "version")}
        task = await ctx.db_call(programmes.update_task, ctx.db, task_id=str(input.id),
                                 version=input.version, changes=changes,
                                 actor_id=ctx.account_id, is_admin=ctx.is_admin)
        return TaskUpdated(task=_task(ctx, task))

    @strawberry.mutation(extensions=_leads(), description=(
        "Close a task read at `version`: no more candidates are sought. Only the lead who "
        "posted it, or an administrator."))
    async def close_task(self, info: strawberry.Info[Context, None],
                         input: CloseTaskInput) -> CloseTaskResult:
        ctx = info.context
        task = await ctx.db_call(programmes.close_task, ctx.db, task_id=str(input.id),
                                 version=input.version, actor_id=ctx.account_id,
                                 is_admin=ctx.is_admin)
        return TaskClosed(task=_task(ctx, task))
