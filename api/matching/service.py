"""From the matcher's answers to the schema's types, with visibility applied.

Every expert of an answer (a page of candidates and the excluded ones, a team, similar
experts) is loaded in one batch through ``ctx.loaders.expert``; an expert the loader does not
return (hidden from the caller, or deleted since the matcher's index last looked) is left out
with their score and reasons, never shown. The matcher itself is reached through
``current_matcher()`` (the process-wide one; tests may put their own in place with
``use_matcher``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence

from api.context import Context
from api.experts.types import ExpertType
from api.matching.eligibility import SchemeEligibilityType, scheme_types
from api.matching.types import (
    CandidateConnection,
    CandidateEdge,
    CandidateType,
    EvidenceType,
    ExcludedCandidateType,
    FeatureValue,
    MatchedSkillType,
    MissingSkillType,
    ReasonType,
    RecommendedTeamType,
    RuleFailureType,
    SimilarExpertType,
    SkillGainType,
    TeamMemberType,
    TeamRole,
    UncoveredSkillType,
)
from api.pagination import PageInfo
from matching.eligibility import SchemeResult
from matching.service import Matcher, Ranking, get_matcher
from matching.similar import SimilarExpert
from matching.teams import Team, TeamMember

__all__ = [
    "candidate_connection",
    "current_matcher",
    "load_visible",
    "similar_types",
    "team_type",
    "use_matcher",
]

_override: Matcher | None = None


def current_matcher() -> Matcher:
    return _override or get_matcher()


@contextlib.contextmanager
def use_matcher(matcher: Matcher) -> Iterator[Matcher]:
    """Serve the API with ``matcher`` for a while (tests: a pinned date, a synchronous text
    model)."""
    global _override
    previous, _override = _override, matcher
    try:
        yield matcher
    finally:
        _override = previous


async def load_visible(ctx: Context, ids: Iterable[str]) -> dict[str, ExpertType]:
    """The experts among ``ids`` the caller may see, in one loader batch."""
    unique = list(dict.fromkeys(ids))
    found = await ctx.loaders.expert.load_many(unique)
    return {i: e for i, e in zip(unique, found, strict=True) if e is not None}


def _one(ctx: Context, expert_id: str, result: SchemeResult | None
         ) -> SchemeEligibilityType | None:
    found = scheme_types(ctx, expert_id, [result])
    return found[0] if found else None


async def candidate_connection(ctx: Context, ranking: Ranking, *, excluded_first: int
                               ) -> CandidateConnection:
    excluded = ranking.excluded[:excluded_first]
    experts = await load_visible(ctx, [*(c.expert_id for c in ranking.candidates),
                                       *(x.expert_id for x in excluded)])
    edges = []
    for c in ranking.candidates:
        expert = experts.get(c.expert_id)
        if expert is None:
            continue
        node = CandidateType(
            expert=expert, score=c.score, rank=c.rank,
            reasons=[ReasonType.build(r) for r in c.reasons],
            matched_skills=[MatchedSkillType.build(m) for m in c.matched_skills],
            missing_skills=[MissingSkillType.build(m) for m in c.missing_skills],
            evidence=[EvidenceType.build(e) for e in c.evidence],
            eligibility=scheme_types(ctx, c.expert_id, c.eligibility),
            role_eligibility=_one(ctx, c.expert_id, c.role_eligibility),
            features=[FeatureValue(name=k, value=float(v)) for k, v in c.features.items()])
        edges.append(CandidateEdge(cursor=c.cursor, node=node))
    return CandidateConnection(
        edges=edges, nodes=[e.node for e in edges],
        page_info=PageInfo(has_next_page=ranking.has_next_page, end_cursor=ranking.end_cursor),
        total_count=ranking.total_count,
        excluded=[ExcludedCandidateType(
            expert=experts[x.expert_id], score=x.score,
            rules=[RuleFailureType.build(f) for f in x.rules],
            role_eligibility=_one(ctx, x.expert_id, x.role_eligibility))
            for x in excluded if x.expert_id in experts],
        excluded_count=ranking.excluded_total, model_id=ranking.model_id,
        tech_list_id=ranking.tech_list_id, truncated=ranking.truncated)


def _member(ctx: Context, m: TeamMember, experts: dict[str, ExpertType]) -> TeamMemberType:
    return TeamMemberType(
        expert=experts[m.expert_id], role=TeamRole(m.role), score=round(float(m.score), 6),
        gain=round(float(m.gain), 6),
        adds=[SkillGainType(skill_id=g.skill, name_vi=g.name_vi, name_en=g.name_en,
                            before=g.before, after=g.after) for g in m.adds],
        worked_with=[experts[w] for w in m.worked_with if w in experts],
        eligibility=_one(ctx, m.expert_id, m.eligibility))


async def team_type(ctx: Context, team: Team) -> RecommendedTeamType:
    experts = await load_visible(ctx, team.expert_ids)
    lead = team.lead if team.lead and team.lead.expert_id in experts else None
    return RecommendedTeamType(
        lead=_member(ctx, lead, experts) if lead else None,
        members=[_member(ctx, m, experts) for m in team.members if m.expert_id in experts],
        coverage=round(float(team.coverage), 4),
        uncovered=[UncoveredSkillType(skill_id=u.skill, name_vi=u.name_vi, name_en=u.name_en,
                                      weight=float(u.weight), must_have=u.must_have,
                                      covered=round(float(u.covered), 4))
                   for u in team.uncovered],
        model_id=team.model_id, tech_list_id=team.tech_list_id)


async def similar_types(ctx: Context, found: Sequence[SimilarExpert]) -> list[SimilarExpertType]:
    experts = await load_visible(ctx, (s.expert_id for s in found))
    return [SimilarExpertType(
        expert=experts[s.expert_id], score=round(float(s.score), 6),
        skill_similarity=round(float(s.skill_similarity), 6),
        text_similarity=round(float(s.text_similarity), 6), text_vi=s.text_vi,
        text_en=s.text_en, shared_skill_ids=list(s.shared_skills))
        for s in found if s.expert_id in experts]
