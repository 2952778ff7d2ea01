"""Eligibility under the decrees' schemes (231, 249, 263 of 2025), as the caller may see it.

``SchemeEligibilityType`` is one scheme's verdict for one expert: its status and the criteria
met, missing (not met) and unknown (the profile does not say). It is shown on
``Expert.eligibility`` (every scheme) and on ranked candidates (the schemes of the task's
role).

Protected attributes stay protected here too. A criterion that reads a fact computed from one
(``PROTECTED_FACTS``: the age limit reads the birth year) is *withheld* from anyone but the
expert and administrators: it is listed under ``unknown`` with ``withheld: true``, and the
scheme's status is recomputed from the other criteria, so "under 35: met" never tells a
reader the expert's age. This module must not import ``api.experts.types`` (that module
imports this one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from functools import cache
from typing import Any

import strawberry

from api.context import Context
from api.enums import TaskRole, enum_value
from matching import eligibility as rules
from seed.reference import load_eligibility

__all__ = [
    "PROTECTED_FACTS",
    "CriterionOutcome",
    "CriterionType",
    "EligibilityStatus",
    "SchemeEligibilityType",
    "expert_eligibility",
    "may_see_protected",
    "scheme_types",
]

# Facts computed from protected attributes (registry.profile.PROTECTED_FIELDS): ``age`` comes
# from ``birthYear``. tests/api/test_gql_matching.py checks that no other fact does.
PROTECTED_FACTS = frozenset({"age"})

EligibilityStatus = strawberry.enum(
    Enum("EligibilityStatus", {s: s for s in (rules.ELIGIBLE, rules.POSSIBLY_ELIGIBLE,
                                              rules.NOT_ELIGIBLE)}),
    description="ELIGIBLE: every criterion is met; NOT_ELIGIBLE: one is not; "
                "POSSIBLY_ELIGIBLE: none is failed but the profile leaves some unknown.")
CriterionOutcome = strawberry.enum(
    Enum("CriterionOutcome", {s: s for s in (rules.MET, rules.NOT_MET, rules.UNKNOWN)}),
    description="Whether a criterion is met, not met, or cannot be told from the profile.")


@strawberry.type(name="EligibilityCriterion", description="One condition of a scheme.")
class CriterionType:
    id: strawberry.ID
    text_vi: str
    text_en: str
    outcome: CriterionOutcome
    unknown_facts: list[str] = strawberry.field(
        description="Profile facts whose absence leaves the criterion undecided.")
    withheld: bool = strawberry.field(
        description="The outcome depends on a protected attribute (age from the birth year) "
                    "and is shown only to the expert and administrators.")


@strawberry.type(name="SchemeEligibility", description=(
    "One scheme of the decrees and whether the expert meets it, criterion by criterion. An "
    "automatic reading of the profile, not an official assessment."))
class SchemeEligibilityType:
    scheme_id: strawberry.ID
    decree: str
    name_vi: str
    name_en: str
    roles: list[TaskRole] = strawberry.field(description="Task roles the scheme concerns.")
    status: EligibilityStatus
    met: list[CriterionType]
    missing: list[CriterionType] = strawberry.field(description="Criteria not met.")
    unknown: list[CriterionType] = strawberry.field(
        description="Criteria the profile does not decide (and withheld ones).")
    weighed_met: list[CriterionType] = strawberry.field(
        description="Supporting reasons the scheme weighs (not conditions) that are met.")
    uncertain: list[str] = strawberry.field(
        description="Parts of the scheme's own data the sources leave uncertain.")


@cache
def _protected_criteria() -> frozenset[tuple[str, str]]:
    """``(scheme id, criterion id)`` of every criterion that reads a protected fact."""
    return frozenset((s.id, c.id) for s in load_eligibility().schemes
                     for c in (*s.criteria, *s.weighed) if c.rule.facts() & PROTECTED_FACTS)


@cache
def _modes() -> dict[str, str]:
    return {s.id: s.mode for s in load_eligibility().schemes}


def may_see_protected(ctx: Context, expert_id: str) -> bool:
    """The rule of the protected attributes (``api.permissions.PROTECTED``)."""
    return ctx.is_admin or ctx.owns(expert_id)


def _criterion(c: rules.CriterionResult, *, withheld: bool = False) -> CriterionType:
    outcome = rules.UNKNOWN if withheld else c.outcome
    unknown = sorted(PROTECTED_FACTS) if withheld else list(c.unknown_facts)
    return CriterionType(id=strawberry.ID(c.id), text_vi=c.text_vi, text_en=c.text_en,
                         outcome=CriterionOutcome(outcome), unknown_facts=unknown,
                         withheld=withheld)


def _status(outcomes: Iterable[str], mode: str) -> str:
    """Three-valued combination, as ``matching.eligibility`` does it."""
    seen = set(outcomes)
    decisive, other = (rules.NOT_MET, rules.MET) if mode == "all" else (rules.MET, rules.NOT_MET)
    overall = decisive if decisive in seen else rules.UNKNOWN if rules.UNKNOWN in seen else other
    return {rules.MET: rules.ELIGIBLE, rules.NOT_MET: rules.NOT_ELIGIBLE,
            rules.UNKNOWN: rules.POSSIBLY_ELIGIBLE}[overall]


def scheme_type(result: rules.SchemeResult, *, redact: bool) -> SchemeEligibilityType:
    """One verdict as the schema type; with ``redact``, protected criteria are withheld."""
    hidden = _protected_criteria() if redact else frozenset()

    def withheld(c: rules.CriterionResult) -> bool:
        return (result.scheme_id, c.id) in hidden

    criteria = [*result.met, *result.missing, *result.unknown]
    if any(withheld(c) for c in criteria):
        outcomes = [rules.UNKNOWN if withheld(c) else c.outcome for c in criteria]
        status = _status(outcomes, _modes().get(result.scheme_id, "all"))
    else:
        status = result.status
    return SchemeEligibilityType(
        scheme_id=strawberry.ID(result.scheme_id), decree=result.decree,
        name_vi=result.name_vi, name_en=result.name_en,
        roles=[r for r in (enum_value(TaskRole, x) for x in result.roles) if r is not None],
        status=EligibilityStatus(status),
        met=[_criterion(c) for c in result.met if not withheld(c)],
        missing=[_criterion(c) for c in result.missing if not withheld(c)],
        unknown=[_criterion(c, withheld=withheld(c)) for c in criteria
                 if withheld(c) or c.outcome == rules.UNKNOWN],
        weighed_met=[_criterion(c) for c in result.weighed_met if not withheld(c)],
        uncertain=list(result.uncertain))


def scheme_types(ctx: Context, expert_id: str, results: Sequence[rules.SchemeResult | None]
                 ) -> list[SchemeEligibilityType]:
    """Verdicts about ``expert_id`` as ``ctx``'s caller may see them (``None`` skipped)."""
    redact = not may_see_protected(ctx, expert_id)
    return [scheme_type(r, redact=redact) for r in results if r is not None]


def expert_eligibility(ctx: Context, expert_id: str, doc: dict[str, Any]
                       ) -> list[SchemeEligibilityType]:
    """Every scheme for a profile the caller was allowed to load.

    Evaluated from the profile document the expert loader read (the same
    ``matching.eligibility`` rules the matcher's index applies, on today's date), so it is as
    fresh as the profile shown beside it and needs no further database statement.
    """
    return scheme_types(ctx, expert_id, rules.evaluate_profile(doc))
