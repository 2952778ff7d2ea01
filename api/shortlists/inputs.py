"""Inputs of the shortlist mutations."""

from __future__ import annotations

import strawberry

__all__ = ["AddToShortlistInput", "RemoveFromShortlistInput"]


@strawberry.input(description="Put an expert on the caller's shortlist `name` for `taskId` "
                              "(made on first use). Adding an expert again keeps the first "
                              "date and replaces the note when one is given.")
class AddToShortlistInput:
    expert_id: strawberry.ID
    task_id: strawberry.ID | None = strawberry.field(
        default=None, description="The task it is for; null for a list of no task.")
    name: str | None = strawberry.field(default=None, description="\"Danh sách ngắn\" unless "
                                                                  "given.")
    note: str | None = None


@strawberry.input
class RemoveFromShortlistInput:
    shortlist_id: strawberry.ID
    expert_id: strawberry.ID
