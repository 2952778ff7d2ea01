"""Eligibility under the decrees' schemes (231, 249, 263 of 2025), from versioned rule data.

The schemes, their criteria and the rule trees come from ``seed/data/eligibility.json``
(:func:`seed.reference.load_eligibility`); this module only computes the named facts from a
profile document and evaluates the rules in three-valued logic:

* a fact may be a value, unknown (``None``), or a whole-number range (:class:`Between`) when
  the profile only bounds it (age from a birth year; years of teaching when a post has no
  start year);
* a comparison is met, not met, or unknown when the fact is unknown or the range straddles
  the threshold; ``all`` is not met as soon as one part is not met, met when every part is
  met, unknown otherwise; ``any`` is the dual;
* a scheme in mode ``all`` is ELIGIBLE when every criterion is met, NOT_ELIGIBLE when one is
  not met, POSSIBLY_ELIGIBLE otherwise (mode ``any`` is the dual). ``weighed`` criteria are
  supporting reasons reported beside the status, never conditions.

Facts and how they are read from the profile (``registry.profile``):

===============================  ==========================================================
yearsExperience                  ``yearsExperience`` (unknown when absent)
projectsLed                      projects with relation LED
projectsLedInterdisciplinary     led projects marked ``interdisciplinary``
projectsLedAppliedOrTransferred  led projects with outcome APPLIED or TRANSFERRED
programmesLed                    led projects of scale NATIONAL or INTERNATIONAL: the profile
                                 has no "programme" kind, and a national or international
                                 project is the registry's nearest record of a high-impact
                                 multi-project programme (Decree 231's wording)
patentsGranted / patentsApplied  patents ``granted`` / granted and ``applied`` (put into use)
hasPhd                           an education entry PHD or DSC, or a doctoral honorific (TS.,
                                 TSKH., PGS., GS.); unknown when no education is listed
phdFromTop200                    a doctorate at an organization the reference data marks
                                 ``top200``; unknown when a doctorate's organization is not in
                                 the reference data (its rank is not known)
yearsTeachingOrResearch          years of employment at UNIVERSITY or INSTITUTE
                                 organizations, overlaps not merged; a post without a start
                                 year makes it a lower bound
currentForeignResearchPost       a current post (no end year) at a non-VN university or
                                 institute, else the profile's own flag, else unknown
awards / internationalAwards     awards / those marked ``international``
age                              from ``birthYear`` and the reference date (birthday unknown,
                                 so one of two whole numbers); unknown without a birth year
diaspora / nationalities         the profile's values
===============================  ==========================================================

Age is used here because a decree sets an age limit; it never reaches the ranking features.
"""

from __future__ import annotations

import datetime as dt
import math
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from seed.reference import (
    ELIGIBILITY_FACTS,
    AllRule,
    Criterion,
    Eligibility,
    EligibilityScheme,
    FactRule,
    Rule,
    load_eligibility,
    load_organizations,
)

__all__ = [
    "ELIGIBLE",
    "MET",
    "NOT_ELIGIBLE",
    "NOT_MET",
    "POSSIBLY_ELIGIBLE",
    "UNKNOWN",
    "Between",
    "CriterionResult",
    "SchemeResult",
    "compute_facts",
    "evaluate_facts",
    "evaluate_profile",
    "evaluate_rule",
    "evaluate_scheme",
]

MET, NOT_MET, UNKNOWN = "MET", "NOT_MET", "UNKNOWN"
ELIGIBLE, POSSIBLY_ELIGIBLE, NOT_ELIGIBLE = "ELIGIBLE", "POSSIBLY_ELIGIBLE", "NOT_ELIGIBLE"

_DOCTORATES = frozenset({"PHD", "DSC"})
_DOCTORAL_HONORIFICS = frozenset({"TS.", "TSKH.", "PGS.", "GS."})
_ACADEMIC_KINDS = frozenset({"UNIVERSITY", "INSTITUTE"})
_PROGRAMME_SCALES = frozenset({"NATIONAL", "INTERNATIONAL"})
_APPLIED_OUTCOMES = frozenset({"APPLIED", "TRANSFERRED"})


@dataclass(frozen=True)
class Between:
    """A whole-number fact known only to lie in ``[low, high]`` (``high`` may be ``inf``)."""

    low: float
    high: float


