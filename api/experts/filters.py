"""The search input of ``experts`` and ``facets``: ``ExpertFilter`` and ``ExpertSort``."""

from __future__ import annotations

from enum import Enum

import strawberry

from api.enums import Availability, Diaspora
from registry import search
from registry.errors import Code, FieldError, ValidationError

__all__ = ["ExpertFilter", "ExpertSort", "SkillMatch"]

_MAX_ITEMS = 50
_MAX_TEXT = 300


@strawberry.enum(description="Order of search results. RELEVANCE needs `text` (without it, "
                             "NAME is used); NAME follows Vietnamese collation.")
class ExpertSort(Enum):
    RELEVANCE = "RELEVANCE"
    NAME = "NAME"
    H_INDEX = "H_INDEX"
    EXPERIENCE = "EXPERIENCE"
    UPDATED = "UPDATED"


@strawberry.enum(description="Whether an expert needs ANY of the skills or ALL of them.")
class SkillMatch(Enum):
    ANY = "ANY"
    ALL = "ALL"


@strawberry.input(description="Every given condition must hold. A skill includes its "
                              "narrower skills.")
class ExpertFilter:
    text: str | None = strawberry.field(default=None, description=(
        "Free text over names, headline, biography and publications; diacritics ignored "
        "(`nguyen duc` finds `Nguyễn Đức`)."))
    skills: list[strawberry.ID] | None = None
    skills_match: SkillMatch = SkillMatch.ANY
    tech_areas: list[strawberry.ID] | None = strawberry.field(
        default=None, description="Strategic-technology groups (through the experts' skills).")
    residence_countries: list[str] | None = strawberry.field(
        default=None, description="ISO 3166-1 alpha-2 codes.")
    diaspora: list[Diaspora] | None = None
    availability: list[Availability] | None = None
    min_years_experience: int | None = None
    min_h_index: int | None = None
    languages: list[str] | None = strawberry.field(
        default=None, description="ISO 639-1 codes; the expert speaks all of them.")
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Worked or studied there.")
    verified: bool | None = None

    def to_registry(self) -> search.ExpertFilter:
        errors: list[FieldError] = []

        def listed(name: str, values: list | None, *, upper: bool = False,
                   lower: bool = False) -> tuple[str, ...]:
            items = [str(getattr(v, "value", v)).strip() for v in values or ()]
            if len(items) > _MAX_ITEMS:
                errors.append(FieldError(f"filter.{name}", Code.TOO_MANY,
                                         f"must list at most {_MAX_ITEMS}",
                                         {"limit": _MAX_ITEMS, "actual": len(items)}))
            if upper:
                items = [i.upper() for i in items]
            if lower:
                items = [i.lower() for i in items]
            return tuple(items)

        if self.text is not None and len(self.text) > _MAX_TEXT:
            errors.append(FieldError("filter.text", Code.TOO_LONG,
                                     f"must be at most {_MAX_TEXT} characters",
                                     {"limit": _MAX_TEXT, "actual": len(self.text)}))
        for name, value in (("minYearsExperience", self.min_years_experience),
                            ("minHIndex", self.min_h_index)):
            if value is not None and value < 0:
                errors.append(FieldError(f"filter.{name}", Code.NEGATIVE, "must not be negative"))
        result = search.ExpertFilter(
            text=self.text.strip() or None if self.text else None,
            skills=listed("skills", self.skills), skills_mode=self.skills_match.value,
            areas=listed("techAreas", self.tech_areas),
            countries=listed("residenceCountries", self.residence_countries, upper=True),
            diaspora=listed("diaspora", self.diaspora),
            availability=listed("availability", self.availability),
            min_years=self.min_years_experience, min_h_index=self.min_h_index,
            languages=listed("languages", self.languages, lower=True),
            organization=str(self.organization_id) if self.organization_id else None,
            verified=self.verified,
        )
        if errors:
            raise ValidationError(errors)
        return result


def registry_filter(value: ExpertFilter | None) -> search.ExpertFilter:
    return (value or ExpertFilter()).to_registry()


def registry_sort(value: ExpertSort) -> search.ExpertSort:
    return search.ExpertSort(value.value)
