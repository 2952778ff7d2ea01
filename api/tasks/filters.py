"""The filter of the ``tasks`` list."""

from __future__ import annotations

import strawberry

from api.enums import TaskStatus

__all__ = ["TaskFilter"]


@strawberry.input(description="Every given condition must hold.")
class TaskFilter:
    status: TaskStatus | None = strawberry.field(default=TaskStatus("OPEN"), description=(
        "OPEN unless given; null lists every status. DRAFT tasks are listed only for the "
        "lead who posted them and for administrators."))
    tech_area_id: strawberry.ID | None = None
    programme_id: strawberry.ID | None = None
    mine: bool = strawberry.field(default=False, description="Only tasks the caller posted.")
