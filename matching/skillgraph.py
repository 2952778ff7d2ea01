"""The skill taxonomy as the matcher uses it: indices, partial credit, names.

Partial credit follows the taxonomy's ``BROADER`` links in either direction: a required skill
held exactly earns ``hop_credit[0]`` (1.0), a direct broader or narrower skill
``hop_credit[1]`` (0.5), a skill two links away (grand-parent, grand-child or sibling)
``hop_credit[2]`` (0.25). A must-have skill is satisfied only by the skill itself or a
narrower one (who holds deep learning holds machine learning; not the other way round).
Loaded from the graph once (``registry.taxonomy.all_skills``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from registry.db import Database
from registry.taxonomy import Skill, all_skills

__all__ = ["HOP_CREDIT", "Neighbour", "SkillGraph"]

HOP_CREDIT: tuple[float, ...] = (1.0, 0.5, 0.25)


@dataclass(frozen=True)
class Neighbour:
    """A skill that earns credit for a required one, and the path between them."""

    index: int
    skill: str
    hops: int
    credit: float
    via: tuple[str, ...]  # the skills on the way, the required one excluded


class SkillGraph:
    """Skill ids and their links; ``neighbours`` and ``narrower_closure`` are cached."""

    def __init__(self, skills: Iterable[Skill], hop_credit: Sequence[float] = HOP_CREDIT):
        self.skills: dict[str, Skill] = {s.id: s for s in skills}
        self.ids: list[str] = sorted(self.skills)
        self.index: dict[str, int] = {s: i for i, s in enumerate(self.ids)}
        self.hop_credit = tuple(hop_credit)
        self._neighbours: dict[str, tuple[Neighbour, ...]] = {}
        self._below: dict[str, frozenset[str]] = {}
        areas = sorted({a for s in self.skills.values() for a in s.areas})
        self.area_ids: list[str] = areas
        self.area_index = {a: i for i, a in enumerate(areas)}

    @classmethod
    def load(cls, db: Database) -> SkillGraph:
        return cls(all_skills(db))

    def __len__(self) -> int:
        return len(self.ids)

    def __contains__(self, skill_id: object) -> bool:
        return skill_id in self.skills

    def name(self, skill_id: str, lang: str) -> str:
        s = self.skills.get(skill_id)
        if s is None:
            return skill_id
        return s.name_vi if lang == "vi" else s.name_en

    def terms(self, skill_id: str) -> list[str]:
        """Names and aliases in both languages (for the task's query text)."""
        s = self.skills.get(skill_id)
        if s is None:
            return [skill_id.replace("-", " ")]
        return [s.name_en, s.name_vi, *s.aliases_en, *s.aliases_vi]

    def neighbours(self, skill_id: str) -> tuple[Neighbour, ...]:
        """Skills within ``len(hop_credit) - 1`` links of ``skill_id``, nearest first; the
        skill itself first with full credit."""
        if skill_id in self._neighbours:
            return self._neighbours[skill_id]
        if skill_id not in self.skills:
            return ()
        found = {skill_id: (0, ())}
        frontier = [skill_id]
        for hops in range(1, len(self.hop_credit)):
            nxt = []
            for s in frontier:
                sk = self.skills[s]
                for t in sorted((*sk.broader, *sk.narrower)):
                    if t in self.skills and t not in found:
                        found[t] = (hops, (*found[s][1], s) if s != skill_id else ())
                        nxt.append(t)
            frontier = nxt
        out = tuple(
            Neighbour(self.index[s], s, hops, self.hop_credit[hops], via)
            for s, (hops, via) in sorted(found.items(), key=lambda kv: (kv[1][0], kv[0])))
        self._neighbours[skill_id] = out
        return out

    def narrower_closure(self, skill_id: str) -> frozenset[str]:
        """The skill and every skill below it."""
        if skill_id not in self._below:
            seen, stack = {skill_id}, [skill_id]
            while stack:
                s = self.skills.get(stack.pop())
                for n in s.narrower if s else ():
                    if n not in seen:
                        seen.add(n)
                        stack.append(n)
            self._below[skill_id] = frozenset(seen)
        return self._below[skill_id]

    def area_mask(self, areas: Iterable[str]) -> np.ndarray:
        """Boolean mask over skills in any of ``areas`` (ids of the taxonomy's list)."""
        wanted = set(areas)
        return np.array([bool(wanted & set(self.skills[s].areas)) for s in self.ids], dtype=bool)
