"""Ranking a task: hard rules reported, partial credit, fairness, reasons, pages, visibility."""

from __future__ import annotations

import pytest

from matching.features import FEATURES
from matching.hard_rules import AVAILABILITY, MUST_HAVE, ROLE_ELIGIBILITY
from matching.rankers import TRANSPARENT_MODEL_ID
from registry.accounts import create_account
from registry.db import Database
from registry.errors import ValidationError
from registry.experts import read_profile, update_expert
from registry.profile import PROTECTED_FIELDS
from registry.programmes import create_task
from registry.search import ExpertFilter, Viewer

from .conftest import add, skill, task_input


def ids(ranking) -> list[str]:
    return [c.expert_id for c in ranking.candidates]


def test_missing_must_have_skill_is_excluded_with_the_reason(db: Database, matcher):
    has = add(db, "an", skills=[skill("large-language-models", 4)])
    low = add(db, "binh", skills=[skill("large-language-models", 2)])
    none = add(db, "cuong", skills=[skill("transformers", 5)])
    task = task_input(requirements=[
        {"skill": "large-language-models", "weight": 1.0, "mustHave": True, "minLevel": 3}])
    ranking = matcher.rank(db, task)
    assert ids(ranking) == [has]
    excluded = {e.expert_id: e for e in ranking.excluded}
    assert set(excluded) == {low, none} and ranking.excluded_total == 2
    assert [f.rule for f in excluded[none].rules] == [MUST_HAVE]
    assert "Large language models" in excluded[none].rules[0].text_en
    assert "Mô hình ngôn ngữ lớn" in excluded[none].rules[0].text_vi
    assert "level 2" in excluded[low].rules[0].text_en


def test_a_narrower_skill_satisfies_a_must_have(db: Database, matcher):
    deep = add(db, "an", skills=[skill("deep-learning", 4)])
    task = task_input(requirements=[{"skill": "machine-learning", "mustHave": True,
                                     "minLevel": 3}])
    assert ids(matcher.rank(db, task)) == [deep]


def test_unavailable_and_late_experts_are_excluded(db: Database, matcher):
    ok = add(db, "an", skills=[skill("large-language-models")])
    off = add(db, "binh", skills=[skill("large-language-models")], availability="UNAVAILABLE")
    late = add(db, "cuong", skills=[skill("large-language-models")], availableFrom="2027-01-01")
    ranking = matcher.rank(db, task_input(start="2026-06-01"))
    assert ids(ranking) == [ok]
    rules = {e.expert_id: [f.rule for f in e.rules] for e in ranking.excluded}
    assert rules == {off: [AVAILABILITY], late: [AVAILABILITY]}
    late_reason = next(e for e in ranking.excluded if e.expert_id == late).rules[0]
    assert "2027-01-01" in late_reason.text_en and "01/01/2027" in late_reason.text_vi


def test_chief_engineer_task_ranks_only_eligible_or_possibly_eligible(db: Database, matcher):
    lead = [{"title": f"Chương trình {i}", "relation": "LED", "scale": "NATIONAL",
             "interdisciplinary": True, "outcome": "APPLIED"} for i in range(2)]
    eligible = add(db, "an", yearsExperience=15, projects=lead,
                   skills=[skill("large-language-models", 5)])
    junior = add(db, "binh", yearsExperience=4, projects=lead,
                 skills=[skill("large-language-models", 5)])
    # A profile that does not state its years of experience is unknown, not 0 years.
    possibly = add(db, "cuong", yearsExperience=None,
                   skills=[skill("large-language-models", 5)], projects=lead)
    task = task_input(roleSought="CHIEF_ENGINEER", chiefEngineerKind="SYSTEM")
    ranking = matcher.rank(db, task)
    assert set(ids(ranking)) == {eligible, possibly}
    status = {c.expert_id: c.role_eligibility.status for c in ranking.candidates}
    assert status == {eligible: "ELIGIBLE", possibly: "POSSIBLY_ELIGIBLE"}
    assert all(c.role_eligibility.scheme_id == "nd231-system-chief-engineer"
               for c in ranking.candidates)
    assert ranking.role_schemes == ("nd231-system-chief-engineer",)
    (out,) = ranking.excluded
    assert out.expert_id == junior and out.rules[0].rule == ROLE_ELIGIBILITY
    assert "10" in out.rules[0].text_en and out.rules[0].scheme == "nd231-system-chief-engineer"


