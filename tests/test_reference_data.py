"""Reference data (seed/data/*.json) and its loader: pure Python, no database."""

from __future__ import annotations

import copy
import unicodedata
from datetime import date

import pytest

from seed import reference as ref

# The facts the eligibility evaluator knows; written out here so the test also guards the
# module constant against drifting.
KNOWN_FACTS = {
    "yearsExperience",
    "projectsLed",
    "projectsLedInterdisciplinary",
    "projectsLedAppliedOrTransferred",
    "programmesLed",
    "patentsGranted",
    "patentsApplied",
    "hasPhd",
    "phdFromTop200",
    "yearsTeachingOrResearch",
    "currentForeignResearchPost",
    "awards",
    "internationalAwards",
    "age",
    "diaspora",
    "nationalities",
}
LIST_1131 = "qd-1131-2025"
LIST_2026 = "qd-21-2026"


@pytest.fixture(scope="module")
def tech() -> ref.TechLists:
    return ref.load_tech_lists()


@pytest.fixture(scope="module")
def skills() -> ref.SkillTaxonomy:
    return ref.load_skills()


@pytest.fixture(scope="module")
def orgs() -> ref.Organizations:
    return ref.load_organizations()


# --- strategic technology lists --------------------------------------------------------------


def test_tech_lists_are_versioned(tech: ref.TechLists) -> None:
    old, new = tech.get(LIST_1131), tech.get(LIST_2026)
    assert old.decision == "1131/QĐ-TTg" and old.issued == date(2025, 6, 12)
    assert len(old.groups) == 11
    assert old.valid_to == date(2026, 6, 30)
    assert new.valid_from == date(2026, 7, 1) and new.supersedes == LIST_1131
    assert len(new.groups) == 10
    assert new.uncertain and all(g.uncertain and not g.confirmed for g in new.groups)
    assert tech.in_force(date(2025, 12, 1)) is old
    assert tech.in_force(date(2026, 7, 1)) is new


def test_1131_confirmed_groups(tech: ref.TechLists) -> None:
    groups = {g.id: g for g in tech.get(LIST_1131).groups}
    for gid in (
        "ai-digital-twin-xr",
        "cloud-quantum-big-data",
        "blockchain",
        "next-gen-mobile-networks",
        "robotics-automation",
        "semiconductor-chips",
        "cybersecurity",
    ):
        assert groups[gid].confirmed
    for gid in ("biotechnology", "advanced-materials", "new-energy-storage", "aerospace-uav"):
        assert not groups[gid].confirmed
    assert groups["robotics-automation"].name_vi == "Robot và tự động hóa"
    assert [g.code for g in tech.get(LIST_1131).groups] == [f"1131-{i:02d}" for i in range(1, 12)]


def test_every_1131_group_is_carried_into_the_new_list(tech: ref.TechLists) -> None:
    for group in tech.get(LIST_1131).groups:
        assert tech.map_group(group.id, LIST_2026), group.id
    for group in tech.get(LIST_2026).groups:
        assert set(tech.map_group(group.id, LIST_1131)) == set(group.replaces)


# --- skills -----------------------------------------------------------------------------------


def test_enough_skills(skills: ref.SkillTaxonomy) -> None:
    assert len(skills) >= 150


def test_every_1131_group_has_ten_skills(tech: ref.TechLists, skills: ref.SkillTaxonomy) -> None:
    assert skills.area_list == LIST_1131
    for group in tech.get(LIST_1131).groups:
        assert len(skills.in_area(group.id)) >= 10, group.id


def test_skill_names_are_vietnamese(skills: ref.SkillTaxonomy) -> None:
    assert all(s.name_vi.strip() and s.name_en.strip() for s in skills)
    with_diacritics = sum(not s.name_vi.isascii() for s in skills)
    assert with_diacritics >= 0.7 * len(skills)
    for s in skills:
        for text in s.terms:
            assert unicodedata.normalize("NFC", text) == text, (s.id, text)


def test_skill_ids_are_ascii_slugs(skills: ref.SkillTaxonomy) -> None:
    for s in skills:
        assert s.id.isascii() and s.id == s.id.lower() and " " not in s.id
        assert s.areas


def test_no_broader_cycles(skills: ref.SkillTaxonomy) -> None:
    for s in skills:
        assert s.id not in skills.ancestors(s.id)
    data = ref.read_json(ref.SKILLS_FILE)
    assert ref._find_cycle({s["id"]: s["broader"] for s in data["skills"]}) is None


