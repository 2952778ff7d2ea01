"""The matcher in the API: ``Task.candidates``, ``Task.decisions``, ``matchTask``,
``similarExperts``, ``recommendTeam`` and ``Expert.eligibility``; who may see them, visibility
of the experts returned, protected attributes withheld from eligibility, and no N+1."""

from __future__ import annotations

import asyncio
import datetime as dt

import httpx
import pytest
from starlette.testclient import TestClient

from api.matching.eligibility import PROTECTED_FACTS
from api.matching.service import use_matcher
from matching.eligibility import compute_facts
from matching.features import FEATURES
from matching.service import Matcher
from registry import decisions, programme_reads, programmes
from registry.accounts import create_account
from registry.db import Database, count_queries
from registry.profile import PROTECTED_FIELDS
from registry.settings import Settings
from server import create_app
from tests.api.conftest import Callers
from tests.api.support import codes, covers, gql, person, seed
from tests.factories import profile

LIST = "qd-1131-2025"
THIS_YEAR = dt.date.today().year
PAPER = {"title": "Thị giác máy tính kiểm tra khuyết tật wafer bằng học sâu", "year": 2023}
PHD = {"organization": {"name": "Stanford University", "country": "US", "kind": "UNIVERSITY"},
       "degree": "PHD", "year": 2015}


@pytest.fixture(autouse=True)
def matcher(tmp_path) -> Matcher:
    """A matcher of the test's own: fresh index, synchronous text model, always refreshed."""
    m = Matcher(model_dir=tmp_path / "models", max_staleness=0.0, text_refit="sync")
    with use_matcher(m):
        yield m


def _task(**overrides) -> dict:
    return {"title": "Thị giác máy tính cho kiểm tra wafer",
            "description": "Phát hiện khuyết tật wafer bằng học sâu và thị giác máy tính.",
            "roleSought": "PRINCIPAL_INVESTIGATOR", "onsite": "REMOTE", "techListId": LIST,
            "areas": ["semiconductor-chips"], "status": "OPEN",
            "requirements": [
                {"skill": "machine-learning", "weight": 1.0, "mustHave": True, "minLevel": 3},
                {"skill": "computer-vision", "weight": 0.5},
                {"skill": "quantum-computing", "weight": 0.2}], **overrides}


@pytest.fixture
def world(db: Database, callers: Callers) -> dict[str, str]:
    """Experts around an OPEN task of the lead's: a strong match, a partial one, one failing
    the must-have skill, a PRIVATE strong match, and a young doctor (for eligibility)."""
    best, partial, weak, hidden, young = seed(db, [
        person(1, fullName="Nguyễn Minh Đức", hIndex=30, yearsExperience=15,
               skills=[{"skill": "machine-learning", "level": 5, "years": 10},
                       {"skill": "computer-vision", "level": 5, "years": 8}],
               publications=[PAPER]),
        person(2, fullName="Lê Thu Trang", hIndex=3,
               skills=[{"skill": "machine-learning", "level": 3, "years": 4}],
               publications=[], projects=[]),
        person(3, fullName="Phạm Văn Yếu",
               skills=[{"skill": "machine-learning", "level": 1, "years": 1}]),
        person(4, fullName="Hồ Sơ Kín", visibility="PRIVATE", hIndex=50,
               skills=[{"skill": "machine-learning", "level": 5, "years": 10},
                       {"skill": "computer-vision", "level": 5, "years": 10}],
               publications=[PAPER]),
        person(5, fullName="Trẻ Tuổi", birthYear=THIS_YEAR - 30, education=[PHD],
               skills=[{"skill": "machine-learning", "level": 4, "years": 4}]),
    ])
    open_task = programmes.create_task(db, posted_by=callers.lead_account_id, data=_task())
    closed = programmes.create_task(db, posted_by=callers.lead_account_id, data=_task())
    programmes.close_task(db, task_id=closed.id, version=closed.version,
                          actor_id=callers.lead_account_id)
    return {"task": open_task.id, "closed": closed.id, "best": best, "partial": partial,
            "weak": weak, "hidden": hidden, "young": young}


