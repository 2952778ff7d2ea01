"""Inputs of the account mutations."""

from __future__ import annotations

import strawberry

from api.enums import Role

__all__ = ["CreateAccountInput", "AccountRefInput"]


@strawberry.input(description="A new account. An EXPERT account names the expert it belongs "
                              "to (one account per expert); other roles name none.")
class CreateAccountInput:
    name: str
    role: Role
    expert_id: strawberry.ID | None = None
    organization: str | None = None


@strawberry.input
class AccountRefInput:
    account_id: strawberry.ID
