"""The expert profile document: its fields, their rules, and the values derived from them.

One validated document shape serves the import files, the export, the demo seed and the API's
edits. ``validate_profile`` checks every field before anything is written and reports every
problem at once with its path (``skills.2.level``); it returns the normalised document (NFC
text, one tone-placement style, upper-case countries, ids derived for works).
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from functools import lru_cache
from typing import Any

from registry.errors import Code
from registry.names import fold, name_variants, person_sort_string
from registry.validation import Validator

__all__ = [
    "SCALAR_FIELDS", "INPUT_KEYS", "DIASPORA", "AVAILABILITY", "VISIBILITY", "SKILL_SOURCES",
    "DEGREES", "PROJECT_SCALES", "PROJECT_OUTCOMES", "PROJECT_RELATIONS", "HONORIFICS",
    "validate_profile", "derived_fields", "content_hash", "derive_expert_id", "org_id_for",
    "PROTECTED_FIELDS",
]

NAMESPACE = uuid.UUID("5b0c6f0e-57a1-4c9b-9a57-2024c0de0057")

DIASPORA = ("DOMESTIC", "OVERSEAS", "RETURNEE")
AVAILABILITY = ("FULL_TIME", "PART_TIME", "ADVISORY", "UNAVAILABLE")
VISIBILITY = ("PUBLIC", "REGISTERED", "PRIVATE")
SKILL_SOURCES = ("SELF", "VERIFIED", "INFERRED")
DEGREES = ("BACHELOR", "ENGINEER", "MASTER", "PHD", "POSTDOC", "DSC")
PROJECT_SCALES = ("INTERNATIONAL", "NATIONAL", "MINISTRY", "PROVINCE", "INSTITUTIONAL", "INDUSTRY")
PROJECT_OUTCOMES = ("ONGOING", "COMPLETED", "APPLIED", "TRANSFERRED")
PROJECT_RELATIONS = ("LED", "CONTRIBUTED")
HONORIFICS = ("GS.", "PGS.", "TSKH.", "TS.", "ThS.", "KS.", "CN.", "BS.")
ORG_KINDS = ("UNIVERSITY", "INSTITUTE", "COMPANY", "AGENCY")
GENDERS = ("FEMALE", "MALE", "OTHER")
# Stored for the people themselves and for eligibility that the law ties to age; never a
# matching feature (a test changes them and asserts identical scores).
PROTECTED_FIELDS = ("gender", "birthYear", "birthPlace", "ethnicity", "religion")

SCALAR_FIELDS = (
    "id", "fullName", "honorific", "headline", "bio", "email", "phone", "homepage",
    "residenceCountry", "city", "diaspora", "nationalities", "languages", "yearsExperience",
    "hIndex", "citations", "availability", "availableFrom", "willingToRelocate", "remoteOk",
    "visibility", "contactConsent", "orcid", "verified", "externalKey", "registeredBy",
    "currentForeignResearchPost", *PROTECTED_FIELDS,
)
LIST_FIELDS = ("skills", "employment", "education", "publications", "patents", "projects",
               "awards")
INPUT_KEYS = frozenset(SCALAR_FIELDS) | frozenset(LIST_FIELDS)

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:\-]{0,99}")
_LIMITS = {"skills": 100, "employment": 50, "education": 20, "publications": 1000,
           "patents": 200, "projects": 200, "awards": 100}


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[frozenset[str], frozenset[str], dict[str, dict[str, Any]]]:
    """Skill ids, tech-area ids and reference organizations, from the versioned data files."""
    from seed.reference import load_organizations, load_skills, load_tech_lists

    skills = frozenset(s.id for s in load_skills())
    areas = frozenset(g.id for g in load_tech_lists().groups)
    orgs = {o.id: {"id": o.id, "name": o.name, "country": o.country, "city": o.city,
                   "kind": o.kind} for o in load_organizations()}
    return skills, areas, orgs


def derive_expert_id(doc: dict[str, Any]) -> str | None:
    """A stable id from the strongest identifier a record carries, so re-imports match."""
    for key, prefix in (("orcid", "orcid"), ("externalKey", "ext"), ("email", "email")):
        if doc.get(key):
            return str(uuid.uuid5(NAMESPACE, f"{prefix}:{str(doc[key]).lower()}"))
    return None


def _work_id(kind: str, item: dict[str, Any], natural: str | None) -> str:
    if natural:
        return str(uuid.uuid5(NAMESPACE, f"{kind}:{natural.lower()}"))
    key = f"{kind}:{fold(item.get('title') or '')}:{item.get('year') or ''}"
    return str(uuid.uuid5(NAMESPACE, key))


def org_id_for(name: str, country: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:56]
    return f"{slug}-{country.lower()}"


def _scalar(v: Validator, raw: dict[str, Any], out: dict[str, Any]) -> None:
    out["fullName"] = v.required_str("fullName", raw.get("fullName"), max_length=120)
    out["honorific"] = v.choice("honorific", raw.get("honorific"), HONORIFICS, required=False)
    out["headline"] = v.optional_str("headline", raw.get("headline"), max_length=200)
    out["bio"] = v.optional_str("bio", raw.get("bio"), max_length=5000, multiline=True)
    out["email"] = v.email("email", raw.get("email"), required=False)
    out["phone"] = v.phone("phone", raw.get("phone"), required=False)
    out["homepage"] = v.url("homepage", raw.get("homepage"), required=False)
    out["residenceCountry"] = v.country("residenceCountry", raw.get("residenceCountry"))
    out["city"] = v.optional_str("city", raw.get("city"), max_length=100)
    diaspora = raw.get("diaspora")
    if diaspora is None and out["residenceCountry"]:
        diaspora = "DOMESTIC" if out["residenceCountry"] == "VN" else "OVERSEAS"
    out["diaspora"] = v.choice("diaspora", diaspora, DIASPORA)
    nats = v.list_max("nationalities", raw.get("nationalities") or ["VN"], max_items=5)
    out["nationalities"] = [v.country(f"nationalities.{i}", c) for i, c in enumerate(nats or [])]
    out["languages"] = v.languages("languages", raw.get("languages") or [], required=False) or []
    # Not stated stays absent (null): 0 would claim a beginner where nothing is known.
    out["yearsExperience"] = v.integer("yearsExperience", raw.get("yearsExperience"),
                                       min=0, max=70, required=False)
    out["hIndex"] = v.integer("hIndex", raw.get("hIndex", 0) or 0, min=0, max=500)
    out["citations"] = v.integer("citations", raw.get("citations", 0) or 0, min=0,
                                 max=10_000_000)
    out["availability"] = v.choice("availability", raw.get("availability"), AVAILABILITY,
                                   required=False)
    when = v.date("availableFrom", raw.get("availableFrom"), required=False)
    out["availableFrom"] = when.isoformat() if when else None
    for key, default in (("willingToRelocate", False), ("remoteOk", True),
                         ("contactConsent", False), ("verified", False),
                         ("currentForeignResearchPost", None)):
        out[key] = _boolean(v, key, raw.get(key, default), default)
    out["visibility"] = v.choice("visibility", raw.get("visibility") or "REGISTERED", VISIBILITY)
    out["orcid"] = v.orcid("orcid", raw.get("orcid"), required=False)
    out["externalKey"] = v.required_str("externalKey", raw.get("externalKey"), max_length=120,
                                        required=False, normalize=False)
    out["registeredBy"] = raw.get("registeredBy") if isinstance(raw.get("registeredBy"),
                                                                  str) else None
    out["gender"] = v.choice("gender", raw.get("gender"), GENDERS, required=False)
    out["birthYear"] = v.year("birthYear", raw.get("birthYear"), required=False)
    for key in ("birthPlace", "ethnicity", "religion"):
        out[key] = v.optional_str(key, raw.get(key), max_length=100)


def _boolean(v: Validator, path: str, value: Any, default: bool | None) -> bool | None:
    if value is None:
        return default
    if not isinstance(value, bool):
        v.add(path, Code.NOT_BOOLEAN, f"must be true or false (got {value!r})")
        return default
    return value


def _organization(v: Validator, path: str, value: Any) -> dict[str, Any] | None:
    _, _, orgs = _vocabulary()
    if isinstance(value, str):
        if value in orgs:
            return dict(orgs[value])
        v.add(path, Code.UNKNOWN_REFERENCE,
              "must be a known organization id or an object with name and country",
              kind="organization", value=value)
        return None
    if not isinstance(value, dict):
        v.add(path, Code.INVALID_ORGANIZATION,
              "must be an organization id or an object with name and country")
        return None
    _unknown_keys(v, path, value, _ORGANIZATION_FIELDS, "an organization")
    if value.get("id") in orgs:
        return dict(orgs[value["id"]])
    name = v.required_str(f"{path}.name", value.get("name"), max_length=200)
    country = v.country(f"{path}.country", value.get("country"))
    city = v.optional_str(f"{path}.city", value.get("city"), max_length=100)
    kind = v.choice(f"{path}.kind", value.get("kind") or "COMPANY", ORG_KINDS)
    if not (name and country):
        return None
    return {"id": org_id_for(name, country), "name": name, "country": country, "city": city,
            "kind": kind}


# The fields an item of each list may have (what reading a profile gives back); any other
# key is refused, so a misspelt field is reported rather than dropped for its default.
_ITEM_FIELDS = {
    "skills": frozenset({"skill", "level", "years", "source"}),
    "employment": frozenset({"organization", "title", "from", "to"}),
    "education": frozenset({"organization", "degree", "field", "year"}),
    "publications": frozenset({"id", "doi", "title", "abstract", "year", "venue", "citations"}),
    "patents": frozenset({"id", "number", "title", "year", "country", "granted", "applied"}),
    "projects": frozenset({"id", "title", "summary", "relation", "role", "scale", "outcome",
                           "budgetUsd", "startYear", "endYear", "interdisciplinary", "areas"}),
    "awards": frozenset({"id", "title", "year", "international"}),
}
_ORGANIZATION_FIELDS = frozenset({"id", "name", "country", "city", "kind"})
_ITEM_NAMES = {"skills": "a skill entry", "employment": "an employment entry",
               "education": "an education entry", "publications": "a publication",
               "patents": "a patent", "projects": "a project", "awards": "an award"}


def _unknown_keys(v: Validator, path: str, item: dict[str, Any], allowed: frozenset[str],
                  what: str) -> None:
    for k in sorted(str(k) for k in item if k not in allowed)[:10]:
        v.add(f"{path}.{k}", Code.UNKNOWN_FIELD, f"is not a field of {what}")


def _items(v: Validator, raw: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
    items = v.list_max(key, raw.get(key) or [], max_items=_LIMITS[key])
    out = []
    for i, item in enumerate(items or []):
        if not isinstance(item, dict):
            v.add(f"{key}.{i}", Code.NOT_OBJECT, "must be an object")
        else:
            _unknown_keys(v, f"{key}.{i}", item, _ITEM_FIELDS[key], _ITEM_NAMES[key])
            out.append((f"{key}.{i}", item))
    return out


def _lists(v: Validator, raw: dict[str, Any], out: dict[str, Any]) -> None:
    skills_known, areas_known, _ = _vocabulary()
    seen: set[str] = set()
    out["skills"] = []
    for p, s in _items(v, raw, "skills"):
        sid = s.get("skill")
        if sid not in skills_known:
            v.add(f"{p}.skill", Code.UNKNOWN_REFERENCE,
                  f"is not a skill of the taxonomy (got {sid!r})", kind="skill", value=str(sid))
            continue
        if sid in seen:
            v.add(f"{p}.skill", Code.DUPLICATE, f"is listed twice ({sid})", value=sid)
            continue
        seen.add(sid)
        out["skills"].append({
            "skill": sid,
            "level": v.integer(f"{p}.level", s.get("level", 3), min=1, max=5),
            "years": v.integer(f"{p}.years", s.get("years", 0) or 0, min=0, max=70),
            "source": v.choice(f"{p}.source", s.get("source") or "SELF", SKILL_SOURCES),
        })
    out["skills"].sort(key=lambda s: s["skill"])
    out["employment"] = []
    for p, e in _items(v, raw, "employment"):
        start = v.year(f"{p}.from", e.get("from"), required=False)
        end = v.year(f"{p}.to", e.get("to"), required=False)
        if start and end and end < start:
            v.add(f"{p}.to", Code.BEFORE_START, f"must not be before 'from' ({start})",
                  field="from", start=start)
        out["employment"].append({
            "organizationRef": _organization(v, f"{p}.organization", e.get("organization")),
            "title": v.optional_str(f"{p}.title", e.get("title"), max_length=200),
            "from": start, "to": end,
        })
    out["education"] = []
    for p, e in _items(v, raw, "education"):
        out["education"].append({
            "organizationRef": _organization(v, f"{p}.organization", e.get("organization")),
            "degree": v.choice(f"{p}.degree", e.get("degree"), DEGREES),
            "field": v.optional_str(f"{p}.field", e.get("field"), max_length=200),
            "year": v.year(f"{p}.year", e.get("year"), required=False),
        })
    out["publications"] = _unique_works(v, "publications", [
        {
            "doi": (doi := v.doi(f"{p}.doi", w.get("doi"), required=False)),
            "title": v.required_str(f"{p}.title", w.get("title"), max_length=500),
            "abstract": v.optional_str(f"{p}.abstract", w.get("abstract"), max_length=10000,
                                       multiline=True),
            "year": v.year(f"{p}.year", w.get("year"), required=False),
            "venue": v.optional_str(f"{p}.venue", w.get("venue"), max_length=300),
            "citations": v.integer(f"{p}.citations", w.get("citations", 0) or 0, min=0,
                                   max=10_000_000),
            "id": _given_id(v, p, w) or _work_id("pub", w, doi),
        }
        for p, w in _items(v, raw, "publications")
    ])
    out["patents"] = _unique_works(v, "patents", [
        {
            "number": (num := v.optional_str(f"{p}.number", w.get("number"), max_length=60)),
            "title": v.required_str(f"{p}.title", w.get("title"), max_length=500),
            "year": v.year(f"{p}.year", w.get("year"), required=False),
            "country": v.country(f"{p}.country", w.get("country"), required=False),
            "granted": _boolean(v, f"{p}.granted", w.get("granted"), False),
            "applied": _boolean(v, f"{p}.applied", w.get("applied"), False),
            "id": _given_id(v, p, w) or _work_id("patent", w, num),
        }
        for p, w in _items(v, raw, "patents")
    ])
    out["projects"] = []
    for p, w in _items(v, raw, "projects"):
        areas = v.list_max(f"{p}.areas", w.get("areas") or [], max_items=11) or []
        for j, a in enumerate(areas):
            if a not in areas_known:
                v.add(f"{p}.areas.{j}", Code.UNKNOWN_REFERENCE,
                      f"is not a strategic-technology group (got {a!r})", kind="techArea",
                      value=str(a))
        start = v.year(f"{p}.startYear", w.get("startYear"), required=False)
        end = v.year(f"{p}.endYear", w.get("endYear"), required=False)
        if start and end and end < start:
            v.add(f"{p}.endYear", Code.BEFORE_START, f"must not be before startYear ({start})",
                  field="startYear", start=start)
        out["projects"].append({
            "title": v.required_str(f"{p}.title", w.get("title"), max_length=500),
            "summary": v.optional_str(f"{p}.summary", w.get("summary"), max_length=5000,
                                      multiline=True),
            "relation": v.choice(f"{p}.relation", w.get("relation") or "CONTRIBUTED",
                                 PROJECT_RELATIONS),
            "role": v.optional_str(f"{p}.role", w.get("role"), max_length=100),
            "scale": v.choice(f"{p}.scale", w.get("scale") or "INSTITUTIONAL", PROJECT_SCALES),
            "outcome": v.choice(f"{p}.outcome", w.get("outcome") or "COMPLETED",
                                PROJECT_OUTCOMES),
            "budgetUsd": v.number(f"{p}.budgetUsd", w.get("budgetUsd"), min=0, max=1e11,
                                  required=False),
            "startYear": start, "endYear": end,
            "interdisciplinary": _boolean(v, f"{p}.interdisciplinary",
                                          w.get("interdisciplinary"), False),
            "areas": sorted(set(a for a in areas if a in areas_known)),
            "id": _given_id(v, p, w) or _work_id("project", {**w, "year": start}, None),
        })
    out["awards"] = _unique_works(v, "awards", [
        {
            "title": v.required_str(f"{p}.title", w.get("title"), max_length=300),
            "year": v.year(f"{p}.year", w.get("year"), required=False),
            "international": _boolean(v, f"{p}.international", w.get("international"), False),
            "id": _given_id(v, p, w) or _work_id("award", w, None),
        }
        for p, w in _items(v, raw, "awards")
    ])


def _given_id(v: Validator, path: str, item: dict[str, Any]) -> str | None:
    given = item.get("id")
    if given is None:
        return None
    if not isinstance(given, str) or not _ID.fullmatch(given):
        v.add(f"{path}.id", Code.INVALID_ID, "must be 1-100 letters, digits, '.', '_', ':' or '-'")
        return None
    return given


def _unique_works(v: Validator, key: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        if item["id"] in seen:
            v.add(f"{key}.{i}", Code.DUPLICATE, "is listed twice (same id, DOI or title and year)")
            continue
        seen.add(item["id"])
        out.append(item)
    return out


def validate_profile(raw: Any, *, generate_id: bool = False) -> dict[str, Any]:
    """Check a whole profile and return it normalised; raises ``ValidationError`` listing
    every invalid field. Without an id, one is derived from ORCID, external key or e-mail
    (so re-imports match), or generated when ``generate_id``."""
    v = Validator()
    if not isinstance(raw, dict):
        v.add("profile", Code.NOT_OBJECT, "must be an object")
        v.raise_if_any()
    unknown = sorted(k for k in raw if k not in INPUT_KEYS and k not in ("version",))
    for key in unknown[:10]:
        v.add(key, Code.UNKNOWN_FIELD, "is not a profile field")
    out: dict[str, Any] = {}
    _scalar(v, raw, out)
    _lists(v, raw, out)
    given = raw.get("id")
    if given is not None and (not isinstance(given, str) or not _ID.fullmatch(given)):
        v.add("id", Code.INVALID_ID, "must be 1-100 letters, digits, '.', '_', ':' or '-'")
    v.raise_if_any()
    out["id"] = given or derive_expert_id(out) or (str(uuid.uuid4()) if generate_id else None)
    if out["id"] is None:
        v.add("id", Code.MISSING_IDENTITY,
              "is required when the record has no orcid, externalKey or email")
        v.raise_if_any()
    return out


def derived_fields(doc: dict[str, Any]) -> dict[str, Any]:
    """Search and sort keys stored beside the profile (never used for identity)."""
    variants = name_variants(doc["fullName"])
    return {
        "nameFolded": fold(doc["fullName"]),
        "nameSearch": " ".join(sorted(variants)),
        "nameSort": person_sort_string(doc["fullName"]),
    }


def content_hash(doc: dict[str, Any]) -> str:
    """A digest of the profile's content: an unchanged re-import is recognised and skipped."""
    data = {k: v for k, v in doc.items() if k not in ("registeredBy",)}
    blob = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]