def test_the_scheme_follows_the_chief_engineer_kind(db: Database, matcher):
    architect = add(db, "an", yearsExperience=8, skills=[skill("large-language-models")])
    ranking = matcher.rank(db, task_input(roleSought="CHIEF_ENGINEER",
                                          chiefEngineerKind="ARCHITECT"))
    assert ids(ranking) == [architect]
    assert ranking.candidates[0].role_eligibility.scheme_id == "nd231-chief-architect"
    system = matcher.rank(db, task_input(roleSought="CHIEF_ENGINEER", chiefEngineerKind="SYSTEM"))
    assert ids(system) == [] and system.excluded[0].expert_id == architect


def test_partial_credit_through_the_taxonomy(db: Database, matcher):
    narrower = add(db, "an", skills=[skill("deep-learning", 4)])
    unrelated = add(db, "binh", skills=[skill("computer-vision", 4)])
    nothing = add(db, "cuong", skills=[skill("blockchain", 4)])
    task = task_input(title="Hệ thống học máy", description="Học máy cho dữ liệu lớn.",
                      requirements=[{"skill": "machine-learning"}])
    ranking = matcher.rank(db, task)
    assert ids(ranking)[0] == narrower
    assert nothing not in ids(ranking)
    top = ranking.candidates[0]
    assert top.features["skill_coverage"] == pytest.approx(0.5)
    (match,) = top.matched_skills
    assert (match.skill, match.matched_skill, match.hops) == ("machine-learning",
                                                              "deep-learning", 1)
    assert match.text_en.startswith("Machine learning via Deep learning")
    assert match.text_vi.startswith("Học máy qua Học sâu")
    scores = {c.expert_id: c.features["skill_coverage"] for c in ranking.candidates}
    assert scores.get(unrelated, 0.0) < scores[narrower]


def test_level_below_the_minimum_earns_part_of_the_credit(db: Database, matcher):
    strong = add(db, "an", skills=[skill("large-language-models", 4)])
    weak = add(db, "binh", skills=[skill("large-language-models", 2)])
    ranking = matcher.rank(db, task_input(requirements=[
        {"skill": "large-language-models", "minLevel": 4}]))
    cov = {c.expert_id: c.features["skill_coverage"] for c in ranking.candidates}
    assert cov == {strong: 1.0, weak: 0.5}


def _protected_variants():
    yield {"gender": "FEMALE", "birthYear": 1960, "birthPlace": "Huế", "ethnicity": "Tày",
           "religion": "Phật giáo"}
    yield {"gender": "MALE", "birthYear": 1999, "birthPlace": "Paris", "ethnicity": "Kinh",
           "religion": None}
    yield {"gender": None, "birthYear": None, "birthPlace": None, "ethnicity": None,
           "religion": None}


def test_protected_attributes_never_change_scores(db: Database, matcher):
    target = add(db, "an", skills=[skill("large-language-models", 4)], hIndex=10,
                 publications=[{"title": "Vietnamese language model", "year": 2024}])
    add(db, "binh", skills=[skill("transformers", 5)], hIndex=3)
    add(db, "cuong", skills=[skill("large-language-models", 2)], hIndex=20)
    seen = []
    for variant in _protected_variants():
        current = read_profile(db, target)
        update_expert(db, target, current["version"],
                      lambda doc, variant=variant: {**doc, **variant})
        assert all(read_profile(db, target).get(k) == v for k, v in variant.items())
        for task in (task_input(), task_input(roleSought="PRINCIPAL_INVESTIGATOR")):
            ranking = matcher.rank(db, task)
            seen.append([(c.expert_id, c.score, c.features, [r.text_en for r in c.reasons])
                         for c in ranking.candidates])
    assert seen[0::2] == [seen[0]] * 3 and seen[1::2] == [seen[1]] * 3
    assert set(PROTECTED_FIELDS) == set(next(_protected_variants()))
    assert not set(PROTECTED_FIELDS) & set(FEATURES)


