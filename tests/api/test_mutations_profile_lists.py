"""Edits of a profile's lists: skills by taxonomy id, the six ordered lists by position; each
mutation with its success and typed failures, problems at the caller's paths."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from registry import experts
from registry.db import Database
from tests.api.conftest import Callers
from tests.api.mutation_support import mutate, paths


@dataclass(frozen=True)
class Section:
    """One ordered list of a profile, with a valid and an invalid item for it."""

    key: str  # the profile's list, as the Expert type names it
    item: str  # the mutation suffix: addEmployment, updateEmployment, removeEmployment
    label: str  # a field of the Expert type's item that tells items apart
    valid: dict[str, Any]
    label_of_valid: Any
    invalid: dict[str, Any]
    invalid_paths: frozenset[str]

    def select(self) -> str:
        return f"expert {{ version {self.key} {{ {self.label} }} }}"

    def labels(self, result: dict[str, Any]) -> list[Any]:
        return [x[self.label] for x in result["expert"][self.key]]


SECTIONS = [
    Section("employment", "Employment", "title",
            {"organization": {"name": "Viettel High Tech", "country": "VN"},
             "title": "Kỹ sư trưởng", "from": 2020}, "Kỹ sư trưởng",
            {"organization": {"name": "Nowhere Labs", "country": "ZZ"}, "from": 2020,
             "to": 2010},
            frozenset({"item.organization.country", "item.to"})),
    Section("education", "Education", "degree",
            {"organization": {"name": "MIT", "country": "US", "kind": "UNIVERSITY"},
             "degree": "PHD", "year": 2012}, "PHD",
            {"organization": {"name": "MIT"}, "degree": "MASTER", "year": 1800},
            frozenset({"item.organization.country", "item.year"})),
    Section("publications", "Publication", "title",
            {"title": "Quantum error correction on superconducting qubits", "year": 2023,
             "doi": "10.1000/qec.2023"}, "Quantum error correction on superconducting qubits",
            {"title": "  ", "doi": "not-a-doi"},
            frozenset({"item.title", "item.doi"})),
    Section("patents", "Patent", "title",
            {"title": "Bộ điều chế sigma-delta công suất thấp", "number": "VN-2-0001",
             "year": 2022}, "Bộ điều chế sigma-delta công suất thấp",
            {"title": "Một sáng chế", "country": "XX"},
            frozenset({"item.country"})),
    Section("projects", "Project", "title",
            {"title": "Vi mạch camera AI biên", "relation": "LED", "startYear": 2020,
             "areas": ["semiconductor-chips"]}, "Vi mạch camera AI biên",
            {"title": "Dự án", "startYear": 2020, "endYear": 2019, "areas": ["no-such-area"]},
            frozenset({"item.endYear", "item.areas.0"})),
    Section("awards", "Award", "title",
            {"title": "Giải thưởng Tạ Quang Bửu", "year": 2021}, "Giải thưởng Tạ Quang Bửu",
            {"title": "Giải", "year": 3000},
            frozenset({"item.year"})),
]
IDS = [s.key for s in SECTIONS]


def edit(callers: Callers, **fields: Any) -> dict[str, Any]:
    return {"id": callers.expert_id, "version": 1, **fields}


# --- the six ordered lists -------------------------------------------------------------------

@pytest.mark.parametrize("s", SECTIONS, ids=IDS)
def test_add_appends_at_the_end(client, callers: Callers, s: Section):
    result = mutate(client, f"add{s.item}", edit(callers, item=s.valid), token=callers.owner,
                    success=s.select())
    assert result["__typename"] == "ProfileUpdated"
    assert result["expert"]["version"] == 2
    labels = s.labels(result)
    assert len(labels) == 2 and labels[-1] == s.label_of_valid


@pytest.mark.parametrize("s", SECTIONS, ids=IDS)
def test_add_at_a_position(client, callers: Callers, s: Section):
    result = mutate(client, f"add{s.item}", edit(callers, item=s.valid, position=0),
                    token=callers.owner, success=s.select())
    assert s.labels(result)[0] == s.label_of_valid


@pytest.mark.parametrize("s", SECTIONS, ids=IDS)
def test_update_replaces_the_item_at_a_position(client, callers: Callers, s: Section):
    result = mutate(client, f"update{s.item}", edit(callers, position=0, item=s.valid),
                    token=callers.owner, success=s.select())
    assert result["__typename"] == "ProfileUpdated"
    assert s.labels(result) == [s.label_of_valid]


@pytest.mark.parametrize("s", SECTIONS, ids=IDS)
def test_remove_takes_the_item_out(client, db: Database, callers: Callers, s: Section):
    result = mutate(client, f"remove{s.item}", edit(callers, position=0), token=callers.owner,
                    success=s.select())
    assert result["__typename"] == "ProfileUpdated"
    assert s.labels(result) == []
    assert experts.read_profile(db, callers.expert_id)[s.key] == []


@pytest.mark.parametrize("s", SECTIONS, ids=IDS)
def test_an_invalid_item_is_reported_at_item_paths(client, db: Database, callers: Callers,
                                                   s: Section):
    added = mutate(client, f"add{s.item}", edit(callers, item=s.invalid), token=callers.owner)
    assert set(paths(added)) == s.invalid_paths
    updated = mutate(client, f"update{s.item}", edit(callers, position=0, item=s.invalid),
                     token=callers.owner)
    assert set(paths(updated)) == s.invalid_paths
    assert experts.read_profile(db, callers.expert_id)["version"] == 1


@pytest.mark.parametrize("s", SECTIONS, ids=IDS)
def test_a_position_out_of_range_is_reported_at_position(client, callers: Callers,
                                                         s: Section):
    cases = [(f"add{s.item}", {"item": s.valid, "position": 2}),
             (f"update{s.item}", {"item": s.valid, "position": 1}),
             (f"remove{s.item}", {"position": -1})]
    for field, fields in cases:
        found = paths(mutate(client, field, edit(callers, **fields), token=callers.owner))
        assert list(found) == ["position"], field
        assert "between 0 and" in found["position"]


@pytest.mark.parametrize("s", SECTIONS, ids=IDS)
def test_list_edits_answer_conflict_not_found_and_not_allowed(client, callers: Callers,
                                                              s: Section):
    for field, fields in ((f"add{s.item}", {"item": s.valid}),
                          (f"update{s.item}", {"position": 0, "item": s.valid}),
                          (f"remove{s.item}", {"position": 0})):
        stale = mutate(client, field, {**edit(callers, **fields), "version": 9},
                       token=callers.owner)
        assert stale["__typename"] == "VersionConflict" and stale["currentVersion"] == 1
        missing = mutate(client, field, {**edit(callers, **fields), "id": "nobody"},
                         token=callers.admin)
        assert missing["__typename"] == "NotFound", field
        refused = mutate(client, field, edit(callers, **fields), token=callers.other_expert)
        assert refused["__typename"] == "NotAllowed", field


def test_removing_from_an_empty_list_says_so(client, callers: Callers):
    assert mutate(client, "removeAward", edit(callers, position=0),
                  token=callers.owner)["__typename"] == "ProfileUpdated"
    found = paths(mutate(client, "removeAward", {**edit(callers, position=0), "version": 2},
                         token=callers.owner))
    assert "no awards" in found["position"]


def test_updating_a_work_shared_with_a_co_author_leaves_theirs(client, db: Database,
                                                               callers: Callers):
    """An edit gives the edited work the id of its new content, so the co-author's copy (the
    node they share) is not rewritten under them."""
    pub = experts.read_profile(db, callers.expert_id)["publications"][0]
    other = experts.read_profile(db, callers.other_expert_id)
    assert other["publications"][0]["id"] == pub["id"]  # the factory gives both the same work
    mutate(client, "updatePublication",
           edit(callers, position=0, item={"title": "A different paper", "year": 2024}),
           token=callers.owner)
    assert experts.read_profile(db, callers.other_expert_id)["publications"][0]["title"] == \
        pub["title"]


# --- skills ----------------------------------------------------------------------------------

SKILLS = "expert { version skills { level years source skill { id } } }"


def skills(result: dict[str, Any]) -> dict[str, tuple[int, str]]:
    return {s["skill"]["id"]: (s["level"], s["source"]) for s in result["expert"]["skills"]}


def test_set_skills_replaces_them_and_keeps_sources(client, db: Database, callers: Callers):
    experts.update_expert(db, callers.expert_id, 1, lambda d: {**d, "skills": [
        {**s, "source": "VERIFIED"} if s["skill"] == "machine-learning" else s
        for s in d["skills"]]})
    result = mutate(client, "setSkills",
                    {"id": callers.expert_id, "version": 2,
                     "skills": [{"skill": "machine-learning", "level": 5},
                                {"skill": "computer-vision", "level": 2, "years": 1}]},
                    token=callers.owner, success=SKILLS)
    assert skills(result) == {"machine-learning": (5, "VERIFIED"),
                              "computer-vision": (2, "SELF")}


def test_set_skills_reports_paths_into_the_list(client, callers: Callers):
    result = mutate(client, "setSkills",
                    edit(callers, skills=[{"skill": "machine-learning"},
                                          {"skill": "deep-learning", "level": 9},
                                          {"skill": "no-such-skill"},
                                          {"skill": "machine-learning"}]),
                    token=callers.owner)
    assert set(paths(result)) == {"skills.1.level", "skills.2.skill", "skills.3.skill"}


def test_add_update_and_remove_a_skill(client, callers: Callers):
    added = mutate(client, "addSkill", edit(callers, item={"skill": "computer-vision",
                                                           "level": 2}),
                   token=callers.owner, success=SKILLS)
    assert skills(added)["computer-vision"] == (2, "SELF")
    changed = mutate(client, "updateSkill",
                     {**edit(callers, item={"skill": "computer-vision", "level": 4}),
                      "version": 2}, token=callers.owner, success=SKILLS)
    assert skills(changed)["computer-vision"] == (4, "SELF")
    removed = mutate(client, "removeSkill",
                     {**edit(callers, skill="computer-vision"), "version": 3},
                     token=callers.owner, success=SKILLS)
    assert set(skills(removed)) == {"machine-learning", "deep-learning"}


def test_skill_edits_name_the_problem_at_the_input(client, callers: Callers):
    again = mutate(client, "addSkill", edit(callers, item={"skill": "machine-learning"}),
                   token=callers.owner)
    assert "already" in paths(again)["item.skill"]
    unknown = mutate(client, "addSkill", edit(callers, item={"skill": "no-such-skill"}),
                     token=callers.owner)
    assert list(paths(unknown)) == ["item.skill"]
    level = mutate(client, "addSkill", edit(callers, item={"skill": "computer-vision",
                                                           "level": 0}),
                   token=callers.owner)
    assert list(paths(level)) == ["item.level"]
    absent = mutate(client, "updateSkill", edit(callers, item={"skill": "computer-vision"}),
                    token=callers.owner)
    assert "addSkill" in paths(absent)["item.skill"]
    bad_level = mutate(client, "updateSkill", edit(callers, item={"skill": "deep-learning",
                                                                  "level": 6}),
                       token=callers.owner)
    assert list(paths(bad_level)) == ["item.level"]
    gone = mutate(client, "removeSkill", edit(callers, skill="computer-vision"),
                  token=callers.owner)
    assert list(paths(gone)) == ["skill"]


@pytest.mark.parametrize("field, fields", [
    ("setSkills", {"skills": []}),
    ("addSkill", {"item": {"skill": "computer-vision"}}),
    ("updateSkill", {"item": {"skill": "machine-learning", "level": 1}}),
    ("removeSkill", {"skill": "machine-learning"}),
])
def test_skill_edits_answer_conflict_not_found_and_not_allowed(client, callers: Callers,
                                                               field: str, fields: dict):
    stale = mutate(client, field, {**edit(callers, **fields), "version": 5},
                   token=callers.owner)
    assert stale["__typename"] == "VersionConflict"
    missing = mutate(client, field, {**edit(callers, **fields), "id": "nobody"},
                     token=callers.admin)
    assert missing["__typename"] == "NotFound"
    refused = mutate(client, field, edit(callers, **fields), token=callers.hr)
    assert refused["__typename"] == "NotAllowed"
    assert mutate(client, field, edit(callers, **fields),
                  token=callers.admin)["__typename"] == "ProfileUpdated"


def test_an_item_names_any_organization_of_the_registry_by_id(client, db: Database,
                                                              callers: Callers):
    """Reference organizations and those that came in with profiles alike (the web's picker
    offers both)."""
    [job] = experts.read_profile(db, callers.expert_id)["employment"]
    from_profile = job["organization"]["id"]  # "Analog Chips Inc.", entered with the profile
    select = "expert { employment { organization { id name } } }"
    result = mutate(client, "addEmployment",
                    edit(callers, item={"organization": {"id": from_profile}, "title": "CTO"}),
                    token=callers.owner, success=select)
    assert [e["organization"]["id"] for e in result["expert"]["employment"]] == \
        [from_profile, from_profile]
    unknown = mutate(client, "addEmployment",
                     {**edit(callers, item={"organization": {"id": "no-such-org"}}),
                      "version": 2}, token=callers.owner)
    assert list(paths(unknown)) == ["item.organization"]
