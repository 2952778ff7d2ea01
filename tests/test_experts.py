"""The Expert aggregate on the real graph: create, read, update, delete, versions, folding."""

from __future__ import annotations

import pytest

from registry import experts
from registry.db import Database
from registry.errors import NotFound, ValidationError, VersionConflict
from registry.profile import validate_profile
from registry.search import ExpertFilter, Viewer, search_experts
from tests.factories import profile


def test_create_and_read_back_a_full_profile(db: Database):
    doc = experts.create_expert(db, profile())
    assert doc["version"] == 1
    assert doc["fullName"] == "Nguyễn Minh Đức"
    assert doc["residenceCountry"] == "US" and doc["diaspora"] == "OVERSEAS"
    assert {s["skill"] for s in doc["skills"]} == {"machine-learning", "deep-learning"}
    assert doc["employment"][0]["organization"]["name"] == "Analog Chips Inc."
    assert doc["publications"][0]["doi"] == "10.1109/isscc.2021.1234"
    assert doc["projects"][0]["relation"] == "LED"
    assert doc["projects"][0]["areas"] == ["semiconductor-chips"]
    assert doc["nameFolded"] == "nguyen minh duc"
    again = experts.read_profile(db, doc["id"])
    assert again == doc


def test_cards_and_parts_together_are_the_whole_profile(db: Database):
    doc = experts.create_expert(db, profile())
    cards = db.read(experts.read_cards, [doc["id"], "no-such-expert"])
    parts = db.read(experts.read_parts, [doc["id"]])
    assert set(cards) == {doc["id"]}
    card = cards[doc["id"]]
    assert not set(experts.PROFILE_PARTS) & set(card)  # a result list reads no lists
    whole = {**doc, "createdAt": doc["createdAt"].to_native(),
             "updatedAt": doc["updatedAt"].to_native()}
    assert {**card, **parts[doc["id"]]} == whole


def test_the_same_identity_gets_the_same_id():
    a = validate_profile(profile())
    b = validate_profile(profile(fullName="Nguyen Minh Duc"))
    assert a["id"] == b["id"]  # the e-mail identifies the record, not the folded name


def test_update_with_current_version_and_conflict_with_stale(db: Database):
    doc = experts.create_expert(db, profile())
    updated = experts.update_expert(db, doc["id"], 1, lambda d: {**d, "headline": "Kiến trúc sư SoC"})
    assert updated["version"] == 2 and updated["headline"] == "Kiến trúc sư SoC"
    with pytest.raises(VersionConflict) as err:
        experts.update_expert(db, doc["id"], 1, lambda d: {**d, "headline": "lost"})
    assert err.value.current == 2
    assert experts.read_profile(db, doc["id"])["headline"] == "Kiến trúc sư SoC"


def test_invalid_update_writes_nothing(db: Database):
    doc = experts.create_expert(db, profile())
    with pytest.raises(ValidationError) as err:
        experts.update_expert(db, doc["id"], 1, lambda d: {
            **d, "skills": [{"skill": "machine-learning", "level": 9}]})
    assert [e.path for e in err.value.errors] == ["skills.0.level"]
    assert experts.read_profile(db, doc["id"]) == doc


def test_remove_a_sub_item_and_orphaned_works_go(db: Database):
    doc = experts.create_expert(db, profile())
    experts.update_expert(db, doc["id"], 1, lambda d: {**d, "publications": [], "patents": []})
    assert db.query("MATCH (p:Publication) RETURN count(p) AS n")[0]["n"] == 0
    assert db.query("MATCH (p:Patent) RETURN count(p) AS n")[0]["n"] == 0


def test_shared_publication_links_coauthors(db: Database):
    pub = {"title": "Vietnamese LLM evaluation", "year": 2024, "doi": "10.1000/vi-llm"}
    a = experts.create_expert(db, profile(email="a@example.org", publications=[pub]))
    b = experts.create_expert(db, profile(email="b@example.org", fullName="Trần Thị Lan",
                                          publications=[pub]))
    rows = db.query("MATCH (x:Expert {id: $a})-[:AUTHORED]->(p)<-[:AUTHORED]-(y:Expert) "
                    "RETURN y.id AS id", a=a["id"])
    assert rows == [{"id": b["id"]}]


def test_coauthors_written_in_one_batch_share_a_work_and_its_areas_once(db: Database):
    project = {"title": "Vệ tinh quan sát", "startYear": 2020,
               "areas": ["semiconductor-chips", "robotics-automation"]}
    pub = {"title": "Ảnh vệ tinh", "year": 2021, "doi": "10.5555/shared"}
    docs = [validate_profile(profile(email=f"{n}@example.org", publications=[pub],
                                     projects=[{**project, "relation": rel}]))
            for n, rel in (("a", "LED"), ("b", "CONTRIBUTED"))]
    written = db.write(experts.write_profiles, docs)
    assert written == {docs[0]["id"]: True, docs[1]["id"]: True}
    [row] = db.query("""MATCH (p:Project) RETURN count(p) AS projects,
        COUNT { (p)-[:IN_AREA]->() } AS areas, COUNT { (:Expert)-[:LED]->(p) } AS led,
        COUNT { (:Expert)-[:CONTRIBUTED]->(p) } AS contributed,
        COUNT { (:Publication)<-[:AUTHORED]-() } AS authorships""")
    assert row == {"projects": 1, "areas": 2, "led": 1, "contributed": 1, "authorships": 2}


