"""Root fields of the matcher: ``matchTask``, ``similarExperts``, ``recommendTeam``."""

from __future__ import annotations

import strawberry
from strawberry.permission import PermissionExtension

from api.context import ADMIN, PROGRAMME_LEAD, Context
from api.experts.filters import ExpertFilter, registry_filter
from api.inputs import as_document
from api.matching.inputs import TaskInput
from api.matching.permissions import CANDIDATES_RULE, may_see_candidates
from api.matching.service import (
    candidate_connection,
    current_matcher,
    similar_types,
    team_type,
)
from api.matching.types import CandidateConnection, RecommendedTeamType, SimilarExpertType
from api.pagination import DEFAULT_PAGE, check_first
from api.permissions import HasRole, IsAuthenticated, guard
from registry.errors import Code, NotAllowed, NotAllowedCode, NotFound, ValidationError

__all__ = ["TEAM_MAX", "MatchingQueries"]

TEAM_MAX = 30
_LEADS = [PermissionExtension([IsAuthenticated(), HasRole(PROGRAMME_LEAD, ADMIN)],
                              fail_silently=False, use_directives=False)]
_SIGNED_IN = [guard(IsAuthenticated(), silent=False)]


@strawberry.type
class MatchingQueries:
    @strawberry.field(name="matchTask", extensions=_LEADS, description=(
        "Rank candidates for a task that is not saved yet (the same answer as "
        "`Task.candidates`). Programme leads and administrators."))
    async def match_task(self, info: strawberry.Info[Context, None], input: TaskInput,
                         first: int = DEFAULT_PAGE, after: str | None = None,
                         filter: ExpertFilter | None = None,
                         excluded_first: int = DEFAULT_PAGE) -> CandidateConnection:
        ctx = info.context
        check_first(first)
        check_first(excluded_first, path="excludedFirst")
        matcher = current_matcher()
        ranking = await ctx.db_call(
            matcher.rank, ctx.db, as_document(input), first=first, after=after,
            viewer=ctx.viewer, filter=registry_filter(filter) if filter is not None else None,
            excluded=excluded_first)
        return await candidate_connection(ctx, ranking, excluded_first=excluded_first)

    @strawberry.field(description=(
        "Experts most like the given one (skills through the taxonomy, and the text of their "
        "works), among those the caller may see; null when the caller may not see the "
        "expert."))
    async def similar_experts(self, info: strawberry.Info[Context, None],
                              expert_id: strawberry.ID, first: int = 10
                              ) -> list[SimilarExpertType] | None:
        ctx = info.context
        check_first(first)
        if await ctx.loaders.expert.load(str(expert_id)) is None:
            return None
        try:
            found = await ctx.db_call(current_matcher().similar_experts, ctx.db,
                                      str(expert_id), first=first, viewer=ctx.viewer)
        except NotFound:  # visible, but not in the matcher's index yet
            return []
        return await similar_types(ctx, found)

    @strawberry.field(extensions=_SIGNED_IN, description=(
        "A recommended team for a task: a lead eligible for its role and members who cover "
        "its skills, what each adds, and what stays uncovered. Null when there is no such "
        f"task for the caller. Who may ask: {CANDIDATES_RULE}."))
    async def recommend_team(self, info: strawberry.Info[Context, None],
                             task_id: strawberry.ID, size: int = 5
                             ) -> RecommendedTeamType | None:
        ctx = info.context
        if not 1 <= size <= TEAM_MAX:
            raise ValidationError.at("size", Code.OUT_OF_RANGE,
                                     f"must be between 1 and {TEAM_MAX} (got {size})",
                                     min=1, max=TEAM_MAX)
        task = await ctx.loaders.task.load(str(task_id))
        if task is None:
            return None
        if not may_see_candidates(ctx, task):
            raise NotAllowed(NotAllowedCode.NOT_OWNER, CANDIDATES_RULE)
        team = await ctx.db_call(current_matcher().recommend_team, ctx.db, task.record, size,
                                 viewer=ctx.viewer)
        return await team_type(ctx, team)