@dataclass(frozen=True)
class CriterionResult:
    id: str
    text_vi: str
    text_en: str
    outcome: str  # MET | NOT_MET | UNKNOWN
    unknown_facts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SchemeResult:
    """A scheme's verdict for one expert, with the criteria sorted by outcome."""

    scheme_id: str
    decree: str
    name_vi: str
    name_en: str
    roles: tuple[str, ...]
    status: str  # ELIGIBLE | POSSIBLY_ELIGIBLE | NOT_ELIGIBLE
    met: tuple[CriterionResult, ...]
    missing: tuple[CriterionResult, ...]
    unknown: tuple[CriterionResult, ...]
    weighed_met: tuple[CriterionResult, ...]
    uncertain: tuple[str, ...]
    """Which parts of the scheme's own data the sources leave uncertain (``issued`` ...)."""


# Facts ------------------------------------------------------------------------------------

def _org(item: Mapping[str, Any]) -> Mapping[str, Any]:
    # read_profiles gives ``organization``; a validated input document ``organizationRef``.
    return item.get("organization") or item.get("organizationRef") or {}


def _top200(org_id: str | None) -> bool | None:
    orgs = load_organizations()
    if org_id is None or org_id not in orgs:
        return None
    return orgs.get(org_id).top200


def _has_phd(doc: Mapping[str, Any]) -> bool | None:
    education = doc.get("education") or []
    if any(e.get("degree") in _DOCTORATES for e in education):
        return True
    if doc.get("honorific") in _DOCTORAL_HONORIFICS:
        return True
    return False if education else None


def _phd_from_top200(doc: Mapping[str, Any], has_phd: bool | None) -> bool | None:
    ranks = [_top200(_org(e).get("id")) for e in doc.get("education") or []
             if e.get("degree") in _DOCTORATES]
    if any(r is True for r in ranks):
        return True
    if any(r is None for r in ranks):
        return None
    if ranks:
        return False
    return False if has_phd is False else None  # a doctorate known only from the honorific


def _years_teaching(doc: Mapping[str, Any], year: int) -> float | Between:
    total, open_ended = 0, False
    for job in doc.get("employment") or []:
        if _org(job).get("kind") not in _ACADEMIC_KINDS:
            continue
        start = job.get("from")
        if start is None:
            open_ended = True
            continue
        total += max(0, (job.get("to") or year) - start)
    return Between(total, math.inf) if open_ended else total


def _foreign_post(doc: Mapping[str, Any]) -> bool | None:
    for job in doc.get("employment") or []:
        org = _org(job)
        if (job.get("to") is None and org.get("kind") in _ACADEMIC_KINDS
                and org.get("country") not in (None, "VN")):
            return True
    flag = doc.get("currentForeignResearchPost")
    return flag if isinstance(flag, bool) else None


def compute_facts(doc: Mapping[str, Any], *, on: dt.date | None = None) -> dict[str, Any]:
    """Every fact of :data:`seed.reference.ELIGIBILITY_FACTS` for one profile document
    (``None`` = unknown). ``on`` is the reference date for age and open-ended posts."""
    day = on or dt.date.today()
    projects = doc.get("projects") or []
    led = [p for p in projects if p.get("relation") == "LED"]
    patents = doc.get("patents") or []
    awards = doc.get("awards") or []
    has_phd = _has_phd(doc)
    birth = doc.get("birthYear")
    facts: dict[str, Any] = {
        "yearsExperience": doc.get("yearsExperience"),
        "projectsLed": len(led),
        "projectsLedInterdisciplinary": sum(1 for p in led if p.get("interdisciplinary")),
        "projectsLedAppliedOrTransferred": sum(1 for p in led
                                               if p.get("outcome") in _APPLIED_OUTCOMES),
        "programmesLed": sum(1 for p in led if p.get("scale") in _PROGRAMME_SCALES),
        "patentsGranted": sum(1 for p in patents if p.get("granted")),
        "patentsApplied": sum(1 for p in patents if p.get("granted") and p.get("applied")),
        "hasPhd": has_phd,
        "phdFromTop200": _phd_from_top200(doc, has_phd),
        "yearsTeachingOrResearch": _years_teaching(doc, day.year),
        "currentForeignResearchPost": _foreign_post(doc),
        "awards": len(awards),
        "internationalAwards": sum(1 for a in awards if a.get("international")),
        "age": None if birth is None else Between(day.year - birth - 1, day.year - birth),
        "diaspora": doc.get("diaspora"),
        "nationalities": tuple(doc.get("nationalities") or ()) or None,
    }
    assert facts.keys() == ELIGIBILITY_FACTS, "a fact of the rule data has no computation"
    return facts


# Three-valued evaluation ------------------------------------------------------------------

_COMPARE = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "<": operator.lt,
            "==": operator.eq, "!=": operator.ne}


