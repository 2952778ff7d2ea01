"""Mutations of accounts and their API tokens: ``createAccount``, ``revokeToken``,
``rotateToken``.

Administrators create and revoke accounts; a token may be rotated by an administrator or by
the account's own holder. A token is returned once, in the payload of the mutation that made
it, and only its digest is stored; the registry audits each change (ACCOUNT_CREATED,
TOKEN_REVOKED, TOKEN_ROTATED) in the transaction that makes it.
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from api.accounts.inputs import AccountRefInput, CreateAccountInput
from api.accounts.types import AccountType
from api.context import Context
from api.errors import NotAllowed, NotFound, ValidationFailed
from api.guards import ActsOnOwnAccount, mutation_guard
from api.permissions import IsAdmin
from registry import accounts
from registry.errors import NotAllowedCode

__all__ = ["AccountMutations", "AccountCreated", "TokenRevoked", "TokenRotated"]

_TOKEN = ("The API token, shown this once; only its digest is kept. Send it as "
          "`Authorization: Bearer <token>`.")


@strawberry.type
class AccountCreated:
    account: AccountType
    token: str = strawberry.field(description=_TOKEN)


@strawberry.type(description="The account's token stopped working; the account stays, "
                             "revoked.")
class TokenRevoked:
    account: AccountType


@strawberry.type(description="The account has a new token; the old one stopped working.")
class TokenRotated:
    account: AccountType
    token: str = strawberry.field(description=_TOKEN)


CreateAccountResult = Annotated[AccountCreated | ValidationFailed | NotAllowed,
                                strawberry.union("CreateAccountResult")]
RevokeTokenResult = Annotated[TokenRevoked | NotFound | NotAllowed,
                              strawberry.union("RevokeTokenResult")]
RotateTokenResult = Annotated[TokenRotated | NotFound | NotAllowed,
                              strawberry.union("RotateTokenResult")]


@strawberry.type
class AccountMutations:
    @strawberry.mutation(
        extensions=mutation_guard(IsAdmin(), "only an administrator creates accounts"),
        description="Create an account and its API token (returned once).")
    async def create_account(self, info: strawberry.Info[Context, None],
                             input: CreateAccountInput) -> CreateAccountResult:
        ctx = info.context
        account, token = await ctx.db_call(
            accounts.create_account, ctx.db, name=input.name, role=input.role.value,
            expert_id=str(input.expert_id) if input.expert_id is not None else None,
            organization=input.organization, actor_id=ctx.account_id)
        return AccountCreated(account=AccountType.from_registry(account), token=token)

    @strawberry.mutation(
        extensions=mutation_guard(IsAdmin(), "only an administrator revokes tokens"),
        description="Revoke an account's token: it stops working with the next request. "
                    "Revoking twice is harmless.")
    async def revoke_token(self, info: strawberry.Info[Context, None],
                           input: AccountRefInput) -> RevokeTokenResult:
        ctx = info.context
        account = await ctx.db_call(accounts.revoke_account, ctx.db,
                                    account_id=str(input.account_id), actor_id=ctx.account_id)
        return TokenRevoked(account=AccountType.from_registry(account))

    @strawberry.mutation(
        extensions=mutation_guard(
            IsAdmin() | ActsOnOwnAccount(),
            "only an administrator, or the account's own holder, rotates its token",
            NotAllowedCode.NOT_OWNER),
        description="Give the account a new token (returned once); the old one stops working. "
                    "A revoked account cannot get one.")
    async def rotate_token(self, info: strawberry.Info[Context, None],
                           input: AccountRefInput) -> RotateTokenResult:
        ctx = info.context
        account, token = await ctx.db_call(accounts.rotate_token, ctx.db,
                                           account_id=str(input.account_id),
                                           actor_id=ctx.account_id)
        return TokenRotated(account=AccountType.from_registry(account), token=token)
