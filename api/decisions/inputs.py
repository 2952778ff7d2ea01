"""Input of ``recordDecision``."""

from __future__ import annotations

import strawberry

from api.decisions.types import DecisionKind

__all__ = ["RecordDecisionInput"]


@strawberry.input
class RecordDecisionInput:
    task_id: strawberry.ID
    expert_id: strawberry.ID
    kind: DecisionKind
    reason: str | None = strawberry.field(default=None, description="Why; at most 2000 "
                                                                    "characters.")