def _compare(op: str, x: Any, v: Any) -> bool:
    return bool(_COMPARE[op](x, v))


def _fact_outcome(rule: FactRule, value: Any) -> str:
    if value is None:
        return UNKNOWN
    op, target = rule.op, rule.value
    if isinstance(value, Between):
        if op in ("==", "!="):
            if value.low == value.high:
                return MET if _compare(op, value.low, target) else NOT_MET
            inside = value.low <= target <= value.high
            return UNKNOWN if inside else (NOT_MET if op == "==" else MET)
        at_low, at_high = _compare(op, value.low, target), _compare(op, value.high, target)
        return MET if at_low and at_high else NOT_MET if not (at_low or at_high) else UNKNOWN
    if op == "in":
        return MET if value in target else NOT_MET
    if op == "containsAny":
        return MET if set(value) & set(target) else NOT_MET
    if op == "containsOtherThan":
        return MET if set(value) - set(target) else NOT_MET
    return MET if _compare(op, value, target) else NOT_MET


def _combine(outcomes: Iterable[str], *, every: bool) -> str:
    seen = set(outcomes)
    decisive, other = (NOT_MET, MET) if every else (MET, NOT_MET)
    if decisive in seen:
        return decisive
    return UNKNOWN if UNKNOWN in seen else other


def evaluate_rule(rule: Rule, facts: Mapping[str, Any]) -> tuple[str, frozenset[str]]:
    """The rule's outcome and the unknown facts that left it (or parts of it) undecided."""
    if isinstance(rule, FactRule):
        outcome = _fact_outcome(rule, facts.get(rule.fact))
        return outcome, frozenset({rule.fact}) if outcome == UNKNOWN else frozenset()
    parts = [evaluate_rule(r, facts) for r in rule.rules]
    outcome = _combine((o for o, _ in parts), every=isinstance(rule, AllRule))
    if outcome != UNKNOWN:
        return outcome, frozenset()
    return outcome, frozenset().union(*(u for _, u in parts))


def _criterion(c: Criterion, facts: Mapping[str, Any]) -> CriterionResult:
    outcome, unknown = evaluate_rule(c.rule, facts)
    return CriterionResult(c.id, c.text_vi, c.text_en, outcome, tuple(sorted(unknown)))


def evaluate_scheme(scheme: EligibilityScheme, facts: Mapping[str, Any]) -> SchemeResult:
    results = [_criterion(c, facts) for c in scheme.criteria]
    overall = _combine((r.outcome for r in results), every=scheme.mode == "all")
    status = {MET: ELIGIBLE, NOT_MET: NOT_ELIGIBLE, UNKNOWN: POSSIBLY_ELIGIBLE}[overall]
    weighed = tuple(r for r in (_criterion(c, facts) for c in scheme.weighed)
                    if r.outcome == MET)
    return SchemeResult(
        scheme_id=scheme.id, decree=scheme.decree, name_vi=scheme.name_vi,
        name_en=scheme.name_en, roles=scheme.roles, status=status,
        met=tuple(r for r in results if r.outcome == MET),
        missing=tuple(r for r in results if r.outcome == NOT_MET),
        unknown=tuple(r for r in results if r.outcome == UNKNOWN),
        weighed_met=weighed, uncertain=scheme.uncertain)


def evaluate_facts(facts: Mapping[str, Any], *, schemes: Iterable[EligibilityScheme] | None = None,
                   rules: Eligibility | None = None) -> list[SchemeResult]:
    """Every scheme (or the given ones) for precomputed facts."""
    chosen = list(schemes) if schemes is not None else list((rules or load_eligibility()).schemes)
    return [evaluate_scheme(s, facts) for s in chosen]


def evaluate_profile(doc: Mapping[str, Any], *, on: dt.date | None = None,
                     role: str | None = None, rules: Eligibility | None = None
                     ) -> list[SchemeResult]:
    """Every scheme of the rule data for a profile document; with ``role`` only the schemes
    that concern that role (``CHIEF_ENGINEER``, ...).

    >>> from tests.factories import profile  # doctest: +SKIP
    >>> [r.status for r in evaluate_profile(profile(), role="CHIEF_ENGINEER")]  # doctest: +SKIP
    ['NOT_ELIGIBLE', 'ELIGIBLE', 'ELIGIBLE', 'ELIGIBLE']
    """
    data = rules or load_eligibility()
    schemes = data.for_role(role) if role else data.schemes
    return evaluate_facts(compute_facts(doc, on=on), schemes=schemes)
