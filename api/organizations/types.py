"""GraphQL types of organizations."""

from __future__ import annotations

import strawberry

from api.context import Context
from api.enums import OrganizationKind, enum_value
from api.pagination import Counted, PageInfo
from api.taxonomy.types import TechAreaType
from registry import organizations

__all__ = ["OrganizationType", "OrganizationConnection"]



@strawberry.type(name="Organization")
class OrganizationType:
    id: strawberry.ID
    name: str
    name_vi: str | None
    kind: OrganizationKind | None
    country: str | None = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    city: str | None
    top200: bool = strawberry.field(description="Ranked among the world's top 200 (reference "
                                                "data).")
    area_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field(description="Strategic-technology groups the organization is known for.")
    async def areas(self, info: strawberry.Info[Context, None]) -> list[TechAreaType]:
        found = await info.context.loaders.tech_area.load_many(list(self.area_ids))
        return [a for a in found if a is not None]

    @classmethod
    def from_registry(cls, o: organizations.Organization) -> OrganizationType:
        return cls(id=strawberry.ID(o.id), name=o.name, name_vi=o.name_vi,
                   kind=enum_value(OrganizationKind, o.kind),
                   country=o.country, city=o.city, top200=o.top200, area_ids=o.areas)


@strawberry.type(description="A page of organizations, by name.")
class OrganizationConnection(Counted):
    nodes: list[OrganizationType]
    page_info: PageInfo
