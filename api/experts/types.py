"""``ExpertType``: an expert's profile as a caller may see it.

An ``ExpertType`` is only ever made by the expert loader (``api.experts.loaders``), after the
profile's visibility was checked for the caller; resolvers get experts from that loader and
nowhere else. Within a visible profile, two kinds of fields are guarded here:

* protected attributes (gender, birth year and place, ethnicity, religion): the expert and
  administrators only; ``null`` for everyone else;
* ``contact``: the expert and administrators; HR agencies and programme leads only when the
  expert consented, and each such read is written to the audit trail before it is shown.

The loader reads only the scalar fields; the lists (skills, employment, works, ...) and what
is computed from them (tech areas, eligibility) are read when a field asks for them, for all
experts of the request in one statement.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from api.context import Context
from api.enums import Availability, Diaspora, Gender, Visibility, enum_value
from api.experts import parts
from api.matching.eligibility import SchemeEligibilityType, expert_eligibility
from api.permissions import CONTACT, PROTECTED, guard
from api.taxonomy.types import TechAreaType
from registry.experts import PROFILE_PARTS

__all__ = ["ExpertType"]


def _native(value: Any) -> Any:
    return value.to_native() if hasattr(value, "to_native") else value


@strawberry.type(name="Expert", description="An expert's profile.")
class ExpertType:
    id: strawberry.ID
    full_name: str
    honorific: str | None = strawberry.field(description="GS., PGS., TS., ThS., KS., ...")
    headline: str | None
    bio: str | None
    homepage: str | None
    residence_country: str | None = strawberry.field(description="ISO 3166-1 alpha-2 code.")
    city: str | None
    diaspora: Diaspora | None
    nationalities: list[str]
    languages: list[str] = strawberry.field(description="ISO 639-1 codes.")
    years_experience: int | None = strawberry.field(
        description="Years of professional experience; null when the profile does not say.")
    h_index: int
    citations: int
    availability: Availability | None
    available_from: dt.date | None
    willing_to_relocate: bool
    remote_ok: bool
    visibility: Visibility
    contact_consent: bool = strawberry.field(
        description="Whether HR agencies and programme leads may see the contact details.")
    orcid: str | None
    verified: bool
    version: int = strawberry.field(description="Send it back with an update; a stale one "
                                                "is refused with VersionConflict.")
    created_at: dt.datetime | None
    updated_at: dt.datetime | None
    doc: strawberry.Private[dict[str, Any]]

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> ExpertType:
        """For ``api.experts.loaders`` only (it checks visibility first)."""
        when = doc.get("availableFrom")
        return cls(
            id=strawberry.ID(doc["id"]), full_name=doc["fullName"],
            honorific=doc.get("honorific"), headline=doc.get("headline"), bio=doc.get("bio"),
            homepage=doc.get("homepage"), residence_country=doc.get("residenceCountry"),
            city=doc.get("city"), diaspora=enum_value(Diaspora, doc.get("diaspora")),
            nationalities=list(doc.get("nationalities") or ()),
            languages=list(doc.get("languages") or ()),
            years_experience=doc.get("yearsExperience"), h_index=doc.get("hIndex") or 0,
            citations=doc.get("citations") or 0,
            availability=enum_value(Availability, doc.get("availability")),
            available_from=dt.date.fromisoformat(when) if when else None,
            willing_to_relocate=bool(doc.get("willingToRelocate")),
            remote_ok=bool(doc.get("remoteOk")),
            visibility=enum_value(Visibility, doc.get("visibility")) or Visibility("PRIVATE"),
            contact_consent=bool(doc.get("contactConsent")), orcid=doc.get("orcid"),
            verified=bool(doc.get("verified")), version=doc.get("version") or 0,
            created_at=_native(doc.get("createdAt")), updated_at=_native(doc.get("updatedAt")),
            doc=doc,
        )

    # --- protected attributes: the expert and administrators only -------------------------

    @strawberry.field(extensions=[guard(PROTECTED)], description="Protected.")
    def gender(self) -> Gender | None:
        return enum_value(Gender, self.doc.get("gender"))

    @strawberry.field(extensions=[guard(PROTECTED)], description="Protected.")
    def birth_year(self) -> int | None:
        return self.doc.get("birthYear")

    @strawberry.field(extensions=[guard(PROTECTED)], description="Protected.")
    def birth_place(self) -> str | None:
        return self.doc.get("birthPlace")

    @strawberry.field(extensions=[guard(PROTECTED)], description="Protected.")
    def ethnicity(self) -> str | None:
        return self.doc.get("ethnicity")

    @strawberry.field(extensions=[guard(PROTECTED)], description="Protected.")
    def religion(self) -> str | None:
        return self.doc.get("religion")

    # --- contact details ------------------------------------------------------------------

    @strawberry.field(extensions=[guard(CONTACT)], description=(
        "E-mail and phone. The expert and administrators always; HR agencies and programme "
        "leads when the expert consented (each read is audited); nobody else."))
    async def contact(self, info: strawberry.Info[Context, None]) -> parts.Contact | None:
        email, phone = self.doc.get("email"), self.doc.get("phone")
        if email is None and phone is None:
            return None
        ctx = info.context
        if not (ctx.is_admin or ctx.owns(str(self.id))):
            await ctx.audit_contact_read(str(self.id))
        return parts.Contact(email=email, phone=phone)

    # --- the lists a profile owns ---------------------------------------------------------

    async def _whole(self, info: strawberry.Info[Context, None]) -> dict[str, Any]:
        """The document with its lists: as made (a mutation's answer holds them), or with the
        lists read for every expert of the request together (``load_expert_parts``)."""
        if all(key in self.doc for key in PROFILE_PARTS):
            return self.doc
        lists = await info.context.loaders.expert_parts.load(str(self.id))
        return {**self.doc, **lists}

    @strawberry.field
    async def skills(self, info: strawberry.Info[Context, None]) -> list[parts.ExpertSkill]:
        doc = await self._whole(info)
        return [parts.ExpertSkill.from_doc(s) for s in doc["skills"]]

    @strawberry.field
    async def employment(self, info: strawberry.Info[Context, None]) -> list[parts.Employment]:
        return parts.employment(await self._whole(info))

    @strawberry.field
    async def education(self, info: strawberry.Info[Context, None]) -> list[parts.Education]:
        return parts.education(await self._whole(info))

    @strawberry.field
    async def publications(self, info: strawberry.Info[Context, None]
                           ) -> list[parts.Publication]:
        return parts.publications(await self._whole(info))

    @strawberry.field
    async def patents(self, info: strawberry.Info[Context, None]) -> list[parts.Patent]:
        return parts.patents(await self._whole(info))

    @strawberry.field(description="Projects led or contributed to (see `relation`).")
    async def projects(self, info: strawberry.Info[Context, None]) -> list[parts.Project]:
        return parts.projects(await self._whole(info))

    @strawberry.field
    async def awards(self, info: strawberry.Info[Context, None]) -> list[parts.Award]:
        return parts.awards(await self._whole(info))

    @strawberry.field(description="Strategic-technology groups the expert's skills serve.")
    async def tech_areas(self, info: strawberry.Info[Context, None]) -> list[TechAreaType]:
        loaders = info.context.loaders
        doc = await self._whole(info)
        skills = await loaders.skill.load_many([s["skill"] for s in doc["skills"]])
        area_ids = sorted({a for s in skills if s is not None for a in s.area_ids})
        found = await loaders.tech_area.load_many(area_ids)
        return [a for a in found if a is not None]

    # --- eligibility (the matcher's rules; api.matching.eligibility) ----------------------

    @strawberry.field(description=(
        "Eligibility under each scheme of Decrees 231, 249 and 263 (2025): status and the "
        "criteria met, missing or unknown. Criteria that read a protected attribute are "
        "withheld from all but the expert and administrators."))
    async def eligibility(self, info: strawberry.Info[Context, None]
                          ) -> list[SchemeEligibilityType]:
        return expert_eligibility(info.context, str(self.id), await self._whole(info))
