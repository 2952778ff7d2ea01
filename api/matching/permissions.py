"""Who may see a task's candidates, its recommended team and its decisions (see the package
docstring for why)."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from api.context import ADMIN, HR_AGENCY, PROGRAMME_LEAD, Context
from api.permissions import Permission

__all__ = [
    "CANDIDATES_RULE",
    "SeesCandidates",
    "SeesDecisions",
    "may_see_candidates",
    "may_see_decisions",
]

CANDIDATES_RULE = ("only the programme lead who posted the task and administrators see its "
                   "candidates; HR agencies see those of OPEN tasks")


def _posted_by_caller(ctx: Context, task: Any) -> bool:
    return task.posted_by is not None and str(task.posted_by) == ctx.account_id


def may_see_candidates(ctx: Context, task: Any) -> bool:
    """``task`` is a ``TaskType`` (or anything with ``status`` and ``posted_by``)."""
    role = ctx.role
    if role == ADMIN:
        return True
    if role == PROGRAMME_LEAD:
        return _posted_by_caller(ctx, task)
    status = getattr(task.status, "value", task.status)
    return role == HR_AGENCY and status == "OPEN"


def may_see_decisions(ctx: Context, task: Any) -> bool:
    """Decisions are the lead's: the lead who posted the task and administrators."""
    return ctx.role == ADMIN or (ctx.role == PROGRAMME_LEAD and _posted_by_caller(ctx, task))


class SeesCandidates(Permission):
    """The caller may see the candidates of the task ``source``."""

    message = f"You may not see this task's candidates: {CANDIDATES_RULE}."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return may_see_candidates(self.context(info), source)


class SeesDecisions(Permission):
    message = "Only the lead who posted the task and administrators see its decisions."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return may_see_decisions(self.context(info), source)
