"""Root fields of the network: ``collaborators`` and ``collaborationPath``."""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.context import Context
from api.network.types import CollaborationPath, Collaborator, SharedWork
from api.pagination import DEFAULT_PAGE, check_first
from registry import network
from registry.errors import Code, ValidationError

__all__ = ["NetworkQueries"]


@strawberry.type
class NetworkQueries:
    @strawberry.field(description="Co-authors and co-project members of an expert, up to "
                                  "`depth` 2, most shared works first; null when there is no "
                                  "such expert for the caller.")
    async def collaborators(self, info: strawberry.Info[Context, None], expert_id: strawberry.ID,
                            depth: int = 1, first: int = DEFAULT_PAGE
                            ) -> list[Collaborator] | None:
        if depth not in (1, 2):
            raise ValidationError.at("depth", Code.OUT_OF_RANGE, f"must be 1 or 2 (got {depth})",
                                     min=1, max=2)
        check_first(first)
        ctx = info.context
        found = await ctx.read(network.collaborators, str(expert_id), depth, ctx.viewer)
        if found is None:
            return None
        found = found[:first]
        ids = {c.expert_id for c in found} | {v for c in found for v in c.via}
        experts = dict(zip(ids, await ctx.loaders.expert.load_many(list(ids)), strict=True))
        out = []
        for c in found:
            node = experts[c.expert_id]
            if node is None:
                continue
            out.append(Collaborator(
                expert=node, distance=c.distance,
                via=[v for v in (experts[i] for i in c.via) if v is not None],
                shared_works=[SharedWork.from_row(w) for w in c.works],
                shared_count=len(c.works)))
        return out

    @strawberry.field(name="collaborationPath", description=(
        "The shortest chain of shared publications and projects from one expert to another "
        f"(at most {network.MAX_PATH_HOPS} links), through experts the caller may see; null "
        "when there is none."))
    async def collaboration_path(self, info: strawberry.Info[Context, None],
                                 from_: Annotated[strawberry.ID, strawberry.argument(name="from")],
                                 to: strawberry.ID) -> CollaborationPath | None:
        ctx = info.context
        path = await ctx.read(network.collaboration_path, str(from_), str(to), ctx.viewer)
        if path is None:
            return None
        experts = await ctx.loaders.expert.load_many(list(path.experts))
        if any(e is None for e in experts):
            return None
        return CollaborationPath(experts=[e for e in experts if e is not None],
                                 works=[SharedWork.from_row(w) for w in path.works],
                                 length=len(path.works))