CANDIDATES = """query($id: ID!, $first: Int!, $after: String) { task(id: $id) { id
  candidates(first: $first, after: $after, excludedFirst: 50) {
    totalCount modelId techListId excludedCount truncated
    pageInfo { hasNextPage endCursor }
    edges { cursor node {
      rank score expert { id fullName }
      reasons { feature effect contribution textVi textEn }
      matchedSkills { skillId nameVi level minLevel mustHave partial credit via { id }
                      skill { id nameVi } }
      missingSkills { skillId mustHave minLevel skill { id nameEn } }
      evidence { kind id title year similarity }
      eligibility { schemeId nameVi nameEn status met { id } missing { id }
                    unknown { id withheld textVi } }
      features { name value } } }
    nodes { expert { id } }
    excluded { score expert { id } rules { rule textVi textEn skillId skill { id } } } } } }"""


def _candidates(client, token, task_id, first=20, after=None) -> dict:
    body = gql(client, CANDIDATES, {"id": task_id, "first": first, "after": after}, token=token)
    return body["data"]["task"]["candidates"]


def test_candidates_are_ranked_with_reasons_skills_evidence_and_eligibility(
        client: TestClient, callers: Callers, world: dict):
    page = _candidates(client, callers.lead, world["task"])
    nodes = [e["node"] for e in page["edges"]]
    ids = [n["expert"]["id"] for n in nodes]
    assert ids[0] == world["best"] and world["partial"] in ids
    assert [n["rank"] for n in nodes] == list(range(1, len(nodes) + 1))
    assert [n["score"] for n in nodes] == sorted((n["score"] for n in nodes), reverse=True)
    assert page["totalCount"] == len(nodes) and page["nodes"] == [{"expert": {"id": i}}
                                                                  for i in ids]
    assert page["modelId"] == "transparent-v1" and page["techListId"] == LIST
    assert page["pageInfo"]["hasNextPage"] is False

    best = nodes[0]
    assert best["reasons"] and {r["effect"] for r in best["reasons"]} <= {"RAISES", "LOWERS"}
    assert all(r["textVi"] and r["textEn"] for r in best["reasons"])
    matched = {m["skillId"]: m for m in best["matchedSkills"]}
    assert matched["machine-learning"]["level"] == 5 and matched["machine-learning"]["mustHave"]
    assert matched["machine-learning"]["skill"]["nameVi"] == "Học máy"
    assert not matched["computer-vision"]["partial"] and matched["computer-vision"]["via"] is None
    assert best["missingSkills"] == [{"skillId": "quantum-computing", "mustHave": False,
                                      "minLevel": 1, "skill": {"id": "quantum-computing",
                                                               "nameEn": "Quantum computing"}}]
    assert best["evidence"] and best["evidence"][0]["title"] == PAPER["title"]
    assert best["evidence"][0]["kind"] == "PUBLICATION"
    schemes = {s["schemeId"] for s in best["eligibility"]}  # the schemes of the role sought
    assert "nd263-talented-young-scientist" in schemes
    assert "nd231-system-chief-engineer" not in schemes
    assert [f["name"] for f in best["features"]] == list(FEATURES)

    # Machine learning alone counts partly for computer vision, through the taxonomy.
    partial = next(n for n in nodes if n["expert"]["id"] == world["partial"])
    vision = next(m for m in partial["matchedSkills"] if m["skillId"] == "computer-vision")
    assert vision["partial"] and vision["via"] == {"id": "machine-learning"}
    assert 0 < vision["credit"] < 1
    assert [m["skillId"] for m in partial["missingSkills"]] == ["quantum-computing"]

    (weak,) = [x for x in page["excluded"] if x["expert"]["id"] == world["weak"]]
    assert [r["rule"] for r in weak["rules"]] == ["MUST_HAVE"]
    assert weak["rules"][0]["skill"]["id"] == "machine-learning"
    assert "Học máy" in weak["rules"][0]["textVi"]
    assert page["excludedCount"] == len(page["excluded"])


def test_invisible_experts_are_left_out_of_candidates(client: TestClient, callers: Callers,
                                                      world: dict):
    def everyone(token: str) -> set[str]:
        page = _candidates(client, token, world["task"])
        return ({e["node"]["expert"]["id"] for e in page["edges"]}
                | {x["expert"]["id"] for x in page["excluded"]})

    assert world["hidden"] not in everyone(callers.lead)
    assert world["hidden"] in everyone(callers.admin)


