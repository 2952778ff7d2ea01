"""The parts of a profile: skills, employment, education, works, awards, contact details."""

from __future__ import annotations

from typing import Any

import strawberry

from api.context import Context
from api.enums import Degree, ProjectOutcome, ProjectRelation, ProjectScale, SkillSource, enum_value
from api.organizations.types import OrganizationType
from api.taxonomy.types import SkillType, TechAreaType

__all__ = ["ExpertSkill", "Employment", "Education", "Publication", "Patent", "Project",
           "Award", "Contact"]


@strawberry.type(description="A skill the expert has, at a level from 1 (basic) to 5 (leading).")
class ExpertSkill:
    level: int
    years: int
    source: SkillSource | None
    skill_id: strawberry.Private[str]

    @strawberry.field
    async def skill(self, info: strawberry.Info[Context, None]) -> SkillType:
        found = await info.context.loaders.skill.load(self.skill_id)
        if found is None:  # HAS_SKILL always points at a Skill node: this is a bug, not input
            raise LookupError(f"skill {self.skill_id!r} is linked to a profile but missing")
        return found

    @classmethod
    def from_doc(cls, s: dict[str, Any]) -> ExpertSkill:
        return cls(level=s.get("level") or 1, years=s.get("years") or 0,
                   source=enum_value(SkillSource, s.get("source")), skill_id=s["skill"])


async def _organization(info: strawberry.Info[Context, None], org_id: str
                        ) -> OrganizationType | None:
    return await info.context.loaders.organization.load(org_id)


@strawberry.type(description="A position held; `to` is null while it lasts.")
class Employment:
    title: str | None
    start_year: int | None = strawberry.field(name="from")
    end_year: int | None = strawberry.field(name="to")
    organization_id: strawberry.Private[str]

    @strawberry.field
    async def organization(self, info: strawberry.Info[Context, None]) -> OrganizationType | None:
        return await _organization(info, self.organization_id)


@strawberry.type
class Education:
    degree: Degree | None
    field: str | None
    year: int | None
    organization_id: strawberry.Private[str]

    @strawberry.field
    async def organization(self, info: strawberry.Info[Context, None]) -> OrganizationType | None:
        return await _organization(info, self.organization_id)


@strawberry.type
class Publication:
    id: strawberry.ID
    doi: str | None
    title: str
    abstract: str | None
    year: int | None
    venue: str | None
    citations: int


@strawberry.type
class Patent:
    id: strawberry.ID
    number: str | None
    title: str
    year: int | None
    country: str | None
    granted: bool
    applied: bool = strawberry.field(description="Put into use.")


@strawberry.type(description="A research or engineering project the expert led or worked on.")
class Project:
    id: strawberry.ID
    title: str
    summary: str | None
    relation: ProjectRelation | None
    role: str | None
    scale: ProjectScale | None
    outcome: ProjectOutcome | None
    budget_usd: float | None
    start_year: int | None
    end_year: int | None
    interdisciplinary: bool
    area_ids: strawberry.Private[tuple[str, ...]]

    @strawberry.field
    async def areas(self, info: strawberry.Info[Context, None]) -> list[TechAreaType]:
        found = await info.context.loaders.tech_area.load_many(list(self.area_ids))
        return [a for a in found if a is not None]


@strawberry.type
class Award:
    id: strawberry.ID
    title: str
    year: int | None
    international: bool


@strawberry.type(description="How to reach the expert. Shown only to the expert, "
                             "administrators, and (when the expert consented, and audited) "
                             "to HR agencies and programme leads.")
class Contact:
    email: str | None
    phone: str | None


def employment(doc: dict[str, Any]) -> list[Employment]:
    return [Employment(title=e.get("title"), start_year=e.get("from"), end_year=e.get("to"),
                       organization_id=e["organization"]["id"])
            for e in doc.get("employment") or ()]


def education(doc: dict[str, Any]) -> list[Education]:
    return [Education(degree=enum_value(Degree, e.get("degree")), field=e.get("field"),
                      year=e.get("year"), organization_id=e["organization"]["id"])
            for e in doc.get("education") or ()]


def publications(doc: dict[str, Any]) -> list[Publication]:
    return [Publication(id=strawberry.ID(p["id"]), doi=p.get("doi"), title=p["title"],
                        abstract=p.get("abstract"), year=p.get("year"), venue=p.get("venue"),
                        citations=p.get("citations") or 0)
            for p in doc.get("publications") or ()]


def patents(doc: dict[str, Any]) -> list[Patent]:
    return [Patent(id=strawberry.ID(p["id"]), number=p.get("number"), title=p["title"],
                   year=p.get("year"), country=p.get("country"),
                   granted=bool(p.get("granted")), applied=bool(p.get("applied")))
            for p in doc.get("patents") or ()]


def projects(doc: dict[str, Any]) -> list[Project]:
    return [Project(id=strawberry.ID(p["id"]), title=p["title"], summary=p.get("summary"),
                    relation=enum_value(ProjectRelation, p.get("relation")), role=p.get("role"),
                    scale=enum_value(ProjectScale, p.get("scale")),
                    outcome=enum_value(ProjectOutcome, p.get("outcome")),
                    budget_usd=p.get("budgetUsd"), start_year=p.get("startYear"),
                    end_year=p.get("endYear"), interdisciplinary=bool(p.get("interdisciplinary")),
                    area_ids=tuple(p.get("areas") or ()))
            for p in doc.get("projects") or ()]


def awards(doc: dict[str, Any]) -> list[Award]:
    return [Award(id=strawberry.ID(a["id"]), title=a["title"], year=a.get("year"),
                  international=bool(a.get("international")))
            for a in doc.get("awards") or ()]
