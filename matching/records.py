"""One expert as the matcher sees it: a profile document reduced to what ranking may use.

``parse_profile`` (and ``record_from_profile``, its record alone) is the only place where a
profile enters the matcher. It copies no protected attribute
(``registry.profile.PROTECTED_FIELDS``): the birth year goes into the eligibility facts (a
decree's age limit), which are evaluated here and not kept; the features never see them.
Areas are expressed in the skill taxonomy's list (Decision 1131 groups), so a project filed
under a group of a later list still counts for its predecessor group.

A record is small (slots, shared strings, no text): 100,000 of them fit in a few tens of
megabytes. What does not stay on the record is handed over once, in :class:`ParsedProfile`:
the documents (publications, projects, headline and bio) go to the text model, the works to
the index's collaboration arrays, the skill levels and years to its sparse matrices.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from matching.eligibility import SchemeResult, compute_facts, evaluate_scheme
from seed.reference import load_eligibility, load_skills, load_tech_lists

__all__ = [
    "AVAILABILITY_LEVELS",
    "EvidenceText",
    "ExpertRecord",
    "ParsedProfile",
    "document_key",
    "led_counts",
    "parse_profile",
    "record_from_profile",
    "stamp",
    "to_skill_areas",
]

AVAILABILITY_LEVELS = ("FULL_TIME", "PART_TIME", "ADVISORY", "UNAVAILABLE")
_APPLIED = frozenset({"APPLIED", "TRANSFERRED"})
_HIGH_SCALE = frozenset({"NATIONAL", "INTERNATIONAL"})


@dataclass(frozen=True, slots=True)
class EvidenceText:
    """A piece of evidence: a publication, a project, or the profile's own headline and bio."""

    id: str
    kind: str  # PUBLICATION | PROJECT | PROFILE
    title: str
    year: int | None
    text: str


@dataclass(frozen=True, slots=True, eq=False)
class ExpertRecord:
    id: str
    version: int
    updated_at: str | None  # ``stamp(updatedAt)``
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
    years_experience: int | None  # None: not stated
    h_index: int
    citations: int
    skill_ids: tuple[str, ...]  # sorted
    skill_values: bytes  # level, years (capped at 255) per skill, in skill_ids order
    led: tuple[int, int, int, int]  # see led_counts
    patents_total: int
    patents_granted: int
    patents_applied: int
    areas: frozenset[str]
    organizations: tuple[str, ...]
    last_active: int | None
    doc_key: int
    """Changes when a document's id, title, year or text changes, or the names the profile's
    full-text index holds (``document_key``): whatever the graph's full-text indexes hold for
    the expert, so an unchanged key means an unchanged full-text answer for them."""
    eligibility: tuple[SchemeResult, ...]
    """Every scheme's verdict (``matching.eligibility``), computed from the facts (which
    include the age) when the record is made; the facts themselves are not kept."""

    @property
    def skills(self) -> dict[str, tuple[int, int]]:
        """Skill -> (level, years)."""
        v = self.skill_values
        return {s: (v[2 * i], v[2 * i + 1]) for i, s in enumerate(self.skill_ids)}


@dataclass(frozen=True, slots=True)
class ParsedProfile:
    """A record and what the index takes from the profile once, without keeping it there."""

    record: ExpertRecord
    documents: tuple[EvidenceText, ...]
    works: tuple[str, ...]  # publications and projects, where collaboration happens
    skills: tuple[tuple[str, int, int], ...]  # (skill, level, years)

    @property
    def text(self) -> str:
        return document_text(self.documents)


def document_text(documents: tuple[EvidenceText, ...]) -> str:
    """An expert's evidence as one text (the TF-IDF signal's document)."""
    return "\n".join(f"{d.title}\n{d.text}" for d in documents)


def document_key(documents: tuple[EvidenceText, ...], names: tuple[Any, ...]) -> int:
    return hash((names, tuple((d.id, d.title, d.year, d.text) for d in documents)))


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


# Shared values: 100,000 records repeat a few hundred distinct strings, sets and verdicts.
_SHARED: dict[Any, Any] = {}
_VERDICTS: dict[tuple[Any, ...], SchemeResult] = {}
_MAX_VERDICTS = 500_000


def _shared(value: Any) -> Any:
    if isinstance(value, str):
        return sys.intern(value)
    if len(_SHARED) > 200_000:
        _SHARED.clear()
    return _SHARED.setdefault(value, value)


@lru_cache(maxsize=1)
def _scheme_facts() -> tuple[tuple[Any, tuple[str, ...]], ...]:
    return tuple((s, tuple(sorted(s.facts()))) for s in load_eligibility().schemes)