def test_hierarchy_has_depth(skills: ref.SkillTaxonomy) -> None:
    assert max(skills.depth(s.id) for s in skills) >= 2
    assert {"transformers", "deep-learning", "machine-learning"} <= set(
        skills.ancestors("large-language-models")
    )
    assert "machine-learning" in skills.ancestors("transformers")
    assert {"information-extraction", "machine-translation", "vietnamese-nlp"} <= set(
        skills.children("natural-language-processing")
    )
    assert "deep-learning" in skills.descendants("machine-learning")


def test_cs_research_skills_present(skills: ref.SkillTaxonomy) -> None:
    for sid in (
        "information-retrieval",
        "information-extraction",
        "intelligent-agents",
        "multi-agent-systems",
        "knowledge-representation",
        "computer-vision",
        "data-mining",
        "databases",
        "distributed-systems",
        "computer-networks",
        "cybersecurity",
        "human-computer-interaction",
        "software-engineering",
        "theory-of-computation",
        "systems-engineering",
        "rd-programme-management",
        "technology-transfer",
    ):
        assert sid in skills, sid


def test_lookup_by_alias(skills: ref.SkillTaxonomy) -> None:
    assert skills.lookup("LLM") == ("large-language-models",)
    assert skills.lookup("vlsi") == ("integrated-circuit-design",)
    assert skills.lookup("Học máy") == ("machine-learning",)
    assert skills.lookup(unicodedata.normalize("NFD", "Xử lý ngôn ngữ tự nhiên")) == (
        "natural-language-processing",
    )


# --- organizations ----------------------------------------------------------------------------


def test_organizations(orgs: ref.Organizations) -> None:
    assert len(orgs) >= 80
    assert any(o.domestic for o in orgs) and any(not o.domestic for o in orgs)
    assert len(orgs.countries) >= 8
    for oid in ("vast", "vietnam-national-space-center", "hust", "viettel", "fpt", "mit", "tsmc"):
        assert oid in orgs
    for o in orgs:
        assert len(o.country) == 2 and o.country.isupper()
        assert o.kind in ref.ORG_KINDS
        assert not o.top200 or o.kind == "UNIVERSITY"
        assert o.areas


# --- eligibility ------------------------------------------------------------------------------


def test_eligibility_uses_known_facts_only() -> None:
    assert ref.ELIGIBILITY_FACTS == KNOWN_FACTS
    elig = ref.load_eligibility()
    for scheme in elig.schemes:
        assert scheme.facts() <= KNOWN_FACTS, scheme.id
        assert scheme.mode in ("all", "any")
        assert set(scheme.roles) <= set(ref.TASK_ROLES)
    decrees = {s.decree for s in elig.schemes}
    assert decrees == {"231/2025/NĐ-CP", "249/2025/NĐ-CP", "263/2025/NĐ-CP"}
    assert {s.id for s in elig.for_role("CHIEF_ENGINEER")} >= {
        "nd231-system-chief-engineer",
        "nd231-project-chief-engineer",
    }


def test_eligibility_rules_round_trip() -> None:
    raw = ref.read_json(ref.ELIGIBILITY_FILE)
    elig = ref.load_eligibility()
    for raw_scheme, scheme in zip(raw["schemes"], elig.schemes, strict=True):
        for raw_c, c in zip(raw_scheme["criteria"], scheme.criteria, strict=True):
            assert c.rule.to_dict() == raw_c["rule"]
    first = elig.get("nd231-system-chief-engineer").criteria[0].rule
    assert first == ref.FactRule("yearsExperience", ">=", 10)


# --- names ------------------------------------------------------------------------------------


def test_names() -> None:
    names = ref.load_names()
    assert abs(sum(f.share for f in names.family_names) - 100) < 1.0
    shares = {f.name: f.share for f in names.family_names}
    assert shares["Nguyễn"] == 38 and shares["Trần"] == 11 and shares["Lê"] == 9.5
    assert any(f.syllables == 2 for f in names.family_names)
    assert {f.name: f.variant_of for f in names.family_names}["Huỳnh"] == "Hoàng"
    assert len(names.middle_names) >= 30 and len(names.given_names) >= 120
    assert {h.abbr for h in names.honorifics} >= {"GS.", "PGS.", "TS.", "ThS.", "KS."}
    hosts = [h.country for h in names.host_countries]
    assert hosts[:8] == ["US", "JP", "FR", "AU", "CA", "TW", "KR", "DE"]


# --- versions and caching ---------------------------------------------------------------------


