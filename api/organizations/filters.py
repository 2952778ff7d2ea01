"""The filter of the ``organizations`` list."""

from __future__ import annotations

import strawberry

from api.enums import OrganizationKind

__all__ = ["OrganizationFilter"]


@strawberry.input(description="Every given condition must hold.")
class OrganizationFilter:
    query: str | None = strawberry.field(
        default=None, description="Part of the English or Vietnamese name; diacritics ignored.")
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2.")
    kind: OrganizationKind | None = None
