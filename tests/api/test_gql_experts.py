"""Reading experts: ``expert``, ``experts`` (search, filters, sort, pages) and ``facets``."""

from __future__ import annotations

from starlette.testclient import TestClient

from registry.db import Database
from tests.api.conftest import Callers
from tests.api.support import codes, covers, gql, person, seed

EXPERT = "query($id: ID!) { expert(id: $id) { id fullName visibility } }"
SEARCH = """query($filter: ExpertFilter, $sort: ExpertSort, $first: Int, $after: String) {
  experts(filter: $filter, sort: $sort, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor relevance node { id fullName } } } }"""


def _names(body: dict) -> list[str]:
    return [e["node"]["fullName"] for e in body["data"]["experts"]["edges"]]


@covers("expert")
def test_expert_visibility_for_every_role(client: TestClient, db: Database, callers: Callers):
    public, registered, private = seed(db, [
        person(1, fullName="Công Khai", visibility="PUBLIC"),
        person(2, fullName="Đăng Ký", visibility="REGISTERED"),
        person(3, fullName="Riêng Tư", visibility="PRIVATE"),
    ])
    expected = {
        None: {public},
        callers.hr: {public, registered},
        callers.lead: {public, registered},
        callers.other_expert: {public, registered},
        callers.admin: {public, registered, private},
    }
    for token, visible in expected.items():
        for expert_id in (public, registered, private):
            found = gql(client, EXPERT, {"id": expert_id}, token=token)["data"]["expert"]
            assert (found is not None) == (expert_id in visible), (token, expert_id)
    # Not visible and not there look the same: null, no error.
    assert gql(client, EXPERT, {"id": "no-such-expert"})["data"]["expert"] is None


def test_owner_sees_own_private_profile(client: TestClient, db: Database, callers: Callers):
    (mine,) = seed(db, [person(9001, fullName="Chủ Hồ Sơ", visibility="PRIVATE")])
    assert mine == callers.expert_id
    found = gql(client, EXPERT, {"id": mine}, token=callers.owner)["data"]["expert"]
    assert found["visibility"] == "PRIVATE"
    assert gql(client, EXPERT, {"id": mine}, token=callers.other_expert)["data"]["expert"] is None


def test_expert_has_the_profile_fields(client: TestClient, db: Database):
    (eid,) = seed(db, [person(1)])
    query = """query($id: ID!) { expert(id: $id) {
      fullName honorific headline residenceCountry diaspora languages yearsExperience hIndex
      availability visibility contactConsent verified version updatedAt
      skills { level years source skill { id nameEn nameVi } }
      employment { title from to organization { name country } }
      education { degree year organization { name } }
      publications { title doi year venue } patents { number granted }
      projects { title relation scale outcome areas { id } } awards { title international }
      techAreas { id nameEn } } }"""
    e = gql(client, query, {"id": eid})["data"]["expert"]
    assert e["fullName"] == "Nguyễn Minh Đức" and e["honorific"] == "TS."
    assert e["residenceCountry"] == "US" and e["diaspora"] == "OVERSEAS"
    assert e["version"] == 1 and e["updatedAt"]
    assert {s["skill"]["id"] for s in e["skills"]} == {"machine-learning", "deep-learning"}
    assert {s["skill"]["nameVi"] for s in e["skills"]} == {"Học máy", "Học sâu"}
    assert e["employment"][0]["organization"]["name"] == "Analog Chips Inc."
    assert e["employment"][0]["from"] == 2016 and e["employment"][0]["to"] is None
    assert e["education"][0]["degree"] == "ENGINEER"
    assert e["publications"][0]["doi"] == "10.1109/isscc.2021.1234"
    assert e["projects"][0]["relation"] == "LED"
    assert e["projects"][0]["areas"] == [{"id": "semiconductor-chips"}]
    assert "ai-digital-twin-xr" in {a["id"] for a in e["techAreas"]}


@covers("experts")
def test_pages_return_each_expert_exactly_once(client: TestClient, db: Database):
    seed(db, [person(i, fullName=f"Nguyễn Văn {name}") for i, name in enumerate(
        ["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà", "Khoa", "Long", "Minh", "Nam"])])
    seen, after, pages = [], None, 0
    while True:
        body = gql(client, SEARCH, {"first": 4, "after": after, "sort": "NAME"})
        conn = body["data"]["experts"]
        assert conn["totalCount"] == 11
        seen += [e["node"]["id"] for e in conn["edges"]]
        pages += 1
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
        assert after == conn["edges"][-1]["cursor"]
    assert pages == 3 and len(seen) == 11 and len(set(seen)) == 11