def test_versions_and_cache() -> None:
    for name in (
        ref.TECH_FILE,
        ref.SKILLS_FILE,
        ref.ORGANIZATIONS_FILE,
        ref.ELIGIBILITY_FILE,
        ref.NAMES_FILE,
    ):
        assert ref.read_json(name)["version"] == ref.DATA_VERSION
    assert ref.load_skills() is ref.load_skills()
    assert ref.load_tech_lists().version == ref.DATA_VERSION


# --- corrupted copies are rejected ------------------------------------------------------------


def _skills() -> dict:
    return copy.deepcopy(ref.read_json(ref.SKILLS_FILE))


def _skill(data: dict, sid: str) -> dict:
    return next(s for s in data["skills"] if s["id"] == sid)


def test_packaged_files_validate() -> None:
    ref.validate_tech_lists(ref.read_json(ref.TECH_FILE))
    ref.validate_skills(ref.read_json(ref.SKILLS_FILE))
    ref.validate_organizations(ref.read_json(ref.ORGANIZATIONS_FILE))
    ref.validate_eligibility(ref.read_json(ref.ELIGIBILITY_FILE))
    ref.validate_names(ref.read_json(ref.NAMES_FILE))


def test_rejects_dangling_broader() -> None:
    data = _skills()
    _skill(data, "deep-learning")["broader"] = ["no-such-skill"]
    with pytest.raises(ValueError, match=r"skills\.json: deep-learning: broader\[0\]"):
        ref.validate_skills(data)


def test_rejects_broader_cycle() -> None:
    data = _skills()
    _skill(data, "machine-learning")["broader"] = ["large-language-models"]
    with pytest.raises(ValueError, match="cycle"):
        ref.validate_skills(data)


def test_rejects_unknown_area_and_duplicate_id() -> None:
    data = _skills()
    _skill(data, "robotics")["areas"] = ["robotics-automation-2026"]
    with pytest.raises(ValueError, match=r"robotics: areas\[0\]"):
        ref.validate_skills(data)
    data = _skills()
    data["skills"].append(copy.deepcopy(_skill(data, "robotics")))
    with pytest.raises(ValueError, match="robotics: id: duplicate"):
        ref.validate_skills(data)


def test_rejects_text_not_nfc() -> None:
    data = _skills()
    _skill(data, "robotics")["nameVi"] = unicodedata.normalize("NFD", "Robot học")
    with pytest.raises(ValueError, match="robotics: nameVi: .*NFC"):
        ref.validate_skills(data)


def test_rejects_bad_organization() -> None:
    data = copy.deepcopy(ref.read_json(ref.ORGANIZATIONS_FILE))
    data["organizations"][0]["country"] = "vn"
    with pytest.raises(ValueError, match=r"organizations\.json: .*: country"):
        ref.validate_organizations(data)
    data = copy.deepcopy(ref.read_json(ref.ORGANIZATIONS_FILE))
    viettel = next(o for o in data["organizations"] if o["id"] == "viettel")
    viettel["top200"] = True
    with pytest.raises(ValueError, match="viettel: top200"):
        ref.validate_organizations(data)


def test_rejects_unknown_fact_and_bad_op() -> None:
    data = copy.deepcopy(ref.read_json(ref.ELIGIBILITY_FILE))
    data["schemes"][0]["criteria"][0]["rule"] = {"fact": "shoeSize", "op": ">=", "value": 40}
    with pytest.raises(ValueError, match="shoeSize"):
        ref.validate_eligibility(data)
    data = copy.deepcopy(ref.read_json(ref.ELIGIBILITY_FILE))
    data["schemes"][0]["criteria"][0]["rule"] = {"fact": "hasPhd", "op": ">=", "value": 1}
    with pytest.raises(ValueError, match="does not suit"):
        ref.validate_eligibility(data)


def test_rejects_bad_tech_list() -> None:
    data = copy.deepcopy(ref.read_json(ref.TECH_FILE))
    data["lists"][1]["groups"][0]["replaces"] = ["nowhere"]
    with pytest.raises(ValueError, match=r"replaces\[0\]"):
        ref.validate_tech_lists(data)
    data = copy.deepcopy(ref.read_json(ref.TECH_FILE))
    data["lists"][1]["groups"][0]["id"] = data["lists"][0]["groups"][0]["id"]
    with pytest.raises(ValueError, match="duplicate"):
        ref.validate_tech_lists(data)


def test_rejects_name_shares_off() -> None:
    data = copy.deepcopy(ref.read_json(ref.NAMES_FILE))
    data["familyNames"][0]["share"] = 60
    with pytest.raises(ValueError, match="sum"):
        ref.validate_names(data)