def test_reasons_in_both_languages(db: Database, matcher):
    add(db, "an", skills=[skill("large-language-models", 5), skill("transformers", 4)],
        yearsExperience=15, verified=True,
        publications=[{"title": "Pretraining a Vietnamese large language model", "year": 2025}],
        projects=[{"title": "Trợ lý ảo tiếng Việt", "relation": "LED", "scale": "NATIONAL",
                   "outcome": "APPLIED", "startYear": 2022, "endYear": 2024}])
    add(db, "binh", skills=[skill("transformers", 2)], yearsExperience=2)
    ranking = matcher.rank(db, task_input(requirements=[
        {"skill": "large-language-models", "weight": 1.0},
        {"skill": "transformers", "weight": 0.5}]))
    top, other = ranking.candidates
    assert top.reasons and all(r.text_vi and r.text_en and r.text_vi != r.text_en
                               for r in top.reasons)
    assert any(r.text_en == "Has 2 of 2 required skills" and r.text_vi == "Có 2/2 kỹ năng yêu cầu"
               for r in top.reasons)
    assert all(r.effect == "RAISES" for r in top.reasons)
    assert any(r.effect == "LOWERS" for r in other.reasons)
    assert {(e.kind, e.title) for e in top.evidence} == {
        ("PUBLICATION", "Pretraining a Vietnamese large language model"),
        ("PROJECT", "Trợ lý ảo tiếng Việt")}
    assert [(m.skill, m.matched_skill, m.exact) for m in other.matched_skills] == [
        ("large-language-models", "transformers", False), ("transformers", "transformers", True)]
    assert other.matched_skills[0].text_en == "Large language models via Transformer models " \
        "(level 2)"


def test_saved_task_and_unsaved_input_rank_alike(db: Database, matcher):
    add(db, "an", skills=[skill("large-language-models", 5)])
    add(db, "binh", skills=[skill("transformers", 3)])
    lead = create_account(db, name="Lead", role="PROGRAMME_LEAD")[0].id
    task = task_input(status="OPEN")
    saved = create_task(db, posted_by=lead, data=task)
    by_id, by_input = matcher.rank(db, saved.id), matcher.rank(db, task)
    assert by_id.task_id == saved.id and by_input.task_id is None
    assert [(c.expert_id, c.score) for c in by_id.candidates] == \
        [(c.expert_id, c.score) for c in by_input.candidates]
    assert by_id.model_id == TRANSPARENT_MODEL_ID and by_id.tech_list_id == "qd-1131-2025"


def test_invalid_task_input_reports_every_field(db: Database, matcher):
    with pytest.raises(ValidationError) as err:
        matcher.rank(db, {"title": "", "roleSought": "BOSS", "techListId": "qd-1131-2025",
                          "areas": ["semiconductor-chips-2026", "no-such-area"],
                          "requirements": [{"skill": "no-such-skill", "minLevel": 9}]})
    paths = {e.path for e in err.value.errors}
    assert paths == {"title", "roleSought", "areas.0", "areas.1", "requirements.0.skill",
                     "requirements.0.minLevel"}