def test_text_search_pages_keep_relevance_order_count_and_each_expert_once(
        client: TestClient, db: Database):
    # Matches differ in relevance (more matching publications score higher); one expert of
    # the text is filtered out by country and one does not match at all.
    plain = {"headline": "Kỹ sư", "bio": None, "residenceCountry": "VN"}
    seed(db, [person(i, fullName=f"Phạm Văn {name}", **plain, publications=[
        {"title": f"Vi mạch công suất thấp số {k}", "year": 2020 + k} for k in range(i % 4)])
        for i, name in enumerate(["An", "Bình", "Cường", "Dũng", "Đức", "Giang", "Hà"], 1)]
        + [person(20, fullName="Lý Vi Mạch", **{**plain, "residenceCountry": "JP"}),
           person(21, fullName="Hồ Không Liên Quan", **plain)])
    flt = {"text": "vi mach", "residenceCountries": ["VN"]}
    whole = gql(client, SEARCH, {"filter": flt, "first": 100})["data"]["experts"]
    assert whole["totalCount"] == len(whole["edges"]) == 6  # i % 4 == 0 lists no work
    seen, scores, after = [], [], None
    while True:
        conn = gql(client, SEARCH, {"filter": flt, "first": 2, "after": after})["data"]["experts"]
        assert conn["totalCount"] == 6
        seen += [e["node"]["id"] for e in conn["edges"]]
        scores += [e["relevance"] for e in conn["edges"]]
        if not conn["pageInfo"]["hasNextPage"]:
            break
        after = conn["pageInfo"]["endCursor"]
    assert seen == [e["node"]["id"] for e in whole["edges"]] and len(set(seen)) == 6
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1] > 0


def test_sort_by_name_follows_vietnamese_order(client: TestClient, db: Database):
    names = ["Nguyễn Văn Đức", "Trần Thị Dũng", "Lê An", "Phạm Ánh", "Hoàng Văn Bình",
             "Vũ Thị Ân", "Đỗ Văn Anh"]
    seed(db, [person(i, fullName=n) for i, n in enumerate(names)])
    body = gql(client, SEARCH, {"sort": "NAME", "first": 20})
    # By given name, letter by letter in the Vietnamese alphabet (a ă â ... d đ), then tone.
    assert _names(body) == ["Lê An", "Đỗ Văn Anh", "Phạm Ánh", "Vũ Thị Ân", "Hoàng Văn Bình",
                            "Trần Thị Dũng", "Nguyễn Văn Đức"]


def test_other_sorts(client: TestClient, db: Database):
    seed(db, [person(1, fullName="Lê An", hIndex=3, yearsExperience=30),
              person(2, fullName="Trần Bình", hIndex=40, yearsExperience=5)])
    assert _names(gql(client, SEARCH, {"sort": "H_INDEX"})) == ["Trần Bình", "Lê An"]
    assert _names(gql(client, SEARCH, {"sort": "EXPERIENCE"})) == ["Lê An", "Trần Bình"]
    assert len(_names(gql(client, SEARCH, {"sort": "UPDATED"}))) == 2


def test_experience_not_stated_is_null_unmatched_and_sorted_last(client: TestClient,
                                                                 db: Database):
    unknown, beginner, senior = seed(db, [
        person(1, fullName="Lê An", yearsExperience=None),
        person(2, fullName="Trần Bình", yearsExperience=0),
        person(3, fullName="Vũ Cường", yearsExperience=12)])
    shown = gql(client, "query($id: ID!) { expert(id: $id) { yearsExperience } }",
                {"id": unknown})["data"]["expert"]
    assert shown == {"yearsExperience": None}
    assert db.query("MATCH (e:Expert {id: $id}) RETURN e.yearsExperience AS y",
                    id=beginner) == [{"y": 0}]
    # Descending, and unknown after every stated number (Cypher alone would put null first).
    assert _names(gql(client, SEARCH, {"sort": "EXPERIENCE"})) == [
        "Vũ Cường", "Trần Bình", "Lê An"]
    at_least = {"sort": "NAME", "filter": {"minYearsExperience": 0}}
    assert _names(gql(client, SEARCH, at_least)) == ["Trần Bình", "Vũ Cường"]
    assert senior


def test_folding_search_over_http(client: TestClient, db: Database):
    seed(db, [person(1, fullName="Nguyễn Đức Thắng"), person(2, fullName="Trần Văn Hùng")])
    body = gql(client, SEARCH, {"filter": {"text": "nguyen duc"}})
    assert _names(body) == ["Nguyễn Đức Thắng"]
    assert body["data"]["experts"]["edges"][0]["relevance"] > 0


def test_text_search_covers_publications(client: TestClient, db: Database):
    seed(db, [person(1, fullName="Lê An", publications=[
        {"title": "Lượng tử hoá mạng nơ-ron cho thiết bị biên", "year": 2023}]),
        person(2, fullName="Trần Bình", publications=[])])
    assert _names(gql(client, SEARCH, {"filter": {"text": "luong tu hoa"}})) == ["Lê An"]


