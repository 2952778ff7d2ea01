"""Batch function behind the per-request organization loader."""

from __future__ import annotations

from collections.abc import Sequence

from api.context import Context
from api.organizations.types import OrganizationType
from registry import organizations

__all__ = ["load_organizations"]


async def load_organizations(ctx: Context, ids: Sequence[str]) -> list[OrganizationType | None]:
    found = await ctx.read(organizations.get_organizations, list(ids))
    return [OrganizationType.from_registry(found[i]) if i in found else None for i in ids]
