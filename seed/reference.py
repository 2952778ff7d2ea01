"""Reference data of the registry, loaded from ``seed/data/*.json`` and checked on load.

This module owns the versioned reference data and nothing else:

* ``tech_areas.json``   the official lists of strategic-technology groups (Decision 1131/QĐ-TTg,
  and its reported successor 21/2026/QĐ-TTg), each list a version with validity dates;
* ``skills.json``       the bilingual skill taxonomy (``broader`` parents, strategic areas);
* ``organizations.json`` universities, institutes, companies and agencies, at home and abroad;
* ``eligibility.json``  eligibility schemes from Decrees 231, 249 and 263 (2025) as declarative
  rules over named facts; evaluating them belongs to ``matching``;
* ``names.json``        Vietnamese name data and host countries for the demo generator.

Each ``load_*`` function reads its file with :mod:`importlib.resources`, validates it and returns
frozen dataclasses, cached for the life of the process. Each ``validate_*`` function takes the
parsed JSON (a ``dict``) and raises :class:`ValueError` naming the file, the record id and the
field at fault, so a corrupted copy can be checked without touching the packaged files.
Facts that are uncertain in the sources are kept in the data (``uncertain``, ``confirmed``,
``source``), never in code, so they can be corrected without a release.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any, NoReturn

__all__ = [
    "DATA_VERSION",
    "ELIGIBILITY_FACTS",
    "RULE_OPS",
    "TASK_ROLES",
    "ORG_KINDS",
    "DIASPORA_VALUES",
    "TECH_FILE",
    "SKILLS_FILE",
    "ORGANIZATIONS_FILE",
    "ELIGIBILITY_FILE",
    "NAMES_FILE",
    "TechGroup",
    "TechList",
    "TechLists",
    "Skill",
    "SkillTaxonomy",
    "Organization",
    "Organizations",
    "FactRule",
    "AllRule",
    "AnyRule",
    "Rule",
    "Criterion",
    "EligibilityScheme",
    "Eligibility",
    "FamilyName",
    "NamePart",
    "Honorific",
    "HostCountry",
    "DomesticCity",
    "NameData",
    "read_json",
    "load_tech_lists",
    "load_skills",
    "load_organizations",
    "load_eligibility",
    "load_names",
    "validate_tech_lists",
    "validate_skills",
    "validate_organizations",
    "validate_eligibility",
    "validate_names",
    "parse_rule",
]

#: Version of the reference data set; every JSON file carries the same ``"version"``.
DATA_VERSION = "2026.11.1"

DATA_PACKAGE = "seed"
DATA_DIR = "data"
TECH_FILE = "tech_areas.json"
SKILLS_FILE = "skills.json"
ORGANIZATIONS_FILE = "organizations.json"
ELIGIBILITY_FILE = "eligibility.json"
NAMES_FILE = "names.json"

#: Facts an eligibility rule may name; ``matching`` computes them per expert (or leaves unknown).
ELIGIBILITY_FACTS: frozenset[str] = frozenset(
    {
        "yearsExperience",
        "projectsLed",
        "projectsLedInterdisciplinary",
        "projectsLedAppliedOrTransferred",
        "programmesLed",
        "patentsGranted",
        "patentsApplied",
        "hasPhd",
        "phdFromTop200",
        "yearsTeachingOrResearch",
        "currentForeignResearchPost",
        "awards",
        "internationalAwards",
        "age",
        "diaspora",
        "nationalities",
    }
)
_NUMERIC_OPS = frozenset({">=", ">", "<=", "<"})
_LIST_OPS = frozenset({"in", "containsAny", "containsOtherThan"})
#: Operators of a fact rule ``{"fact", "op", "value"}``.
RULE_OPS: frozenset[str] = _NUMERIC_OPS | _LIST_OPS | {"==", "!="}
#: Which operators suit which declared fact type.
_OPS_BY_TYPE: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "number": _NUMERIC_OPS | {"==", "!="},
        "boolean": frozenset({"==", "!="}),
        "enum": frozenset({"==", "!=", "in"}),
        "list": frozenset({"containsAny", "containsOtherThan"}),
    }
)
TASK_ROLES: tuple[str, ...] = ("CHIEF_ENGINEER", "PRINCIPAL_INVESTIGATOR", "MEMBER", "ADVISOR")
ORG_KINDS: tuple[str, ...] = ("UNIVERSITY", "INSTITUTE", "COMPANY", "AGENCY")
DIASPORA_VALUES: tuple[str, ...] = ("DOMESTIC", "OVERSEAS", "RETURNEE")
_NAME_USAGE = frozenset({"M", "F", "U"})
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_VERSION = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
_SHARE_TOLERANCE = 1.5  # family-name shares must sum to 100 within this many points

try:  # a declared dependency; the shape check below still runs without it
    from iso3166 import countries_by_alpha2 as _ISO_COUNTRIES
except ImportError:  # pragma: no cover
    _ISO_COUNTRIES = None


# ---------------------------------------------------------------------------------------------
# Typed views
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TechGroup:
    """One group of a strategic-technology list (a ``TechArea`` in the graph)."""

    id: str
    list_id: str
    code: str
    name_vi: str
    name_en: str
    confirmed: bool
    uncertain: bool
    replaces: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TechList:
    """One official list (a ``TaxonomyVersion``): which decision, in force when."""

    id: str
    decision: str
    issued: date | None
    valid_from: date
    valid_to: date | None
    name_vi: str
    name_en: str
    uncertain: bool
    supersedes: str | None
    source: str
    groups: tuple[TechGroup, ...]

    @property
    def group_ids(self) -> tuple[str, ...]:
        return tuple(g.id for g in self.groups)

    def in_force(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)


@dataclass(frozen=True)
class TechLists:
    """All versions of the strategic-technology list."""

    version: str
    lists: tuple[TechList, ...]
    _lists: Mapping[str, TechList] = field(init=False, repr=False, compare=False)
    _groups: Mapping[str, TechGroup] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_lists", MappingProxyType({t.id: t for t in self.lists}))
        groups = {g.id: g for t in self.lists for g in t.groups}
        object.__setattr__(self, "_groups", MappingProxyType(groups))

    def get(self, list_id: str) -> TechList:
        """The list with this id (``KeyError`` if unknown)."""
        return self._lists[list_id]

    def group(self, group_id: str) -> TechGroup:
        """A group of any list, by its globally unique id (``KeyError`` if unknown)."""
        return self._groups[group_id]

    @property
    def groups(self) -> tuple[TechGroup, ...]:
        return tuple(self._groups.values())

    def in_force(self, on: date | None = None) -> TechList | None:
        """The list in force on a day (today by default), or ``None``."""
        day = on or date.today()
        found = [t for t in self.lists if t.in_force(day)]
        return max(found, key=lambda t: t.valid_from) if found else None

    def map_group(self, group_id: str, to_list: str) -> tuple[str, ...]:
        """Ids of the groups of ``to_list`` that correspond to ``group_id`` (one step either way
        along ``replaces``); the group itself if it already belongs to ``to_list``."""
        group = self._groups[group_id]
        target = self._lists[to_list]
        if group.list_id == target.id:
            return (group.id,)
        forward = tuple(g.id for g in target.groups if group.id in g.replaces)
        if forward:
            return forward
        return tuple(r for r in group.replaces if self._groups[r].list_id == target.id)


@dataclass(frozen=True, slots=True)
class Skill:
    id: str
    name_en: str
    name_vi: str
    aliases_en: tuple[str, ...]
    aliases_vi: tuple[str, ...]
    broader: tuple[str, ...]
    areas: tuple[str, ...]

    @property
    def terms(self) -> tuple[str, ...]:
        """Every name and alias, both languages."""
        return (self.name_en, self.name_vi, *self.aliases_en, *self.aliases_vi)


@dataclass(frozen=True)
class SkillTaxonomy:
    """The skill taxonomy: a DAG over ``broader``; ``areas`` refer to the list ``area_list``."""

    version: str
    area_list: str
    skills: tuple[Skill, ...]
    _by_id: Mapping[str, Skill] = field(init=False, repr=False, compare=False)
    _children: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)
    _terms: Mapping[str, tuple[str, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {s.id: s for s in self.skills}
        children: dict[str, list[str]] = {s.id: [] for s in self.skills}
        terms: dict[str, list[str]] = {}
        for s in self.skills:
            for parent in s.broader:
                children[parent].append(s.id)
            for term in (s.id, *s.terms):
                ids = terms.setdefault(_term_key(term), [])
                if s.id not in ids:
                    ids.append(s.id)
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))
        object.__setattr__(
            self, "_children", MappingProxyType({k: tuple(v) for k, v in children.items()})
        )
        frozen_terms = {k: tuple(v) for k, v in terms.items()}
        object.__setattr__(self, "_terms", MappingProxyType(frozen_terms))

    def __len__(self) -> int:
        return len(self.skills)

    def __iter__(self) -> Iterator[Skill]:
        return iter(self.skills)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self._by_id

    def get(self, skill_id: str) -> Skill:
        """The skill with this id (``KeyError`` if unknown)."""
        return self._by_id[skill_id]

    def roots(self) -> tuple[Skill, ...]:
        return tuple(s for s in self.skills if not s.broader)

    def children(self, skill_id: str) -> tuple[str, ...]:
        return self._children[skill_id]

    def ancestors(self, skill_id: str) -> tuple[str, ...]:
        """All broader skills, nearest first (breadth-first), without the skill itself."""
        return _walk(skill_id, lambda s: self._by_id[s].broader)

    def descendants(self, skill_id: str) -> tuple[str, ...]:
        """All narrower skills, nearest first (breadth-first), without the skill itself."""
        return _walk(skill_id, lambda s: self._children[s])

    def depth(self, skill_id: str) -> int:
        """Length of the longest ``broader`` chain to a root (a root has depth 0)."""
        parents = self._by_id[skill_id].broader
        return 0 if not parents else 1 + max(self.depth(p) for p in parents)

    def in_area(self, area_id: str) -> tuple[Skill, ...]:
        return tuple(s for s in self.skills if area_id in s.areas)

    def lookup(self, term: str) -> tuple[str, ...]:
        """Ids of the skills whose id, name or alias equals ``term`` (NFC, case-insensitive).
        Several ids come back for ambiguous abbreviations such as "DFT" or "SoC"."""
        return self._terms.get(_term_key(term), ())


@dataclass(frozen=True, slots=True)
class Organization:
    id: str
    name: str
    name_vi: str | None
    kind: str
    country: str
    city: str
    top200: bool
    areas: tuple[str, ...]

    @property
    def domestic(self) -> bool:
        return self.country == "VN"


@dataclass(frozen=True)
class Organizations:
    version: str
    area_list: str
    organizations: tuple[Organization, ...]
    _by_id: Mapping[str, Organization] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_id = {o.id: o for o in self.organizations}
        object.__setattr__(self, "_by_id", MappingProxyType(by_id))

    def __len__(self) -> int:
        return len(self.organizations)

    def __iter__(self) -> Iterator[Organization]:
        return iter(self.organizations)

    def __contains__(self, org_id: object) -> bool:
        return org_id in self._by_id

    def get(self, org_id: str) -> Organization:
        return self._by_id[org_id]

    @property
    def countries(self) -> frozenset[str]:
        return frozenset(o.country for o in self.organizations)

    def in_country(self, country: str) -> tuple[Organization, ...]:
        return tuple(o for o in self.organizations if o.country == country)


@dataclass(frozen=True, slots=True)
class FactRule:
    """``{"fact": ..., "op": ..., "value": ...}``; list values are kept as tuples."""

    fact: str
    op: str
    value: Any

    def facts(self) -> frozenset[str]:
        return frozenset({self.fact})

    def to_dict(self) -> dict[str, Any]:
        value = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"fact": self.fact, "op": self.op, "value": value}


@dataclass(frozen=True, slots=True)
class AllRule:
    """True when every sub-rule holds."""

    rules: tuple[Rule, ...]

    def facts(self) -> frozenset[str]:
        return frozenset().union(*(r.facts() for r in self.rules))

    def to_dict(self) -> dict[str, Any]:
        return {"all": [r.to_dict() for r in self.rules]}


@dataclass(frozen=True, slots=True)
class AnyRule:
    """True when at least one sub-rule holds."""

    rules: tuple[Rule, ...]

    def facts(self) -> frozenset[str]:
        return frozenset().union(*(r.facts() for r in self.rules))

    def to_dict(self) -> dict[str, Any]:
        return {"any": [r.to_dict() for r in self.rules]}


Rule = FactRule | AllRule | AnyRule


@dataclass(frozen=True, slots=True)
class Criterion:
    id: str
    text_vi: str
    text_en: str
    rule: Rule
    note: str | None = None


@dataclass(frozen=True, slots=True)
class EligibilityScheme:
    """One scheme (a decree's definition of a role); ``mode`` combines ``criteria``;
    ``weighed`` criteria are supporting reasons, not conditions."""

    id: str
    decree: str
    issued: date | None
    effective: date | None
    name_vi: str
    name_en: str
    roles: tuple[str, ...]
    mode: str
    criteria: tuple[Criterion, ...]
    weighed: tuple[Criterion, ...]
    uncertain: tuple[str, ...]
    source: str

    def facts(self) -> frozenset[str]:
        return frozenset().union(*(c.rule.facts() for c in (*self.criteria, *self.weighed)))


@dataclass(frozen=True)
class Eligibility:
    version: str
    facts: tuple[str, ...]
    schemes: tuple[EligibilityScheme, ...]
    _by_id: Mapping[str, EligibilityScheme] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", MappingProxyType({s.id: s for s in self.schemes}))

    def get(self, scheme_id: str) -> EligibilityScheme:
        return self._by_id[scheme_id]

    def for_role(self, role: str) -> tuple[EligibilityScheme, ...]:
        return tuple(s for s in self.schemes if role in s.roles)


@dataclass(frozen=True, slots=True)
class FamilyName:
    name: str
    ascii: str
    share: float
    syllables: int
    variant_of: str | None = None


@dataclass(frozen=True, slots=True)
class NamePart:
    """A middle or given name; ``usage`` is M, F or U (either), for plausible demo names only."""

    name: str
    ascii: str
    usage: str


@dataclass(frozen=True, slots=True)
class Honorific:
    abbr: str
    name_vi: str
    name_en: str
    abbr_en: str
    rank: int


@dataclass(frozen=True, slots=True)
class HostCountry:
    country: str
    weight: float
    cities: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DomesticCity:
    city: str
    name_vi: str
    weight: float


@dataclass(frozen=True, slots=True)
class NameData:
    version: str
    family_names: tuple[FamilyName, ...]
    middle_names: tuple[NamePart, ...]
    given_names: tuple[NamePart, ...]
    honorifics: tuple[Honorific, ...]
    honorific_combinations: tuple[str, ...]
    host_countries: tuple[HostCountry, ...]
    domestic_cities: tuple[DomesticCity, ...]


# ---------------------------------------------------------------------------------------------
# Reading and loading
# ---------------------------------------------------------------------------------------------


def read_json(name: str) -> dict[str, Any]:
    """A fresh parse of a packaged data file (safe to modify; nothing is cached)."""
    text = resources.files(DATA_PACKAGE).joinpath(DATA_DIR).joinpath(name).read_text("utf-8")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"{name}: -: -: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{name}: -: -: top level must be an object")
    return data


@lru_cache(maxsize=1)
def load_tech_lists() -> TechLists:
    data = read_json(TECH_FILE)
    validate_tech_lists(data)
    lists = []
    for t in data["lists"]:
        groups = tuple(
            TechGroup(
                id=g["id"],
                list_id=t["id"],
                code=g["code"],
                name_vi=g["nameVi"],
                name_en=g["nameEn"],
                confirmed=g["confirmed"],
                uncertain=g.get("uncertain", False),
                replaces=tuple(g.get("replaces", ())),
            )
            for g in t["groups"]
        )
        lists.append(
            TechList(
                id=t["id"],
                decision=t["decision"],
                issued=_date_or_none(t.get("issued")),
                valid_from=date.fromisoformat(t["validFrom"]),
                valid_to=_date_or_none(t.get("validTo")),
                name_vi=t["nameVi"],
                name_en=t["nameEn"],
                uncertain=t.get("uncertain", False),
                supersedes=t.get("supersedes"),
                source=t["source"],
                groups=groups,
            )
        )
    return TechLists(version=data["version"], lists=tuple(lists))


@lru_cache(maxsize=1)
def load_skills() -> SkillTaxonomy:
    data = read_json(SKILLS_FILE)
    validate_skills(data)
    skills = tuple(
        Skill(
            id=s["id"],
            name_en=s["nameEn"],
            name_vi=s["nameVi"],
            aliases_en=tuple(s["aliasesEn"]),
            aliases_vi=tuple(s["aliasesVi"]),
            broader=tuple(s["broader"]),
            areas=tuple(s["areas"]),
        )
        for s in data["skills"]
    )
    return SkillTaxonomy(version=data["version"], area_list=data["areaList"], skills=skills)


@lru_cache(maxsize=1)
def load_organizations() -> Organizations:
    data = read_json(ORGANIZATIONS_FILE)
    validate_organizations(data)
    orgs = tuple(
        Organization(
            id=o["id"],
            name=o["name"],
            name_vi=o.get("nameVi"),
            kind=o["kind"],
            country=o["country"],
            city=o["city"],
            top200=o["top200"],
            areas=tuple(o["areas"]),
        )
        for o in data["organizations"]
    )
    return Organizations(version=data["version"], area_list=data["areaList"], organizations=orgs)


@lru_cache(maxsize=1)
def load_eligibility() -> Eligibility:
    data = read_json(ELIGIBILITY_FILE)
    validate_eligibility(data)

    def criterion(c: Mapping[str, Any]) -> Criterion:
        return Criterion(c["id"], c["textVi"], c["textEn"], parse_rule(c["rule"]), c.get("note"))

    schemes = tuple(
        EligibilityScheme(
            id=s["id"],
            decree=s["decree"],
            issued=_date_or_none(s.get("issued")),
            effective=_date_or_none(s.get("effective")),
            name_vi=s["nameVi"],
            name_en=s["nameEn"],
            roles=tuple(s["roles"]),
            mode=s["mode"],
            criteria=tuple(criterion(c) for c in s["criteria"]),
            weighed=tuple(criterion(c) for c in s.get("weighed", ())),
            uncertain=tuple(s.get("uncertain", ())),
            source=s["source"],
        )
        for s in data["schemes"]
    )
    facts = tuple(f["name"] for f in data["facts"])
    return Eligibility(version=data["version"], facts=facts, schemes=schemes)


@lru_cache(maxsize=1)
def load_names() -> NameData:
    data = read_json(NAMES_FILE)
    validate_names(data)
    return NameData(
        version=data["version"],
        family_names=tuple(
            FamilyName(f["name"], f["ascii"], float(f["share"]), f["syllables"], f.get("variantOf"))
            for f in data["familyNames"]
        ),
        middle_names=tuple(
            NamePart(m["name"], m["ascii"], m["usage"]) for m in data["middleNames"]
        ),
        given_names=tuple(NamePart(g["name"], g["ascii"], g["usage"]) for g in data["givenNames"]),
        honorifics=tuple(
            Honorific(h["abbr"], h["nameVi"], h["nameEn"], h["abbrEn"], h["rank"])
            for h in data["honorifics"]
        ),
        honorific_combinations=tuple(data.get("honorificCombinations", ())),
        host_countries=tuple(
            HostCountry(h["country"], float(h["weight"]), tuple(h["cities"]))
            for h in data["hostCountries"]
        ),
        domestic_cities=tuple(
            DomesticCity(c["city"], c["nameVi"], float(c["weight"]))
            for c in data.get("domesticCities", ())
        ),
    )


def parse_rule(raw: Mapping[str, Any]) -> Rule:
    """Turn a validated JSON rule into :data:`Rule` dataclasses."""
    if "all" in raw:
        return AllRule(tuple(parse_rule(r) for r in raw["all"]))
    if "any" in raw:
        return AnyRule(tuple(parse_rule(r) for r in raw["any"]))
    value = raw["value"]
    return FactRule(raw["fact"], raw["op"], tuple(value) if isinstance(value, list) else value)


# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------


class _Checker:
    """Collects the context (file, record id) for error messages."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, rid: str | None, fld: str, problem: str) -> NoReturn:
        raise ValueError(f"{self.file}: {rid or '-'}: {fld}: {problem}")

    def top(self, data: Any, key: str) -> list[Any]:
        if not isinstance(data, Mapping):
            self.fail(None, "-", "top level must be an object")
        version = data.get("version")
        if not isinstance(version, str) or not _VERSION.match(version):
            self.fail(None, "version", f"missing or malformed version {version!r}")
        if version != DATA_VERSION:
            self.fail(None, "version", f"{version!r} differs from DATA_VERSION {DATA_VERSION!r}")
        items = data.get(key)
        if not isinstance(items, list) or not items:
            self.fail(None, key, "must be a non-empty list")
        self.nfc(None, "", {k: v for k, v in data.items() if k != key})
        return items

    def record(self, item: Any, key: str, index: int) -> str:
        if not isinstance(item, Mapping):
            self.fail(f"{key}[{index}]", "-", "must be an object")
        rid = item.get("id")
        if not isinstance(rid, str) or not _SLUG.match(rid):
            self.fail(f"{key}[{index}]", "id", f"missing or not a kebab-case ASCII slug: {rid!r}")
        self.nfc(rid, "", item)
        return rid

    def unique(self, rid: str, fld: str, value: str, seen: dict[str, str]) -> None:
        if value in seen:
            self.fail(rid, fld, f"duplicate {value!r} (also {seen[value]})")
        seen[value] = rid

    def nfc(self, rid: str | None, path: str, value: Any) -> None:
        if isinstance(value, str):
            if unicodedata.normalize("NFC", value) != value:
                self.fail(rid, path or "-", f"text is not NFC-normalised: {value!r}")
        elif isinstance(value, Mapping):
            for k, v in value.items():
                self.nfc(rid, f"{path}.{k}" if path else str(k), v)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                self.nfc(rid, f"{path}[{i}]", v)

    def text(self, rid: str, item: Mapping[str, Any], fld: str, *, optional: bool = False) -> None:
        value = item.get(fld)
        if value is None and optional:
            return
        if not isinstance(value, str) or not value.strip():
            self.fail(rid, fld, "must be a non-empty string")
        if value != value.strip() or "  " in value:
            self.fail(rid, fld, f"stray whitespace in {value!r}")

    def texts(self, rid: str, item: Mapping[str, Any], fld: str, *, empty_ok: bool = True) -> None:
        value = item.get(fld)
        if not isinstance(value, list) or (not empty_ok and not value):
            self.fail(rid, fld, "must be a list" + ("" if empty_ok else " with at least one entry"))
        seen: set[str] = set()
        for i, v in enumerate(value):
            if not isinstance(v, str) or not v.strip() or v != v.strip():
                self.fail(rid, f"{fld}[{i}]", f"must be a trimmed non-empty string: {v!r}")
            if v in seen:
                self.fail(rid, f"{fld}[{i}]", f"duplicate entry {v!r}")
            seen.add(v)

    def flag(self, rid: str, item: Mapping[str, Any], fld: str, *, optional: bool = False) -> None:
        if fld not in item and optional:
            return
        if not isinstance(item.get(fld), bool):
            self.fail(rid, fld, "must be true or false")

    def day(self, rid: str, item: Mapping[str, Any], fld: str, *, optional: bool) -> date | None:
        value = item.get(fld)
        if value is None:
            if not optional:
                self.fail(rid, fld, "a date (YYYY-MM-DD) is required")
            return None
        try:
            return date.fromisoformat(value)
        except (TypeError, ValueError):
            self.fail(rid, fld, f"not an ISO date: {value!r}")

    def country(self, rid: str, fld: str, value: Any) -> None:
        if not isinstance(value, str) or not _COUNTRY.match(value):
            self.fail(rid, fld, f"not a 2-letter upper-case country code: {value!r}")
        if _ISO_COUNTRIES is not None and value not in _ISO_COUNTRIES:
            self.fail(rid, fld, f"not an ISO 3166-1 alpha-2 code: {value!r}")

    def number(self, rid: str, fld: str, value: Any, *, positive: bool = True) -> float:
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        if not ok or (positive and value <= 0):
            self.fail(rid, fld, f"must be a {'positive ' if positive else ''}number: {value!r}")
        return float(value)

    def refs(self, rid: str, fld: str, values: list[str], known: Collection[str]) -> None:
        for i, v in enumerate(values):
            if v not in known:
                self.fail(rid, f"{fld}[{i}]", f"unknown reference {v!r}")


def validate_tech_lists(data: Mapping[str, Any]) -> None:
    """Check ``tech_areas.json``: unique list, group and code ids across all lists, dates in
    order, ``supersedes`` and ``replaces`` resolving to the superseded list."""
    ck = _Checker(TECH_FILE)
    lists = ck.top(data, "lists")
    list_ids: dict[str, str] = {}
    group_ids: dict[str, str] = {}
    codes: dict[str, str] = {}
    groups_of: dict[str, set[str]] = {}
    for i, t in enumerate(lists):
        lid = ck.record(t, "lists", i)
        ck.unique(lid, "id", lid, list_ids)
        for fld in ("decision", "nameVi", "nameEn", "source"):
            ck.text(lid, t, fld)
        ck.flag(lid, t, "uncertain", optional=True)
        ck.day(lid, t, "issued", optional=True)
        start = ck.day(lid, t, "validFrom", optional=False)
        end = ck.day(lid, t, "validTo", optional=True)
        if start and end and end < start:
            ck.fail(lid, "validTo", "ends before validFrom")
        groups = t.get("groups")
        if not isinstance(groups, list) or not groups:
            ck.fail(lid, "groups", "must be a non-empty list")
        groups_of[lid] = set()
        for j, g in enumerate(groups):
            gid = ck.record(g, f"{lid}.groups", j)
            ck.unique(gid, "id", gid, group_ids)
            ck.text(gid, g, "code")
            ck.unique(gid, "code", g["code"], codes)
            ck.text(gid, g, "nameVi")
            ck.text(gid, g, "nameEn")
            ck.flag(gid, g, "confirmed")
            ck.flag(gid, g, "uncertain", optional=True)
            if "replaces" in g:
                ck.texts(gid, g, "replaces")
            groups_of[lid].add(gid)
    by_id = {t["id"]: t for t in lists}
    for t in lists:
        lid = t["id"]
        old = t.get("supersedes")
        if old is not None:
            if old not in by_id or old == lid:
                ck.fail(lid, "supersedes", f"unknown list {old!r}")
            old_end = by_id[old].get("validTo")
            if old_end is None or date.fromisoformat(old_end) >= date.fromisoformat(t["validFrom"]):
                ck.fail(lid, "validFrom", f"overlaps the list it supersedes ({old})")
        for g in t["groups"]:
            if g.get("replaces"):
                if old is None:
                    ck.fail(g["id"], "replaces", "the list supersedes nothing")
                ck.refs(g["id"], "replaces", g["replaces"], groups_of[old])
    _check_supersedes_acyclic(ck, by_id)


def _check_supersedes_acyclic(ck: _Checker, by_id: Mapping[str, Mapping[str, Any]]) -> None:
    for start in by_id:
        seen = {start}
        cur = by_id[start].get("supersedes")
        while cur is not None:
            if cur in seen:
                ck.fail(start, "supersedes", "cycle in supersedes")
            seen.add(cur)
            cur = by_id[cur].get("supersedes")


def _area_ids(ck: _Checker, data: Mapping[str, Any], given: Collection[str] | None) -> set[str]:
    if given is not None:
        return set(given)
    name = data.get("areaList")
    tech = read_json(TECH_FILE)
    for t in tech.get("lists", ()):
        if t.get("id") == name:
            return {g["id"] for g in t["groups"]}
    ck.fail(None, "areaList", f"unknown strategic-technology list {name!r}")


def validate_skills(data: Mapping[str, Any], area_ids: Collection[str] | None = None) -> None:
    """Check ``skills.json``. ``area_ids`` are the valid ``areas`` values; by default the groups
    of the packaged list named by the file's ``areaList``."""
    ck = _Checker(SKILLS_FILE)
    skills = ck.top(data, "skills")
    areas = _area_ids(ck, data, area_ids)
    ids: dict[str, str] = {}
    names_en: dict[str, str] = {}
    names_vi: dict[str, str] = {}
    for i, s in enumerate(skills):
        sid = ck.record(s, "skills", i)
        ck.unique(sid, "id", sid, ids)
        ck.text(sid, s, "nameEn")
        ck.text(sid, s, "nameVi")
        ck.unique(sid, "nameEn", s["nameEn"].casefold(), names_en)
        ck.unique(sid, "nameVi", s["nameVi"].casefold(), names_vi)
        ck.texts(sid, s, "aliasesEn")
        ck.texts(sid, s, "aliasesVi")
        ck.texts(sid, s, "broader")
        ck.texts(sid, s, "areas", empty_ok=False)
        if sid in s["broader"]:
            ck.fail(sid, "broader", "a skill cannot be broader than itself")
        ck.refs(sid, "areas", s["areas"], areas)
    for s in skills:
        ck.refs(s["id"], "broader", s["broader"], ids)
    parents = {s["id"]: tuple(s["broader"]) for s in skills}
    cycle = _find_cycle(parents)
    if cycle:
        ck.fail(cycle[0], "broader", "cycle: " + " -> ".join(cycle))


def _find_cycle(parents: Mapping[str, Sequence[str]]) -> list[str] | None:
    """A cycle in the ``broader`` graph as a list of ids (first == last), or ``None``."""
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in parents:
        if state.get(root):
            continue
        path: list[str] = [root]
        stack: list[Iterator[str]] = [iter(parents[root])]
        state[root] = 1
        while stack:
            nxt = next(stack[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            mark = state.get(nxt, 0)
            if mark == 1:
                return path[path.index(nxt) :] + [nxt]
            if mark == 0:
                state[nxt] = 1
                path.append(nxt)
                stack.append(iter(parents.get(nxt, ())))
    return None


def validate_organizations(
    data: Mapping[str, Any], area_ids: Collection[str] | None = None
) -> None:
    """Check ``organizations.json`` (``area_ids`` as for :func:`validate_skills`)."""
    ck = _Checker(ORGANIZATIONS_FILE)
    orgs = ck.top(data, "organizations")
    areas = _area_ids(ck, data, area_ids)
    ids: dict[str, str] = {}
    for i, o in enumerate(orgs):
        oid = ck.record(o, "organizations", i)
        ck.unique(oid, "id", oid, ids)
        ck.text(oid, o, "name")
        ck.text(oid, o, "nameVi", optional=True)
        ck.text(oid, o, "city")
        if o.get("kind") not in ORG_KINDS:
            ck.fail(oid, "kind", f"must be one of {', '.join(ORG_KINDS)}: {o.get('kind')!r}")
        ck.country(oid, "country", o.get("country"))
        ck.flag(oid, o, "top200")
        if o["top200"] and o["kind"] != "UNIVERSITY":
            ck.fail(oid, "top200", "only a university can be in the top 200")
        ck.texts(oid, o, "areas", empty_ok=False)
        ck.refs(oid, "areas", o["areas"], areas)


def validate_eligibility(data: Mapping[str, Any]) -> None:
    """Check ``eligibility.json``: declared facts are known to the code, every rule is well
    formed and uses a declared fact with an operator that suits its type."""
    ck = _Checker(ELIGIBILITY_FILE)
    schemes = ck.top(data, "schemes")
    declared = data.get("facts")
    if not isinstance(declared, list) or not declared:
        ck.fail(None, "facts", "must be a non-empty list")
    fact_types: dict[str, str] = {}
    for i, f in enumerate(declared):
        name = f.get("name") if isinstance(f, Mapping) else None
        if name not in ELIGIBILITY_FACTS:
            ck.fail(f"facts[{i}]", "name", f"unknown fact {name!r}")
        if f.get("type") not in _OPS_BY_TYPE:
            ck.fail(name, "type", f"must be one of {', '.join(_OPS_BY_TYPE)}")
        fact_types[name] = f["type"]
    ids: dict[str, str] = {}
    for i, s in enumerate(schemes):
        sid = ck.record(s, "schemes", i)
        ck.unique(sid, "id", sid, ids)
        for fld in ("decree", "nameVi", "nameEn", "source"):
            ck.text(sid, s, fld)
        ck.day(sid, s, "issued", optional=True)
        ck.day(sid, s, "effective", optional=True)
        ck.texts(sid, s, "roles", empty_ok=False)
        ck.refs(sid, "roles", s["roles"], TASK_ROLES)
        if s.get("mode") not in ("all", "any"):
            ck.fail(sid, "mode", f"must be 'all' or 'any': {s.get('mode')!r}")
        if "uncertain" in s:
            ck.texts(sid, s, "uncertain")
        for key in ("criteria", "weighed"):
            crits = s.get(key, [])
            if not isinstance(crits, list) or (key == "criteria" and not crits):
                need = " with at least one entry" if key == "criteria" else ""
                ck.fail(sid, key, f"must be a list{need}")
            seen: dict[str, str] = {}
            for j, c in enumerate(crits):
                where = f"{key}[{j}]"
                if not isinstance(c, Mapping) or not isinstance(c.get("id"), str):
                    ck.fail(sid, f"{where}.id", "a criterion needs an id")
                if not _SLUG.match(c["id"]):
                    ck.fail(sid, f"{where}.id", f"not a kebab-case slug: {c['id']!r}")
                ck.unique(sid, f"{where}.id", c["id"], seen)
                for fld in ("textVi", "textEn"):
                    ck.text(sid, c, fld)
                ck.text(sid, c, "note", optional=True)
                _check_rule(ck, f"{sid}/{c['id']}", "rule", c.get("rule"), fact_types)


def _check_rule(ck: _Checker, rid: str, path: str, rule: Any, types: Mapping[str, str]) -> None:
    if not isinstance(rule, Mapping):
        ck.fail(rid, path, "a rule must be an object")
    if set(rule) in ({"all"}, {"any"}):
        (key,) = rule
        subs = rule[key]
        if not isinstance(subs, list) or not subs:
            ck.fail(rid, f"{path}.{key}", "must be a non-empty list of rules")
        for i, sub in enumerate(subs):
            _check_rule(ck, rid, f"{path}.{key}[{i}]", sub, types)
        return
    if set(rule) != {"fact", "op", "value"}:
        ck.fail(rid, path, f"expected {{fact, op, value}}, {{all}} or {{any}}, got {sorted(rule)}")
    fact, op, value = rule["fact"], rule["op"], rule["value"]
    if fact not in types:
        ck.fail(rid, f"{path}.fact", f"fact {fact!r} is not declared in facts")
    if op not in RULE_OPS:
        ck.fail(rid, f"{path}.op", f"unknown operator {op!r}")
    kind = types[fact]
    if op not in _OPS_BY_TYPE[kind]:
        ck.fail(rid, f"{path}.op", f"operator {op!r} does not suit {kind} fact {fact!r}")
    if op in _LIST_OPS:
        if not isinstance(value, list) or not value:
            ck.fail(rid, f"{path}.value", f"operator {op!r} needs a non-empty list")
        items = value
    else:
        items = [value]
    for v in items:
        ok = {
            "number": isinstance(v, int | float) and not isinstance(v, bool),
            "boolean": isinstance(v, bool),
            "enum": v in DIASPORA_VALUES,
            "list": isinstance(v, str) and bool(_COUNTRY.match(v)),
        }[kind]
        if not ok:
            ck.fail(rid, f"{path}.value", f"value {v!r} does not suit {kind} fact {fact!r}")


def validate_names(data: Mapping[str, Any]) -> None:
    """Check ``names.json``: shares sum to about 100, variants resolve, ASCII forms are ASCII."""
    ck = _Checker(NAMES_FILE)
    families = ck.top(data, "familyNames")
    seen: dict[str, str] = {}
    total = 0.0
    for i, f in enumerate(families):
        if not isinstance(f, Mapping):
            ck.fail(f"familyNames[{i}]", "-", "must be an object")
        name = f.get("name")
        rid = name if isinstance(name, str) else f"familyNames[{i}]"
        ck.nfc(rid, "", f)
        ck.text(rid, f, "name")
        ck.unique(rid, "name", name, seen)
        _check_ascii(ck, rid, f)
        total += ck.number(rid, "share", f.get("share"))
        if f.get("syllables") != len(name.split()):
            ck.fail(rid, "syllables", f"must be {len(name.split())}")
    for f in families:
        variant = f.get("variantOf")
        if variant is not None and (variant not in seen or variant == f["name"]):
            ck.fail(f["name"], "variantOf", f"unknown family name {variant!r}")
    if abs(total - 100.0) > _SHARE_TOLERANCE:
        ck.fail(None, "familyNames.share", f"shares sum to {total:.2f}, expected about 100")
    for key, minimum in (("middleNames", 1), ("givenNames", 1)):
        items = data.get(key)
        if not isinstance(items, list) or len(items) < minimum:
            ck.fail(None, key, "must be a non-empty list")
        names: dict[str, str] = {}
        for i, p in enumerate(items):
            rid = p.get("name") if isinstance(p, Mapping) else None
            if not isinstance(rid, str):
                ck.fail(f"{key}[{i}]", "name", "missing name")
            ck.nfc(rid, "", p)
            ck.text(rid, p, "name")
            ck.unique(rid, f"{key}.name", rid, names)
            _check_ascii(ck, rid, p)
            if p.get("usage") not in _NAME_USAGE:
                ck.fail(rid, "usage", "must be M, F or U")
    honorifics = data.get("honorifics")
    if not isinstance(honorifics, list) or not honorifics:
        ck.fail(None, "honorifics", "must be a non-empty list")
    abbrs: dict[str, str] = {}
    for h in honorifics:
        rid = h.get("abbr") if isinstance(h, Mapping) else None
        if not isinstance(rid, str):
            ck.fail("honorifics", "abbr", "missing abbreviation")
        ck.nfc(rid, "", h)
        ck.unique(rid, "abbr", rid, abbrs)
        for fld in ("nameVi", "nameEn", "abbrEn"):
            ck.text(rid, h, fld)
        if not isinstance(h.get("rank"), int):
            ck.fail(rid, "rank", "must be an integer")
    hosts = data.get("hostCountries")
    if not isinstance(hosts, list) or not hosts:
        ck.fail(None, "hostCountries", "must be a non-empty list")
    countries: dict[str, str] = {}
    for h in hosts:
        cc = h.get("country") if isinstance(h, Mapping) else None
        ck.country(str(cc), "country", cc)
        ck.nfc(cc, "", h)
        ck.unique(cc, "country", cc, countries)
        ck.number(cc, "weight", h.get("weight"))
        ck.texts(cc, h, "cities", empty_ok=False)
    for c in data.get("domesticCities", []):
        rid = c.get("city") if isinstance(c, Mapping) else None
        if not isinstance(rid, str):
            ck.fail("domesticCities", "city", "missing city")
        ck.nfc(rid, "", c)
        ck.text(rid, c, "nameVi")
        ck.number(rid, "weight", c.get("weight"))


def _check_ascii(ck: _Checker, rid: str, item: Mapping[str, Any]) -> None:
    value = item.get("ascii")
    if not isinstance(value, str) or not value or not value.isascii():
        ck.fail(rid, "ascii", f"must be a non-empty ASCII string: {value!r}")


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _date_or_none(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _term_key(term: str) -> str:
    return unicodedata.normalize("NFC", term).strip().casefold()


def _walk(start: str, step: Callable[[str], Iterable[str]]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    frontier = list(step(start))
    while frontier:
        nxt: list[str] = []
        for s in frontier:
            if s not in seen and s != start:
                seen[s] = None
                nxt.extend(step(s))
        frontier = nxt
    return tuple(seen)
