"""GraphQL types of the matcher's answers: ranked candidates (with reasons, skills, evidence
and eligibility), excluded candidates, similar experts and recommended teams.

Each type is built from the matcher's dataclasses (``matching.service``, ``matching.explain``,
``matching.hard_rules``, ``matching.teams``, ``matching.similar``) together with the expert the
caller's loader returned; builders live in ``api.matching.service``. Skills are named in both
languages right here (``nameVi``/``nameEn``) and resolvable through the skill loader.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from api.context import Context
from api.experts.types import ExpertType
from api.matching.eligibility import SchemeEligibilityType
from api.network.types import WorkKind
from api.pagination import PageInfo
from api.taxonomy.types import SkillType
from matching import explain, hard_rules

__all__ = [
    "CandidateConnection",
    "CandidateEdge",
    "CandidateType",
    "EvidenceType",
    "ExcludedCandidateType",
    "FeatureValue",
    "HardRule",
    "MatchedSkillType",
    "MissingSkillType",
    "ReasonEffect",
    "ReasonType",
    "RecommendedTeamType",
    "RuleFailureType",
    "SimilarExpertType",
    "SkillGainType",
    "TeamMemberType",
    "TeamRole",
    "UncoveredSkillType",
]

ReasonEffect = strawberry.enum(
    Enum("ReasonEffect", {e: e for e in (explain.RAISES, explain.LOWERS)}),
    description="Whether a feature raised or lowered the score, against the task's average "
                "candidate.")
HardRule = strawberry.enum(
    Enum("HardRule", {r: r for r in (hard_rules.MUST_HAVE, hard_rules.AVAILABILITY,
                                     hard_rules.ROLE_ELIGIBILITY)}),
    description="MUST_HAVE: a must-have skill at its level; AVAILABILITY: available when the "
                "task starts; ROLE_ELIGIBILITY: a chief engineer under Decree 231.")
TeamRole = strawberry.enum(Enum("TeamRole", {"LEAD": "LEAD", "MEMBER": "MEMBER"}),
                           description="The lead fills the task's role; members add skills.")


async def _skill(info: strawberry.Info[Context, None], skill_id: str | None) -> SkillType | None:
    return await info.context.loaders.skill.load(skill_id) if skill_id else None


@strawberry.type(name="MatchReason", description="Why a candidate ranks where they do: one "
                                                 "feature's effect, in both languages.")
class ReasonType:
    feature: str
    effect: ReasonEffect
    contribution: float = strawberry.field(description="Its share of the score, against the "
                                                       "average candidate.")
    text_vi: str
    text_en: str

    @classmethod
    def build(cls, r: explain.Reason) -> ReasonType:
        return cls(feature=r.feature, effect=ReasonEffect(r.effect),
                   contribution=round(float(r.contribution), 6), text_vi=r.text_vi,
                   text_en=r.text_en)


@strawberry.type(name="MatchedSkill", description=(
    "A required skill the candidate has: exactly, or partially through the taxonomy (`via` "
    "the skill they hold)."))
class MatchedSkillType:
    skill_id: strawberry.ID
    name_vi: str
    name_en: str
    level: int = strawberry.field(description="The candidate's level of the skill they hold.")
    min_level: int
    must_have: bool
    partial: bool = strawberry.field(description="Matched through a related skill.")
    hops: int = strawberry.field(description="Taxonomy links between the two (0: exact).")
    credit: float = strawberry.field(description="How much of the requirement it covers, "
                                                 "0-1.")
    text_vi: str
    text_en: str
    via_id: strawberry.Private[str | None]

    @strawberry.field(description="The required skill.")
    async def skill(self, info: strawberry.Info[Context, None]) -> SkillType | None:
        return await _skill(info, str(self.skill_id))

    @strawberry.field(description="The skill the candidate holds, when it is not the required "
                                  "one.")
    async def via(self, info: strawberry.Info[Context, None]) -> SkillType | None:
        return await _skill(info, self.via_id)

    @classmethod
    def build(cls, m: explain.SkillMatch) -> MatchedSkillType:
        return cls(skill_id=strawberry.ID(m.skill), name_vi=m.name_vi, name_en=m.name_en,
                   level=m.level, min_level=m.min_level, must_have=m.must_have,
                   partial=not m.exact, hops=m.hops, credit=round(float(m.credit), 4),
                   text_vi=m.text_vi, text_en=m.text_en,
                   via_id=None if m.exact else m.matched_skill)


@strawberry.type(name="MissingSkill", description="A required skill the candidate lacks.")
class MissingSkillType:
    skill_id: strawberry.ID
    name_vi: str
    name_en: str
    must_have: bool
    min_level: int
    weight: float

    @strawberry.field
    async def skill(self, info: strawberry.Info[Context, None]) -> SkillType | None:
        return await _skill(info, str(self.skill_id))

    @classmethod
    def build(cls, m: explain.MissingSkill) -> MissingSkillType:
        return cls(skill_id=strawberry.ID(m.skill), name_vi=m.name_vi, name_en=m.name_en,
                   must_have=m.must_have, min_level=m.min_level, weight=float(m.weight))


@strawberry.type(name="MatchEvidence", description="A publication or project of the candidate "
                                                   "close to the task's text.")
class EvidenceType:
    kind: WorkKind
    id: strawberry.ID
    title: str
    year: int | None
    similarity: float

    @classmethod
    def build(cls, e: explain.Evidence) -> EvidenceType:
        return cls(kind=WorkKind(e.kind), id=strawberry.ID(e.id), title=e.title, year=e.year,
                   similarity=float(e.similarity))


@strawberry.type(description="One named feature of the ranking and its value.")
class FeatureValue:
    name: str
    value: float


@strawberry.type(name="Candidate", description="An expert ranked for a task, with why.")
class CandidateType:
    expert: ExpertType
    score: float
    rank: int = strawberry.field(description="1 for the best candidate, across pages.")
    reasons: list[ReasonType] = strawberry.field(description="What raised and lowered the "
                                                             "score.")
    matched_skills: list[MatchedSkillType]
    missing_skills: list[MissingSkillType]
    evidence: list[EvidenceType]
    eligibility: list[SchemeEligibilityType] = strawberry.field(
        description="The schemes that concern the task's role (they do not change the "
                    "score).")
    role_eligibility: SchemeEligibilityType | None = strawberry.field(
        description="For a chief-engineer task: the Decree 231 verdict that let the candidate "
                    "through.")
    features: list[FeatureValue]


@strawberry.type(name="CandidateEdge")
class CandidateEdge:
    cursor: str
    node: CandidateType


@strawberry.type(name="RuleFailure", description="A hard rule a candidate fails.")
class RuleFailureType:
    rule: HardRule
    text_vi: str
    text_en: str
    skill_id: strawberry.ID | None
    scheme_id: strawberry.ID | None

    @strawberry.field(description="For MUST_HAVE: the skill.")
    async def skill(self, info: strawberry.Info[Context, None]) -> SkillType | None:
        return await _skill(info, str(self.skill_id) if self.skill_id else None)

    @classmethod
    def build(cls, f: hard_rules.RuleFailure) -> RuleFailureType:
        return cls(rule=HardRule(f.rule), text_vi=f.text_vi, text_en=f.text_en,
                   skill_id=strawberry.ID(f.skill) if f.skill else None,
                   scheme_id=strawberry.ID(f.scheme) if f.scheme else None)


@strawberry.type(name="ExcludedCandidate", description=(
    "An expert who would rank but fails a hard rule: reported, never silently dropped."))
class ExcludedCandidateType:
    expert: ExpertType
    score: float
    rules: list[RuleFailureType]
    role_eligibility: SchemeEligibilityType | None


@strawberry.type(name="CandidateConnection", description=(
    "A page of ranked candidates, best first, and the candidates the hard rules exclude."))
class CandidateConnection:
    edges: list[CandidateEdge]
    nodes: list[CandidateType]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Candidates that pass the hard rules, all "
                                                    "pages.")
    excluded: list[ExcludedCandidateType] = strawberry.field(
        description="Best scores first, at most `excludedFirst`.")
    excluded_count: int = strawberry.field(description="Every candidate excluded.")
    model_id: str = strawberry.field(description="The model that scored the ranking "
                                                 "(`transparent-v1` or a learned model's id).")
    tech_list_id: strawberry.ID | None = strawberry.field(
        description="The strategic-technology list the task refers to.")
    truncated: bool = strawberry.field(description="Retrieval stopped at its limit: lower "
                                                   "matches were not scored.")


@strawberry.type(name="SimilarExpert", description="An expert similar to another: skills "
                                                   "(through the taxonomy) and work text.")
class SimilarExpertType:
    expert: ExpertType
    score: float
    skill_similarity: float
    text_similarity: float
    text_vi: str
    text_en: str
    shared_skill_ids: list[strawberry.ID]

    @strawberry.field
    async def shared_skills(self, info: strawberry.Info[Context, None]) -> list[SkillType]:
        found = await info.context.loaders.skill.load_many([str(s) for s in
                                                            self.shared_skill_ids])
        return [s for s in found if s is not None]


@strawberry.type(name="SkillGain", description="How much of a required skill a team member "
                                               "adds (coverage 0-1 before and after).")
class SkillGainType:
    skill_id: strawberry.ID
    name_vi: str
    name_en: str
    before: float
    after: float

    @strawberry.field
    async def skill(self, info: strawberry.Info[Context, None]) -> SkillType | None:
        return await _skill(info, str(self.skill_id))


@strawberry.type(name="UncoveredSkill", description="A required skill the team does not fully "
                                                    "cover.")
class UncoveredSkillType:
    skill_id: strawberry.ID
    name_vi: str
    name_en: str
    weight: float
    must_have: bool
    covered: float = strawberry.field(description="Best credit on the team (0: nobody).")

    @strawberry.field
    async def skill(self, info: strawberry.Info[Context, None]) -> SkillType | None:
        return await _skill(info, str(self.skill_id))


@strawberry.type(name="TeamMember")
class TeamMemberType:
    expert: ExpertType
    role: TeamRole
    score: float = strawberry.field(description="The member's ranking score for the task.")
    gain: float = strawberry.field(description="What the member added when chosen.")
    adds: list[SkillGainType]
    worked_with: list[ExpertType] = strawberry.field(
        description="Team members chosen before them who share works with them.")
    eligibility: SchemeEligibilityType | None = strawberry.field(
        description="For the lead of a chief-engineer task: the Decree 231 verdict.")


@strawberry.type(name="RecommendedTeam", description=(
    "A lead eligible for the task's role and members who together cover its skills "
    "(greedy weighted set cover with a co-author bonus)."))
class RecommendedTeamType:
    lead: TeamMemberType | None
    members: list[TeamMemberType] = strawberry.field(description="Besides the lead, in the "
                                                                 "order chosen.")
    coverage: float = strawberry.field(description="Weighted share of the requirements "
                                                   "covered, 0-1.")
    uncovered: list[UncoveredSkillType]
    model_id: str
    tech_list_id: strawberry.ID | None
