"""Why a candidate ranks where they do, in Vietnamese and English.

* ``reasons``: the features that raised and lowered the score. A feature's effect is its
  contribution relative to the average candidate of the same task,
  ``coef_ * (x - mean x)`` (``matching.rankers.contributions``), so the words match what
  the ranker in use actually weighed: "Có 4/5 kỹ năng yêu cầu" / "Has 4 of 5 required
  skills".
* ``skill_matches``: each required skill matched (exactly, or partially through the taxonomy:
  "deep-learning via machine-learning") or missing.
* the evidence (publications and projects closest to the task) comes from
  ``matching.text.TextModel.evidence``; :class:`Evidence` is its public shape.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matching.features import FEATURES, FeatureMatrix
from matching.records import EvidenceText
from matching.snapshot import COL, ExpertIndex

__all__ = [
    "LOWERS",
    "RAISES",
    "Evidence",
    "MissingSkill",
    "Reason",
    "SkillMatch",
    "evidence_items",
    "reasons",
    "skill_matches",
]

RAISES, LOWERS = "RAISES", "LOWERS"
_EPS = 1e-6


@dataclass(frozen=True)
class Reason:
    feature: str
    effect: str  # RAISES | LOWERS
    contribution: float
    text_vi: str
    text_en: str


@dataclass(frozen=True)
class SkillMatch:
    skill: str
    name_vi: str
    name_en: str
    matched_skill: str
    matched_name_vi: str
    matched_name_en: str
    level: int
    min_level: int
    hops: int
    credit: float
    must_have: bool
    text_vi: str
    text_en: str

    @property
    def exact(self) -> bool:
        return self.hops == 0


@dataclass(frozen=True)
class MissingSkill:
    skill: str
    name_vi: str
    name_en: str
    weight: float
    must_have: bool
    min_level: int


@dataclass(frozen=True)
class Evidence:
    kind: str  # PUBLICATION | PROJECT
    id: str
    title: str
    year: int | None
    similarity: float


def skill_matches(fm: FeatureMatrix, i: int, index: ExpertIndex
                  ) -> tuple[list[SkillMatch], list[MissingSkill]]:
    graph = index.graph
    matched, missing = [], []
    for j, req in enumerate(fm.task.requirements):
        vi, en = graph.name(req.skill, "vi"), graph.name(req.skill, "en")
        if fm.credit[i, j] <= 0:
            missing.append(MissingSkill(req.skill, vi, en, req.weight, req.must_have,
                                        req.min_level))
            continue
        sid = graph.ids[fm.matched[i, j]]
        mvi, men = graph.name(sid, "vi"), graph.name(sid, "en")
        level, hops = int(fm.matched_level[i, j]), int(fm.hops[i, j])
        text_vi, text_en = (vi, en) if hops == 0 else (f"{vi} qua {mvi}", f"{en} via {men}")
        text_vi += f" (mức {level}" + (f", yêu cầu {req.min_level})" if level < req.min_level
                                       else ")")
        text_en += f" (level {level}" + (f", {req.min_level} asked)" if level < req.min_level
                                         else ")")
        matched.append(SkillMatch(req.skill, vi, en, sid, mvi, men, level, req.min_level, hops,
                                  float(fm.credit[i, j]), req.must_have, text_vi, text_en))
    return matched, missing


def evidence_items(found: list[tuple[EvidenceText, float]]) -> list[Evidence]:
    return [Evidence(d.kind, d.id, d.title, d.year, round(s, 4)) for d, s in found]


def _count(n: int, noun: str) -> str:
    """``n`` and the English noun in the number it takes ("1 project", "2 projects")."""
    return f"{n} {noun if n == 1 else noun + 's'}"


def _country(code: str | None) -> tuple[str, str]:
    if code is None:
        return "nơi chưa rõ", "an unstated country"
    if code == "VN":
        return "Việt Nam", "Viet Nam"
    try:
        from iso3166 import countries_by_alpha2

        name = countries_by_alpha2[code].name
    except (ImportError, KeyError):
        name = code
    return name, name


def _skills(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    n = len(fm.task.requirements)
    exact = int(((fm.credit[i] > 0) & (fm.hops[i] == 0)).sum())
    partial = int(((fm.credit[i] > 0) & (fm.hops[i] > 0)).sum())
    vi, en = f"Có {exact}/{n} kỹ năng yêu cầu", f"Has {exact} of {_count(n, 'required skill')}"
    if partial:
        vi += f", thêm {partial} kỹ năng gần (theo phân loại kỹ năng)"
        en += f", {partial} more through related {'skill' if partial == 1 else 'skills'}"
    return vi, en


def _experience(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    value, asked = index.num[fm.rows[i], COL["years_experience"]], fm.task.min_years
    if np.isnan(value):
        vi, en = "Chưa nêu số năm kinh nghiệm", "Experience not stated"
    else:
        vi, en = f"{int(value)} năm kinh nghiệm", f"{_count(int(value), 'year')} of experience"
    if asked:
        vi, en = vi + f" (nhiệm vụ yêu cầu {asked})", en + f" (the task asks {asked})"
    return vi, en


def _leadership(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    row = fm.rows[i]
    led, high, applied = (int(index.num[row, COL[c]])
                          for c in ("led_total", "led_high_scale", "led_applied"))
    if not led:
        return "Chưa chủ trì dự án nào", "Has not led a project"
    return ((f"Đã chủ trì {led} dự án ({high} cấp quốc gia hoặc quốc tế, {applied} đã ứng dụng "
             "hoặc chuyển giao)"),
            (f"Led {_count(led, 'project')} ({high} national or international, {applied} "
             "applied or transferred)"))


def _patents(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    row = fm.rows[i]
    applied, granted = (int(index.num[row, COL[c]]) for c in ("patents_applied",
                                                               "patents_granted"))
    if not (applied or granted):
        return "Chưa có sáng chế", "No patents"
    return (f"{applied} sáng chế đã được ứng dụng, {granted} sáng chế được cấp bằng",
            f"{_count(applied, 'patent')} in use, {granted} granted")


def _impact(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    row = fm.rows[i]
    h, c = int(index.num[row, COL["h_index"]]), int(index.num[row, COL["citations"]])
    pct = round(100 * float(fm.column("impact")[i]))
    return ((f"Ảnh hưởng khoa học (h-index {h}, {c} trích dẫn) hơn khoảng {pct}% chuyên gia "
             "cùng lĩnh vực"),
            (f"Scientific impact (h-index {h}, {_count(c, 'citation')}) above about {pct}% of "
             "experts in the area"))


_AVAILABILITY_TEXT = {
    0: ("Chưa cho biết mức độ sẵn sàng", "Availability not stated"),
    1: ("Sẵn sàng toàn thời gian", "Available full time"),
    2: ("Sẵn sàng bán thời gian", "Available part time"),
    3: ("Chỉ nhận vai trò tư vấn", "Available as an advisor only"),
    4: ("Đang không sẵn sàng", "Unavailable"),
}


def _availability(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    return _AVAILABILITY_TEXT[int(index.num[fm.rows[i], COL["availability"]])]


def _language(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    asked = fm.task.languages
    record = index.records[fm.rows[i]]
    have = [lang for lang in asked if record and lang in record.languages]
    return (f"Sử dụng {len(have)}/{len(asked)} ngôn ngữ yêu cầu ({', '.join(asked)})",
            f"Speaks {len(have)} of {_count(len(asked), 'required language')} ({', '.join(asked)})")


def _place(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    task, record = fm.task, index.records[fm.rows[i]]
    if task.onsite == "REMOTE" or not task.location_country:
        return (("Làm việc từ xa được", "Works remotely") if record.remote_ok
                else ("Không muốn làm việc từ xa", "Prefers not to work remotely"))
    vi, en = _country(record.residence_country)
    if record.residence_country == task.location_country:
        if task.location_city and (record.city or "").casefold() == task.location_city.casefold():
            return f"Ở ngay {record.city}", f"Based in {record.city}"
        return f"Ở {vi}, nơi thực hiện nhiệm vụ", f"Based in {en}, where the task is"
    if record.willing_to_relocate:
        return f"Ở {vi}, sẵn sàng chuyển đến", f"Based in {en}, willing to relocate"
    if task.onsite == "HYBRID" and record.remote_ok:
        return (f"Ở {vi}, có thể làm từ xa một phần",
                f"Based in {en}, can work remotely part of the time")
    return (f"Ở {vi}, chưa sẵn sàng chuyển đến", f"Based in {en}, not willing to relocate")


def _collaboration(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    n = int(fm.shared[i].sum())
    return (f"Đã cùng làm {n} công trình với thành viên đã chọn",
            f"Shares {_count(n, 'work')} with members already chosen")


def _recency(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    year = int(index.num[fm.rows[i], COL["last_active"]])
    if not year:
        return "Không có công trình ghi năm", "No dated work"
    return f"Công trình gần nhất năm {year}", f"Latest work in {year}"


def _verified(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    if index.num[fm.rows[i], COL["verified"]]:
        return "Hồ sơ đã được xác minh", "Profile verified"
    return "Hồ sơ chưa được xác minh", "Profile not verified"


def _text(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    if fm.column("text_similarity")[i] >= 0.5:
        return ("Công bố, dự án và hồ sơ sát với nội dung nhiệm vụ",
                "Publications, projects and profile close to the task's description")
    return ("Công bố và dự án ít liên quan đến nội dung nhiệm vụ",
            "Publications and projects say little about the task's subject")


def _area_years(fm: FeatureMatrix, i: int, index: ExpertIndex) -> tuple[str, str]:
    years = int(fm.area_years[i])
    return (f"{years} năm với các kỹ năng của lĩnh vực nhiệm vụ",
            f"{_count(years, 'year')} with the skills of the task's area")


_DESCRIBE: dict[str, Callable[[FeatureMatrix, int, ExpertIndex], tuple[str, str]]] = {
    "skill_coverage": _skills, "text_similarity": _text, "area_years": _area_years,
    "experience": _experience, "leadership": _leadership, "patents": _patents,
    "impact": _impact, "availability": _availability, "language": _language, "place": _place,
    "collaboration": _collaboration, "recency": _recency, "verified": _verified,
}
assert set(_DESCRIBE) == set(FEATURES)


def reasons(fm: FeatureMatrix, i: int, contribution: np.ndarray, index: ExpertIndex, *,
            raised: int = 3, lowered: int = 2) -> list[Reason]:
    """The ``raised`` features that lifted candidate ``i`` most above the average candidate
    and the ``lowered`` that held them back most, strongest first."""
    order = np.argsort(-contribution, kind="stable")
    ups = [f for f in order if contribution[f] > _EPS][:raised]
    downs = [f for f in order[::-1] if contribution[f] < -_EPS][:lowered]
    out = []
    for f, effect in [(f, RAISES) for f in ups] + [(f, LOWERS) for f in downs]:
        vi, en = _DESCRIBE[FEATURES[f]](fm, i, index)
        out.append(Reason(FEATURES[f], effect, round(float(contribution[f]), 4), vi, en))
    return out
