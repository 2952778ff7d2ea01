"""Inputs of the profile mutations.

Field names are the profile document's (``registry.profile``), so ``api.inputs.as_document``
turns an input into the document the registry validates and its problems come back with the
input's paths (``skills.2.level``). Optional fields of an update default to *unset*: left out,
the stored value stays; sent as ``null``, it is cleared.

Deliberately absent: ``verified`` (administrators set it, with ``verifyExpert``),
``registeredBy`` (the registering account) and, for edits, ``externalKey`` (the agency's key,
which re-imports match on). A skill's ``source`` is not an input either: a skill the expert
enters is ``SELF``; one that stays on the profile keeps the source it had.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry import UNSET

from api.enums import (
    Availability,
    Degree,
    Diaspora,
    Gender,
    OrganizationKind,
    ProjectOutcome,
    ProjectRelation,
    ProjectScale,
    Visibility,
)

if TYPE_CHECKING:
    from api.context import Context

__all__ = [
    "SkillInput", "OrganizationRefInput", "EmploymentInput", "EducationInput",
    "PublicationInput", "PatentInput", "ProjectInput", "AwardInput", "ProfileFieldsInput",
    "ProfileEdit", "UpdateProfileInput", "SetAvailabilityInput", "SetVisibilityInput",
    "SetContactConsentInput", "SetSkillsInput", "SkillEditInput", "RemoveSkillInput",
    "RemoveItemInput", "RegisterExpertInput", "VerifyExpertInput",
    "AddEmploymentInput", "UpdateEmploymentInput", "AddEducationInput",
    "UpdateEducationInput", "AddPublicationInput", "UpdatePublicationInput",
    "AddPatentInput", "UpdatePatentInput", "AddProjectInput", "UpdateProjectInput",
    "AddAwardInput", "UpdateAwardInput", "resolve_organizations",
]


# --- the items of a profile's lists ---------------------------------------------------------

@strawberry.input(description="A skill of the taxonomy, at a level from 1 (basic) to 5 "
                              "(leading).")
class SkillInput:
    skill: strawberry.ID = strawberry.field(description="The skill's taxonomy id.")
    level: int = 3
    years: int = 0


@strawberry.input(description="A reference organization by `id`, or any other by `name` and "
                              "`country` (it is added to the registry).")
class OrganizationRefInput:
    id: strawberry.ID | None = None
    name: str | None = None
    country: str | None = strawberry.field(default=None, description="ISO 3166-1 alpha-2.")
    city: str | None = None
    kind: OrganizationKind | None = strawberry.field(default=None,
                                                     description="COMPANY unless given.")

    def to_document(self) -> Any:
        if self.id is not None and self.name is None:
            return str(self.id)
        doc = {"id": self.id, "name": self.name, "country": self.country, "city": self.city,
               "kind": self.kind.value if self.kind is not None else None}
        return {k: v for k, v in doc.items() if v is not None}


@strawberry.input(description="A position held; leave `to` out while it lasts.")
class EmploymentInput:
    organization: OrganizationRefInput
    title: str | None = None
    start_year: int | None = strawberry.field(default=None, name="from")
    end_year: int | None = strawberry.field(default=None, name="to")


@strawberry.input
class EducationInput:
    organization: OrganizationRefInput
    degree: Degree
    field: str | None = None
    year: int | None = None


@strawberry.input(description="A publication; works with the same DOI (or title and year) "
                              "are one node that co-authors share.")
class PublicationInput:
    title: str
    doi: str | None = None
    abstract: str | None = None
    year: int | None = None
    venue: str | None = None
    citations: int = 0


@strawberry.input
class PatentInput:
    title: str
    number: str | None = None
    year: int | None = None
    country: str | None = None
    granted: bool = False
    applied: bool = strawberry.field(default=False, description="Put into use.")


@strawberry.input
class ProjectInput:
    title: str
    summary: str | None = None
    relation: ProjectRelation | None = strawberry.field(default=None,
                                                        description="CONTRIBUTED unless given.")
    role: str | None = None
    scale: ProjectScale | None = strawberry.field(default=None,
                                                  description="INSTITUTIONAL unless given.")
    outcome: ProjectOutcome | None = strawberry.field(default=None,
                                                      description="COMPLETED unless given.")
    budget_usd: float | None = None
    start_year: int | None = None
    end_year: int | None = None
    interdisciplinary: bool = False
    areas: list[strawberry.ID] = strawberry.field(
        default_factory=list, description="Strategic-technology groups (TechArea ids).")


@strawberry.input
class AwardInput:
    title: str
    year: int | None = None
    international: bool = False


# --- the profile's own fields ---------------------------------------------------------------

@strawberry.input(description="What a profile says about the expert. Availability, "
                              "visibility and contact consent have mutations of their own.")
class ProfileFieldsInput:
    full_name: str | None = UNSET
    honorific: str | None = strawberry.field(default=UNSET,
                                             description="GS., PGS., TSKH., TS., ThS., KS., ...")
    headline: str | None = UNSET
    bio: str | None = UNSET
    email: str | None = UNSET
    phone: str | None = UNSET
    homepage: str | None = UNSET
    residence_country: str | None = strawberry.field(default=UNSET,
                                                     description="ISO 3166-1 alpha-2.")
    city: str | None = UNSET
    diaspora: Diaspora | None = strawberry.field(
        default=UNSET, description="Derived from the country of residence when null.")
    nationalities: list[str] | None = UNSET
    languages: list[str] | None = strawberry.field(default=UNSET, description="ISO 639-1.")
    years_experience: int | None = UNSET
    h_index: int | None = UNSET
    citations: int | None = UNSET
    orcid: str | None = UNSET
    current_foreign_research_post: bool | None = UNSET
    gender: Gender | None = strawberry.field(default=UNSET, description="Protected.")
    birth_year: int | None = strawberry.field(default=UNSET, description="Protected.")
    birth_place: str | None = strawberry.field(default=UNSET, description="Protected.")
    ethnicity: str | None = strawberry.field(default=UNSET, description="Protected.")
    religion: str | None = strawberry.field(default=UNSET, description="Protected.")


@strawberry.input(description="Which profile, at the `version` the caller read.")
class ProfileEdit:
    id: strawberry.ID = strawberry.field(description="The expert.")
    version: int = strawberry.field(description="The profile's `version` as read; a stale one "
                                                "is answered with VersionConflict.")


@strawberry.input
class UpdateProfileInput(ProfileEdit, ProfileFieldsInput):
    pass


@strawberry.input(description="Fields left out stay as they are; `null` clears one.")
class SetAvailabilityInput(ProfileEdit):
    availability: Availability | None = UNSET
    available_from: dt.date | None = UNSET
    willing_to_relocate: bool | None = UNSET
    remote_ok: bool | None = UNSET


@strawberry.input
class SetVisibilityInput(ProfileEdit):
    visibility: Visibility


@strawberry.input
class SetContactConsentInput(ProfileEdit):
    contact_consent: bool = strawberry.field(
        description="Whether HR agencies and programme leads may see e-mail and phone.")


# --- list edits -----------------------------------------------------------------------------

@strawberry.input(description="Replace every skill of the profile.")
class SetSkillsInput(ProfileEdit):
    skills: list[SkillInput]


@strawberry.input(description="Add a skill, or change the level and years of one the profile "
                              "has (`item.skill` names it).")
class SkillEditInput(ProfileEdit):
    item: SkillInput


@strawberry.input
class RemoveSkillInput(ProfileEdit):
    skill: strawberry.ID


@strawberry.input(description="Remove the item at `position` (0-based, in the order the "
                              "profile lists them at `version`).")
class RemoveItemInput(ProfileEdit):
    position: int


_ADD = ("Add an item at `position` (0-based; the end when left out), in the order the profile "
        "lists them at `version`.")
_UPDATE = ("Replace the item at `position` (0-based, in the order the profile lists them at "
           "`version`; the version check makes sure it is the item the caller saw).")


@strawberry.input(description=_ADD)
class AddEmploymentInput(ProfileEdit):
    item: EmploymentInput
    position: int | None = None


@strawberry.input(description=_UPDATE)
class UpdateEmploymentInput(ProfileEdit):
    position: int
    item: EmploymentInput


@strawberry.input(description=_ADD)
class AddEducationInput(ProfileEdit):
    item: EducationInput
    position: int | None = None


@strawberry.input(description=_UPDATE)
class UpdateEducationInput(ProfileEdit):
    position: int
    item: EducationInput


@strawberry.input(description=_ADD)
class AddPublicationInput(ProfileEdit):
    item: PublicationInput
    position: int | None = None


@strawberry.input(description=_UPDATE)
class UpdatePublicationInput(ProfileEdit):
    position: int
    item: PublicationInput


@strawberry.input(description=_ADD)
class AddPatentInput(ProfileEdit):
    item: PatentInput
    position: int | None = None


@strawberry.input(description=_UPDATE)
class UpdatePatentInput(ProfileEdit):
    position: int
    item: PatentInput


@strawberry.input(description=_ADD)
class AddProjectInput(ProfileEdit):
    item: ProjectInput
    position: int | None = None


@strawberry.input(description=_UPDATE)
class UpdateProjectInput(ProfileEdit):
    position: int
    item: ProjectInput


@strawberry.input(description=_ADD)
class AddAwardInput(ProfileEdit):
    item: AwardInput
    position: int | None = None


@strawberry.input(description=_UPDATE)
class UpdateAwardInput(ProfileEdit):
    position: int
    item: AwardInput


# --- registration and verification ----------------------------------------------------------

@strawberry.input(description="A profile an HR agency registers for an expert it represents. "
                              "It stays unverified until an administrator verifies it.")
class RegisterExpertInput(ProfileFieldsInput):
    full_name: str
    residence_country: str = strawberry.field(description="ISO 3166-1 alpha-2.")
    external_key: str | None = strawberry.field(
        default=UNSET, description="The agency's own key for the expert; re-imports match on "
                                   "it.")
    availability: Availability | None = UNSET
    available_from: dt.date | None = UNSET
    willing_to_relocate: bool | None = UNSET
    remote_ok: bool | None = UNSET
    visibility: Visibility | None = strawberry.field(default=UNSET,
                                                     description="REGISTERED unless given.")
    contact_consent: bool | None = UNSET
    skills: list[SkillInput] | None = UNSET
    employment: list[EmploymentInput] | None = UNSET
    education: list[EducationInput] | None = UNSET
    publications: list[PublicationInput] | None = UNSET
    patents: list[PatentInput] | None = UNSET
    projects: list[ProjectInput] | None = UNSET
    awards: list[AwardInput] | None = UNSET


@strawberry.input(description="Mark a profile as checked by an administrator (or, with "
                              "`verified: false`, no longer checked).")
class VerifyExpertInput(ProfileEdit):
    verified: bool = True


async def resolve_organizations(ctx: Context, items: list[dict[str, Any]]) -> None:
    """Let an item name any organization of the registry by id, not only a reference one:
    the registry's profile document knows reference organizations by id and others by name
    and country, so an id found in the registry is written out as the organization it is.
    An unknown id is left for the registry to report at the item's ``organization``."""
    refs = [i for i in items if isinstance(i.get("organization"), str)]
    found = await ctx.loaders.organization.load_many([i["organization"] for i in refs])
    for item, org in zip(refs, found, strict=True):
        if org is not None:
            item["organization"] = {
                "id": str(org.id), "name": org.name, "country": org.country, "city": org.city,
                "kind": org.kind.value if org.kind is not None else None}
