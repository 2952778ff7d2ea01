"""Eligibility under Decrees 231, 249 and 263 (DOMAIN.md's numbers), in three-valued logic."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from matching.eligibility import (
    ELIGIBLE,
    MET,
    NOT_ELIGIBLE,
    NOT_MET,
    POSSIBLY_ELIGIBLE,
    UNKNOWN,
    Between,
    compute_facts,
    evaluate_facts,
    evaluate_profile,
    evaluate_rule,
)
from registry.profile import validate_profile
from seed.reference import Criterion, EligibilityScheme, FactRule, load_eligibility, parse_rule

DAY = dt.date(2026, 3, 1)


def doc(**fields: Any) -> dict[str, Any]:
    """A validated profile with nothing but a name, an e-mail and the given fields."""
    raw = {"fullName": "Trần Thị Mai", "email": "mai@example.org", "residenceCountry": "VN",
           "skills": [], **fields}
    return validate_profile(raw)


def led(n: int, **project: Any) -> list[dict[str, Any]]:
    return [{"title": f"Dự án {i}", "relation": "LED", "startYear": 2015 + i, **project}
            for i in range(n)]


def status(profile: dict[str, Any], scheme: str) -> tuple[str, list[str], list[str], list[str]]:
    result = next(r for r in evaluate_profile(profile, on=DAY) if r.scheme_id == scheme)
    return (result.status, [c.id for c in result.met], [c.id for c in result.missing],
            [c.id for c in result.unknown])


# Decree 231: system chief engineer ------------------------------------------------------

def test_system_chief_engineer_with_ten_years_and_two_national_programmes():
    p = doc(yearsExperience=10, projects=led(2, scale="NATIONAL"))
    assert status(p, "nd231-system-chief-engineer") == (
        ELIGIBLE, ["experience-10y", "led-2-interdisciplinary"], [], [])


def test_system_chief_engineer_through_two_applied_interdisciplinary_products():
    p = doc(yearsExperience=15, projects=led(2, interdisciplinary=True, outcome="TRANSFERRED"))
    assert status(p, "nd231-system-chief-engineer")[0] == ELIGIBLE


def test_system_chief_engineer_not_met_with_nine_years_or_one_programme():
    nine = doc(yearsExperience=9, projects=led(2, scale="INTERNATIONAL"))
    assert status(nine, "nd231-system-chief-engineer") == (
        NOT_ELIGIBLE, ["led-2-interdisciplinary"], ["experience-10y"], [])
    one = doc(yearsExperience=12, projects=led(1, scale="NATIONAL", interdisciplinary=True,
                                               outcome="APPLIED"))
    assert status(one, "nd231-system-chief-engineer")[2] == ["led-2-interdisciplinary"]


@pytest.mark.parametrize("given", [{"yearsExperience": None}, {}], ids=["null", "left-out"])
def test_unknown_experience_makes_a_chief_engineer_possibly_eligible(given: dict[str, Any]):
    p = doc(**given, projects=led(2, scale="NATIONAL"))
    assert p["yearsExperience"] is None  # validation keeps it unknown, not 0 years
    assert status(p, "nd231-system-chief-engineer") == (
        POSSIBLY_ELIGIBLE, ["led-2-interdisciplinary"], [], ["experience-10y"])


# Decree 231: project chief engineer and chief architect ---------------------------------

def test_project_chief_engineer_needs_ten_years_and_one_interdisciplinary_project():
    yes = doc(yearsExperience=10, projects=led(1, interdisciplinary=True))
    no = doc(yearsExperience=10, projects=led(3, interdisciplinary=False))
    assert status(yes, "nd231-project-chief-engineer")[0] == ELIGIBLE
    assert status(no, "nd231-project-chief-engineer") == (
        NOT_ELIGIBLE, ["experience-10y"], ["led-1-interdisciplinary"], [])


def test_chief_architect_needs_seven_years():
    assert status(doc(yearsExperience=7), "nd231-chief-architect")[0] == ELIGIBLE
    assert status(doc(yearsExperience=6), "nd231-chief-architect")[0] == NOT_ELIGIBLE


def test_weighed_criteria_are_reported_not_required():
    p = doc(yearsExperience=8, honorific="TS.",
            awards=[{"title": "Giải thưởng Tạ Quang Bửu", "year": 2020}])
    result = next(r for r in evaluate_profile(p, on=DAY) if r.scheme_id == "nd231-chief-architect")
    assert result.status == ELIGIBLE
    assert {c.id for c in result.weighed_met} == {"awards", "training"}


# Decree 249: overseas Vietnamese and foreign experts ------------------------------------

def test_overseas_expert_with_a_granted_patent_is_eligible():
    p = doc(residenceCountry="JP", patents=[{"title": "Bộ cảm biến", "granted": True,
                                             "applied": True}])
    assert status(p, "nd249-overseas-foreign-expert")[0] == ELIGIBLE


def test_domestic_vietnamese_expert_is_not_under_decree_249():
    p = doc(patents=[{"title": "Bộ cảm biến", "granted": True, "applied": True}])
    assert status(p, "nd249-overseas-foreign-expert") == (
        NOT_ELIGIBLE, ["one-achievement"], ["overseas-or-foreign"], [])


def test_foreign_national_living_in_vietnam_counts_as_foreign():
    p = doc(nationalities=["US"], awards=[{"title": "IEEE Fellow", "international": True}])
    assert status(p, "nd249-overseas-foreign-expert")[0] == ELIGIBLE


def test_phd_from_top200_plus_five_years_teaching():
    p = doc(residenceCountry="US",
            education=[{"organization": "stanford", "degree": "PHD", "year": 2012}],
            employment=[{"organization": "san-jose-state", "title": "Lecturer", "from": 2014,
                         "to": 2019}, {"organization": {"name": "Chip Co", "country": "US"},
                                       "from": 2019}],
            currentForeignResearchPost=False)
    facts = compute_facts(p, on=DAY)
    assert facts["phdFromTop200"] is True and facts["yearsTeachingOrResearch"] == 5
    assert status(p, "nd249-overseas-foreign-expert")[0] == ELIGIBLE


def test_doctorate_from_an_unranked_organization_is_unknown_not_false():
    p = doc(residenceCountry="DE",
            education=[{"organization": {"name": "Hochschule X", "country": "DE",
                                         "kind": "UNIVERSITY"}, "degree": "PHD"}],
            employment=[{"organization": {"name": "Institut Y", "country": "DE",
                                          "kind": "INSTITUTE"}, "from": 2010, "to": 2020}])
    facts = compute_facts(p, on=DAY)
    assert facts["phdFromTop200"] is None and facts["currentForeignResearchPost"] is None
    assert status(p, "nd249-overseas-foreign-expert") == (
        POSSIBLY_ELIGIBLE, ["overseas-or-foreign"], [], ["one-achievement"])


def test_current_post_at_a_foreign_institute_is_an_achievement():
    p = doc(residenceCountry="FR", employment=[{"organization": "inria", "from": 2018}])
    assert compute_facts(p, on=DAY)["currentForeignResearchPost"] is True
    assert status(p, "nd249-overseas-foreign-expert")[0] == ELIGIBLE


# Decree 263: talented young scientist ---------------------------------------------------

def young(birth: int | None) -> dict[str, Any]:
    return doc(birthYear=birth, education=[{"organization": "mit", "degree": "PHD"}],
               awards=[{"title": "Giải thưởng Quả Cầu Vàng", "year": 2024}])


def test_young_scientist_under_35_with_phd_and_award():
    assert status(young(1995), "nd263-talented-young-scientist")[0] == ELIGIBLE


def test_young_scientist_over_35_is_not():
    assert status(young(1990), "nd263-talented-young-scientist") == (
        NOT_ELIGIBLE, ["has-phd", "award"], ["under-35"], [])


def test_age_that_depends_on_the_birthday_is_unknown():
    # Born 1991: 34 or 35 on 1 March 2026, depending on the birthday.
    assert status(young(1991), "nd263-talented-young-scientist") == (
        POSSIBLY_ELIGIBLE, ["has-phd", "award"], [], ["under-35"])


def test_missing_birth_year_is_unknown_age():
    assert status(young(None), "nd263-talented-young-scientist")[0] == POSSIBLY_ELIGIBLE


# The logic and the data -----------------------------------------------------------------

def test_three_valued_all_and_any():
    rule = parse_rule({"any": [{"fact": "awards", "op": ">=", "value": 1},
                               {"all": [{"fact": "hasPhd", "op": "==", "value": True},
                                        {"fact": "age", "op": "<", "value": 35}]}]})
    assert evaluate_rule(rule, {"awards": 1, "hasPhd": None, "age": None})[0] == MET
    assert evaluate_rule(rule, {"awards": 0, "hasPhd": False, "age": None})[0] == NOT_MET
    outcome, unknown = evaluate_rule(rule, {"awards": 0, "hasPhd": True, "age": None})
    assert (outcome, unknown) == (UNKNOWN, frozenset({"age"}))


def test_ranges_compare_on_both_ends():
    rule = FactRule("yearsTeachingOrResearch", ">=", 5)
    assert evaluate_rule(rule, {"yearsTeachingOrResearch": Between(6, float("inf"))})[0] == MET
    assert evaluate_rule(rule, {"yearsTeachingOrResearch": Between(3, float("inf"))})[0] == UNKNOWN
    assert evaluate_rule(rule, {"yearsTeachingOrResearch": Between(2, 4)})[0] == NOT_MET


def test_rules_come_from_the_data_not_the_code():
    stricter = EligibilityScheme(
        id="test-architect-9y", decree="0/2026", issued=None, effective=None,
        name_vi="Kiến trúc sư trưởng (thử)", name_en="Chief architect (test)",
        roles=("CHIEF_ENGINEER",), mode="all",
        criteria=(Criterion("experience-9y", "Ít nhất 9 năm", "At least 9 years",
                            parse_rule({"fact": "yearsExperience", "op": ">=", "value": 9})),),
        weighed=(), uncertain=(), source="test")
    facts = compute_facts(doc(yearsExperience=8), on=DAY)
    assert evaluate_facts(facts, schemes=[stricter])[0].status == NOT_ELIGIBLE
    assert evaluate_facts(facts, schemes=[load_eligibility().get("nd231-chief-architect")]
                          )[0].status == ELIGIBLE


def test_results_carry_both_languages():
    result = evaluate_profile(doc(yearsExperience=3), on=DAY, role="CHIEF_ENGINEER")
    assert {r.scheme_id for r in result} >= {"nd231-system-chief-engineer",
                                             "nd231-chief-architect"}
    missing = [c for r in result for c in r.missing]
    assert missing and all(c.text_vi and c.text_en for c in missing)


@pytest.mark.parametrize("honorific", ["TS.", "PGS.", "GS.", "TSKH."])
def test_doctoral_honorific_means_a_doctorate(honorific):
    assert compute_facts(doc(honorific=honorific), on=DAY)["hasPhd"] is True


def test_decree_249_needs_a_granted_patent_that_is_applied():
    granted_only = doc(diaspora="OVERSEAS", residenceCountry="US",
                       patents=[{"title": "Bộ cảm biến", "granted": True}])
    applied = doc(diaspora="OVERSEAS", residenceCountry="US",
                  patents=[{"title": "Bộ cảm biến", "granted": True, "applied": True}])
    assert "one-achievement" not in status(granted_only, "nd249-overseas-foreign-expert")[1]
    assert "one-achievement" in status(applied, "nd249-overseas-foreign-expert")[1]
