"""The per-request DataLoaders, built with each ``Context`` (never shared between requests).

Each loader batches the keys asked for in one tick of the event loop into one registry call,
so a page of 50 experts costs the same number of Cypher statements as a page of 5. The batch
functions live with their domain (``api/<domain>/loaders.py``); this module only assembles
them. To add one: write ``async def load_things(ctx, keys) -> list[Thing | None]`` in the
domain package and add a field below.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from strawberry.dataloader import DataLoader

from api.experts.loaders import load_expert_parts, load_experts, record_contact_reads
from api.organizations.loaders import load_organizations
from api.tasks.loaders import load_programmes, load_tasks
from api.taxonomy.loaders import load_skills, load_tech_areas, load_tech_areas_by_list

if TYPE_CHECKING:
    from api.context import Context
    from api.experts.types import ExpertType
    from api.organizations.types import OrganizationType
    from api.tasks.types import ProgrammeType, TaskType
    from api.taxonomy.types import SkillType, TechAreaType

__all__ = ["Loaders"]


def _loader(ctx: Context, fn: Callable[[Context, Sequence[str]], Awaitable[list[Any]]]
            ) -> DataLoader[str, Any]:
    return DataLoader(load_fn=functools.partial(fn, ctx))


@dataclass(frozen=True)
class Loaders:
    expert: DataLoader[str, ExpertType | None]  # visibility applied: None = not for you
    expert_parts: DataLoader[str, dict[str, Any]]  # for ExpertType only (visible experts)
    skill: DataLoader[str, SkillType | None]
    tech_area: DataLoader[str, TechAreaType | None]
    tech_areas_by_list: DataLoader[str, list[TechAreaType]]
    organization: DataLoader[str, OrganizationType | None]
    task: DataLoader[str, TaskType | None]  # DRAFT tasks only for their poster and admins
    programme: DataLoader[str, ProgrammeType | None]
    contact_read: DataLoader[str, bool]  # writes the CONTACT_READ audit events of a batch

    @classmethod
    def for_context(cls, ctx: Context) -> Loaders:
        return cls(
            expert=_loader(ctx, load_experts),
            expert_parts=_loader(ctx, load_expert_parts),
            skill=_loader(ctx, load_skills),
            tech_area=_loader(ctx, load_tech_areas),
            tech_areas_by_list=_loader(ctx, load_tech_areas_by_list),
            organization=_loader(ctx, load_organizations),
            task=_loader(ctx, load_tasks),
            programme=_loader(ctx, load_programmes),
            contact_read=_loader(ctx, record_contact_reads),
        )
