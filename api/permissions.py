"""Who may read what: small permission classes, combined with ``|`` and ``&``.

A permission answers one question about the caller (``info.context``) and, for field-level
checks, the object the field belongs to (``source``). Fields use them through ``guard``:

    @strawberry.field(extensions=[guard(IsProfileOwner() | IsAdmin())])
    def gender(self) -> str | None: ...

``guard(..., silent=True)`` turns a refusal into ``null`` (or ``[]``): the right answer for
protected attributes, which exist but are not the caller's to see. Root fields that need a
signed-in caller use ``silent=False`` and answer with a typed GraphQL error instead.

Profile visibility is not a field permission: it is applied where every expert is loaded
(``api.experts.loaders``), with ``may_view_profile`` below, so no resolver can forget it.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission, PermissionExtension
from strawberry.types import Info

from api.context import CONTACT_READERS, Context

__all__ = [
    "Permission", "AnyOf", "AllOf", "IsAuthenticated", "IsAdmin", "HasRole", "IsProfileOwner",
    "HasContactConsent", "guard", "may_view_profile", "may_view_task", "PROTECTED", "CONTACT",
]


class Permission(BasePermission):
    """Base of the project's permissions: adds ``|`` (either) and ``&`` (both)."""

    message = "You are not allowed to read this."
    error_extensions: dict[str, Any] = {"code": "FORBIDDEN"}

    def __or__(self, other: Permission) -> Permission:
        return AnyOf(self, other)

    def __and__(self, other: Permission) -> Permission:
        return AllOf(self, other)

    @staticmethod
    def context(info: Info) -> Context:
        return info.context

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        raise NotImplementedError


class AnyOf(Permission):
    def __init__(self, *permissions: Permission):
        self.permissions = permissions
        self.message = permissions[-1].message
        self.error_extensions = permissions[-1].error_extensions

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return any(p.has_permission(source, info, **kwargs) for p in self.permissions)


class AllOf(Permission):
    def __init__(self, *permissions: Permission):
        self.permissions = permissions
        self.message = permissions[0].message
        self.error_extensions = permissions[0].error_extensions

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return all(p.has_permission(source, info, **kwargs) for p in self.permissions)


class IsAuthenticated(Permission):
    message = "Sign in first: send an API token as 'Authorization: Bearer cg_...'."
    error_extensions = {"code": "UNAUTHENTICATED"}

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return self.context(info).account is not None


class IsAdmin(Permission):
    message = "Only an administrator may read this."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return self.context(info).is_admin


class HasRole(Permission):
    def __init__(self, *roles: str):
        self.roles = frozenset(roles)
        self.message = f"Only these roles may read this: {', '.join(sorted(self.roles))}."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return self.context(info).role in self.roles


class IsProfileOwner(Permission):
    """The caller is the expert whose profile ``source`` is (an ``ExpertType``)."""

    message = "Only the expert may read this."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return self.context(info).owns(str(source.id))


class HasContactConsent(Permission):
    """The expert ``source`` agreed that agencies and programme leads may contact them."""

    message = "The expert has not agreed to share contact details."

    def has_permission(self, source: Any, info: Info, **kwargs: Any) -> bool:
        return bool(source.contact_consent)


def guard(permission: Permission, *, silent: bool = True) -> PermissionExtension:
    """A field extension that applies ``permission`` (no schema directive is emitted)."""
    return PermissionExtension([permission], fail_silently=silent, use_directives=False)


def may_view_profile(ctx: Context, *, expert_id: str, visibility: str | None) -> bool:
    """PUBLIC: anyone. REGISTERED: signed-in callers. PRIVATE: the expert and admins."""
    if ctx.is_admin or ctx.owns(expert_id):
        return True
    if visibility == "PUBLIC":
        return True
    return visibility == "REGISTERED" and ctx.account is not None


def may_view_task(ctx: Context, task: Any) -> bool:
    """Signed-in callers see OPEN and CLOSED tasks; a DRAFT only its poster and admins."""
    if ctx.account is None:
        return False
    return task.status != "DRAFT" or ctx.is_admin or task.posted_by == ctx.account_id


# The two rules for expert fields, named once.
PROTECTED = IsProfileOwner() | IsAdmin()
CONTACT = IsProfileOwner() | IsAdmin() | (HasRole(*CONTACT_READERS) & HasContactConsent())
