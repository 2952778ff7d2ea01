"""The collaboration network: ``collaborators`` and ``collaborationPath``, with visibility."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from registry.db import Database
from tests.api.conftest import Callers
from tests.api.support import codes, covers, gql, person, seed


def _pub(doi: str, title: str) -> dict:
    return {"doi": doi, "title": title, "year": 2022}


P1, P2, P3 = (_pub("10.1000/p1", "Bài báo một"), _pub("10.1000/p2", "Bài báo hai"),
              _pub("10.1000/p3", "Bài báo ba"))
J1 = {"title": "Dự án vệ tinh", "relation": "CONTRIBUTED", "startYear": 2020}


@pytest.fixture
def chain(db: Database) -> dict[str, str]:
    """A -P1- B -J1- C -P2- D, and X (PRIVATE) -P3- A."""
    a, b, c, d, x = seed(db, [
        person(1, fullName="An", publications=[P1, P3], projects=[]),
        person(2, fullName="Bình", visibility="REGISTERED", publications=[P1],
               projects=[{**J1, "relation": "LED"}]),
        person(3, fullName="Cường", publications=[P2], projects=[J1]),
        person(4, fullName="Dũng", publications=[P2], projects=[]),
        person(5, fullName="Xuân", visibility="PRIVATE", publications=[P3], projects=[]),
    ])
    return {"a": a, "b": b, "c": c, "d": d, "x": x}


COLLAB = """query($id: ID!, $depth: Int) { collaborators(expertId: $id, depth: $depth) {
  distance sharedCount expert { fullName } via { fullName }
  sharedWorks { kind title year } } }"""
PATH = """query($from: ID!, $to: ID!) { collaborationPath(from: $from, to: $to) {
  length experts { fullName } works { kind title } } }"""


@covers("collaborators")
def test_collaborators_at_depth_one_and_two(client: TestClient, chain: dict, callers: Callers):
    one = gql(client, COLLAB, {"id": chain["a"]}, token=callers.hr)["data"]["collaborators"]
    assert [(c["expert"]["fullName"], c["distance"]) for c in one] == [("Bình", 1)]
    assert one[0]["sharedWorks"] == [{"kind": "PUBLICATION", "title": "Bài báo một",
                                      "year": 2022}]
    assert one[0]["sharedCount"] == 1 and one[0]["via"] == []
    two = gql(client, COLLAB, {"id": chain["a"], "depth": 2},
              token=callers.hr)["data"]["collaborators"]
    found = {c["expert"]["fullName"]: c for c in two}
    assert set(found) == {"Bình", "Cường"}
    assert found["Cường"]["distance"] == 2 and found["Cường"]["via"] == [{"fullName": "Bình"}]
    assert found["Cường"]["sharedWorks"][0]["kind"] == "PROJECT"


def test_collaborators_respect_visibility(client: TestClient, chain: dict, callers: Callers):
    # Bình is REGISTERED, Xuân PRIVATE: an anonymous caller sees neither, nor walks through.
    anon = gql(client, COLLAB, {"id": chain["a"], "depth": 2})["data"]["collaborators"]
    assert anon == []
    admin = gql(client, COLLAB, {"id": chain["a"]}, token=callers.admin)["data"]
    assert {c["expert"]["fullName"] for c in admin["collaborators"]} == {"Bình", "Xuân"}
    # An expert the caller may not see has no collaborators to show: null, as if absent.
    assert gql(client, COLLAB, {"id": chain["b"]})["data"]["collaborators"] is None
    assert gql(client, COLLAB, {"id": "nobody"})["data"]["collaborators"] is None


def test_collaborators_depth_is_1_or_2(client: TestClient, chain: dict):
    body = gql(client, COLLAB, {"id": chain["a"], "depth": 3}, expect_errors=True)
    assert codes(body) == ["BAD_USER_INPUT"]


@covers("collaborationPath")
def test_collaboration_path(client: TestClient, chain: dict, callers: Callers):
    path = gql(client, PATH, {"from": chain["a"], "to": chain["d"]},
               token=callers.hr)["data"]["collaborationPath"]
    assert [e["fullName"] for e in path["experts"]] == ["An", "Bình", "Cường", "Dũng"]
    assert [w["title"] for w in path["works"]] == ["Bài báo một", "Dự án vệ tinh",
                                                   "Bài báo hai"]
    assert path["length"] == 3
    same = gql(client, PATH, {"from": chain["a"], "to": chain["a"]})["data"]
    assert same["collaborationPath"]["length"] == 0


def test_collaboration_path_never_passes_hidden_experts(client: TestClient, chain: dict,
                                                         callers: Callers):
    # The only way from An to Dũng is through Bình, whom an anonymous caller may not see.
    assert gql(client, PATH, {"from": chain["a"], "to": chain["d"]}
               )["data"]["collaborationPath"] is None
    assert gql(client, PATH, {"from": chain["a"], "to": chain["x"]}, token=callers.hr
               )["data"]["collaborationPath"] is None
    admin = gql(client, PATH, {"from": chain["x"], "to": chain["b"]}, token=callers.admin)
    assert admin["data"]["collaborationPath"]["length"] == 2