def test_candidates_page_through_with_the_cursor(client: TestClient, callers: Callers,
                                                 world: dict):
    full = [e["node"]["expert"]["id"] for e in _candidates(client, callers.lead,
                                                          world["task"])["edges"]]
    first = _candidates(client, callers.lead, world["task"], first=2)
    assert first["pageInfo"]["hasNextPage"] and first["totalCount"] == len(full)
    rest = _candidates(client, callers.lead, world["task"], first=20,
                       after=first["pageInfo"]["endCursor"])
    got = [e["node"]["expert"]["id"] for e in (*first["edges"], *rest["edges"])]
    assert got == full
    assert [e["node"]["rank"] for e in rest["edges"]][:1] == [3]
    body = gql(client, CANDIDATES, {"id": world["task"], "first": 101}, token=callers.lead,
               expect_errors=True)
    assert codes(body) == ["BAD_USER_INPUT"] and body["data"]["task"]["candidates"] is None


def test_who_may_see_candidates(db: Database, client: TestClient, callers: Callers,
                                world: dict):
    _, other_token = create_account(db, name="Chủ nhiệm khác", role="PROGRAMME_LEAD")
    query = "query($id: ID!) { task(id: $id) { id candidates(first: 1) { totalCount } } }"

    def sees(token: str, key: str) -> bool:
        body = gql(client, query, {"id": world[key]}, token=token, expect_errors=True)
        assert body["data"]["task"] is not None, body  # the task itself stays readable
        if body["data"]["task"]["candidates"] is None:
            assert codes(body) == ["FORBIDDEN"]
            return False
        return True

    assert sees(callers.lead, "task") and sees(callers.lead, "closed")
    assert sees(callers.admin, "task") and sees(callers.admin, "closed")
    assert sees(callers.hr, "task") and not sees(callers.hr, "closed")
    assert not sees(other_token, "task")
    assert not sees(callers.owner, "task") and not sees(callers.other_expert, "task")


def test_candidates_are_refused_for_each_task_of_a_list(client: TestClient, callers: Callers,
                                                       world: dict):
    body = gql(client, "{ tasks(first: 5) { nodes { id candidates(first: 1) { totalCount } } } }",
               token=callers.admin, expect_errors=True)
    assert body["errors"] and "one task at a time" in body["errors"][0]["message"]
    assert all(n["candidates"] is None for n in body["data"]["tasks"]["nodes"])


def test_eligibility_withholds_criteria_that_read_protected_attributes(
        client: TestClient, callers: Callers, world: dict, db: Database):
    query = """query($id: ID!) { expert(id: $id) { eligibility { schemeId decree status roles
      met { id outcome } missing { id } unknown { id outcome withheld unknownFacts } } } }"""
    _, token = create_account(db, name="Trẻ", role="EXPERT", expert_id=world["young"])

    def nd263(token: str | None) -> dict:
        found = gql(client, query, {"id": world["young"]}, token=token)["data"]["expert"]
        assert len(found["eligibility"]) == 5  # every scheme of the rule data
        return next(s for s in found["eligibility"]
                    if s["schemeId"] == "nd263-talented-young-scientist")

    for own in (token, callers.admin):
        seen = nd263(own)
        assert "under-35" in {c["id"] for c in seen["met"]} and seen["decree"]
        assert not any(c["withheld"] for c in seen["unknown"])
    for other in (None, callers.hr, callers.lead):
        seen = nd263(other)
        (age,) = [c for c in seen["unknown"] if c["id"] == "under-35"]
        assert age == {"id": "under-35", "outcome": "UNKNOWN", "withheld": True,
                       "unknownFacts": ["age"]}
        assert "under-35" not in {c["id"] for c in seen["met"] + seen["missing"]}
        assert seen["status"] != "ELIGIBLE"  # never more than the other criteria allow

    # Candidates of a task carry the same rule: the lead does not learn the age either.
    page = _candidates(client, callers.lead, world["task"])
    node = next(e["node"] for e in page["edges"] if e["node"]["expert"]["id"] == world["young"])
    scheme = next(s for s in node["eligibility"]
                  if s["schemeId"] == "nd263-talented-young-scientist")
    assert [c["id"] for c in scheme["unknown"] if c["withheld"]] == ["under-35"]