def test_pages_and_visibility(db: Database, matcher):
    public = [add(db, f"p{i}", skills=[skill("large-language-models", 1 + i % 5)])
              for i in range(5)]
    registered = add(db, "reg", skills=[skill("large-language-models", 5)],
                     visibility="REGISTERED")
    private = add(db, "priv", skills=[skill("large-language-models", 5)], visibility="PRIVATE")
    anonymous = matcher.rank(db, task_input(), first=2)
    assert anonymous.total_count == 5 and anonymous.has_next_page
    second = matcher.rank(db, task_input(), first=2, after=anonymous.end_cursor)
    third = matcher.rank(db, task_input(), first=2, after=second.end_cursor)
    paged = ids(anonymous) + ids(second) + ids(third)
    assert sorted(paged) == sorted(public) and not third.has_next_page
    assert [c.rank for c in second.candidates] == [3, 4]
    signed_in = matcher.rank(db, task_input(), viewer=Viewer(signed_in=True))
    assert registered in ids(signed_in) and private not in ids(signed_in)
    own = matcher.rank(db, task_input(), viewer=Viewer(signed_in=True, expert_id=private))
    assert private in ids(own)
    admin = matcher.rank(db, task_input(), viewer=Viewer(admin=True), first=100)
    assert admin.total_count == 7


def test_filter_narrows_the_candidates(db: Database, matcher):
    home = add(db, "an", skills=[skill("large-language-models")])
    abroad = add(db, "binh", skills=[skill("large-language-models")], residenceCountry="US")
    ranking = matcher.rank(db, task_input(), filter=ExpertFilter(countries=("US",)))
    assert ids(ranking) == [abroad] and home not in ids(ranking)


def test_experience_not_stated_is_neutral_not_zero(db: Database, matcher):
    senior = add(db, "an", yearsExperience=20, skills=[skill("large-language-models")])
    unknown = add(db, "binh", yearsExperience=None, skills=[skill("large-language-models")])
    beginner = add(db, "cuong", yearsExperience=0, skills=[skill("large-language-models")])
    add(db, "dung", yearsExperience=30, skills=[skill("large-language-models")])
    assert "yearsExperience" not in read_profile(db, unknown)
    ranking = matcher.rank(db, task_input(minYears=10))
    assert ids(ranking)[2:] == [unknown, beginner]
    by_id = {c.expert_id: c for c in ranking.candidates}
    assert [by_id[e].features["experience"] for e in (senior, unknown, beginner)] == [
        1.0, 0.5, 0.0]
    reasons = {e: {(r.text_en, r.text_vi) for r in by_id[e].reasons} for e in by_id}
    assert ("Experience not stated (the task asks 10)",
            "Chưa nêu số năm kinh nghiệm (nhiệm vụ yêu cầu 10)") in reasons[unknown]
    assert ("0 years of experience (the task asks 10)",
            "0 năm kinh nghiệm (nhiệm vụ yêu cầu 10)") in reasons[beginner]
    stated = matcher.rank(db, task_input(), filter=ExpertFilter(min_years=0))
    assert unknown not in ids(stated) and beginner in ids(stated)


def test_onsite_task_prefers_people_in_place_or_willing_to_move(db: Database, matcher):
    here = add(db, "an", skills=[skill("large-language-models")])
    mover = add(db, "binh", skills=[skill("large-language-models")], residenceCountry="US",
                willingToRelocate=True)
    stayer = add(db, "cuong", skills=[skill("large-language-models")], residenceCountry="US",
                 willingToRelocate=False)
    ranking = matcher.rank(db, task_input(onsite="ONSITE",
                                          location={"country": "VN", "city": "Hà Nội"}))
    place = {c.expert_id: c.features["place"] for c in ranking.candidates}
    assert place[here] > place[mover] > place[stayer]
    assert ids(ranking) == [here, mover, stayer]


def test_similar_experts(db: Database, matcher):
    me = add(db, "an", skills=[skill("large-language-models"), skill("transformers")])
    near = add(db, "binh", skills=[skill("large-language-models"), skill("deep-learning")])
    far = add(db, "cuong", skills=[skill("blockchain")])
    found = matcher.similar_experts(db, me)
    assert found[0].expert_id == near
    assert me not in [s.expert_id for s in found]
    assert found[0].shared_skills == ("large-language-models",)
    assert far not in [s.expert_id for s in found] or found[-1].expert_id == far