def test_delete(db: Database):
    doc = experts.create_expert(db, profile())
    with pytest.raises(VersionConflict):
        experts.delete_expert(db, doc["id"], 7)
    experts.delete_expert(db, doc["id"], 1)
    with pytest.raises(NotFound):
        experts.read_profile(db, doc["id"])
    assert db.query("MATCH (n) WHERE n:Publication OR n:Project RETURN count(n) AS n")[0]["n"] == 0


def test_creating_an_existing_id_is_refused(db: Database):
    experts.create_expert(db, profile())
    with pytest.raises(ValidationError) as err:
        experts.create_expert(db, profile())
    assert err.value.errors[0].path == "id"


@pytest.mark.parametrize("query, name", [
    ("Nguyen Duc", "Nguyễn Minh Đức"),
    ("nguyễn đức", "Nguyễn Minh Đức"),
    ("dang", "Đặng Văn Hải"),
    ("ĐẶNG", "Đặng Văn Hải"),
    ("Hai Dang", "Đặng Văn Hải"),
    ("sigma delta", None),
])
def test_folding_search_finds_vietnamese_names(db: Database, query, name):
    experts.create_expert(db, profile())
    experts.create_expert(db, profile(email="hai@example.org", fullName="Đặng Văn Hải",
                                      headline="Robot tự hành", publications=[], patents=[]))
    page = search_experts(db, filter=ExpertFilter(text=query), viewer=Viewer(signed_in=True))
    names = [experts.read_profile(db, i)["fullName"] for i in page.ids]
    if name is None:
        assert names == []  # patents are not part of the text index
    else:
        assert names[0] == name


def test_a_search_typed_with_diacritics_ranks_that_spelling_first(db: Database):
    def add(name: str, key: str) -> str:
        return experts.create_expert(db, profile(
            email=f"{key}@example.org", fullName=name, headline="Thiết kế vi mạch",
            publications=[], patents=[]))["id"]

    family = add("Đặng Văn Hải", "hai")
    given = add("Lê Văn Đăng", "dang")
    plain = add("Dang Van Cuong", "cuong")  # an overseas record without diacritics
    hung, hưng = add("Trần Văn Hùng", "hung"), add("Trần Văn Hưng", "hung2")

    def ranked(text: str) -> list[str]:
        pages = [search_experts(db, filter=ExpertFilter(text=text), viewer=Viewer(admin=True),
                                first=10, in_memory=flag) for flag in (True, False)]
        assert pages[0].ids == pages[1].ids and pages[0].scores == pages[1].scores
        return pages[0].ids

    assert set(ranked("dang")) == set(ranked("Đặng")) == set(ranked("Đăng")) == {
        family, given, plain}  # folding still finds every spelling
    assert ranked("Đặng")[0] == family
    assert ranked("ĐĂNG")[0] == given
    assert ranked("Hùng")[0] == hung and ranked("Hưng")[0] == hưng
    assert ranked("trần văn hùng")[0] == hung
    assert set(ranked("Hung")) == {hung, hưng}
    assert ranked("Đặng Zzyzx") == ranked("Hùng Đặng") == []  # names alone match nothing


def _organizations(db: Database) -> set[str]:
    return {r["name"] for r in db.query("MATCH (o:Organization) RETURN o.name AS name")}


def test_organizations_a_profile_made_go_when_nothing_links_them(db: Database):
    def job(name: str) -> dict:
        return {"organization": {"name": name, "country": "US", "kind": "COMPANY"},
                "title": "Engineer", "from": 2015}

    reference = "Vietnam Academy of Science and Technology"
    a = experts.create_expert(db, profile(employment=[job("Analog Chips Inc."), job("Shared Co."),
                                                      job("Noted Co.")],
                                          education=[{"organization": "vast", "degree": "PHD",
                                                      "year": 2012}]))
    b = experts.create_expert(db, profile(email="b@example.org", orcid=None,
                                          employment=[job("Shared Co.")], education=[]))
    # A link that is not an expert's: the organization is kept for it.
    db.execute("MATCH (o:Organization {name: 'Noted Co.'}) CREATE (:Note)-[:ABOUT]->(o)")
    assert {"Analog Chips Inc.", "Shared Co.", "Noted Co.", reference} <= _organizations(db)

    experts.update_expert(db, a["id"], a["version"],
                          lambda d: {**d, "employment": [], "education": []})
    left = _organizations(db)
    assert "Analog Chips Inc." not in left  # only this profile listed it
    assert {"Shared Co.", "Noted Co.", reference} <= left  # another expert, a note, reference

    experts.delete_expert(db, b["id"], b["version"])
    assert "Shared Co." not in _organizations(db)
    assert {"Noted Co.", reference} <= _organizations(db)
