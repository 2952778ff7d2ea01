"""Taxonomy and organizations: ``techLists``, ``techAreas``, ``skills``, ``organizations``."""

from __future__ import annotations

from starlette.testclient import TestClient

from registry.db import Database
from tests.api.support import codes, covers, gql, person, seed


@covers("techLists")
def test_tech_lists_with_their_groups(client: TestClient):
    lists = gql(client, "{ techLists { id decision validFrom areas { id code } } }")
    found = {t["id"]: t for t in lists["data"]["techLists"]}
    assert found["qd-1131-2025"]["decision"] == "1131/QĐ-TTg"
    assert found["qd-1131-2025"]["validFrom"] == "2025-06-12"
    assert len(found["qd-1131-2025"]["areas"]) == 11


@covers("techAreas")
def test_tech_areas_of_one_list_or_all(client: TestClient):
    query = "query($l: ID) { techAreas(listId: $l) { id listId nameVi nameEn confirmed } }"
    one = gql(client, query, {"l": "qd-1131-2025"})["data"]["techAreas"]
    assert len(one) == 11 and {a["listId"] for a in one} == {"qd-1131-2025"}
    assert "ai-digital-twin-xr" in {a["id"] for a in one}
    every = gql(client, query)["data"]["techAreas"]
    assert len(every) >= len(one)
    assert gql(client, query, {"l": "no-such-list"})["data"]["techAreas"] == []


@covers("skills")
def test_skills_in_vietnamese_english_and_aliases_with_the_tree(client: TestClient):
    query = """query($q: String, $n: Int) { skills(query: $q, first: $n) {
      id nameVi nameEn aliasesEn broader { id } narrower { id } areas { id } } }"""
    assert gql(client, query, {"q": "học máy"})["data"]["skills"][0]["id"] == "machine-learning"
    assert gql(client, query, {"q": "hoc sau"})["data"]["skills"][0]["id"] == "deep-learning"
    assert gql(client, query, {"q": "machine learn"})["data"]["skills"][0]["id"] \
        == "machine-learning"
    by_alias = gql(client, query, {"q": "DNN"})["data"]["skills"]
    assert by_alias[0]["id"] == "deep-learning"
    dl = by_alias[0]
    assert dl["broader"] == [{"id": "machine-learning"}]
    assert {"id": "transformers"} in dl["narrower"]
    assert {"id": "ai-digital-twin-xr"} in dl["areas"]
    assert len(gql(client, query, {"n": 5})["data"]["skills"]) == 5
    assert codes(gql(client, query, {"n": 500}, expect_errors=True)) == ["BAD_USER_INPUT"]


@covers("organizations")
def test_organizations_filtered_and_paged(client: TestClient, db: Database):
    seed(db, [person(1, employment=[{"organization": {
        "name": "Viện Vi mạch Đà Nẵng", "country": "VN", "kind": "INSTITUTE"}}])])
    query = """query($f: OrganizationFilter, $n: Int, $a: String) {
      organizations(filter: $f, first: $n, after: $a) {
        nodes { id name kind country } pageInfo { hasNextPage endCursor } } }"""
    found = gql(client, query, {"f": {"query": "vi mach da nang"}})["data"]["organizations"]
    assert [o["name"] for o in found["nodes"]] == ["Viện Vi mạch Đà Nẵng"]
    assert found["nodes"][0]["kind"] == "INSTITUTE"
    universities = gql(client, query, {"f": {"kind": "UNIVERSITY", "country": "VN"}, "n": 100})
    assert all(o["kind"] == "UNIVERSITY" and o["country"] == "VN"
               for o in universities["data"]["organizations"]["nodes"])
    seen, after = [], None
    while True:
        page = gql(client, query, {"f": {"country": "VN"}, "n": 7, "a": after})
        conn = page["data"]["organizations"]
        seen += [o["id"] for o in conn["nodes"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert len(seen) == len(set(seen)) > 7
