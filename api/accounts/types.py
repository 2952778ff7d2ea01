"""GraphQL types of accounts."""

from __future__ import annotations

import datetime as dt

import strawberry

from api.context import Context
from api.enums import Role, enum_value
from api.experts.types import ExpertType
from registry.accounts import Account

__all__ = ["AccountType", "Me"]


@strawberry.type(name="Account", description="Who calls the API, and in which role.")
class AccountType:
    id: strawberry.ID
    name: str
    role: Role
    organization: str | None
    expert_id: strawberry.ID | None = strawberry.field(
        description="For an EXPERT account, the expert it belongs to.")
    created_at: dt.datetime

    @classmethod
    def from_registry(cls, a: Account) -> AccountType:
        return cls(id=strawberry.ID(a.id), name=a.name, role=enum_value(Role, a.role),
                   organization=a.organization,
                   expert_id=strawberry.ID(a.expert_id) if a.expert_id else None,
                   created_at=a.created_at)


@strawberry.type(description="The caller.")
class Me:
    account: AccountType

    @strawberry.field(description="For an EXPERT account, the caller's own full profile "
                                  "(protected attributes and contact details included).")
    async def expert(self, info: strawberry.Info[Context, None]) -> ExpertType | None:
        expert_id = info.context.expert_id
        return await info.context.loaders.expert.load(expert_id) if expert_id else None
