"""A text search ranked in memory (``registry.search_index``) answers exactly as the Cypher
statement does, and sees every change committed before it, on the real server."""

from __future__ import annotations

import random
import time

import pytest

from registry import experts, search_index
from registry.db import Database
from registry.search import ExpertFilter, ExpertSort, Viewer, encode_cursor, search_experts
from seed.demo import seed_demo
from tests.api.support import person, seed

TERMS = ["machine learning", "chip", "robot", "vi mach", "quantum", "hoc may", "nano", "pin",
         "nguyen", "tran van", "5G mang", "dien", "Trần Văn", "Nguyễn", "Đặng thị", "vi mạch"]


def _both(db: Database, **kw) -> tuple[tuple, tuple]:
    got = [search_experts(db, **kw, in_memory=flag) for flag in (True, False)]
    return tuple((p.ids, p.scores, p.total_count, p.has_next) for p in got)  # type: ignore


def _random_search(rng: random.Random, skills: list[str], areas: list[str], orgs: list[str],
                   own: str) -> dict:
    kw: dict = {"text": rng.choice(TERMS)}
    if rng.random() < .3:
        kw["skills"] = tuple(rng.sample(skills, rng.randint(1, 3)))
        kw["skills_mode"] = rng.choice(["ANY", "ALL"])
    if rng.random() < .3:
        kw["areas"] = tuple(rng.sample(areas, rng.randint(1, 2)))
    if rng.random() < .3:
        kw["countries"] = tuple(rng.sample(["VN", "US", "JP", "DE", "FR", "KR", "AU"], 2))
    if rng.random() < .3:
        kw["diaspora"] = (rng.choice(["DOMESTIC", "OVERSEAS", "RETURNEE"]),)
    if rng.random() < .3:
        kw["availability"] = (rng.choice(["FULL_TIME", "PART_TIME", "ADVISORY", "UNAVAILABLE"]),)
    if rng.random() < .3:
        kw["min_years"] = rng.randint(0, 20)
    if rng.random() < .3:
        kw["min_h_index"] = rng.randint(0, 15)
    if rng.random() < .2:
        kw["languages"] = tuple(rng.sample(["vi", "en", "ja", "fr", "de"], rng.randint(1, 2)))
    if rng.random() < .15:
        kw["organization"] = rng.choice(orgs)
    if rng.random() < .2:
        kw["verified"] = rng.random() < .5
    return {
        "filter": ExpertFilter(**kw),
        "sort": rng.choice(list(ExpertSort)),
        "viewer": rng.choice([Viewer(), Viewer(signed_in=True), Viewer(admin=True),
                              Viewer(expert_id=own)]),
        "first": rng.choice([0, 1, 5, 20, 100]),
        "after": rng.choice([None, None, encode_cursor(rng.randint(1, 60))]),
    }


def test_in_memory_ranking_answers_as_the_cypher_statement(db: Database):
    seed_demo(db, experts=150, seed=57, progress=False)
    # Ties and nulls: the same name and headline twice, unknown h-index and experience.
    seed(db, [person(i, fullName="Trần Văn Nam", headline="robot arms and chip design",
                     hIndex=None if i % 2 else 4, yearsExperience=None if i < 2 else 7,
                     visibility=["PUBLIC", "REGISTERED", "PRIVATE"][i % 3], publications=[])
              for i in range(6)])
    skills = [r["id"] for r in db.query("MATCH (s:Skill) RETURN s.id AS id ORDER BY id")]
    areas = [r["id"] for r in db.query("MATCH (a:TechArea) RETURN a.id AS id ORDER BY id")]
    orgs = [r["id"] for r in db.query(
        "MATCH (:Expert)-[:WORKS_AT|STUDIED_AT]->(o) RETURN DISTINCT o.id AS id ORDER BY id")]
    private = db.query("MATCH (e:Expert {visibility: 'PRIVATE'}) RETURN e.id AS id LIMIT 1")
    rng = random.Random(7)
    found = 0
    for _ in range(160):
        kw = _random_search(rng, skills, areas, orgs, private[0]["id"])
        in_memory, cypher = _both(db, **kw)
        assert in_memory == cypher, kw
        found += cypher[2] > 0
    assert found > 40  # many searches find someone: not a comparison of empty pages
    for sort in ExpertSort:  # the six namesakes tie on relevance and name: the id decides
        in_memory, cypher = _both(db, filter=ExpertFilter(text="robot arms chip design"),
                                  sort=sort, first=100, viewer=Viewer(admin=True))
        assert in_memory == cypher and cypher[2] >= 6
    assert search_index.index_for(db) is not None


