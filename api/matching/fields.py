"""Fields the matcher adds to ``Task`` (listed in ``api.tasks.extensions``): ``candidates``
and ``decisions``. The task is ``self`` (a ``TaskType``); this module must not import
``api.tasks.types``, and reaches ``Decision`` lazily (``api.decisions.types`` imports
``Task``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from graphql import GraphQLError

from api.context import Context
from api.experts.filters import ExpertFilter, registry_filter
from api.matching.permissions import SeesCandidates, SeesDecisions
from api.matching.service import candidate_connection, current_matcher, load_visible
from api.matching.types import CandidateConnection
from api.pagination import DEFAULT_PAGE, check_first
from api.permissions import guard
from registry import decisions

if TYPE_CHECKING:
    from api.decisions.types import DecisionType

__all__ = ["TaskCandidateFields"]


@strawberry.type
class TaskCandidateFields:
    @strawberry.field(extensions=[guard(SeesCandidates(), silent=False)], description=(
        "Experts ranked for the task, best first, with the reasons, skills, evidence and "
        "eligibility behind each score, and the candidates the hard rules exclude. The lead "
        "who posted the task and administrators; HR agencies while the task is OPEN. Experts "
        "whose profile the caller may not see are left out."))
    async def candidates(self, info: strawberry.Info[Context, None],
                         first: int = DEFAULT_PAGE, after: str | None = None,
                         filter: ExpertFilter | None = None,
                         excluded_first: int = DEFAULT_PAGE) -> CandidateConnection | None:
        ctx = info.context
        if _inside_a_list(info):
            # A ranking costs a pass over the registry: one per request, not one per task.
            raise GraphQLError("candidates can be asked for one task at a time, "
                               "through task(id), not for each task of a list")
        check_first(first)
        check_first(excluded_first, path="excludedFirst")
        matcher = current_matcher()
        ranking = await ctx.db_call(
            matcher.rank, ctx.db, self.record, first=first, after=after, viewer=ctx.viewer,
            filter=registry_filter(filter) if filter is not None else None,
            excluded=excluded_first)
        return await candidate_connection(ctx, ranking, excluded_first=excluded_first)

    @strawberry.field(extensions=[guard(SeesDecisions())], description=(
        "The latest decision on each candidate, newest first (earlier ones are kept but "
        "superseded). The lead who posted the task and administrators; empty for others."))
    async def decisions(self, info: strawberry.Info[Context, None]
                        ) -> list[Annotated["DecisionType",  # noqa: UP037 (lazy)
                                            strawberry.lazy("api.decisions.types")]]:
        from api.decisions.types import DecisionType

        ctx = info.context
        found = await ctx.db_call(decisions.decisions_for_task, ctx.db, task_id=str(self.id))
        latest: dict[str, decisions.Decision] = {}
        for d in found:  # newest first: the first seen per candidate is the latest
            latest.setdefault(d.expert_id, d)
        visible = await load_visible(ctx, latest)
        return [DecisionType.from_registry(d) for e, d in latest.items() if e in visible]


def _inside_a_list(info: strawberry.Info) -> bool:
    """Whether this field is being resolved for an item of a list (its path has an index)."""
    path = info.path.prev
    while path is not None:
        if isinstance(path.key, int):
            return True
        path = path.prev
    return False