def test_eligibility_of_an_expert(db: Database, matcher):
    eid = add(db, "an", yearsExperience=7)
    results = {r.scheme_id: r.status for r in matcher.eligibility(db, eid)}
    assert results["nd231-chief-architect"] == "ELIGIBLE"
    assert results["nd231-system-chief-engineer"] == "NOT_ELIGIBLE"


def test_an_empty_registry_ranks_nobody(db: Database, matcher):
    ranking = matcher.rank(db, task_input())
    assert ranking.candidates == () and ranking.excluded == () and ranking.total_count == 0
    team = matcher.recommend_team(db, task_input(), 3)
    assert team.lead is None and team.members == () and team.coverage == 0.0
    assert [u.skill for u in team.uncovered] == ["large-language-models"]


def test_the_excluded_list_is_cut_where_asked_and_still_counts_all(db: Database, matcher):
    kept = add(db, "an", skills=[skill("large-language-models", 5)])
    out = [add(db, k, skills=[skill("large-language-models", 1 + i % 2)])
           for i, k in enumerate(["binh", "cuong", "dung", "giang"])]
    task = task_input(requirements=[
        {"skill": "large-language-models", "mustHave": True, "minLevel": 3}])
    full = matcher.rank(db, task)
    assert ids(full) == [kept] and {e.expert_id for e in full.excluded} == set(out)
    two = matcher.rank(db, task, excluded=2)
    assert [e.expert_id for e in two.excluded] == [e.expert_id for e in full.excluded[:2]]
    assert two.excluded[0].rules == full.excluded[0].rules
    assert two.excluded_total == full.excluded_total == 4 and ids(two) == [kept]
    assert matcher.rank(db, task, excluded=0).excluded == ()
    for bad in (-1, 201):
        with pytest.raises(ValidationError) as err:
            matcher.rank(db, task, excluded=bad)
        assert [e.path for e in err.value.errors] == ["excluded"]


def test_reasons_say_one_project_and_two_projects(db: Database, matcher):
    import numpy as np

    from matching.explain import reasons

    def led(n: int) -> list[dict]:
        return [{"title": f"Dự án {k}", "relation": "LED", "scale": "NATIONAL",
                 "outcome": "APPLIED", "startYear": 2020, "endYear": 2022} for k in range(n)]

    one = add(db, "an", yearsExperience=1, projects=led(1),
              patents=[{"title": "Bộ lọc", "applied": True, "year": 2023}],
              skills=[skill("large-language-models", years=1)])
    two = add(db, "binh", yearsExperience=2, projects=led(2),
              patents=[{"title": f"Bộ lọc {k}", "applied": True, "year": 2023}
                       for k in range(2)],
              skills=[skill("large-language-models", years=2)])
    task = task_input(languages=["vi"])
    fm, found = matcher.features_for(db, task, [one, two])
    assert found.all()
    everything = np.ones(len(FEATURES))  # every feature described, as if it raised the score
    text = {e: {r.feature: r.text_en for r in reasons(fm, i, everything, matcher.index(db),
                                                     raised=len(FEATURES))}
            for i, e in enumerate(fm.ids)}
    assert text[one]["leadership"].startswith("Led 1 project (1 national")
    assert text[two]["leadership"].startswith("Led 2 projects (2 national")
    assert text[one]["experience"] == "1 year of experience"
    assert text[two]["experience"] == "2 years of experience"
    assert text[one]["patents"].startswith("1 patent in use")
    assert text[two]["patents"].startswith("2 patents in use")
    assert text[one]["language"] == "Speaks 1 of 1 required language (vi)"
    assert text[one]["skill_coverage"] == "Has 1 of 1 required skill"