def test_only_protected_facts_come_from_protected_attributes():
    base = profile(birthYear=1980, gender="FEMALE", birthPlace="Huế", ethnicity="Kinh",
                   religion="Không")
    other = {**base, "birthYear": 1999, "gender": "MALE", "birthPlace": "Hà Nội",
             "ethnicity": "Tày", "religion": "Phật giáo"}
    assert set(PROTECTED_FIELDS) <= set(base)
    a, b = compute_facts(base), compute_facts(other)
    assert {k for k in a if a[k] != b[k]} <= PROTECTED_FACTS


def test_decisions_are_the_latest_per_candidate(db: Database, client: TestClient,
                                                callers: Callers, world: dict):
    for kind in ("SHORTLISTED", "INTERVIEWED"):
        decisions.record_decision(db, task_id=world["task"], expert_id=world["best"],
                                  actor_id=callers.lead_account_id, kind=kind)
    decisions.record_decision(db, task_id=world["task"], expert_id=world["partial"],
                              actor_id=callers.lead_account_id, kind="REJECTED", reason="Thiếu")
    decisions.record_decision(db, task_id=world["task"], expert_id=world["hidden"],
                              actor_id=callers.admin_account_id, kind="CONTACTED",
                              is_admin=True)
    query = """query($id: ID!) { task(id: $id) { decisions { kind reason expertId
      expert { id } } } }"""

    def seen(token: str) -> dict:
        found = gql(client, query, {"id": world["task"]}, token=token)["data"]["task"]
        return {d["expertId"]: d["kind"] for d in found["decisions"]}

    assert seen(callers.lead) == {world["best"]: "INTERVIEWED", world["partial"]: "REJECTED"}
    assert seen(callers.admin)[world["hidden"]] == "CONTACTED"  # the lead may not see them
    assert seen(callers.hr) == {} and seen(callers.owner) == {}


MATCH = """query($input: TaskInput!) { matchTask(input: $input, first: 5) {
  totalCount modelId edges { node { rank expert { id } matchedSkills { skillId } } }
  excluded { expert { id } rules { rule } } } }"""


@covers("matchTask")
def test_match_task_ranks_an_unsaved_task(db: Database, client: TestClient, callers: Callers,
                                          world: dict):
    saved = len(programme_reads.list_tasks(db, status=None).items)
    task = {"title": "Thị giác máy tính cho kiểm tra wafer", "roleSought": "MEMBER",
            "requirements": [{"skill": "computer-vision", "mustHave": True, "minLevel": 4}]}
    for token in (callers.lead, callers.admin):
        found = gql(client, MATCH, {"input": task}, token=token)["data"]["matchTask"]
        ranked = [e["node"]["expert"]["id"] for e in found["edges"]]
        # Only the two computer-vision experts pass; the PRIVATE one only for the admin.
        expected = [world["best"]] if token == callers.lead else [world["hidden"], world["best"]]
        assert ranked == expected and found["modelId"] == "transparent-v1"
        assert world["partial"] in {x["expert"]["id"] for x in found["excluded"]}
    assert len(programme_reads.list_tasks(db, status=None).items) == saved  # nothing is saved

    body = gql(client, MATCH, {"input": task}, token=callers.hr, expect_errors=True)
    assert codes(body) == ["FORBIDDEN"] and body["data"] is None
    body = gql(client, MATCH, {"input": task}, expect_errors=True)
    assert codes(body) == ["UNAUTHENTICATED"]

    bad = {"title": "x", "requirements": [{"skill": "no-such-skill"},
                                          {"skill": "machine-learning", "minLevel": 9}]}
    body = gql(client, MATCH, {"input": bad}, token=callers.lead, expect_errors=True)
    assert codes(body) == ["BAD_USER_INPUT"]
    paths = {f["path"] for f in body["errors"][0]["extensions"]["fields"]}
    assert paths == {"requirements.0.skill", "requirements.1.minLevel"}


SIMILAR = """query($id: ID!) { similarExperts(expertId: $id, first: 5) {
  score skillSimilarity textSimilarity textVi textEn expert { id } sharedSkills { id } } }"""


