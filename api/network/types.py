"""GraphQL types of the collaboration network."""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry

from api.experts.types import ExpertType

__all__ = ["WorkKind", "SharedWork", "Collaborator", "CollaborationPath"]


@strawberry.enum
class WorkKind(Enum):
    PUBLICATION = "PUBLICATION"
    PROJECT = "PROJECT"


@strawberry.type(description="A publication or project that links two experts.")
class SharedWork:
    id: strawberry.ID
    kind: WorkKind
    title: str
    year: int | None

    @classmethod
    def from_row(cls, w: dict[str, Any]) -> SharedWork:
        return cls(id=strawberry.ID(w["id"]), kind=WorkKind(w["kind"]), title=w["title"],
                   year=w.get("year"))


@strawberry.type(description="Someone the expert worked with (distance 1), or who worked with "
                             "one of those (distance 2, through `via`).")
class Collaborator:
    expert: ExpertType
    distance: int
    via: list[ExpertType] = strawberry.field(
        description="For distance 2: the direct collaborators who link them; else empty.")
    shared_works: list[SharedWork] = strawberry.field(
        description="Works shared with the expert (distance 1) or with `via` (distance 2).")
    shared_count: int


@strawberry.type(description="The shortest chain of shared works between two experts.")
class CollaborationPath:
    experts: list[ExpertType] = strawberry.field(description="From the first to the last.")
    works: list[SharedWork] = strawberry.field(
        description="`works[i]` links `experts[i]` and `experts[i + 1]`.")
    length: int = strawberry.field(description="Links in the chain (0 for one expert).")
