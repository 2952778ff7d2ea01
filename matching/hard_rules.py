"""Hard rules, applied before ranking and reported, never silently dropped.

* ``MUST_HAVE``: every must-have skill at ``minLevel`` or above. The skill itself or a
  narrower one counts (who holds deep learning holds machine learning); a broader one does not.
* ``AVAILABILITY``: not UNAVAILABLE, and not available only after the task starts.
* ``ROLE_ELIGIBILITY``: a task seeking a CHIEF_ENGINEER keeps only experts ELIGIBLE or
  POSSIBLY_ELIGIBLE under the Decree 231 scheme for its ``chiefEngineerKind`` (any of the
  three when the kind is not given). The kind-to-scheme map below names scheme ids of
  ``seed/data/eligibility.json``; a renamed scheme fails loudly at import.

A candidate who fails a rule goes to the ranking's ``excluded`` list with every rule failed,
in Vietnamese and English.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from matching.eligibility import ELIGIBLE, NOT_ELIGIBLE, POSSIBLY_ELIGIBLE, SchemeResult
from matching.snapshot import COL, ExpertIndex
from matching.task import TaskSpec
from seed.reference import EligibilityScheme, load_eligibility

__all__ = [
    "AVAILABILITY",
    "CHIEF_ENGINEER_SCHEMES",
    "MUST_HAVE",
    "ROLE_ELIGIBILITY",
    "HardRuleOutcome",
    "RuleFailure",
    "check_hard_rules",
    "role_schemes",
]

MUST_HAVE, AVAILABILITY, ROLE_ELIGIBILITY = "MUST_HAVE", "AVAILABILITY", "ROLE_ELIGIBILITY"
CHIEF_ENGINEER_SCHEMES = {
    "SYSTEM": "nd231-system-chief-engineer",
    "PROJECT": "nd231-project-chief-engineer",
    "ARCHITECT": "nd231-chief-architect",
}
for _scheme in CHIEF_ENGINEER_SCHEMES.values():
    load_eligibility().get(_scheme)  # KeyError here beats a silent pass-through later
_RANK = {ELIGIBLE: 2, POSSIBLY_ELIGIBLE: 1, NOT_ELIGIBLE: 0}
_UNAVAILABLE = 4  # snapshot availability code


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    text_vi: str
    text_en: str
    skill: str | None = None
    scheme: str | None = None


@dataclass
class HardRuleOutcome:
    failures: list[list[RuleFailure]]
    """Per candidate (in the order of the rows given), the rules failed."""
    role: list[SchemeResult | None]
    """Per candidate, the scheme verdict the role rule used (``None``: no role rule)."""

    @property
    def passed(self) -> np.ndarray:
        return np.array([not f for f in self.failures], dtype=bool)


def role_schemes(task: TaskSpec) -> tuple[EligibilityScheme, ...]:
    """The schemes that gate the task's role (none unless it seeks a chief engineer)."""
    if task.role_sought != "CHIEF_ENGINEER":
        return ()
    rules = load_eligibility()
    if task.chief_engineer_kind in CHIEF_ENGINEER_SCHEMES:
        return (rules.get(CHIEF_ENGINEER_SCHEMES[task.chief_engineer_kind]),)
    return tuple(rules.get(s) for s in CHIEF_ENGINEER_SCHEMES.values())


def _must_have(index: ExpertIndex, task: TaskSpec, rows: np.ndarray,
               out: list[list[RuleFailure]]) -> None:
    graph = index.graph
    levels = index.levels[rows]
    for req in (r for r in task.requirements if r.must_have):
        vi_name, en_name = graph.name(req.skill, "vi"), graph.name(req.skill, "en")
        cols = [graph.index[s] for s in sorted(graph.narrower_closure(req.skill))
                if s in graph.index]
        held = levels[:, cols].toarray().max(axis=1) if cols else np.zeros(len(rows))
        for i in np.flatnonzero(held < req.min_level):
            if held[i] > 0:
                vi = (f"Có kỹ năng bắt buộc {vi_name} ở mức {int(held[i])}, nhiệm vụ yêu cầu "
                      f"tối thiểu mức {req.min_level}")
                en = (f"Has the must-have skill {en_name} at level {int(held[i])}; the task "
                      f"requires level {req.min_level} or above")
            else:
                vi = f"Thiếu kỹ năng bắt buộc {vi_name} (mức {req.min_level} trở lên)"
                en = f"Lacks the must-have skill {en_name} (level {req.min_level} or above)"
            out[i].append(RuleFailure(MUST_HAVE, vi, en, skill=req.skill))


def _availability(index: ExpertIndex, task: TaskSpec, rows: np.ndarray,
                  out: list[list[RuleFailure]]) -> None:
    code = index.num[rows, COL["availability"]]
    since = index.num[rows, COL["available_from"]]
    for i in np.flatnonzero(code == _UNAVAILABLE):
        out[i].append(RuleFailure(AVAILABILITY, "Đang không sẵn sàng nhận nhiệm vụ",
                                  "Marked as unavailable for tasks"))
    if task.start is None:
        return
    for i in np.flatnonzero((since > task.start.toordinal()) & (code != _UNAVAILABLE)):
        day = index.records[rows[i]].available_from
        out[i].append(RuleFailure(
            AVAILABILITY,
            f"Chỉ sẵn sàng từ {day:%d/%m/%Y}, sau ngày bắt đầu nhiệm vụ {task.start:%d/%m/%Y}",
            f"Available only from {day.isoformat()}, after the task starts on "
            f"{task.start.isoformat()}"))


def _role(index: ExpertIndex, task: TaskSpec, rows: np.ndarray,
          out: list[list[RuleFailure]]) -> list[SchemeResult | None]:
    schemes = role_schemes(task)
    if not schemes:
        return [None] * len(rows)
    wanted = {s.id for s in schemes}
    verdicts: list[SchemeResult | None] = []
    for i, row in enumerate(rows):
        results = [r for r in index.eligibility(int(row)) if r.scheme_id in wanted]
        best = max(results, key=lambda r: (_RANK[r.status], -len(r.missing)))
        verdicts.append(best)
        if best.status == NOT_ELIGIBLE:
            out[i].append(RuleFailure(
                ROLE_ELIGIBILITY,
                f"Chưa đủ điều kiện {best.name_vi.lower()} theo Nghị định {best.decree}: "
                + "; ".join(c.text_vi for c in best.missing),
                f"Not eligible as {best.name_en.lower()} under Decree {best.decree}: "
                + "; ".join(c.text_en for c in best.missing),
                scheme=best.scheme_id))
    return verdicts


def check_hard_rules(index: ExpertIndex, task: TaskSpec, rows: np.ndarray, *,
                     rules: Sequence[str] = (MUST_HAVE, AVAILABILITY, ROLE_ELIGIBILITY)
                     ) -> HardRuleOutcome:
    """Which of ``rows`` fail which hard rule for ``task``."""
    rows = np.asarray(rows, dtype=np.intp)
    failures: list[list[RuleFailure]] = [[] for _ in rows]
    if MUST_HAVE in rules:
        _must_have(index, task, rows, failures)
    if AVAILABILITY in rules:
        _availability(index, task, rows, failures)
    role = _role(index, task, rows, failures) if ROLE_ELIGIBILITY in rules else [None] * len(rows)
    return HardRuleOutcome(failures, role)