def evaluate_eligibility(facts: Mapping[str, Any]) -> tuple[SchemeResult, ...]:
    """``matching.eligibility.evaluate_facts`` for every scheme, remembered by the facts each
    scheme reads (experts with the same relevant facts share one result object)."""
    if len(_VERDICTS) > _MAX_VERDICTS:
        _VERDICTS.clear()
    out = []
    for scheme, used in _scheme_facts():
        key = (scheme.id, *(facts.get(f) for f in used))
        try:
            found = _VERDICTS.get(key)
        except TypeError:  # an unhashable fact value: evaluate without remembering
            found, key = None, None
        if found is None:
            found = _shared(evaluate_scheme(scheme, facts))
            if key is not None:
                _VERDICTS[key] = found
        out.append(found)
    return _shared(tuple(out))


def parse_profile(doc: Mapping[str, Any], skill_areas: Mapping[str, tuple[str, ...]],
                  *, on: dt.date | None = None) -> ParsedProfile:
    """The matcher's view of a profile document (as ``registry.experts.read_profiles`` or
    ``registry.matcher_reads.read_matcher_profiles`` gives it). ``skill_areas`` maps skill
    ids to their areas."""
    day = on or dt.date.today()
    skills = sorted((sys.intern(s["skill"]), int(s.get("level") or 0), int(s.get("years") or 0))
                    for s in doc.get("skills") or ())
    projects = doc.get("projects") or ()
    led = [p for p in projects if p.get("relation") == "LED"]
    patents = doc.get("patents") or ()
    areas = {a for s, _, _ in skills for a in skill_areas.get(s, ())}
    areas |= to_skill_areas(a for p in projects for a in p.get("areas") or ())
    orgs = {(e.get("organization") or e.get("organizationRef") or {}).get("id")
            for key in ("employment", "education") for e in doc.get(key) or ()}
    works = tuple(sorted({p["id"] for p in doc.get("publications") or ()}
                         | {p["id"] for p in projects}))
    documents = _documents(doc)
    record = ExpertRecord(
        id=doc["id"], version=int(doc.get("version") or 0), updated_at=stamp(doc.get("updatedAt")),
        visibility=_shared(doc.get("visibility") or "REGISTERED"),
        residence_country=_opt(doc.get("residenceCountry")), city=_opt(doc.get("city")),
        diaspora=_opt(doc.get("diaspora")),
        languages=_shared(tuple(sys.intern(x) for x in doc.get("languages") or ())),
        availability=_opt(doc.get("availability")),
        available_from=_date(doc.get("availableFrom")),
        willing_to_relocate=bool(doc.get("willingToRelocate")),
        remote_ok=doc.get("remoteOk") is not False, verified=bool(doc.get("verified")),
        years_experience=_opt_int(doc.get("yearsExperience")), h_index=int(doc.get("hIndex") or 0),
        citations=int(doc.get("citations") or 0),
        skill_ids=tuple(s for s, _, _ in skills),
        skill_values=bytes(min(max(v, 0), 255) for _, lvl, yrs in skills for v in (lvl, yrs)),
        led=(len(led), sum(p.get("scale") in _HIGH_SCALE for p in led),
             sum(p.get("outcome") in _APPLIED for p in led),
             sum(bool(p.get("interdisciplinary")) for p in led)),
        patents_total=len(patents), patents_granted=sum(1 for p in patents if p.get("granted")),
        patents_applied=sum(1 for p in patents if p.get("applied")),
        areas=_shared(frozenset(areas)),
        organizations=tuple(sys.intern(o) for o in sorted(o for o in orgs if o)),
        last_active=_last_active(doc, day.year),
        doc_key=document_key(documents, (doc.get("fullName"), doc.get("nameSearch"))),
        eligibility=evaluate_eligibility(compute_facts(doc, on=day)))
    return ParsedProfile(record, documents, works, tuple(skills))


def stamp(updated_at: Any) -> str | None:
    """``updatedAt`` as the record keeps it (a string: one object instead of three)."""
    return None if updated_at is None else str(updated_at)


def _opt(value: Any) -> Any:
    return sys.intern(value) if isinstance(value, str) else value


def _opt_int(value: Any) -> int | None:
    return None if value is None else int(value)


def record_from_profile(doc: Mapping[str, Any], skill_areas: Mapping[str, tuple[str, ...]],
                        *, on: dt.date | None = None) -> ExpertRecord:
    """The record of :func:`parse_profile`."""
    return parse_profile(doc, skill_areas, on=on).record


def led_counts(record: ExpertRecord) -> tuple[int, int, int, int]:
    """Projects led: all, national or international, applied or transferred, interdisciplinary."""
    return record.led