def _ids(db: Database, text: str, **kw) -> list[str]:
    in_memory, cypher = _both(db, filter=ExpertFilter(text=text, **kw), first=100,
                              viewer=Viewer(admin=True))
    assert in_memory == cypher
    return in_memory[0]


def test_the_next_search_sees_edits_new_experts_and_deletions(db: Database):
    ids = seed(db, [person(i, headline="robot arms", availability="FULL_TIME")
                    for i in range(4)])
    assert sorted(_ids(db, "robot", availability=("FULL_TIME",))) == sorted(ids)
    doc = experts.read_profile(db, ids[0])
    experts.update_expert(db, ids[0], doc["version"],
                          lambda d: {**d, "availability": "UNAVAILABLE"})
    assert ids[0] not in _ids(db, "robot", availability=("FULL_TIME",))
    assert _ids(db, "robot", availability=("UNAVAILABLE",)) == [ids[0]]
    # A new publication credits its author; a new expert is found by name.
    doc = experts.read_profile(db, ids[1])
    experts.update_expert(db, ids[1], doc["version"], lambda d: {**d, "publications": [
        {"title": "Spintronic memory for edge devices", "year": 2024}]})
    assert _ids(db, "spintronic") == [ids[1]]
    new = experts.create_expert(db, person(9, fullName="Lý Thị Ngọc", headline="spintronic",
                                           publications=[{"title": "Magnonic logic gates",
                                                          "year": 2023}]))
    assert set(_ids(db, "spintronic")) == {ids[1], new["id"]}
    assert _ids(db, "magnonic") == [new["id"]]  # a new expert's works count at once
    # The publication leaves with its author's edit; a deleted expert leaves the results.
    doc = experts.read_profile(db, ids[1])
    experts.update_expert(db, ids[1], doc["version"], lambda d: {**d, "publications": []})
    assert _ids(db, "spintronic") == [new["id"]]
    experts.delete_expert(db, new["id"], experts.read_profile(db, new["id"])["version"])
    assert _ids(db, "spintronic") == []
    assert sorted(_ids(db, "robot")) == sorted(ids)


def test_writes_the_change_listing_cannot_see_are_found_all_the_same(db: Database):
    ids = seed(db, [person(i, headline="quantum sensing") for i in range(3)])
    assert sorted(_ids(db, "quantum")) == sorted(ids)
    # An expert restored with an old stamp (as a restore keeps them): the count gives it away.
    old = seed(db, [person(7, headline="quantum optics")])[0]
    db.execute("MATCH (e:Expert {id: $id}) SET e.updatedAt = datetime('2001-01-01T00:00:00Z')",
               id=old)
    assert sorted(_ids(db, "quantum")) == sorted([*ids, old])
    # A work linked without moving its author's stamp: its hit names a node the index does
    # not know, and the index reads its author before answering.
    db.execute("MATCH (e:Expert {id: $id}) CREATE (e)-[:AUTHORED {position: 9}]->"
               "(:Publication {id: 'pub-x', title: 'Photonic interconnects', year: 2020})",
               id=ids[2])
    assert _ids(db, "photonic") == [ids[2]]


def test_a_large_registry_is_read_in_the_background_and_cypher_answers_meanwhile(
        db: Database, monkeypatch: pytest.MonkeyPatch):
    ids = seed(db, [person(i, headline="drone swarms") for i in range(3)])
    fresh = Database.__new__(Database)  # another handle on the same server: no index yet
    fresh.__dict__.update(db.__dict__)
    monkeypatch.setattr(search_index, "SYNC_BUILD", 2)
    assert search_index.index_for(fresh) is None  # three experts > 2: read on a thread
    page = search_experts(fresh, filter=ExpertFilter(text="drone"), viewer=Viewer())
    assert sorted(page.ids) == sorted(ids)
    deadline = time.monotonic() + 30
    while search_index.index_for(fresh) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert search_index.index_for(fresh) is not None
    page = search_experts(fresh, filter=ExpertFilter(text="drone"), in_memory=True)
    assert sorted(page.ids) == sorted(ids)
