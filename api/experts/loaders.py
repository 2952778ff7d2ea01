"""The one way experts are loaded for a request, with visibility applied, and the batched
audit of contact-detail reads.

``load_experts`` reads every requested profile's scalar fields in one statement and returns
``None`` for a profile the caller may not see (``api.permissions.may_view_profile``), exactly
as for one that does not exist, so existence does not leak. Every resolver that returns an
expert (search, ``expert(id)``, ``me``, collaborators, paths, candidates) goes through the
loader built on it. The lists a profile owns (skills, employment, works, ...) are most of its
bytes and a result list shows none of them, so they are read only when a field asks for them,
for all experts of the request in one statement, by ``load_expert_parts``: it is called by
``ExpertType`` only, for an expert the first loader already let the caller see.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from api.context import Context
from api.experts.types import ExpertType
from api.permissions import may_view_profile
from registry import audit, experts

__all__ = ["load_experts", "load_expert_parts", "record_contact_reads", "visible_experts"]


async def load_experts(ctx: Context, ids: Sequence[str]) -> list[ExpertType | None]:
    return visible_experts(ctx, ids, await ctx.read(experts.read_cards, list(ids)))


def visible_experts(ctx: Context, ids: Sequence[str], docs: dict[str, dict[str, Any]]
                    ) -> list[ExpertType | None]:
    """``ids`` as the caller may see them, from ``read_cards``' documents: the loader's rule,
    also for a search that read the cards itself (it primes the loader with the result)."""
    out: list[ExpertType | None] = []
    for expert_id in ids:
        doc = docs.get(expert_id)
        visible = doc is not None and may_view_profile(
            ctx, expert_id=expert_id, visibility=doc.get("visibility"))
        out.append(ExpertType.from_doc(doc) if visible else None)
    return out


async def load_expert_parts(ctx: Context, ids: Sequence[str]) -> list[dict[str, Any]]:
    """The ``PROFILE_PARTS`` of visible experts (empty lists for a profile deleted since)."""
    docs = await ctx.read(experts.read_parts, list(ids))
    return [docs.get(i) or {k: [] for k in experts.PROFILE_PARTS} for i in ids]


async def record_contact_reads(ctx: Context, expert_ids: Sequence[str]) -> list[bool]:
    """One audit event per expert whose contact details the caller reads, one statement."""
    await ctx.db_call(
        audit.record_many, ctx.db, actor_id=ctx.account_id,
        action=audit.AuditAction.CONTACT_READ, subject_kind="Expert",
        subject_ids=list(expert_ids), detail={"via": "graphql"})
    return [True] * len(expert_ids)
