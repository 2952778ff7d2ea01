"""Who may change what: the guard every mutation is given, and how a refusal is told.

A mutation names its rule once, as permissions of ``api.permissions`` combined with ``|`` and
``&``, and gets it applied by ``mutation_guard``:

    @strawberry.mutation(extensions=mutation_guard(IsAdmin() | EditsOwnProfile(),
                                                   "only the expert or an administrator ..."))

Every mutation answers a refusal the same way:

* an anonymous caller gets a top-level GraphQL error with code ``UNAUTHENTICATED``: no
  mutation is open to anonymous callers, and the fix is to send a token, not to change input;
* a signed-in caller whose role or ownership does not fit gets the ``NotAllowed`` member of
  the mutation's payload union, with the reason.

Checks that depend on the record being changed and must still hold when it is written (a
programme lead changes and decides only on the tasks they posted; a shortlist is changed only
by the account that keeps it) are made by the registry inside the write transaction, so they
cannot race a concurrent change; they reach the client as the same ``NotAllowed``.

A guarded field whose payload union lacks ``NotAllowed`` is refused when the schema is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from strawberry.permission import PermissionExtension
from strawberry.schema.schema_converter import field_contains_type

from api.errors import NotAllowed
from api.permissions import IsAuthenticated, Permission
from registry import errors as domain

if TYPE_CHECKING:
    from strawberry.types import Info
    from strawberry.types.field import StrawberryField

    from api.context import Context

__all__ = ["Refusal", "MutationGuard", "mutation_guard", "EditsOwnProfile", "ActsOnOwnAccount",
           "require_visible_expert", "require_visible_task"]


class Refusal(Permission):
    """``permission``, refused with the registry's ``NotAllowed`` (hence the typed member)."""

    def __init__(self, permission: Permission, reason: str, code: domain.NotAllowedCode):
        self.permission = permission
        self.reason = reason
        self.code = code
        self.message = reason

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return self.permission.has_permission(source, info, **kwargs)

    def on_unauthorized(self) -> None:
        raise domain.NotAllowed(self.code, self.reason)


class MutationGuard(PermissionExtension):
    """The permission extension of a mutation; checks at schema build that the field can
    answer ``NotAllowed``."""

    def apply(self, field: StrawberryField) -> None:
        if not field_contains_type(field, NotAllowed):
            raise TypeError(
                f"Mutation {field.python_name!r} is guarded but its payload union has no "
                "NotAllowed member, so a refusal could not be answered in the schema; add "
                "NotAllowed to the union.")
        super().apply(field)


def mutation_guard(permission: Permission, reason: str,
                   code: domain.NotAllowedCode = domain.NotAllowedCode.ROLE
                   ) -> list[MutationGuard]:
    """Field extensions for a mutation: signed in first, then ``permission`` (see above);
    a refusal says ``reason`` with ``code`` (ROLE unless the rule is about whose record it
    is: NOT_OWNER)."""
    return [MutationGuard([IsAuthenticated(), Refusal(permission, reason, code)],
                          use_directives=False)]


def _input(kwargs: dict[str, Any]) -> Any:
    return kwargs.get("input")


class EditsOwnProfile(Permission):
    """The caller is the expert whose profile ``input.id`` names (an EXPERT account)."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        target = getattr(_input(kwargs), "id", None)
        return target is not None and self.context(info).owns(str(target))


class ActsOnOwnAccount(Permission):
    """``input.accountId`` is the caller's own account."""

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        target = getattr(_input(kwargs), "account_id", None)
        return target is not None and str(target) == self.context(info).account_id


async def require_visible_expert(ctx: Context, expert_id: str) -> None:
    """A profile the caller may not see is answered like one that does not exist
    (``NotFound``), so that a mutation naming it does not reveal that it exists."""
    if await ctx.loaders.expert.load(expert_id) is None:
        raise domain.NotFound("Expert", expert_id)


async def require_visible_task(ctx: Context, task_id: str) -> None:
    """The same for a task (another lead's DRAFT is not the caller's to see)."""
    if await ctx.loaders.task.load(task_id) is None:
        raise domain.NotFound("Task", task_id)
