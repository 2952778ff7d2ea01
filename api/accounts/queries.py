"""Root field ``me``."""

from __future__ import annotations

import strawberry

from api.accounts.types import AccountType, Me
from api.context import Context

__all__ = ["AccountQueries"]


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The signed-in caller; null when anonymous.")
    def me(self, info: strawberry.Info[Context, None]) -> Me | None:
        account = info.context.account
        return Me(account=AccountType.from_registry(account)) if account else None