def test_filters(client: TestClient, db: Database):
    seed(db, [
        person(1, fullName="Lê An", residenceCountry="VN", hIndex=20, yearsExperience=15,
               availability="FULL_TIME", languages=["vi", "en", "ja"], verified=True,
               skills=[{"skill": "transformers", "level": 4}]),
        person(2, fullName="Trần Bình", residenceCountry="DE", hIndex=5, yearsExperience=3,
               availability="ADVISORY", languages=["vi", "de"],
               skills=[{"skill": "soc-design", "level": 5}]),
    ])

    def names(f: dict) -> list[str]:
        return _names(gql(client, SEARCH, {"filter": f, "sort": "NAME"}))

    # A skill includes its narrower ones: transformers < deep learning < machine learning.
    assert names({"skills": ["machine-learning"]}) == ["Lê An"]
    assert names({"skills": ["machine-learning", "soc-design"]}) == ["Lê An", "Trần Bình"]
    assert names({"skills": ["machine-learning", "soc-design"], "skillsMatch": "ALL"}) == []
    assert names({"techAreas": ["semiconductor-chips"]}) == ["Trần Bình"]
    assert names({"residenceCountries": ["de"]}) == ["Trần Bình"]
    assert names({"diaspora": ["DOMESTIC"]}) == ["Lê An"]
    assert names({"availability": ["ADVISORY", "PART_TIME"]}) == ["Trần Bình"]
    assert names({"minYearsExperience": 10}) == ["Lê An"]
    assert names({"minHIndex": 10}) == ["Lê An"]
    assert names({"languages": ["ja", "en"]}) == ["Lê An"]
    assert names({"verified": True}) == ["Lê An"]
    org = "analog-chips-inc-us"
    assert names({"organizationId": org}) == ["Lê An", "Trần Bình"]


def test_search_respects_visibility(client: TestClient, db: Database, callers: Callers):
    seed(db, [person(1, fullName="Công Khai", visibility="PUBLIC", residenceCountry="JP"),
              person(2, fullName="Đăng Ký", visibility="REGISTERED", residenceCountry="JP"),
              person(3, fullName="Riêng Tư", visibility="PRIVATE", residenceCountry="JP")])
    in_japan = {"filter": {"residenceCountries": ["JP"]}, "sort": "NAME"}
    assert _names(gql(client, SEARCH, in_japan)) == ["Công Khai"]
    for token in (callers.hr, callers.lead, callers.other_expert):
        assert _names(gql(client, SEARCH, in_japan, token=token)) == ["Công Khai", "Đăng Ký"]
    assert len(_names(gql(client, SEARCH, in_japan, token=callers.admin))) == 3
    # Free text finds nothing the caller may not see.
    assert _names(gql(client, SEARCH, {"filter": {"text": "dang ky"}})) == []
    assert _names(gql(client, SEARCH, {"filter": {"text": "rieng tu"}},
                      token=callers.hr)) == []
    assert _names(gql(client, SEARCH, {"filter": {"text": "rieng tu"}},
                      token=callers.admin)) == ["Riêng Tư"]


def test_page_size_is_at_most_100(client: TestClient):
    body = gql(client, SEARCH, {"first": 101}, expect_errors=True)
    assert codes(body) == ["BAD_USER_INPUT"]
    assert "between 0 and 100" in body["errors"][0]["message"]
    assert body["errors"][0]["extensions"]["fields"][0]["path"] == "first"
    assert "errors" not in gql(client, SEARCH, {"first": 100})


def test_a_cursor_that_was_not_issued_is_bad_input(client: TestClient):
    body = gql(client, SEARCH, {"after": "garbage!"}, expect_errors=True)
    assert codes(body) == ["BAD_USER_INPUT"]


@covers("facets")
def test_facets_count_for_the_same_filter(client: TestClient, db: Database, callers: Callers):
    seed(db, [
        person(1, residenceCountry="VN", availability="FULL_TIME",
               skills=[{"skill": "soc-design", "level": 4}]),
        person(2, residenceCountry="VN", availability=None),
        person(3, residenceCountry="JP", availability="FULL_TIME"),
        person(4, residenceCountry="JP", visibility="REGISTERED"),
    ])
    query = """query($filter: ExpertFilter) { facets(filter: $filter) {
      totalCount techAreas { count techArea { id } } countries { value count }
      diaspora { value count } availability { value count } } }"""
    f = gql(client, query, {"filter": {"residenceCountries": ["VN", "JP"]}})["data"]["facets"]
    assert f["totalCount"] == 3  # the REGISTERED one is not counted for an anonymous caller
    assert {c["value"]: c["count"] for c in f["countries"]} == {"VN": 2, "JP": 1}
    assert {c["value"]: c["count"] for c in f["diaspora"]} == {"DOMESTIC": 2, "OVERSEAS": 1}
    assert {c["value"]: c["count"] for c in f["availability"]} == {"FULL_TIME": 2, "UNKNOWN": 1}
    areas = {a["techArea"]["id"]: a["count"] for a in f["techAreas"]}
    assert areas["semiconductor-chips"] == 1 and areas["ai-digital-twin-xr"] == 2
    jp = gql(client, query, {"filter": {"residenceCountries": ["JP"]}}, token=callers.hr)
    assert jp["data"]["facets"]["totalCount"] == 2
