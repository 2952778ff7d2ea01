"""Team formation: a lead for the task's role, and members who together cover its skills.

The lead is the best-ranked candidate who passes the role's hard rules (availability and, for
a chief engineer, the Decree 231 scheme). Members are then added greedily (weighted set cover):
each round takes the candidate with the largest marginal gain

    gain = sum_j w_j * max(0, credit_j - covered_j) / sum_j w_j
           + collaboration_bonus * min(1, works shared with those already chosen / 2)

where ``credit_j`` is the candidate's credit for requirement j (partial through the taxonomy,
times the level fit; ``matching.features``) and ``covered_j`` the best credit on the team so
far. Ties go to the higher ranking score. A candidate who adds no coverage is not added, so a
team may be smaller than asked; what stays uncovered is reported.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from matching.eligibility import SchemeResult
from matching.features import FeatureMatrix
from matching.snapshot import ExpertIndex

__all__ = ["SkillGain", "Team", "TeamMember", "UncoveredSkill", "form_team"]

_EPS = 1e-9


@dataclass(frozen=True)
class SkillGain:
    skill: str
    name_vi: str
    name_en: str
    before: float
    after: float


@dataclass(frozen=True)
class TeamMember:
    expert_id: str
    role: str  # LEAD | MEMBER
    score: float
    gain: float
    adds: tuple[SkillGain, ...]
    worked_with: tuple[str, ...]
    eligibility: SchemeResult | None = None


@dataclass(frozen=True)
class UncoveredSkill:
    skill: str
    name_vi: str
    name_en: str
    weight: float
    must_have: bool
    covered: float  # best credit on the team (0 = nobody has it or a neighbour)


@dataclass(frozen=True)
class Team:
    task_id: str | None
    lead: TeamMember | None
    members: tuple[TeamMember, ...]
    coverage: float
    uncovered: tuple[UncoveredSkill, ...]
    model_id: str
    tech_list_id: str | None

    @property
    def expert_ids(self) -> list[str]:
        return ([self.lead.expert_id] if self.lead else []) + [m.expert_id for m in self.members]


def _adds(index: ExpertIndex, fm: FeatureMatrix, before: np.ndarray, after: np.ndarray
          ) -> tuple[SkillGain, ...]:
    g = index.graph
    return tuple(SkillGain(r.skill, g.name(r.skill, "vi"), g.name(r.skill, "en"),
                           round(float(before[j]), 4), round(float(after[j]), 4))
                 for j, r in enumerate(fm.task.requirements) if after[j] > before[j] + _EPS)


def form_team(index: ExpertIndex, fm: FeatureMatrix, scores: np.ndarray, *, size: int,
              lead_ok: np.ndarray, member_ok: np.ndarray, lead_eligibility: list,
              model_id: str, collaboration_bonus: float = 0.15) -> Team:
    """Pick a lead among ``lead_ok`` and up to ``size - 1`` members among ``member_ok``
    (boolean masks over the rows of ``fm``)."""
    task = fm.task
    weights = np.array([r.weight for r in task.requirements])
    total = weights.sum() or 1.0
    covered = np.zeros(len(weights))
    chosen: list[int] = []
    shared = np.zeros(len(fm.rows))
    lead = None
    if lead_ok.any() and size >= 1:
        pos = int(np.flatnonzero(lead_ok)[np.argmax(scores[lead_ok])])
        after = np.maximum(covered, fm.credit[pos])
        lead = TeamMember(fm.ids[pos], "LEAD", float(scores[pos]),
                          float(weights @ (after - covered) / total),
                          _adds(index, fm, covered, after), (), lead_eligibility[pos])
        covered = after
        chosen.append(pos)
        shared += index.shared_works(fm.rows, fm.rows[[pos]])[:, 0]
    members = []
    available = member_ok.copy()
    available[chosen] = False
    while len(chosen) < size and available.any():
        cover_gain = np.maximum(fm.credit - covered, 0.0) @ weights / total
        gain = cover_gain + collaboration_bonus * np.minimum(1.0, shared / 2.0)
        gain = np.where(available & (cover_gain > _EPS), gain, -np.inf)
        if not np.isfinite(gain).any():
            break
        best = int(np.lexsort((-scores, -gain))[0])
        after = np.maximum(covered, fm.credit[best])
        worked = [fm.ids[c] for c in chosen
                  if index.shared_works(fm.rows[[best]], fm.rows[[c]])[0, 0] > 0]
        members.append(TeamMember(fm.ids[best], "MEMBER", float(scores[best]),
                                  float(gain[best]), _adds(index, fm, covered, after),
                                  tuple(worked)))
        covered = after
        chosen.append(best)
        available[best] = False
        shared += index.shared_works(fm.rows, fm.rows[[best]])[:, 0]
    g = index.graph
    uncovered = tuple(
        UncoveredSkill(r.skill, g.name(r.skill, "vi"), g.name(r.skill, "en"), r.weight,
                       r.must_have, round(float(covered[j]), 4))
        for j, r in enumerate(task.requirements) if covered[j] < 1.0 - _EPS)
    return Team(task.id, lead, tuple(members), round(float(weights @ covered / total), 4),
                uncovered, model_id, task.tech_list_id)
