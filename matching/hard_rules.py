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

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from matching.eligibility import SchemeResult
from matching.snapshot import COL, STATUS_RANK, ExpertIndex
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
_UNAVAILABLE = 4  # snapshot availability code


@dataclass(frozen=True)
class RuleFailure:
    rule: str
    text_vi: str
    text_en: str
    skill: str | None = None
    scheme: str | None = None


@dataclass
class _MustHave:
    skill: str
    min_level: int
    vi_name: str
    en_name: str
    held: np.ndarray  # per candidate: the level held (the skill or a narrower one)


@dataclass
class HardRuleOutcome:
    """Which candidates (in the order of the rows given) fail which rule. The verdicts are
    arrays; the failures' words are made only for the candidates that are shown
    (:meth:`failures_of`), not for the thousands that are retrieved."""

    rows: np.ndarray
    role: Sequence[SchemeResult | None]
    """Per candidate, the scheme verdict the role rule used (``None``: no role rule)."""
    must_haves: list[_MustHave]
    unavailable: np.ndarray
    late: np.ndarray  # available only after the task starts
    not_eligible: np.ndarray
    start: dt.date | None
    available_from: Callable[[int], dt.date | None]

    @property
    def passed(self) -> np.ndarray:
        """Per candidate: no rule failed."""
        failed = self.unavailable | self.late | self.not_eligible
        for m in self.must_haves:
            failed = failed | (m.held < m.min_level)
        return ~failed

    @property
    def available(self) -> np.ndarray:
        """Per candidate: the availability rule passed (whatever the others say)."""
        return ~(self.unavailable | self.late)

    def failures_of(self, i: int) -> list[RuleFailure]:
        """The rules candidate ``i`` fails, in Vietnamese and English (must-have skills,
        then availability, then role eligibility)."""
        out = [_must_have_failure(m, float(m.held[i])) for m in self.must_haves
               if m.held[i] < m.min_level]
        if self.unavailable[i]:
            out.append(RuleFailure(AVAILABILITY, "Đang không sẵn sàng nhận nhiệm vụ",
                                   "Marked as unavailable for tasks"))
        if self.late[i] and self.start is not None:
            day = self.available_from(int(self.rows[i]))
            out.append(RuleFailure(
                AVAILABILITY,
                f"Chỉ sẵn sàng từ {day:%d/%m/%Y}, sau ngày bắt đầu nhiệm vụ "
                f"{self.start:%d/%m/%Y}",
                f"Available only from {day.isoformat()}, after the task starts on "
                f"{self.start.isoformat()}"))
        best = self.role[i]
        if self.not_eligible[i] and best is not None:
            out.append(RuleFailure(
                ROLE_ELIGIBILITY,
                f"Chưa đủ điều kiện {best.name_vi.lower()} theo Nghị định {best.decree}: "
                + "; ".join(c.text_vi for c in best.missing),
                f"Not eligible as {best.name_en.lower()} under Decree {best.decree}: "
                + "; ".join(c.text_en for c in best.missing),
                scheme=best.scheme_id))
        return out


def role_schemes(task: TaskSpec) -> tuple[EligibilityScheme, ...]:
    """The schemes that gate the task's role (none unless it seeks a chief engineer)."""
    if task.role_sought != "CHIEF_ENGINEER":
        return ()
    rules = load_eligibility()
    if task.chief_engineer_kind in CHIEF_ENGINEER_SCHEMES:
        return (rules.get(CHIEF_ENGINEER_SCHEMES[task.chief_engineer_kind]),)
    return tuple(rules.get(s) for s in CHIEF_ENGINEER_SCHEMES.values())


def _must_have_failure(m: _MustHave, held: float) -> RuleFailure:
    if held > 0:
        vi = (f"Có kỹ năng bắt buộc {m.vi_name} ở mức {int(held)}, nhiệm vụ yêu cầu "
              f"tối thiểu mức {m.min_level}")
        en = (f"Has the must-have skill {m.en_name} at level {int(held)}; the task "
              f"requires level {m.min_level} or above")
    else:
        vi = f"Thiếu kỹ năng bắt buộc {m.vi_name} (mức {m.min_level} trở lên)"
        en = f"Lacks the must-have skill {m.en_name} (level {m.min_level} or above)"
    return RuleFailure(MUST_HAVE, vi, en, skill=m.skill)


def _must_haves(index: ExpertIndex, task: TaskSpec, rows: np.ndarray) -> list[_MustHave]:
    graph = index.graph
    levels = index.levels[rows]
    out = []
    for req in (r for r in task.requirements if r.must_have):
        cols = [graph.index[s] for s in sorted(graph.narrower_closure(req.skill))
                if s in graph.index]
        held = (levels[:, cols].toarray().max(axis=1) if cols
                else np.zeros(len(rows), dtype=np.float32))
        out.append(_MustHave(req.skill, req.min_level, graph.name(req.skill, "vi"),
                             graph.name(req.skill, "en"), held))
    return out


class _Verdicts(Sequence):
    """Per candidate, the verdict of the best of the role's schemes (``None``: no role
    rule), made on first look: only shown candidates need one."""

    def __init__(self, index: ExpertIndex, rows: np.ndarray, wanted: frozenset[str]):
        self._index, self._rows, self._wanted = index, rows, wanted
        self._made: dict[int, SchemeResult | None] = {}

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        i = int(i)
        if i not in self._made:
            results = [r for r in self._index.eligibility(int(self._rows[i]))
                       if r.scheme_id in self._wanted]
            self._made[i] = max(results, default=None,
                                key=lambda r: (STATUS_RANK[r.status], -len(r.missing)))
        return self._made[i]


def _role(index: ExpertIndex, task: TaskSpec, rows: np.ndarray
          ) -> tuple[Sequence[SchemeResult | None], np.ndarray]:
    """The role's verdicts and, per candidate, whether none of its schemes is met."""
    schemes = role_schemes(task)
    if not schemes:
        return [None] * len(rows), np.zeros(len(rows), dtype=bool)
    cols = [COL[f"scheme:{s.id}"] for s in schemes]
    best = index.num[np.ix_(rows, cols)].max(axis=1) if len(rows) else np.zeros(0)
    return _Verdicts(index, rows, frozenset(s.id for s in schemes)), best == 0


def check_hard_rules(index: ExpertIndex, task: TaskSpec, rows: np.ndarray, *,
                     rules: Sequence[str] = (MUST_HAVE, AVAILABILITY, ROLE_ELIGIBILITY)
                     ) -> HardRuleOutcome:
    """Which of ``rows`` fail which hard rule for ``task``."""
    rows = np.asarray(rows, dtype=np.intp)
    none = np.zeros(len(rows), dtype=bool)
    unavailable = late = none
    if AVAILABILITY in rules:
        code = index.num[rows, COL["availability"]]
        unavailable = code == _UNAVAILABLE
        if task.start is not None:
            since = index.num[rows, COL["available_from"]]
            late = (since > task.start.toordinal()) & ~unavailable
    role, not_eligible = (_role(index, task, rows) if ROLE_ELIGIBILITY in rules
                          else ([None] * len(rows), none))
    return HardRuleOutcome(
        rows=rows, role=role,
        must_haves=_must_haves(index, task, rows) if MUST_HAVE in rules else [],
        unavailable=unavailable, late=late, not_eligible=not_eligible, start=task.start,
        available_from=lambda row: index.records[row].available_from)