@covers("similarExperts")
def test_similar_experts_among_those_the_caller_may_see(client: TestClient, callers: Callers,
                                                        world: dict):
    found = gql(client, SIMILAR, {"id": world["best"]})["data"]["similarExperts"]
    ids = [s["expert"]["id"] for s in found]
    assert ids and world["best"] not in ids and world["hidden"] not in ids
    assert all(s["score"] > 0 and s["textVi"] for s in found)
    assert any({"id": "machine-learning"} in s["sharedSkills"] for s in found)
    admin = gql(client, SIMILAR, {"id": world["best"]}, token=callers.admin)
    assert world["hidden"] in [s["expert"]["id"] for s in admin["data"]["similarExperts"]]
    # A profile the caller may not see: null, as for one that does not exist.
    assert gql(client, SIMILAR, {"id": world["hidden"]})["data"]["similarExperts"] is None
    assert gql(client, SIMILAR, {"id": "nobody"})["data"]["similarExperts"] is None


TEAM = """query($id: ID!, $size: Int!) { recommendTeam(taskId: $id, size: $size) {
  coverage modelId techListId
  lead { role score gain expert { id } adds { skillId before after skill { id } } }
  members { role expert { id } adds { skillId } workedWith { id } }
  uncovered { skillId mustHave covered weight } } }"""


@covers("recommendTeam")
def test_recommend_team(client: TestClient, callers: Callers, world: dict, db: Database):
    team = gql(client, TEAM, {"id": world["task"], "size": 3},
               token=callers.lead)["data"]["recommendTeam"]
    assert team["lead"]["role"] == "LEAD" and team["lead"]["expert"]["id"] == world["best"]
    assert {a["skillId"] for a in team["lead"]["adds"]} == {"machine-learning",
                                                            "computer-vision"}
    # Nobody has quantum computing: it stays uncovered, and is said so.
    assert team["uncovered"] == [{"skillId": "quantum-computing", "mustHave": False,
                                  "covered": 0.0, "weight": 0.2}]
    assert team["coverage"] == round(1.5 / 1.7, 4)
    assert team["modelId"] == "transparent-v1" and team["techListId"] == LIST
    assert all(m["role"] == "MEMBER" for m in team["members"])
    assert world["hidden"] not in {m["expert"]["id"] for m in team["members"]}

    body = gql(client, TEAM, {"id": world["task"], "size": 3}, token=callers.owner,
               expect_errors=True)
    assert codes(body) == ["FORBIDDEN"] and body["data"]["recommendTeam"] is None
    body = gql(client, TEAM, {"id": world["closed"], "size": 3}, token=callers.hr,
               expect_errors=True)
    assert codes(body) == ["FORBIDDEN"]
    assert gql(client, TEAM, {"id": "no-such-task", "size": 3},
               token=callers.lead)["data"]["recommendTeam"] is None
    body = gql(client, TEAM, {"id": world["task"], "size": 0}, token=callers.lead,
               expect_errors=True)
    assert codes(body) == ["BAD_USER_INPUT"]


PAGE = """query($id: ID!, $first: Int!) { task(id: $id) { candidates(first: $first) {
  edges { node { score expert { id fullName skills { skill { id } } contact { email } }
    matchedSkills { skill { id nameVi } via { id } } missingSkills { skill { id } }
    eligibility { schemeId } } }
  excluded { expert { id } rules { skill { id } } } } } }"""


def test_candidate_pages_cost_the_same_statements_whatever_their_size(
        db: Database, settings: Settings, callers: Callers, matcher: Matcher):
    seed(db, [person(100 + i, fullName=f"Ứng Viên {i:02d}", contactConsent=True,
                     skills=[{"skill": "machine-learning", "level": 3 + i % 3, "years": 3},
                             {"skill": "computer-vision", "level": 1 + i % 5, "years": 2},
                             # every page holds the same skills, whoever ranks first
                             {"skill": "deep-learning", "level": 2, "years": 2}])
              for i in range(30)])
    task = programmes.create_task(db, posted_by=callers.lead_account_id, data=_task())
    app = create_app(settings, database=db)

    def statements(first: int) -> int:
        async def call() -> dict:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
                r = await c.post("/graphql", json={"query": PAGE,
                                                   "variables": {"id": task.id, "first": first}},
                                 headers={"Authorization": f"Bearer {callers.lead}"})
                return r.json()

        with count_queries() as n:
            body = asyncio.run(call())
        assert "errors" not in body, body["errors"]
        assert len(body["data"]["task"]["candidates"]["edges"]) == first
        return n[0]

    matcher.max_staleness = 3600.0  # the index's own refresh is not the resolver's cost
    statements(1)
    assert statements(3) == statements(25)
