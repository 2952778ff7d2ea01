"""Field groups that other domains add to ``Task``: the extension point of ``TaskType``.

A field group is a ``@strawberry.type`` class with resolver fields only (no stored fields),
defined in its own domain's package. Its resolvers receive the task as ``self``: a
``TaskType`` with ``id``, ``requirements`` and the rest of the task's fields. To add one,
list it in ``task_field_groups`` below; ``TaskType`` inherits from every group listed, so the
fields appear on ``Task`` in the schema. Example (the matcher):

    # api/matching/fields.py
    @strawberry.type
    class TaskCandidateFields:
        @strawberry.field(description="Ranked candidates, with reasons.")
        async def candidates(self, info: strawberry.Info[Context, None],
                             first: int = 20) -> CandidateConnection:
            ...  # self.id is the task's id; load experts with info.context.loaders.expert

A group's module must not import ``api.tasks.types`` (that module imports this one); it only
needs the task it is given as ``self``.
"""

from __future__ import annotations

__all__ = ["task_field_groups"]


def task_field_groups() -> tuple[type, ...]:
    """The field groups ``TaskType`` is made of, besides its own fields."""
    from api.matching.fields import TaskCandidateFields  # candidates, decisions

    groups: list[type] = [TaskCandidateFields]
    return tuple(groups)
