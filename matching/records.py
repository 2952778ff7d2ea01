"""One expert as the matcher sees it: a profile document reduced to what ranking may use.

``record_from_profile`` is the only place where a profile enters the matcher. It copies no
protected attribute (``registry.profile.PROTECTED_FIELDS``): the birth year goes into the
eligibility facts (a decree's age limit) and nowhere else, and the facts are never read by
the features. Areas are expressed in the skill taxonomy's list (Decision 1131 groups), so a
project filed under a group of a later list still counts for its predecessor group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from matching.eligibility import compute_facts
from seed.reference import load_skills, load_tech_lists

__all__ = [
    "AVAILABILITY_LEVELS",
    "EvidenceText",
    "ExpertRecord",
    "LedProject",
    "record_from_profile",
    "to_skill_areas",
]

AVAILABILITY_LEVELS = ("FULL_TIME", "PART_TIME", "ADVISORY", "UNAVAILABLE")
_APPLIED = frozenset({"APPLIED", "TRANSFERRED"})
_HIGH_SCALE = frozenset({"NATIONAL", "INTERNATIONAL"})


@dataclass(frozen=True)
class EvidenceText:
    """A piece of evidence: a publication, a project, or the profile's own headline and bio."""

    id: str
    kind: str  # PUBLICATION | PROJECT | PROFILE
    title: str
    year: int | None
    text: str


@dataclass(frozen=True)
class LedProject:
    id: str
    title: str
    scale: str | None
    outcome: str | None
    interdisciplinary: bool


@dataclass(frozen=True)
class ExpertRecord:
    id: str
    version: int
    updated_at: Any
    visibility: str
    residence_country: str | None
    city: str | None
    diaspora: str | None
    languages: tuple[str, ...]
    availability: str | None
    available_from: dt.date | None
    willing_to_relocate: bool
    remote_ok: bool
    verified: bool
    years_experience: int
    h_index: int
    citations: int
    skills: Mapping[str, tuple[int, int]]  # skill -> (level, years)
    led: tuple[LedProject, ...]
    patents_total: int
    patents_granted: int
    patents_applied: int
    areas: frozenset[str]
    organizations: frozenset[str]
    works: tuple[str, ...]  # publications and projects, where collaboration happens
    documents: tuple[EvidenceText, ...]
    last_active: int | None
    facts: Mapping[str, Any] = field(repr=False)
    """Eligibility facts (including age): for ``matching.eligibility`` only, never features."""

    @property
    def text(self) -> str:
        return "\n".join(f"{d.title}\n{d.text}" for d in self.documents)


@lru_cache(maxsize=4096)
def _area_map(group: str) -> tuple[str, ...]:
    lists = load_tech_lists()
    target = load_skills().area_list
    try:
        return lists.map_group(group, target)
    except KeyError:
        return ()


def to_skill_areas(groups: Any) -> frozenset[str]:
    """Groups of any list, as groups of the skill taxonomy's list."""
    return frozenset(a for g in groups for a in _area_map(g))


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _documents(doc: Mapping[str, Any]) -> tuple[EvidenceText, ...]:
    out = []
    head = "\n".join(x for x in (doc.get("headline"), doc.get("bio")) if x)
    if head:
        out.append(EvidenceText(f"profile:{doc['id']}", "PROFILE", doc.get("headline") or "",
                                None, doc.get("bio") or ""))
    for p in doc.get("publications") or ():
        out.append(EvidenceText(p["id"], "PUBLICATION", p.get("title") or "", p.get("year"),
                                p.get("abstract") or ""))
    for p in doc.get("projects") or ():
        out.append(EvidenceText(p["id"], "PROJECT", p.get("title") or "",
                                p.get("endYear") or p.get("startYear"), p.get("summary") or ""))
    return tuple(out)


def _last_active(doc: Mapping[str, Any], year: int) -> int | None:
    years = [p.get("year") for p in doc.get("publications") or ()]
    years += [p.get("year") for p in doc.get("patents") or ()]
    for p in doc.get("projects") or ():
        ongoing = p.get("outcome") == "ONGOING" or (p.get("startYear") and not p.get("endYear"))
        years.append(year if ongoing else p.get("endYear") or p.get("startYear"))
    known = [y for y in years if isinstance(y, int)]
    return min(max(known), year) if known else None


def record_from_profile(doc: Mapping[str, Any], skill_areas: Mapping[str, tuple[str, ...]],
                        *, on: dt.date | None = None) -> ExpertRecord:
    """The matcher's view of a profile document (as ``registry.experts.read_profiles`` gives
    it). ``skill_areas`` maps skill ids to their areas."""
    day = on or dt.date.today()
    skills = {s["skill"]: (int(s.get("level") or 0), int(s.get("years") or 0))
              for s in doc.get("skills") or ()}
    projects = doc.get("projects") or ()
    led = tuple(LedProject(p["id"], p.get("title") or "", p.get("scale"), p.get("outcome"),
                           bool(p.get("interdisciplinary")))
                for p in projects if p.get("relation") == "LED")
    patents = doc.get("patents") or ()
    areas = {a for s in skills for a in skill_areas.get(s, ())}
    areas |= to_skill_areas(a for p in projects for a in p.get("areas") or ())
    orgs = {(e.get("organization") or e.get("organizationRef") or {}).get("id")
            for key in ("employment", "education") for e in doc.get(key) or ()}
    works = tuple(sorted({p["id"] for p in doc.get("publications") or ()}
                         | {p["id"] for p in projects}))
    return ExpertRecord(
        id=doc["id"], version=int(doc.get("version") or 0), updated_at=doc.get("updatedAt"),
        visibility=doc.get("visibility") or "REGISTERED",
        residence_country=doc.get("residenceCountry"), city=doc.get("city"),
        diaspora=doc.get("diaspora"), languages=tuple(doc.get("languages") or ()),
        availability=doc.get("availability"), available_from=_date(doc.get("availableFrom")),
        willing_to_relocate=bool(doc.get("willingToRelocate")),
        remote_ok=doc.get("remoteOk") is not False, verified=bool(doc.get("verified")),
        years_experience=int(doc.get("yearsExperience") or 0), h_index=int(doc.get("hIndex") or 0),
        citations=int(doc.get("citations") or 0), skills=skills, led=led,
        patents_total=len(patents), patents_granted=sum(1 for p in patents if p.get("granted")),
        patents_applied=sum(1 for p in patents if p.get("applied")),
        areas=frozenset(areas), organizations=frozenset(o for o in orgs if o), works=works,
        documents=_documents(doc), last_active=_last_active(doc, day.year),
        facts=compute_facts(doc, on=day))


def led_counts(record: ExpertRecord) -> tuple[int, int, int, int]:
    """Projects led: all, national or international, applied or transferred, interdisciplinary."""
    led = record.led
    return (len(led), sum(p.scale in _HIGH_SCALE for p in led),
            sum(p.outcome in _APPLIED for p in led), sum(p.interdisciplinary for p in led))
